// The map against the servers' own settings (see server_settings_check.hpp).
#include "shardgate/proxy/server_settings_check.hpp"

#include <algorithm>
#include <cctype>
#include <fmt/format.h>
#include <map>
#include <optional>
#include <set>
#include <string_view>

namespace shardgate::proxy {
namespace {

/// Why the MariaDB server `server`, whose sessions start in time zone `zone`, cannot serve `db`,
/// or nullopt: the proxy takes a session that did not set time_zone as UTC (a time key is
/// placed as UTC while the server reads a TIMESTAMP in its own zone), which matters only when
/// a table of `db` is placed by a timestamptz key (a TIMESTAMP column; a DATETIME one,
/// key type timestamp, is a wall-clock time no zone changes).
std::optional<std::string> zone_problem(const shardmaps::Database& db, const std::string& server,
                                        const std::string& zone) {
    std::string lower;
    for (const char c : zone) {
        lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
    // A zone name of the server's own (a fixed UTC name), or the host's zone by the name
    // MariaDB read at start ("GMT" there may be London in winter: not taken).
    static const std::set<std::string_view> utc{"",
                                                "+00:00",
                                                "-00:00",
                                                "utc",
                                                "etc/utc",
                                                "gmt",
                                                "etc/gmt",
                                                "universal",
                                                "etc/universal",
                                                "zulu",
                                                "etc/zulu",
                                                "uct",
                                                "etc/uct",
                                                "gmt0",
                                                "etc/gmt0",
                                                "greenwich",
                                                "etc/greenwich",
                                                "system (utc)",
                                                "system (etc/utc)",
                                                "system (coordinated universal time)",
                                                "system (universal)",
                                                "system (zulu)"};
    if (utc.contains(lower)) {
        return std::nullopt;
    }
    for (const auto& [name, table] : db.tables()) {
        if (table.key().type == shardmaps::KeyType::timestamptz) {
            return fmt::format(
                "server {} of database {} starts sessions in time zone {} (@@GLOBAL.time_zone; "
                "SYSTEM with the host's @@system_time_zone), but table {} is placed by a "
                "timestamptz (TIMESTAMP) key "
                "and shardgate takes a session that did not set time_zone as UTC (the server "
                "would read such a key in {} and store it on another shard than its UTC time's): "
                "run the server with time_zone '+00:00' (default_time_zone in its configuration)",
                server, db.name(), zone, name, zone);
        }
    }
    return std::nullopt;
}

/// Time-keyed tables of `db` whose key column on the primary `server` has the other time type
/// than the map declares (`columns`: EngineView::time_columns), one message each. The two
/// place a time written with an offset, or in a session outside UTC, on different shards.
/// Also a PostgreSQL column that keeps another number of fractional digits than the map's
/// `key_precision`: the two round a time in a bucket's last second differently.
void time_type_problems(const shardmaps::Database& db, const std::string& server,
                        const std::map<std::string, monitor::TimeColumn>& columns,
                        std::vector<std::string>& problems) {
    for (const auto& [name, table] : db.tables()) {
        const auto declared = table.key().type;
        if (declared != shardmaps::KeyType::timestamp &&
            declared != shardmaps::KeyType::timestamptz) {
            continue;
        }
        std::string column = name + "." + table.key().column;
        for (char& c : column) {
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        const auto found = columns.find(column);
        if (found == columns.end()) {
            continue; // (a table not created yet, or of another type: not for this check)
        }
        const auto& [type, precision] = found->second;
        const int digits = table.key().fraction_digits;
        if (type == shardmaps::key_type_name(declared)) {
            if (precision >= 0 && digits >= 0 && precision != digits) {
                problems.push_back(fmt::format(
                    "table {} of database {} is placed by {}, a {}({}) column on {}, which "
                    "rounds a time to {} fractional digits, but the map places times as "
                    "rounded to {}{}: a time in the last second of a bucket can be stored as "
                    "the next bucket's first second, on another shard than its own; set "
                    "`key_precision: {}` for {} in the map",
                    name, db.name(), table.key().column, type, precision, server, precision, digits,
                    digits == 6 ? " (the default)" : "", precision, name));
            }
            continue;
        }
        const bool mysql = db.engine() == shardmaps::Engine::mysql;
        const bool instant = type == "timestamptz";
        const std::string_view actual =
            mysql ? (instant ? "TIMESTAMP" : "DATETIME") : (instant ? "timestamptz" : "timestamp");
        problems.push_back(fmt::format(
            "table {} of database {} is placed by {}, a {} column on {}, but the map declares "
            "`key_type: {}`: {} set `key_type: {}` for {} in the map",
            name, db.name(), table.key().column, actual, server, shardmaps::key_type_name(declared),
            instant ? "the column stores an instant (a time written with an offset, or in a "
                      "session outside UTC, is converted to UTC), while the map places times "
                      "by their wall clock;"
                    : "the column stores a wall-clock time (an offset written with a time is "
                      "dropped, the session's zone does not apply), while the map places times "
                      "as instants;",
            type, name));
    }
}

/// Whether a table of `db` is placed by a timestamp or timestamptz key.
bool has_time_key(const shardmaps::Database& db) {
    return std::any_of(db.tables().begin(), db.tables().end(), [](const auto& entry) {
        const auto type = entry.second.key().type;
        return type == shardmaps::KeyType::timestamp || type == shardmaps::KeyType::timestamptz;
    });
}

} // namespace

std::vector<std::string> map_problems(const shardmaps::ShardMap& map,
                                      const BackendRegistry& registry) {
    std::vector<std::string> problems;
    const auto view = registry.view();
    if (!view) {
        return problems;
    }
    for (const auto& backend : registry.backends()) {
        const auto* db = map.find_database(backend.database);
        // (a retired server's last reading stays: not a server of the map any more)
        if (db == nullptr || backend.retired || backend.index >= view->states.size()) {
            continue;
        }
        const auto& engine = view->states[backend.index].engine;
        if (backend.role == monitor::Role::primary && engine.time_columns) {
            time_type_problems(
                *db, "shard " + backend.shard_name + " (" + backend.endpoint.to_string() + ")",
                *engine.time_columns, problems);
        }
        if (backend.engine != shardmaps::Engine::mysql) {
            continue;
        }
        // (replicas too: reads compare keys there)
        if (auto problem =
                zone_problem(*db, backend.endpoint.to_string() + " of shard " + backend.shard_name,
                             engine.time_zone)) {
            problems.push_back(std::move(*problem));
        }
        if (backend.role != monitor::Role::primary || !engine.lower_case_table_names) {
            continue;
        }
        const int measured = *engine.lower_case_table_names;
        const int expected = db->settings().lower_case_table_names;
        if ((measured == 0) != (expected == 0)) {
            problems.push_back(fmt::format(
                "shard {} of database {} runs with lower_case_table_names={} but the map says "
                "{}{}: set `lower_case_table_names: {}` for database {} in the map, so that "
                "shardgate matches table names as the server does",
                backend.shard_name, backend.database, measured, expected,
                expected == 0 ? " (the default)" : "", measured, backend.database));
        }
    }
    return problems;
}

std::vector<std::string> server_settings_problems(const BackendRegistry& registry) {
    return map_problems(registry.map(), registry);
}

std::vector<std::string> server_settings_warnings(const BackendRegistry& registry) {
    std::vector<std::string> warnings;
    const auto view = registry.view();
    if (!view) {
        return warnings;
    }
    for (const auto& backend : registry.backends()) {
        if (backend.index >= view->states.size()) {
            continue;
        }
        const auto& error = view->states[backend.index].engine.time_columns_error;
        if (const auto* db = registry.map().find_database(backend.database);
            !error.empty() && db != nullptr && has_time_key(*db)) {
            warnings.push_back(fmt::format(
                "could not read the column types of shard {} ({}) of database {}: {}; the check "
                "of the map's timestamp / timestamptz key types against the columns did not run "
                "there",
                backend.shard_name, backend.endpoint.to_string(), backend.database, error));
        }
        if (backend.role != monitor::Role::replica) {
            continue;
        }
        const auto read_only = view->states[backend.index].engine.read_only;
        if (read_only && !*read_only) {
            warnings.push_back(fmt::format(
                "replica {} of shard {} ({}) accepts writes ({}): shardgate sends it none, but "
                "anything else that writes there makes it diverge from its primary",
                backend.endpoint.to_string(), backend.shard_name, backend.database,
                backend.engine == shardmaps::Engine::mysql ? "read_only=OFF" : "not in recovery"));
        }
    }
    return warnings;
}

} // namespace shardgate::proxy
