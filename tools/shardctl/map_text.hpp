// Human-readable forms of shard maps and diffs for shardctl show / diff.
#pragma once

#include "shardgate/shardmaps/map_diff.hpp"
#include "shardgate/shardmaps/shard_map.hpp"

#include <ostream>

namespace shardctl {

/// Prints every database with its shards and tables; ring points only when `ring_points`.
void print_map(std::ostream& out, const shardgate::shardmaps::ShardMap& map, bool ring_points);
/// Prints what moves; at most `max_moves` moves per table (0: all).
void print_diff(std::ostream& out, const shardgate::shardmaps::MapDiff& diff,
                std::size_t max_moves);

} // namespace shardctl
