// A prepared statement's parameters written into its text as MySQL literals, for the
// statements shardgate runs on several shards itself (a cross-shard read rewrites the text:
// a LIMIT's `?` becomes LIMIT n+m, an ORDER BY expression is copied into the select list, so
// the placeholders of the client's statement no longer line up with any backend's).
// Pure function; unit tested.
#pragma once

#include "shardgate/parser/dialect.hpp"
#include "shardgate/protocol/mysql/binary_value.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shardgate::proxy::mysql {

/// One bound parameter: its value (long data as a string view) and the type the client sent.
struct BoundParameter {
    protocol::mysql::BinaryValue value;
    protocol::mysql::ParamType type;
};

/// `sql` with each `?` replaced by the literal of its parameter, as the server would read the
/// bound value: integers as numbers, floats as approximate numbers (`1.5e0`; an integral double
/// as its integer, which a LIMIT requires and comparisons do not tell apart), DECIMAL as
/// text, strings as quoted strings in the connection's character set (escaped for `mode`),
/// BLOB types as binary `X'..'` strings, dates and times as DATE/TIMESTAMP/TIME literals,
/// NULL as NULL. An error message when a value has no literal (NaN, infinity) or the counts
/// differ.
struct InlinedStatement {
    std::string sql;
    std::string error; ///< set when sql is not usable
};
InlinedStatement inline_parameters(std::string_view sql, const std::vector<BoundParameter>& params,
                                   parser::LexMode mode);

} // namespace shardgate::proxy::mysql
