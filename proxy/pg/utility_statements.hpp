// Statements the planner's grammar does not cover but the proxy can place itself:
// COPY / VACUUM / ANALYZE (placed by the tables they name) and the SQL-level prepared
// statements PREPARE / EXECUTE / DEALLOCATE (kept per client, prepared lazily on backends).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shardgate::proxy::pg {

/// COPY/VACUUM/ANALYZE: statements to plan in its place (a write or read on each table it
/// names, or COPY's inner query); the statement runs only where all of them route to one shard.
struct UtilityProbe {
    std::string what;                ///< e.g. "COPY pgbench_accounts", for error messages
    std::vector<std::string> probes; ///< statements to plan instead
    bool writes = true;
};

/// nullopt when `sql` is not COPY, VACUUM or ANALYZE (or names nothing to place).
std::optional<UtilityProbe> utility_probe(std::string_view sql);

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
