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

void WorkerStats::add(const WorkerStats& other) {
    add_session(other);
#define SHARDGATE_ADD(name) name += other.name;
    SHARDGATE_STATS_FIELDS(SHARDGATE_ADD)
#undef SHARDGATE_ADD
}

std::vector<std::pair<std::string, std::uint64_t>> WorkerStats::values() const {
    std::vector<std::pair<std::string, std::uint64_t>> out;
    session_values(out);
#define SHARDGATE_VALUE(name) out.emplace_back(#name, name);
    SHARDGATE_STATS_FIELDS(SHARDGATE_VALUE)
#undef SHARDGATE_VALUE
    return out;
}

std::string WorkerStats::summary() const {
    return counter_summary(values());
}

} // namespace shardgate::proxy::pg
