// Broadcast DDL, engine-neutral: one statement (`CREATE INDEX ON customers (name)`, `ALTER
// TABLE ... ADD COLUMN`) run on every shard that holds the table, shard after shard, so a
// statement that fails on the first shard changes nothing, and one that fails later says which
// shards applied it. Each data plane runs the statement on one shard (RunOnShard); this file
// decides the order and the one answer.
#pragma once

#include "common/scatter.hpp"

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace shardgate::proxy {

/// How the statement ended on one shard.
struct ShardOutcome {
    bool ok = false;
    std::string tag;            ///< PostgreSQL: the CommandComplete tag
    std::uint64_t affected = 0; ///< MySQL: the OK packet's affected rows
    std::uint16_t warnings = 0;
    ScatterFailure failure;
};

/// Runs the statement on shard `index` of the plan to the end of its answer and gives the
/// connection back.
using RunOnShard = std::function<asio::awaitable<ShardOutcome>(std::size_t index)>;

/// The statement's answer: the first shard's tag, affected rows and warnings summed; or the
/// first failure, its message naming the shard and saying which shards applied the statement
/// and which were not tried.
struct BroadcastOutcome {
    bool ok = false;
    std::string tag;
    std::uint64_t affected = 0;
    std::uint16_t warnings = 0;
    ScatterFailure failure;
};

asio::awaitable<BroadcastOutcome> run_broadcast(const std::vector<std::string>& shards,
                                                const RunOnShard& run);

} // namespace shardgate::proxy
