// JSON forms of shard maps, diffs and lookups for `shardctl ... --json` (stable; documented
// in docs/shardmaps.md).
#pragma once

#include "shardgate/shardmaps/map_diff.hpp"
#include "shardgate/shardmaps/shard_map.hpp"

#include <nlohmann/json.hpp>

namespace shardctl {

/// The normalised map: every database, shard, table and placement.
nlohmann::json map_to_json(const shardgate::shardmaps::ShardMap& map);
/// One table's placement (the objects of "tables" in map_to_json).
nlohmann::json table_to_json(const shardgate::shardmaps::Database& database,
                             const shardgate::shardmaps::Table& table);
/// What moves between two maps.
nlohmann::json diff_to_json(const shardgate::shardmaps::MapDiff& diff);

} // namespace shardctl
