// What one data-plane worker adds to the admin API's usage report: per backend of its engine
// the reads/writes/failures its read router counted and its pool's connections, then its
// counters and the read router's under a prefix ("pg.", "mysql.").
#pragma once

#include "common/pool_stats.hpp"
#include "common/session_core.hpp"
#include "shardgate/proxy/backend_registry.hpp"
#include "shardgate/proxy/read_router.hpp"
#include "shardgate/proxy/status_report.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace shardgate::proxy {

void add_plane_usage(UsageReport& report, const BackendRegistry& registry, shardmaps::Engine engine,
                     const ReadRouter& router,
                     const std::function<PoolCounts(const shardmaps::Endpoint&)>& pool_counts,
                     const std::vector<std::pair<std::string, std::uint64_t>>& counters,
                     const std::string& prefix);

/// Adds one worker's client sessions, counted per state, under `plane` (every state listed).
template <class Sessions, class StateOf>
void add_session_states(UsageReport& report, const std::string& plane, const Sessions& sessions,
                        StateOf state_of) {
    auto& counts = report.sessions[plane];
    for (const SessionState state : all_session_states) {
        counts[to_string(state)] += 0;
    }
    for (const auto& session : sessions) {
        if (const auto state = state_of(session)) {
            counts[to_string(*state)] += 1;
        }
    }
}

} // namespace shardgate::proxy
