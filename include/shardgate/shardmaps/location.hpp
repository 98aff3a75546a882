// The answer of a key lookup: the owning shard and, for hashed schemes, the keyspace id.
#pragma once

#include "shardgate/shardmaps/keyspace_id.hpp"
#include "shardgate/shardmaps/shard.hpp"

#include <optional>

namespace shardgate::shardmaps {

/// Where one key lives.
struct Location {
    ShardId shard = 0;
    /// Set for hash and consistent_hash tables; the key's point in the keyspace.
    std::optional<KeyspaceId> keyspace_id;
    bool operator==(const Location&) const = default;
};

} // namespace shardgate::shardmaps
