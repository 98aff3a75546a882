// One worker's share of the admin API's usage report.
#include "common/plane_usage.hpp"

namespace shardgate::proxy {

void add_plane_usage(UsageReport& report, const BackendRegistry& registry, shardmaps::Engine engine,
                     const ReadRouter& router,
                     const std::function<PoolCounts(const shardmaps::Endpoint&)>& pool_counts,
                     const std::vector<std::pair<std::string, std::uint64_t>>& counters,
                     const std::string& prefix) {
    const auto counted = router.counters();
    for (const auto& backend : registry.backends()) {
        if (backend.engine != engine || backend.index >= report.backends.size()) {
            continue;
        }
        auto& usage = report.backends[backend.index];
        if (backend.index < counted.size()) {
            usage.reads += counted[backend.index].reads;
            usage.writes += counted[backend.index].writes;
            usage.failures += counted[backend.index].failures;
        }
        const auto pooled = pool_counts(backend.endpoint);
        usage.connections_in_use += pooled.in_use;
        usage.connections_idle += pooled.idle;
    }
    for (const auto& [name, value] : counters) {
        report.counters[prefix + name] += value;
    }
    const auto& routing = router.stats();
    const std::pair<const char*, std::uint64_t> routed[] = {
        {"reads_balanced", routing.reads_balanced},
        {"reads_fallback_primary", routing.reads_fallback_primary},
        {"reads_read_your_writes_primary", routing.reads_read_your_writes_primary},
        {"reads_lag_errors", routing.reads_lag_errors},
        {"writes_primary_down", routing.writes_primary_down},
        {"backends_suspected", routing.backends_suspected},
        {"reads_primary_gone", routing.reads_primary_gone},
        {"replica_waits", routing.replica_waits},
        {"replica_waits_caught_up", routing.replica_waits_caught_up},
    };
    for (const auto& [name, value] : routed) {
        report.counters[prefix + name] += value;
    }
}

} // namespace shardgate::proxy
