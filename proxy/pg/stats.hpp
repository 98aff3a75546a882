// Per-worker counters: every degraded path and every notable event has one. Touched only by
// the owning worker thread; summed at shutdown (and later by the admin API).
#pragma once

#include "common/session_stats.hpp"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace shardgate::proxy::pg {

/// The counters both planes keep (pools, clients, routing) come from SessionStats.
struct WorkerStats : SessionStats {
    std::uint64_t malformed_messages = 0;
    std::uint64_t extended_batches = 0;
    std::uint64_t statements_prepared = 0; ///< lazy Parse sent to a backend
    std::uint64_t cancels_forwarded = 0;
    std::uint64_t cancels_unmatched = 0;
    std::uint64_t causal_lsn_reads = 0; ///< WAL position read after a write (causal mode)

    void add(const WorkerStats& other);
    /// name=value pairs of every counter (zeros included).
    std::vector<std::pair<std::string, std::uint64_t>> values() const;
    std::string summary() const;
};

} // namespace shardgate::proxy::pg
