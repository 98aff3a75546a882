// The map against the servers' own settings (see server_settings_check.hpp).
#include "shardgate/proxy/server_settings_check.hpp"

#include <cctype>
#include <fmt/format.h>
#include <optional>
#include <set>
#include <string_view>

namespace shardgate::proxy {
namespace {

/// Why the MariaDB server `server`, whose sessions start in time zone `zone`, cannot serve `db`,
/// or nullopt: the proxy takes a session that did not set time_zone as UTC (a time key is
/// placed as UTC while the server reads a TIMESTAMP in its own zone), which matters only when
/// a table of `db` is placed by a timestamp key.
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
        if (table.key().type == shardmaps::KeyType::timestamp) {
            return fmt::format(
                "server {} of database {} starts sessions in time zone {} (@@GLOBAL.time_zone; "
                "SYSTEM with the host's @@system_time_zone), but table {} is placed by a "
                "timestamp key "
                "and shardgate takes a session that did not set time_zone as UTC (the server "
                "would read such a key in {} and store it on another shard than its UTC time's): "
                "run the server with time_zone '+00:00' (default_time_zone in its configuration)",
                server, db.name(), zone, name, zone);
        }
    }
    return std::nullopt;
}

} // namespace

std::vector<std::string> server_settings_problems(const BackendRegistry& registry) {
    std::vector<std::string> problems;
    const auto view = registry.view();
    if (!view) {
        return problems;
    }
    for (const auto& backend : registry.backends()) {
        if (backend.engine != shardmaps::Engine::mysql || backend.index >= view->states.size()) {
            continue;
        }
        const auto* db = registry.map().find_database(backend.database);
        if (db != nullptr) { // (replicas too: reads compare keys there)
            const auto& zone = view->states[backend.index].engine.time_zone;
            if (auto problem = zone_problem(
                    *db, backend.endpoint.to_string() + " of shard " + backend.shard_name, zone)) {
                problems.push_back(std::move(*problem));
            }
        }
        if (backend.role != monitor::Role::primary) {
            continue;
        }
        const auto measured = view->states[backend.index].engine.lower_case_table_names;
        if (!measured || db == nullptr) {
            continue;
        }
        const int expected = db->settings().lower_case_table_names;
        if ((*measured == 0) != (expected == 0)) {
            problems.push_back(fmt::format(
                "shard {} of database {} runs with lower_case_table_names={} but the map says "
                "{}{}: set `lower_case_table_names: {}` for database {} in the map, so that "
                "shardgate matches table names as the server does",
                backend.shard_name, backend.database, *measured, expected,
                expected == 0 ? " (the default)" : "", *measured, backend.database));
        }
    }
    return problems;
}

std::vector<std::string> server_settings_warnings(const BackendRegistry& registry) {
    std::vector<std::string> warnings;
    const auto view = registry.view();
    if (!view) {
        return warnings;
    }
    for (const auto& backend : registry.backends()) {
        if (backend.role != monitor::Role::replica || backend.index >= view->states.size()) {
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
