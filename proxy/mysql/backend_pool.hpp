// Per-worker pool of MySQL backend connections keyed by endpoint + user + database + wire
// options. Single threaded (owned by one worker): no locks. Clients queue when a key is at
// pool_size, up to pool_timeout_ms.
#pragma once

#include "backend_connection.hpp"
#include "pg/asio.hpp"
#include "stats.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <deque>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

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
    BackendPool(asio::io_context& io, MysqlStats& stats, unsigned pool_size,
                unsigned pool_timeout_ms, unsigned connect_timeout_ms);

    /// An idle healthy connection, a new one (below pool_size), or one released within the
    /// pool timeout; else ER_CON_COUNT_ERROR-like 1040 (08004). Connect/login failures give
    /// 2013-like errors (08S01) naming shard and endpoint.
    asio::awaitable<Acquired> acquire(const BackendTarget& target);
    /// Returns a connection (idle, or broken: then it is dropped and its slot freed).
    void release(std::shared_ptr<BackendConnection> connection);
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
        shardmaps::Endpoint endpoint;
    };
    void free_slot(Slot& slot);

    asio::io_context& io_;
    MysqlStats& stats_;
    unsigned pool_size_;
    unsigned pool_timeout_ms_;
    unsigned connect_timeout_ms_;
    std::unordered_map<std::string, Slot> slots_;
};

} // namespace shardgate::proxy::mysql
