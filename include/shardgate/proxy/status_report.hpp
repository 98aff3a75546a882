// The admin endpoint's `GET /status` document: monitor view + data-plane usage as JSON.
#pragma once

#include "shardgate/proxy/backend_registry.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace shardgate::proxy {

/// What the data planes report per backend (summed over their worker threads).
struct BackendUsage {
    std::uint64_t reads = 0;
    std::uint64_t writes = 0;
    std::uint64_t failures = 0;
    std::uint32_t connections_in_use = 0;
    std::uint32_t connections_idle = 0;
};

/// Filled by every data plane's collector; `backends` is indexed by BackendIndex.
struct UsageReport {
    std::vector<BackendUsage> backends;
    std::map<std::string, std::uint64_t> counters;
    /// Client sessions per data plane ("postgresql", "mysql") and state ("idle", ...).
    std::map<std::string, std::map<std::string, std::uint64_t>> sessions;
};

/// Adds one data plane's usage to the report. Called on the admin thread: it must be
/// thread-safe (e.g. post to each worker and wait) and return within about a second.
using UsageCollector = std::function<void(UsageReport&)>;

/// The JSON of `GET /status` (fields: docs/admin.md).
nlohmann::json status_json(const BackendRegistry& registry, const UsageReport& usage);

} // namespace shardgate::proxy
