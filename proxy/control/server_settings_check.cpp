// The map against the servers' own settings (see server_settings_check.hpp).
#include "shardgate/proxy/server_settings_check.hpp"

#include <fmt/format.h>

namespace shardgate::proxy {

std::vector<std::string> server_settings_problems(const BackendRegistry& registry) {
    std::vector<std::string> problems;
    const auto view = registry.view();
    if (!view) {
        return problems;
    }
    for (const auto& backend : registry.backends()) {
        if (backend.engine != shardmaps::Engine::mysql || backend.role != monitor::Role::primary ||
            backend.index >= view->states.size()) {
            continue;
        }
        const auto measured = view->states[backend.index].engine.lower_case_table_names;
        const auto* db = registry.map().find_database(backend.database);
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
