// Counters of the backend pools that both data planes keep, and per-endpoint counts.
#pragma once

#include "shardgate/proxy/latency_histogram.hpp"

#include <cstdint>

namespace shardgate::proxy {

/// Pool counters every data plane's statistics carry.
struct PoolStats {
    std::uint64_t backend_connects = 0;
    std::uint64_t backend_connect_failures = 0;
    std::uint64_t backend_warmups = 0;    ///< opened ahead of need for a cutover
    std::uint64_t backend_stale_idle = 0; ///< pooled connection found closed
    std::uint64_t backends_cut = 0;       ///< held connection cut: its server was called down
    std::uint64_t pool_waits = 0;
    /// Waits for a login slot: the key had room, but pool_max_connecting logged in already.
    std::uint64_t backend_connects_queued = 0;
    std::uint64_t pool_timeouts = 0;
    /// Clients that started a login and took a connection released before it ended.
    std::uint64_t backend_logins_overtaken = 0;
    /// How long statements waited for a pooled connection (0 when one was free).
    LatencyHistogram pool_wait;
};

/// Connections to one endpoint (any user, database and wire options).
struct PoolCounts {
    unsigned in_use = 0;
    unsigned idle = 0;
};

} // namespace shardgate::proxy
