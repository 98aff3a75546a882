// Summing and printing the MySQL frontend's worker counters.
#include "stats.hpp"

#include "common/counter_summary.hpp"

namespace shardgate::proxy::mysql {

#define SHARDGATE_MYSQL_STATS_FIELDS(X)                                                            \
    X(clients_accepted)                                                                            \
    X(clients_authenticated)                                                                       \
    X(auth_failures)                                                                               \
    X(auth_switches)                                                                               \
    X(user_changes)                                                                                \
    X(tls_sessions)                                                                                \
    X(tls_handshake_failures)                                                                      \
    X(tls_refused)                                                                                 \
    X(sha2_full_auths)                                                                             \
    X(sha2_public_key_requests)                                                                    \
    X(sha2_rsa_failures)                                                                           \
    X(unknown_database)                                                                            \
    X(malformed_packets)                                                                           \
    X(unsupported_commands)                                                                        \
    X(queries)                                                                                     \
    X(stmt_prepares)                                                                               \
    X(stmt_executes)                                                                               \
    X(stmt_reprepares)                                                                             \
    X(stmt_long_data)                                                                              \
    X(stmt_fetches)                                                                                \
    X(routed_primary)                                                                              \
    X(routed_replica)                                                                              \
    X(replica_fallback_to_primary)                                                                 \
    X(rejected_by_plan)                                                                            \
    X(rejected_cross_shard)                                                                        \
    X(rejected_cross_shard_txn)                                                                    \
    X(rejected_local_infile)                                                                       \
    X(rejected_state_elsewhere)                                                                    \
    X(session_statements)                                                                          \
    X(session_pins)                                                                                \
    X(settings_tracked)                                                                            \
    X(settings_replayed)                                                                           \
    X(settings_replay_errors)                                                                      \
    X(backend_connects)                                                                            \
    X(backend_connect_failures)                                                                    \
    X(backend_dropped)                                                                             \
    X(backend_protocol_errors)                                                                     \
    X(backend_stale_idle)                                                                          \
    X(pool_waits)                                                                                  \
    X(pool_timeouts)                                                                               \
    X(read_retries)                                                                                \
    X(route_errors)                                                                                \
    X(gtid_marks)                                                                                  \
    X(gtid_missing)                                                                                \
    X(gtid_tracked)

void MysqlStats::add(const MysqlStats& other) {
#define SHARDGATE_ADD(name) name += other.name;
    SHARDGATE_MYSQL_STATS_FIELDS(SHARDGATE_ADD)
#undef SHARDGATE_ADD
}

std::vector<std::pair<std::string, std::uint64_t>> MysqlStats::values() const {
    std::vector<std::pair<std::string, std::uint64_t>> out;
#define SHARDGATE_VALUE(name) out.emplace_back(#name, name);
    SHARDGATE_MYSQL_STATS_FIELDS(SHARDGATE_VALUE)
#undef SHARDGATE_VALUE
    return out;
}

std::string MysqlStats::summary() const {
    return counter_summary(values());
}

} // namespace shardgate::proxy::mysql
