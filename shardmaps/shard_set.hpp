// Sorted, de-duplicated shard id lists, the answer format of every multi-shard question.
#pragma once

#include "shardgate/shardmaps/shard.hpp"

#include <algorithm>
#include <vector>

namespace shardgate::shardmaps::detail {

inline std::vector<ShardId> sorted_unique(std::vector<ShardId> ids) {
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return ids;
}

} // namespace shardgate::shardmaps::detail
