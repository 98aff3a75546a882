// A data plane's per-worker backend pool: the shared ConnectionPool keyed by the target's pool
// key, sized by `pool_size` / `pool_sizes`, with its outcomes in engine-neutral terms (each
// plane reports `unavailable` and `busy` in its own error format).
#pragma once

#include "common/connection_pool.hpp"
#include "shardgate/proxy/backend_registry.hpp"
#include "shardgate/proxy/config.hpp"
#include "shardgate/proxy/net/tls_context.hpp"
#include "shardgate/proxy/net/wire_io.hpp"
#include "shardgate/proxy/pool_warmup.hpp"
#include "shardgate/shardmaps/shard_map.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <memory>
#include <spdlog/spdlog.h>
#include <string>

namespace shardgate::proxy {

/// What BackendPool::acquire gives: a connection, or why there is none.
template <class Connection> struct Acquired {
    enum class Failure {
        none,
        unavailable, ///< connect or login failed: the backend is down or refuses us
        busy,        ///< every connection of the pool stayed in use for the pool timeout
    };
    std::shared_ptr<Connection> connection;
    Failure failure = Failure::none;
    std::string message; ///< names shard and endpoint
};

/// `Target` has endpoint, shard (name), database and pool_key(); `Connection` is a
/// BackendLink built from (io_context&, Target, backend TLS policy).
template <class Connection, class Target> class BackendPool {
public:
    BackendPool(asio::io_context& io, PoolStats& stats, const Config& config,
                const BackendRegistry& registry)
        : config_(config), registry_(registry),
          pool_(io, stats, config.pool_timeout_ms, config.connect_timeout_ms,
                config.pool_max_connecting,
                net::make_backend_tls(*net::backend_tls_mode(config.backend_tls),
                                      config.backend_tls_ca)) {}

    /// An idle healthy connection, a new one (below the pool size), or one released within
    /// the pool timeout; else `busy`. Connect/login failures are `unavailable`.
    asio::awaitable<Acquired<Connection>> acquire(const Target& target) {
        auto outcome = co_await pool_.acquire(target, target.endpoint, [&] {
            // The running map: a primary added by a live map gets the primary's size.
            return pool_size_for_backend(config_, registry_.map(), target.database, target.shard,
                                         target.endpoint);
        });
        using Failure = typename ConnectionPool<Connection>::Outcome::Failure;
        using Result = Acquired<Connection>;
        switch (outcome.failure) {
        case Failure::none:
            break;
        case Failure::unavailable:
            spdlog::warn("backend {} ({}) unavailable: {}", target.shard,
                         target.endpoint.to_string(), outcome.reason);
            co_return Result{nullptr, Result::Failure::unavailable,
                             "shard " + target.shard + " (" + target.endpoint.to_string() +
                                 ") is unavailable: " + outcome.reason};
        case Failure::timeout:
            co_return Result{nullptr, Result::Failure::busy,
                             "no backend connection to shard " + target.shard + " (" +
                                 target.endpoint.to_string() + ") became free within " +
                                 std::to_string(config_.pool_timeout_ms) + " ms (pool size " +
                                 std::to_string(outcome.size) + " per worker; " +
                                 std::to_string(outcome.open) + " open, " +
                                 std::to_string(outcome.logging_in) + " logging in)"};
        }
        co_return Result{std::move(outcome.connection), Result::Failure::none, {}};
    }
    /// Opens connections to `request.to` for the logins the pool holds to `request.from`
    /// (see ConnectionPool::warm); returns at once.
    void warm(const PoolWarmup& request) {
        pool_.warm(request.from, request.to, request.to_shard, [&](const Target& target) {
            return pool_size_for_backend(config_, registry_.map(), target.database, target.shard,
                                         target.endpoint);
        });
    }
    /// Returns a connection (idle, or broken: then it is dropped and its slot freed).
    void release(std::shared_ptr<Connection> connection) { pool_.release(std::move(connection)); }
    /// Closes the idle connections to `endpoint` and cuts the ones in use (see
    /// ConnectionPool::cut); how many were in use.
    unsigned cut(const shardmaps::Endpoint& endpoint, const std::string& reason) {
        return pool_.cut(endpoint, reason);
    }
    /// Closes every idle connection (shutdown).
    void close_all() { pool_.close_all(); }
    /// Connections to `endpoint` (any user and database): checked out and idle.
    PoolCounts counts(const shardmaps::Endpoint& endpoint) const { return pool_.counts(endpoint); }

private:
    const Config& config_;
    const BackendRegistry& registry_;
    ConnectionPool<Connection> pool_;
};

} // namespace shardgate::proxy
