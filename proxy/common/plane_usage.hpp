// What one data-plane worker adds to the admin API's usage report: per backend of its engine
// the reads/writes/failures its read router counted and its pool's connections, then its
// counters and the read router's under a prefix ("pg.", "mysql.").
#pragma once

#include "common/pool_stats.hpp"
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

} // namespace shardgate::proxy
