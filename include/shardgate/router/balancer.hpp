// Replica balancing: which backend of one shard serves a read (policies, lag bound, fallback).
#pragma once

#include "shardgate/shardmaps/read_routing.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace shardgate::router {

/// The policies and fallbacks are shard-map settings (shardmaps/read_routing.hpp).
using BalancePolicy = shardmaps::BalancePolicy;
using LagFallback = shardmaps::LagFallback;
using shardmaps::balance_policy_name;
using shardmaps::parse_balance_policy;
using shardmaps::parse_lag_fallback;

/// One backend of the shard as the balancer sees it at the moment of a read. Filled by the
/// proxy from the monitor's snapshot and its own pool counters.
struct Candidate {
    /// Stable identity of the backend (e.g. its position in the shard map). The hash policy
    /// hashes it, so it must not change when other backends come and go.
    std::uint64_t id = 0;
    /// Relative share of reads; 0 means "never read from this backend".
    std::uint32_t weight = 1;
    bool healthy = true;
    /// Replication lag; nullopt is unknown or stopped replication (infinitely lagged).
    /// Ignored for the primary.
    std::optional<std::uint32_t> lag_ms;
    std::uint32_t active_connections = 0;
    /// Latency of the most recent health probe, in microseconds.
    std::uint32_t probe_latency_us = 0;
    /// The shard's primary; it takes part in balancing only with a weight above 0.
    bool is_primary = false;
};

/// Per-shard read policy (per database, overridable per shard in the map).
struct BalancerOptions {
    BalancePolicy policy = BalancePolicy::round_robin;
    /// A replica whose lag exceeds this gets no reads.
    std::uint32_t max_replica_lag_ms = 1000;
    LagFallback fallback = LagFallback::primary;
};

/// Per-statement inputs.
struct PickRequest {
    /// `/* shardgate: max_lag_ms=N */`: tightens (never loosens) max_replica_lag_ms.
    std::optional<std::uint32_t> max_lag_ms;
    /// 64-bit hash of the shard-key value, for the hash policy; without it the hash policy
    /// falls back to round robin.
    std::optional<std::uint64_t> key_hash;
};

/// SQLSTATE of the lag error (PostgreSQL `cannot_connect_now`). For MySQL clients send
/// errno 1105 (ER_UNKNOWN_ERROR) with SQLSTATE HY000: the protocol has no closer match.
inline constexpr std::string_view lag_error_sqlstate = "57P03";
inline constexpr std::uint16_t lag_error_mysql_errno = 1105;

/// The outcome of one pick.
struct Pick {
    enum class Kind {
        candidate,   ///< read from `candidates[position]`
        use_primary, ///< no backend qualified; fallback sends the read to the primary
        error,       ///< no backend qualified; fail with `sqlstate` and `message`
    };
    Kind kind = Kind::use_primary;
    std::size_t position = 0; ///< index into the candidate span (Kind::candidate only)
    std::string_view sqlstate;
    std::string message;
};

/// Counters of the balancer's decisions, for the admin API.
struct BalancerStats {
    std::uint64_t picks = 0;
    std::uint64_t fallbacks_to_primary = 0;
    std::uint64_t errors = 0;
};

/// Chooses a backend for each read of one shard. Holds the policy's counters, so it is not
/// thread-safe: each worker thread owns its balancers (no locks on the data path). Never
/// throws from pick().
class Balancer {
public:
    Balancer(std::string shard, BalancerOptions options);

    /// Picks among `candidates` (any order; the primary may be among them). Candidates that
    /// are unhealthy, have weight 0, or (replicas) lag beyond the bound never get picked.
    Pick pick(std::span<const Candidate> candidates, const PickRequest& request = {});

    const BalancerOptions& options() const { return options_; }
    const BalancerStats& stats() const { return stats_; }

private:
    bool qualifies(const Candidate& candidate, std::uint32_t bound) const;
    std::size_t choose(std::span<const Candidate> candidates, std::span<const std::size_t> eligible,
                       const PickRequest& request);
    std::size_t next_round_robin(std::size_t count);
    std::size_t pick_weighted_round_robin(std::span<const Candidate> candidates,
                                          std::span<const std::size_t> eligible);
    std::size_t weight_slot(std::uint64_t id);
    std::size_t pick_least(std::span<const Candidate> candidates,
                           std::span<const std::size_t> eligible);
    std::size_t pick_hash(std::span<const Candidate> candidates,
                          std::span<const std::size_t> eligible, std::uint64_t key_hash) const;
    Pick no_candidate(std::span<const Candidate> candidates, std::uint32_t bound);

    std::string shard_;
    BalancerOptions options_;
    BalancerStats stats_;
    std::uint64_t round_robin_ = 0;
    /// Smooth weighted round robin: running weight per candidate id.
    std::vector<std::pair<std::uint64_t, std::int64_t>> current_weights_;
    /// Scratch list of eligible positions, kept to avoid an allocation per pick.
    std::vector<std::size_t> eligible_;
};

} // namespace shardgate::router
