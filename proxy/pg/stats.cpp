// Summing and printing worker counters.
#include "stats.hpp"

#include "common/counter_summary.hpp"

namespace shardgate::proxy::pg {

#define SHARDGATE_STATS_FIELDS(X)                                                                  \
    X(clients_accepted)                                                                            \
    X(clients_authenticated)                                                                       \
    X(auth_failures)                                                                               \
    X(unknown_database)                                                                            \
    X(malformed_messages)                                                                          \
    X(queries)                                                                                     \
    X(extended_batches)                                                                            \
    X(routed_primary)                                                                              \
    X(routed_replica)                                                                              \
    X(replica_fallback_to_primary)                                                                 \
    X(rejected_by_plan)                                                                            \
    X(rejected_cross_shard)                                                                        \
    X(rejected_cross_shard_txn)                                                                    \
    X(session_statements)                                                                          \
    X(settings_replayed)                                                                           \
    X(settings_replay_errors)                                                                      \
    X(statements_prepared)                                                                         \
    X(backend_connects)                                                                            \
    X(backend_connect_failures)                                                                    \
    X(backend_dropped)                                                                             \
    X(backend_stale_idle)                                                                          \
    X(pool_waits)                                                                                  \
    X(pool_timeouts)                                                                               \
    X(cancels_forwarded)                                                                           \
    X(cancels_unmatched)                                                                           \
    X(read_retries)                                                                                \
    X(causal_lsn_reads)                                                                            \
    X(tls_sessions)                                                                                \
    X(tls_handshake_failures)

void WorkerStats::add(const WorkerStats& other) {
#define SHARDGATE_ADD(name) name += other.name;
    SHARDGATE_STATS_FIELDS(SHARDGATE_ADD)
#undef SHARDGATE_ADD
}

std::vector<std::pair<std::string, std::uint64_t>> WorkerStats::values() const {
    std::vector<std::pair<std::string, std::uint64_t>> out;
#define SHARDGATE_VALUE(name) out.emplace_back(#name, name);
    SHARDGATE_STATS_FIELDS(SHARDGATE_VALUE)
#undef SHARDGATE_VALUE
    return out;
}

std::string WorkerStats::summary() const {
    return counter_summary(values());
}

} // namespace shardgate::proxy::pg
