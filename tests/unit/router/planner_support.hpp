// Shared helpers of the planner tests: the demo map and one-line routing.
#pragma once

#include "shardgate/router/planner.hpp"
#include "shardgate/shardmaps/loader.hpp"

#include <string>

namespace shardgate::router::testing {

inline shardmaps::ShardMapPtr demo_map() {
    static auto map = shardmaps::load_shard_map(std::string(SHARDGATE_SOURCE_DIR) +
                                                "/shardmaps/examples/demo.yaml");
    return map;
}

inline parser::Dialect dialect_of(const std::string& database) {
    return database == "social" ? parser::Dialect::mysql : parser::Dialect::pg;
}

inline Plan route(const std::string& database, const std::string& sql,
                  std::vector<std::optional<std::string>> params = {},
                  bool in_transaction = false) {
    Planner planner(demo_map(), database, dialect_of(database));
    RouteContext context;
    context.params = params;
    context.in_transaction = in_transaction;
    return planner.route(sql, context);
}

/// The shard that owns `key` of `table` according to the map itself.
inline std::string owner(const std::string& database, const std::string& table,
                         shardmaps::KeyValue key) {
    const auto* db = demo_map()->find_database(database);
    auto location = db->locate(table, key);
    return location ? db->shard(location->shard).name : "<" + location.error().message + ">";
}

} // namespace shardgate::router::testing
