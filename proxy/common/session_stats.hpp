// Counters every data plane's workers keep: pools, clients, routing and its refusals, the
// backend lease. Each plane's statistics extend them with its protocol's own counters.
// Touched only by the owning worker thread; summed at shutdown and by the admin endpoint.
#pragma once

#include "common/pool_stats.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace shardgate::proxy {

struct SessionStats : PoolStats {
    std::uint64_t clients_accepted = 0;
    std::uint64_t clients_authenticated = 0;
    std::uint64_t auth_failures = 0;
    std::uint64_t login_timeouts = 0; ///< clients cut for not finishing their login in time
    std::uint64_t unknown_database = 0;
    std::uint64_t tls_sessions = 0;           ///< clients upgraded to TLS
    std::uint64_t tls_handshake_failures = 0; ///< SSLRequest accepted, handshake failed
    std::uint64_t plaintext_refused = 0;      ///< login without TLS while tls_required
    std::uint64_t queries = 0;
    std::uint64_t routed_primary = 0;
    std::uint64_t routed_replica = 0;
    std::uint64_t replica_fallback_to_primary = 0; ///< a read the primary served
    std::uint64_t rejected_by_plan = 0;
    std::uint64_t rejected_cross_shard = 0;     ///< plans or statement groups needing 2+ shards
    std::uint64_t rejected_cross_shard_txn = 0; ///< second shard inside a transaction
    std::uint64_t rejected_sequence_state = 0;  ///< currval() on a pooled connection
    std::uint64_t rejected_session_state = 0;   ///< temp table, advisory lock, set_config()
    std::uint64_t session_statements = 0;       ///< answered by the proxy itself
    std::uint64_t settings_replayed = 0;
    std::uint64_t settings_replay_errors = 0;
    std::uint64_t backend_dropped = 0;    ///< backend lost mid-statement
    std::uint64_t read_retries = 0;       ///< a read ran again elsewhere after its backend failed
    std::uint64_t scatter_statements = 0; ///< cross-shard reads run
    std::uint64_t scatter_failed = 0;     ///< ... that ended in an error (shard's or merge's)
    std::uint64_t scatter_legs = 0;       ///< shard queries they sent
    std::uint64_t scatter_rows_in = 0;    ///< rows read from shards
    std::uint64_t scatter_rows_out = 0;   ///< rows sent to clients after the merge
    /// ... that had more shards than scatter_max_shards_in_flight (ran in turns)
    std::uint64_t scatter_in_turns = 0;
    /// ... inside a transaction (answers read whole through the transaction's connections)
    std::uint64_t scatter_in_transaction = 0;
    /// ... ended by a limit (shards in flight for an ORDER BY, buffered bytes, groups)
    std::uint64_t scatter_over_limit = 0;
    std::uint64_t broadcast_statements = 0; ///< DDL run on every shard of a table
    std::uint64_t broadcast_failed = 0;     ///< ... that failed on a shard
    /// Writes that needed several shards (split INSERT, reference table, UPDATE/DELETE of
    /// several shards), and those that failed (rolled back).
    std::uint64_t multi_shard_writes = 0;
    std::uint64_t multi_shard_write_failures = 0;
    /// Distributed transactions (two-phase commit): committed, rolled back (by the client or
    /// a failure), commits whose outcome the client could not be told (coordinator lost),
    /// participants left prepared for a resolver, shards that joined an open transaction.
    std::uint64_t two_phase_commits = 0;
    std::uint64_t two_phase_aborts = 0;
    std::uint64_t two_phase_unknown = 0;
    std::uint64_t two_phase_left_prepared = 0;
    std::uint64_t two_phase_joins = 0;
    /// Sum of the commits' durations (prepare to last COMMIT PREPARED), microseconds.
    std::uint64_t two_phase_commit_us = 0;
    /// Rate limits (config rate_limits): statements that waited for a token, that were
    /// refused (53400); cross-shard statements that waited for a slot, that were refused.
    std::uint64_t rate_limit_waits = 0;
    std::uint64_t rate_limit_refusals = 0;
    std::uint64_t scatter_limit_waits = 0;
    std::uint64_t scatter_limit_refusals = 0;
    /// Statement latency (planned to answered) per plan kind (router::PlanKind order).
    std::array<LatencyHistogram, 5> statement_latency{};

    /// Adds the shared counters of `other`.
    void add_session(const SessionStats& other);
    /// name=value of every shared counter (zeros included).
    void session_values(std::vector<std::pair<std::string, std::uint64_t>>& out) const;
};

} // namespace shardgate::proxy

/// Defines add(), values() and summary() of a data plane's statistics type `Type` (derived
/// from SessionStats) whose own counters the X-macro `FIELDS` lists; the shared counters
/// come first. Include "common/counter_summary.hpp" where it is used.
#define SHARDGATE_DEFINE_PLANE_STATS(Type, FIELDS)                                                 \
    void Type::add(const Type& other) {                                                            \
        add_session(other);                                                                        \
        FIELDS(SHARDGATE_STATS_ADD)                                                                \
    }                                                                                              \
    std::vector<std::pair<std::string, std::uint64_t>> Type::values() const {                      \
        std::vector<std::pair<std::string, std::uint64_t>> out;                                    \
        session_values(out);                                                                       \
        FIELDS(SHARDGATE_STATS_VALUE)                                                              \
        return out;                                                                                \
    }                                                                                              \
    std::string Type::summary() const {                                                            \
        return counter_summary(values());                                                          \
    }
#define SHARDGATE_STATS_ADD(name) name += other.name;
#define SHARDGATE_STATS_VALUE(name) out.emplace_back(#name, name);
