// Summing and printing the MySQL frontend's worker counters.
#include "stats.hpp"

#include "common/counter_summary.hpp"

namespace shardgate::proxy::mysql {

#define SHARDGATE_MYSQL_STATS_FIELDS(X)                                                            \
    X(auth_switches)                                                                               \
    X(user_changes)                                                                                \
    X(tls_refused)                                                                                 \
    X(sha2_full_auths)                                                                             \
    X(sha2_public_key_requests)                                                                    \
    X(sha2_rsa_failures)                                                                           \
    X(malformed_packets)                                                                           \
    X(unsupported_commands)                                                                        \
    X(stmt_prepares)                                                                               \
    X(stmt_executes)                                                                               \
    X(stmt_reprepares)                                                                             \
    X(stmt_long_data)                                                                              \
    X(stmt_fetches)                                                                                \
    X(rejected_local_infile)                                                                       \
    X(rejected_state_elsewhere)                                                                    \
    X(session_pins)                                                                                \
    X(settings_tracked)                                                                            \
    X(backend_protocol_errors)                                                                     \
    X(route_errors)                                                                                \
    X(gtid_marks)                                                                                  \
    X(gtid_missing)                                                                                \
    X(gtid_tracked)                                                                                \
    X(insert_id_reads)                                                                             \
    X(insert_id_restores)                                                                          \
    X(found_rows_reads)                                                                            \
    X(found_rows_answers)

SHARDGATE_DEFINE_PLANE_STATS(MysqlStats, SHARDGATE_MYSQL_STATS_FIELDS)

} // namespace shardgate::proxy::mysql
