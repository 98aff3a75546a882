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

} // namespace shardgate::proxy
