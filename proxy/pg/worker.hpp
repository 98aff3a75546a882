// A worker thread: one io_context, and everything its client sessions use (planners, the
// backend pool, counters, the cancel-key registry). Nothing here is shared between workers.
#pragma once

#include "backend_pool.hpp"
#include "common/worker_base.hpp"
#include "shardgate/proxy/admin_console.hpp"
#include "shardgate/proxy/backend_registry.hpp"
#include "shardgate/proxy/config.hpp"
#include "shardgate/proxy/net/tls_context.hpp"
#include "shardgate/proxy/net/wire_io.hpp"
#include "shardgate/proxy/read_router.hpp"
#include "shardgate/proxy/status_report.hpp"
#include "shardgate/router/planner.hpp"
#include "shardgate/shardmaps/shard_map.hpp"
#include "stats.hpp"
#include "user_directory.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>

namespace shardgate::proxy::pg {

class ClientSession;

/// Shared, immutable inputs of all workers.
struct WorkerContext {
    const Config& config;
    shardmaps::ShardMapPtr map;
    const UserDirectory& users;
    const BackendRegistry& registry;
    /// Delivers a CancelRequest to the worker that owns `process_id` (thread-safe).
    std::function<void(std::int32_t process_id, std::int32_t secret)> route_cancel;
    /// TLS for clients (tls_cert/tls_key), shared read-only by all workers; null = no TLS.
    std::shared_ptr<net::TlsContextHolder> tls;
    /// The admin console (database `shardgate`); null: none.
    AdminConsole* console = nullptr;
};

class Worker : public WorkerBase<WorkerStats, BackendPool> {
public:
    /// Bits of a process id that name the session within its worker.
    static constexpr int session_bits = 20;

    Worker(unsigned index, WorkerContext context);
    ~Worker();

    /// Thread-safe: hands an accepted client socket (created on io()) to this worker.
    void adopt(tcp::socket socket);
    /// Thread-safe: forwards a cancel to the backend running that session's statement.
    void post_cancel(std::int32_t process_id, std::int32_t secret);

    // Worker-thread only:
    const WorkerContext& context() const { return context_; }
    /// A new process id for BackendKeyData; the worker index is in the high bits.
    std::int32_t register_session(const std::shared_ptr<ClientSession>& session);
    void unregister_session(std::int32_t process_id);
    /// The server-side name of a prepared statement (same SQL + types = same name).
    const std::string& statement_name(const std::string& key);
    /// Adds this worker's per-backend usage, counters and sessions (PostgreSQL) to `report`.
    void add_usage(UsageReport& report) const;

private:
    void cancel(std::int32_t process_id, std::int32_t secret);

    WorkerContext context_;
    /// Logged-in sessions by process id (CancelRequest keys).
    std::unordered_map<std::int32_t, std::weak_ptr<ClientSession>> sessions_;
    std::unordered_map<std::string, std::string> statement_names_;
    std::int32_t next_session_ = 1;
};

} // namespace shardgate::proxy::pg
