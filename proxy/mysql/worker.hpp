// A MySQL frontend worker thread: one io_context and everything its client sessions use
// (planners in the MySQL dialect, the backend pool, counters, the read router). Nothing here
// is shared between workers.
#pragma once

#include "backend_pool.hpp"
#include "common/worker_base.hpp"
#include "rsa_key_pair.hpp"
#include "shardgate/proxy/admin_console.hpp"
#include "shardgate/proxy/backend_registry.hpp"
#include "shardgate/proxy/config.hpp"
#include "shardgate/proxy/net/tls_context.hpp"
#include "shardgate/proxy/net/wire_io.hpp"
#include "shardgate/proxy/read_router.hpp"
#include "shardgate/proxy/status_report.hpp"
#include "shardgate/router/planner.hpp"
#include "shardgate/shardmaps/shard.hpp"
#include "shardgate/shardmaps/shard_map.hpp"
#include "stats.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>

namespace shardgate::proxy::mysql {

class ClientSession;

/// Shared, immutable inputs of all workers.
class Worker;

struct WorkerContext {
    const Config& config;
    shardmaps::ShardMapPtr map;
    const BackendRegistry& registry;
    /// TLS for clients (tls_cert/tls_key), the daemon's one context shared read-only with
    /// the PostgreSQL frontend; null = no TLS (CLIENT_SSL not offered).
    std::shared_ptr<net::TlsContextHolder> tls;
    /// caching_sha2_password full authentication without TLS (generated at start-up).
    std::shared_ptr<const RsaKeyPair> rsa;
    /// The worker of a given index, or nullptr (KILL finds a session by its connection id,
    /// whose high bits are its worker's index). Set by the Frontend once all workers exist.
    std::function<Worker*(std::uint32_t index)> worker_at;
    /// The admin console (database `shardgate`); null: none.
    AdminConsole* console = nullptr;
};

class Worker : public WorkerBase<MysqlStats, BackendPool> {
public:
    Worker(unsigned index, WorkerContext context);
    ~Worker();

    /// Thread-safe: hands an accepted client socket (created on io()) to this worker.
    void adopt(tcp::socket socket);

    // Worker-thread only:
    const WorkerContext& context() const { return context_; }
    /// Adds this worker's per-backend usage, counters and sessions (MySQL) to `report`.
    void add_usage(UsageReport& report) const;
    /// A connection id for the handshake (unique per worker, worker index in the high bits).
    std::uint32_t next_connection_id();
    /// The session with this connection id on this worker, or nullptr.
    ClientSession* find_session(std::uint32_t connection_id) const;

private:
    WorkerContext context_;
    std::uint32_t connections_ = 0;
};

} // namespace shardgate::proxy::mysql
