// Small helpers a router needs from PostgreSQL messages: the SQL text of Query/Parse without
// a full decode, Bind parameter values as shard keys, and row counts from command tags.
#pragma once

#include "shardgate/protocol/pg/frame.hpp"
#include "shardgate/protocol/pg/frontend_messages.hpp"
#include "shardgate/protocol/pg/result.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace shardgate::protocol::pg {

/// The SQL text of a Query or Parse frame (a view into the frame), or an error for any other
/// type or a malformed body. Skips the statement name of Parse; ignores parameter types.
Result<std::string_view> statement_text(const Frame& frame);

/// Parameter `index` of `bind` as a 64-bit integer, for shard-key routing. Text format:
/// optional surrounding spaces, optional sign, decimal digits. Binary format: a big-endian
/// int2, int4 or int8, chosen by the value's length. Errors: index out of range, NULL,
/// malformed text, overflow, other binary lengths.
Result<std::int64_t> bind_parameter_int(const Bind& bind, std::size_t index);

/// Parameter `index` of `bind` as text (a view into the Bind message). Text and binary
/// formats of text/varchar are the same bytes, so both are accepted. Errors: index out of
/// range, NULL.
Result<std::string_view> bind_parameter_text(const Bind& bind, std::size_t index);

/// The row count at the end of a CommandComplete tag ("SELECT 3", "INSERT 0 5", "UPDATE 2",
/// "DELETE 1", "MOVE 4", "FETCH 4", "COPY 10", "MERGE 2"); nullopt for other tags.
std::optional<std::uint64_t> command_tag_row_count(std::string_view tag);

} // namespace shardgate::protocol::pg
