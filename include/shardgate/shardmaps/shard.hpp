// A shard: one primary server and its replicas.
#pragma once

#include "shardgate/shardmaps/endpoint.hpp"
#include "shardgate/shardmaps/read_routing.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace shardgate::shardmaps {

/// Index of a shard within its Database::shards(). Stable for the life of one map snapshot.
using ShardId = std::uint32_t;

/// A read replica of a shard. Weight feeds the weighted balancing policies.
struct Replica {
    Endpoint endpoint;
    std::uint32_t weight = 1;
    bool operator==(const Replica&) const = default;
};

/// One shard of a logical database.
struct Shard {
    std::string name;
    Endpoint primary;
    std::vector<Replica> replicas;
    /// How reads are balanced (the database's `read_routing` with this shard's overrides;
    /// `max_replica_lag_ms`: replicas lagging more than this get no reads).
    ReadRouting reads;
    bool operator==(const Shard&) const = default;
};

} // namespace shardgate::shardmaps
