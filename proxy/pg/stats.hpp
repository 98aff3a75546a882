// Per-worker counters: every degraded path and every notable event has one. Touched only by
// the owning worker thread; summed at shutdown (and later by the admin API).
#pragma once

#include "common/pool_stats.hpp"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace shardgate::proxy::pg {

/// Pool counters (backend_connects, pool_waits, ...) come from PoolStats.
struct WorkerStats : PoolStats {
    std::uint64_t clients_accepted = 0;
    std::uint64_t clients_authenticated = 0;
    std::uint64_t auth_failures = 0;
    std::uint64_t unknown_database = 0;
    std::uint64_t malformed_messages = 0;
    std::uint64_t queries = 0;
    std::uint64_t extended_batches = 0;
    std::uint64_t routed_primary = 0;
    std::uint64_t routed_replica = 0;
    std::uint64_t replica_fallback_to_primary = 0; ///< replica read with no replica configured
    std::uint64_t rejected_by_plan = 0;
    std::uint64_t rejected_cross_shard = 0;     ///< scatter/broadcast/multi-shard Query
    std::uint64_t rejected_cross_shard_txn = 0; ///< second shard inside a transaction
    std::uint64_t session_statements = 0;       ///< BEGIN/COMMIT/SET answered by the proxy
    std::uint64_t settings_replayed = 0;
    std::uint64_t settings_replay_errors = 0;
    std::uint64_t statements_prepared = 0; ///< lazy Parse sent to a backend
    std::uint64_t backend_dropped = 0;     ///< backend lost mid-statement
    std::uint64_t cancels_forwarded = 0;
    std::uint64_t cancels_unmatched = 0;
    std::uint64_t read_retries = 0;           ///< read ran again elsewhere after its backend failed
    std::uint64_t causal_lsn_reads = 0;       ///< WAL position read after a write (causal mode)
    std::uint64_t tls_sessions = 0;           ///< clients upgraded to TLS
    std::uint64_t tls_handshake_failures = 0; ///< SSLRequest accepted, handshake failed

    void add(const WorkerStats& other);
    /// name=value pairs of every counter (zeros included).
    std::vector<std::pair<std::string, std::uint64_t>> values() const;
    std::string summary() const;
};

} // namespace shardgate::proxy::pg
