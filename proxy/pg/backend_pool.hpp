// Per-worker pool of backend connections keyed by endpoint + user + database. Single
// threaded (owned by one worker): no locks. Clients queue when a key is at its pool size
// (`pool_size`, or the `pool_sizes` entry for the shard and role).
#pragma once

#include "asio.hpp"
#include "backend_connection.hpp"
#include "shardgate/proxy/config.hpp"
#include "shardgate/shardmaps/shard_map.hpp"
#include "stats.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <deque>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

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
    void release(std::shared_ptr<BackendConnection> connection);
    /// Closes every idle connection (shutdown).
    void close_all();
    /// Connections to `endpoint` (any user and database): checked out and idle.
    struct Counts {
        unsigned in_use = 0;
        unsigned idle = 0;
    };
    Counts counts(const shardmaps::Endpoint& endpoint) const;

private:
    struct Waiter {
        explicit Waiter(asio::io_context& io) : timer(io) {}
        asio::steady_timer timer;
        std::shared_ptr<BackendConnection> handed;
        bool slot_freed = false;
    };
    struct Slot {
        std::vector<std::shared_ptr<BackendConnection>> idle;
        std::deque<std::shared_ptr<Waiter>> waiters;
        unsigned total = 0;
        unsigned size = 0; ///< 0 until the first acquire computes it
    };
    void free_slot(Slot& slot);
    unsigned size_for(const BackendTarget& target) const;

    asio::io_context& io_;
    WorkerStats& stats_;
    const Config& config_;
    shardmaps::ShardMapPtr map_;
    unsigned pool_timeout_ms_;
    unsigned connect_timeout_ms_;
    std::unordered_map<std::string, Slot> slots_;
};

} // namespace shardgate::proxy::pg
