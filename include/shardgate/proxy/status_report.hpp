// The admin endpoint's `GET /status` document: monitor view + data-plane usage as JSON.
#pragma once

#include "shardgate/proxy/backend_registry.hpp"
#include "shardgate/proxy/latency_histogram.hpp"
#include "shardgate/proxy/query_digests.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>
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

/// One client session, as the admin console lists it (SHOW CLIENTS, SHOW SESSIONS).
struct ClientRow {
    std::string protocol; ///< "postgresql" or "mysql"
    std::uint64_t id = 0; ///< PostgreSQL process id / MySQL connection id (KILL takes it)
    std::string user;
    std::string database;
    std::string address; ///< the client's host:port
    bool tls = false;
    bool admin = false; ///< in the admin console
    std::int64_t connected_unix_ms = 0;
    std::string state;               ///< SessionState name
    std::string transaction;         ///< "none", "deferred", "active"
    std::vector<std::string> shards; ///< the open transaction's shards, in order
    std::string txn_id;              ///< its distributed id (two-phase commit), if any
};

/// Filled by every data plane's collector; `backends` is indexed by BackendIndex.
/// One worker thread of a data plane, as the admin endpoint read it.
struct WorkerUsage {
    std::string protocol;            ///< "postgresql", "mysql"
    std::size_t index = 0;           ///< its position in the plane's workers
    std::uint64_t clients = 0;       ///< client sessions it runs
    std::uint64_t queue_wait_us = 0; ///< how long the read waited in its event queue
};

struct UsageReport {
    /// Asked for: the collectors also list every client session in `clients`.
    bool want_clients = false;
    std::vector<ClientRow> clients;
    /// Asked for: the collectors merge their query digests into `digests` (by fingerprint
    /// hash) and count their evictions; with `reset_digests` they clear them after.
    bool want_digests = false;
    bool reset_digests = false;
    std::unordered_map<std::uint64_t, Digest> digests;
    std::uint64_t digest_evictions = 0;
    std::vector<BackendUsage> backends;
    std::map<std::string, std::uint64_t> counters;
    /// Client sessions per data plane ("postgresql", "mysql") and state ("idle", ...).
    std::map<std::string, std::map<std::string, std::uint64_t>> sessions;
    /// Latency histograms summed over workers, by protocol ("postgresql", "mysql"):
    /// statement latency per plan kind name, and the wait for a pooled connection.
    std::map<std::string, std::map<std::string, LatencyHistogram>> statement_latency;
    std::map<std::string, LatencyHistogram> pool_wait;
    /// Every worker thread of every plane.
    std::vector<WorkerUsage> workers;
};

/// Adds one data plane's usage to the report. Called on the admin thread: it must be
/// thread-safe (e.g. post to each worker and wait) and return within about a second.
using UsageCollector = std::function<void(UsageReport&)>;

/// Closes the client session of one data plane with `id` (ClientRow::id); whether it found
/// one. Thread-safe like a UsageCollector.
using ClientKiller = std::function<bool(std::uint64_t id)>;

/// Adds the process-wide counters the registry holds (result cache) to `usage.counters`.
void add_registry_counters(const BackendRegistry& registry, UsageReport& usage);

/// The JSON of `GET /status` (fields: docs/admin.md).
nlohmann::json status_json(const BackendRegistry& registry, const UsageReport& usage);

} // namespace shardgate::proxy
