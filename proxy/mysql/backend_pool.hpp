// The MySQL data plane's per-worker backend pool: the shared ConnectionPool keyed by
// endpoint + user + database + wire options, sized by `pool_size` / `pool_sizes`, with MySQL
// errors.
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

namespace shardgate::proxy::mysql {

/// What acquire() gives: a connection, or the error to report (code, SQLSTATE, message).
struct Acquired {
    std::shared_ptr<BackendConnection> connection;
    std::uint16_t error_code = 0;
    std::string sqlstate;
    std::string message;
};

class BackendPool {
public:
    BackendPool(asio::io_context& io, MysqlStats& stats, const Config& config,
                shardmaps::ShardMapPtr map);

    /// An idle healthy connection, a new one (below the pool size), or one released within the
    /// pool timeout; else ER_CON_COUNT_ERROR-like 1040 (08004). Connect/login failures give
    /// 2013-like errors (08S01) naming shard and endpoint.
    asio::awaitable<Acquired> acquire(const BackendTarget& target);
    /// Returns a connection (idle, or broken: then it is dropped and its slot freed).
    void release(std::shared_ptr<BackendConnection> connection) {
        pool_.release(std::move(connection));
    }
    void close_all() { pool_.close_all(); }
    /// Connections to `endpoint` (any user, database and wire options): checked out and idle.
    PoolCounts counts(const shardmaps::Endpoint& endpoint) const { return pool_.counts(endpoint); }

private:
    const Config& config_;
    shardmaps::ShardMapPtr map_;
    ConnectionPool<BackendConnection> pool_;
};

} // namespace shardgate::proxy::mysql
