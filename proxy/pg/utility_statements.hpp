// The SQL-level prepared statements PREPARE / EXECUTE / DEALLOCATE, read by the session that
// keeps them (per client; prepared lazily on backends). The planner says which one it is.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shardgate::proxy::pg {

/// `PREPARE name [(type, ...)] AS statement`.
struct SqlPrepare {
    std::string name;
    std::string types; ///< "(bigint, text)" as written, or empty
    std::string body;  ///< the statement
};
std::optional<SqlPrepare> parse_sql_prepare(std::string_view sql);

/// `EXECUTE name [(arg, ...)]`; arguments that are plain literals are decoded (routing
/// values), the first other expression ends the known list.
struct SqlExecute {
    std::string name;
    std::string args; ///< "(1, 'x')" as written, or empty
    std::vector<std::optional<std::string>> values;
};
std::optional<SqlExecute> parse_sql_execute(std::string_view sql);

/// `DEALLOCATE [PREPARE] name | ALL`: the name ("" for ALL).
std::optional<std::string> parse_sql_deallocate(std::string_view sql);

} // namespace shardgate::proxy::pg
