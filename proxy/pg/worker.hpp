// A worker thread: one io_context, and everything its client sessions use (planners, the
// backend pool, counters, the cancel-key registry). Nothing here is shared between workers.
#pragma once

#include "backend_pool.hpp"
#include "shardgate/proxy/backend_registry.hpp"
#include "shardgate/proxy/config.hpp"
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
    std::shared_ptr<asio::ssl::context> tls;
};

class Worker {
public:
    /// Bits of a process id that name the session within its worker.
    static constexpr int session_bits = 20;

    Worker(unsigned index, WorkerContext context);
    ~Worker();

    void start();
    /// Thread-safe: closes every session and pooled connection, then stops the loop.
    void stop();
    void join();

    /// Thread-safe: hands an accepted client socket (created on io()) to this worker.
    void adopt(tcp::socket socket);
    /// Thread-safe: forwards a cancel to the backend running that session's statement.
    void post_cancel(std::int32_t process_id, std::int32_t secret);

    // Worker-thread only:
    asio::io_context& io() { return io_; }
    unsigned index() const { return index_; }
    const WorkerContext& context() const { return context_; }
    WorkerStats& stats() { return stats_; }
    BackendPool& pool() { return pool_; }
    /// The planner of a logical database (created on first use); nullptr if not in the map.
    router::Planner* planner(const std::string& database);
    /// A new process id for BackendKeyData; the worker index is in the high bits.
    std::int32_t register_session(const std::shared_ptr<ClientSession>& session);
    void unregister_session(std::int32_t process_id);
    /// The session ended (it was counted in the admin report since it was adopted).
    void forget(ClientSession* session) { live_.erase(session); }
    /// The server-side name of a prepared statement (same SQL + types = same name).
    const std::string& statement_name(const std::string& key);
    /// Replica choice, lag bounds, read-your-writes (this worker's balancers).
    ReadRouter& read_router() { return read_router_; }
    /// Adds this worker's per-backend usage and counters to `report`.
    void add_usage(UsageReport& report) const;

private:
    void cancel(std::int32_t process_id, std::int32_t secret);

    unsigned index_;
    WorkerContext context_;
    asio::io_context io_;
    asio::executor_work_guard<asio::io_context::executor_type> guard_;
    std::thread thread_;
    WorkerStats stats_;
    BackendPool pool_;
    ReadRouter read_router_;
    std::unordered_map<std::string, router::Planner> planners_;
    std::unordered_map<std::int32_t, std::weak_ptr<ClientSession>> sessions_;
    /// Every session of this worker from accept to its end, in any state.
    std::unordered_set<ClientSession*> live_;
    std::unordered_map<std::string, std::string> statement_names_;
    std::int32_t next_session_ = 1;
};

} // namespace shardgate::proxy::pg
