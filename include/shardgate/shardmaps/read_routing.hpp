// How a shard's reads are spread over its replicas: policy, lag bound, fallback and
// read-your-writes (docs/balancing.md). Set per database and overridable per shard.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace shardgate::shardmaps {

/// How reads are spread over the qualifying backends of a shard.
enum class BalancePolicy {
    round_robin,
    weighted_round_robin,
    least_connections,
    weighted_least_connections,
    hash,
    least_latency,
};

/// What happens when no backend qualifies (every replica too far behind, down or unknown).
enum class LagFallback {
    primary, ///< send the read to the shard's primary
    error,   ///< fail the statement with a message naming the shard and the smallest lag
};

/// Read-your-writes per client session, after the session wrote to the shard.
enum class ReadYourWrites {
    off,    ///< reads follow the balancer only
    window, ///< reads go to the primary for `read_your_writes_window_ms` after a write
    causal, ///< a replica serves the session only once it replayed the session's last commit
    /// A replica serves any session only once it replayed every commit this proxy
    /// acknowledged on the shard (so a write is visible to the application's other
    /// connections right after its commit returned).
    proxy,
};

/// Effective read settings of one shard (database defaults merged with the shard's own).
struct ReadRouting {
    BalancePolicy balance = BalancePolicy::round_robin;
    std::uint32_t max_replica_lag_ms = 1000;
    LagFallback fallback = LagFallback::primary;
    ReadYourWrites read_your_writes = ReadYourWrites::causal;
    std::uint32_t read_your_writes_window_ms = 0;
    /// causal / proxy: how long a read waits for a replica to replay the commit it must see
    /// before it goes to the primary (0: straight to the primary).
    std::uint32_t read_your_writes_wait_ms = 10;
    /// Share of reads the primary takes alongside the replicas (0: only as fallback).
    std::uint32_t primary_weight = 0;
    bool operator==(const ReadRouting&) const = default;
};

std::optional<BalancePolicy> parse_balance_policy(std::string_view name);
std::string_view balance_policy_name(BalancePolicy policy);
std::optional<LagFallback> parse_lag_fallback(std::string_view name);
std::string_view lag_fallback_name(LagFallback fallback);
std::optional<ReadYourWrites> parse_read_your_writes(std::string_view name);
std::string_view read_your_writes_name(ReadYourWrites mode);
/// Every policy name, for error messages.
std::span<const std::string_view> balance_policy_names();

} // namespace shardgate::shardmaps
