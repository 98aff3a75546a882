// Summing and printing worker counters.
#include "stats.hpp"

#include "common/counter_summary.hpp"

namespace shardgate::proxy::pg {

#define SHARDGATE_STATS_FIELDS(X)                                                                  \
    X(malformed_messages)                                                                          \
    X(extended_batches)                                                                            \
    X(statements_prepared)                                                                         \
    X(cancels_forwarded)                                                                           \
    X(cancels_unmatched)                                                                           \
    X(causal_lsn_reads)

SHARDGATE_DEFINE_PLANE_STATS(WorkerStats, SHARDGATE_STATS_FIELDS)

} // namespace shardgate::proxy::pg
