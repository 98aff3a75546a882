// Summing and listing the counters both data planes share.
#include "common/session_stats.hpp"

namespace shardgate::proxy {

#define SHARDGATE_SESSION_STATS_FIELDS(X)                                                          \
    X(clients_accepted)                                                                            \
    X(clients_authenticated)                                                                       \
    X(auth_failures)                                                                               \
    X(login_timeouts)                                                                              \
    X(unknown_database)                                                                            \
    X(tls_sessions)                                                                                \
    X(tls_handshake_failures)                                                                      \
    X(plaintext_refused)                                                                           \
    X(queries)                                                                                     \
    X(routed_primary)                                                                              \
    X(routed_replica)                                                                              \
    X(replica_fallback_to_primary)                                                                 \
    X(rejected_by_plan)                                                                            \
    X(rejected_cross_shard)                                                                        \
    X(rejected_cross_shard_txn)                                                                    \
    X(rejected_sequence_state)                                                                     \
    X(rejected_session_state)                                                                      \
    X(session_statements)                                                                          \
    X(settings_replayed)                                                                           \
    X(settings_replay_errors)                                                                      \
    X(backend_connects)                                                                            \
    X(backend_connect_failures)                                                                    \
    X(backend_warmups)                                                                             \
    X(backend_connects_queued)                                                                     \
    X(backend_logins_overtaken)                                                                    \
    X(backend_dropped)                                                                             \
    X(backend_stale_idle)                                                                          \
    X(backends_cut)                                                                                \
    X(pool_waits)                                                                                  \
    X(pool_timeouts)                                                                               \
    X(read_retries)                                                                                \
    X(scatter_statements)                                                                          \
    X(scatter_failed)                                                                              \
    X(scatter_legs)                                                                                \
    X(scatter_rows_in)                                                                             \
    X(scatter_rows_out)                                                                            \
    X(scatter_in_turns)                                                                            \
    X(scatter_in_transaction)                                                                      \
    X(scatter_over_limit)                                                                          \
    X(broadcast_statements)                                                                        \
    X(broadcast_failed)                                                                            \
    X(multi_shard_writes)                                                                          \
    X(multi_shard_write_failures)                                                                  \
    X(two_phase_commits)                                                                           \
    X(two_phase_aborts)                                                                            \
    X(two_phase_unknown)                                                                           \
    X(two_phase_left_prepared)                                                                     \
    X(two_phase_joins)                                                                             \
    X(two_phase_commit_us)                                                                         \
    X(rate_limit_waits)                                                                            \
    X(rate_limit_refusals)                                                                         \
    X(scatter_limit_waits)                                                                         \
    X(scatter_limit_refusals)

void SessionStats::add_session(const SessionStats& other) {
#define SHARDGATE_ADD(name) name += other.name;
    SHARDGATE_SESSION_STATS_FIELDS(SHARDGATE_ADD)
#undef SHARDGATE_ADD
    pool_wait.add(other.pool_wait);
    for (std::size_t i = 0; i < statement_latency.size(); ++i) {
        statement_latency[i].add(other.statement_latency[i]);
    }
}

void SessionStats::session_values(std::vector<std::pair<std::string, std::uint64_t>>& out) const {
#define SHARDGATE_VALUE(name) out.emplace_back(#name, name);
    SHARDGATE_SESSION_STATS_FIELDS(SHARDGATE_VALUE)
#undef SHARDGATE_VALUE
}

} // namespace shardgate::proxy
