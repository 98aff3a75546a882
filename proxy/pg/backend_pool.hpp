// The PostgreSQL data plane's per-worker backend pool: the shared ConnectionPool keyed by
// endpoint + user + database, sized by `pool_size` / `pool_sizes`, with PostgreSQL errors.
#pragma once

#include "backend_connection.hpp"
#include "common/connection_pool.hpp"
#include "shardgate/proxy/config.hpp"
#include "shardgate/proxy/net/wire_io.hpp"
#include "shardgate/shardmaps/shard_map.hpp"
#include "stats.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <memory>
#include <string>

namespace shardgate::proxy::pg {

/// What acquire() gives: a connection, or the SQLSTATE and message to report.
struct Acquired {
    std::shared_ptr<BackendConnection> connection;
    std::string sqlstate;
    std::string message;
};

class BackendPool {
public:
    BackendPool(asio::io_context& io, WorkerStats& stats, const Config& config,
                shardmaps::ShardMapPtr map);

    /// An idle healthy connection, a new one (below the pool size), or one released within the
    /// pool timeout; else 53300. Connect/login failures give 08006 naming shard and endpoint.
    asio::awaitable<Acquired> acquire(const BackendTarget& target);
    /// Returns a connection (idle, or broken: then it is dropped and its slot freed).
    void release(std::shared_ptr<BackendConnection> connection) {
        pool_.release(std::move(connection));
    }
    /// Closes every idle connection (shutdown).
    void close_all() { pool_.close_all(); }
    /// Connections to `endpoint` (any user and database): checked out and idle.
    PoolCounts counts(const shardmaps::Endpoint& endpoint) const { return pool_.counts(endpoint); }

private:
    const Config& config_;
    shardmaps::ShardMapPtr map_;
    ConnectionPool<BackendConnection> pool_;
};

} // namespace shardgate::proxy::pg
