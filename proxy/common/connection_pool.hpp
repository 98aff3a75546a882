// Per-worker pool of backend connections, shared by the PostgreSQL and MySQL data planes.
// Connections are grouped by a pool key (endpoint + login + wire options); each key holds at
// most its pool size; a client that finds its key full waits up to pool_timeout_ms for a
// connection to come back. At most `max_connecting` connections of a key log in at once: a burst
// of clients queues for them (or for a connection released meanwhile) instead of starting a
// login each, which on a busy server makes every login slow and many of them time out.
// Single threaded (owned by one worker): no locks.
//
// The pool knows the connections it handed out (weakly) so that cut() can end them when the
// monitor calls their server down.
//
// The connection type provides: Connection(io, target, backend TLS policy),
// awaitable<std::string> open(timeout_ms) (empty on success, else the reason),
// idle_and_healthy(), mark_idle(), close(), cut(reason), socket(), state()/set_state() with
// State::busy and State::broken, and pool_key().
#pragma once

#include "common/pool_stats.hpp"
#include "shardgate/proxy/config.hpp"
#include "shardgate/proxy/net/tls_context.hpp"
#include "shardgate/proxy/net/wire_io.hpp"
#include "shardgate/shardmaps/shard_map.hpp"

#include <algorithm>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <deque>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace shardgate::proxy {

namespace asio = boost::asio;

template <class Connection> class ConnectionPool {
public:
    using ConnectionPtr = std::shared_ptr<Connection>;

    /// What acquire() gives: a connection, or why there is none.
    struct Outcome {
        enum class Failure { none, unavailable, timeout };
        /// A connection handed out.
        static Outcome ok(ConnectionPtr connection) {
            Outcome outcome;
            outcome.connection = std::move(connection);
            return outcome;
        }

        ConnectionPtr connection;
        Failure failure = Failure::none;
        std::string reason;      ///< unavailable: why connecting or logging in failed
        unsigned size = 0;       ///< the key's pool size (for the timeout message)
        unsigned open = 0;       ///< its connections then, logged in or logging in
        unsigned logging_in = 0; ///< of them, logging in (a wait for a login slot, not a place)
    };

    ConnectionPool(asio::io_context& io, PoolStats& stats, unsigned pool_timeout_ms,
                   unsigned connect_timeout_ms, unsigned max_connecting,
                   std::shared_ptr<const net::BackendTls> tls)
        : io_(io), stats_(stats), pool_timeout_ms_(pool_timeout_ms),
          connect_timeout_ms_(connect_timeout_ms), max_connecting_(std::max(max_connecting, 1u)),
          tls_(std::move(tls)) {}

    /// An idle healthy connection for `target`, a new one (below the key's size, which
    /// size_for() gives the first time the key is seen, and while fewer than max_connecting
    /// log in), or one released within the pool timeout.
    template <class Target, class SizeFor>
    asio::awaitable<Outcome> acquire(const Target& target, const shardmaps::Endpoint& endpoint,
                                     SizeFor size_for) {
        const auto key = target.pool_key();
        // The wait for a connection (pool_wait histogram): 0 when an idle one was there at
        // once, else from the call on (a login of its own included).
        const auto called = std::chrono::steady_clock::now();
        bool queued = false;
        // The start of the wait for a place or a login slot, which pool_timeout_ms bounds.
        std::optional<std::chrono::steady_clock::time_point> waiting_since;
        const auto waited = [&] {
            stats_.pool_wait.observe(
                queued ? static_cast<std::uint64_t>(
                             std::chrono::duration_cast<std::chrono::microseconds>(
                                 std::chrono::steady_clock::now() - called)
                                 .count())
                       : 0);
        };
        for (;;) {
            auto& slot = slots_[key];
            if (slot.size == 0) {
                slot.size = size_for();
                slot.endpoint = endpoint;
            }
            while (!slot.idle.empty()) {
                auto connection = std::move(slot.idle.back());
                slot.idle.pop_back();
                if (connection->idle_and_healthy()) {
                    connection->set_state(Connection::State::busy);
                    lend(slot, connection);
                    waited();
                    co_return Outcome::ok(std::move(connection));
                }
                ++stats_.backend_stale_idle;
                connection->close();
                --slot.total;
            }
            // (places and login slots promised to woken clients are theirs: a newcomer does not
            // overtake them)
            std::shared_ptr<Waiter> waiter;
            queued = true;
            if (slot.total + slot.woken < slot.size &&
                slot.connecting + slot.woken < max_connecting_) {
                // A login of its own, and meanwhile a place in the queue: a connection released
                // before the login ends is this client's (a busy server's logins can take
                // seconds where a statement takes milliseconds); the login then goes on and
                // its connection joins the pool.
                auto connection = std::make_shared<Connection>(io_, target, tls_);
                waiter = std::make_shared<Waiter>(io_);
                waiter->logging_in = true;
                waiter->timer.expires_at(std::chrono::steady_clock::time_point::max());
                ++slot.total;
                ++slot.connecting;
                ++stats_.backend_connects;
                slot.waiters.push_back(waiter);
                asio::co_spawn(io_, log_in(std::move(connection), waiter), asio::detached);
            } else {
                // room, but max_connecting log in (or woken clients were promised the rest)
                const bool for_login = slot.total < slot.size;
                ++(for_login ? stats_.backend_connects_queued : stats_.pool_waits);
                if (!waiting_since) {
                    waiting_since = std::chrono::steady_clock::now();
                }
                waiter = std::make_shared<Waiter>(io_);
                // One deadline for the whole wait: a client handed a connection that was cut
                // meanwhile, or woken by a freed place another took first, waits on for what is
                // left of pool_timeout_ms, not for another full one.
                waiter->timer.expires_at(*waiting_since +
                                         std::chrono::milliseconds(pool_timeout_ms_));
                slot.waiters.push_back(waiter);
            }
            if (!waiter->handed && waiter->login_failure.empty() && !waiter->slot_freed) {
                // (the login's start is posted, but a check costs nothing: a cancel() before
                // the wait began would leave this wait without end)
                boost::system::error_code ec;
                co_await waiter->timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
            }
            if (waiter->handed) {
                // Still in `lent` since release() handed it over: a cut() meanwhile reached it.
                if (waiter->handed->state() == Connection::State::broken) {
                    // its place is this client's to take again (not promised to the next one)
                    auto& slot_now = slots_[key];
                    const auto* raw = waiter->handed.get();
                    std::erase_if(slot_now.lent,
                                  [&](const Lent& lent) { return lent.first == raw; });
                    waiter->handed->close();
                    waiter->handed.reset();
                    if (slot_now.total > 0) {
                        --slot_now.total;
                    }
                    continue;
                }
                waiter->handed->set_state(Connection::State::busy);
                waited();
                co_return Outcome::ok(std::move(waiter->handed));
            }
            if (!waiter->login_failure.empty()) { // its own login, or the one it queued behind
                co_return Outcome{nullptr, Outcome::Failure::unavailable,
                                  std::move(waiter->login_failure)};
            }
            auto& again = slots_[key];
            std::erase(again.waiters, waiter);
            if (waiter->slot_freed) {
                --again.woken; // its promised place: taken now, at the front
                continue;
            }
            ++stats_.pool_timeouts;
            Outcome timeout;
            timeout.failure = Outcome::Failure::timeout;
            timeout.size = again.size;
            timeout.open = again.total;
            timeout.logging_in = again.connecting;
            co_return timeout;
        }
    }

    /// Returns a connection: to a waiting client, to the idle list, or (when broken) closes
    /// it and frees its place.
    void release(ConnectionPtr connection) {
        auto& slot = slots_[connection->pool_key()];
        const auto forget = [&] {
            std::erase_if(slot.lent,
                          [&](const Lent& lent) { return lent.first == connection.get(); });
        };
        if (connection->state() == Connection::State::broken || !connection->socket().is_open()) {
            forget();
            connection->close();
            free_slot(slot);
            return;
        }
        connection->mark_idle();
        if (!slot.waiters.empty()) {
            // Handed straight to a waiting client: lent from now (a warmed-up connection was
            // not lent before).
            if (std::none_of(slot.lent.begin(), slot.lent.end(),
                             [&](const Lent& lent) { return lent.first == connection.get(); })) {
                lend(slot, connection);
            }
            // A client with a deadline first: one whose own login runs can wait for it.
            auto first = std::find_if(slot.waiters.begin(), slot.waiters.end(),
                                      [](const auto& waiter) { return !waiter->logging_in; });
            if (first == slot.waiters.end()) {
                first = slot.waiters.begin();
            }
            auto waiter = std::move(*first);
            slot.waiters.erase(first);
            stats_.backend_logins_overtaken += waiter->logging_in;
            waiter->handed = std::move(connection);
            waiter->timer.cancel();
            return;
        }
        forget();
        slot.idle.push_back(std::move(connection));
    }

    /// Opens connections to `to` (as shard `to_shard`) for every login the pool holds to
    /// `from`: as many as it holds there, within the new key's size (`size_for(target)` the
    /// first time the key is seen) and max_connecting at once (the rest open on demand). Returns at
    /// once; each connection joins the idle list, or goes to a waiting client, when its login is
    /// done (a cutover starts this while writes are paused).
    template <class SizeFor>
    void warm(const shardmaps::Endpoint& from, const shardmaps::Endpoint& to,
              const std::string& to_shard, SizeFor size_for) {
        using Target = std::decay_t<decltype(std::declval<Connection&>().target())>;
        std::vector<std::pair<Target, unsigned>> wanted;
        for (const auto& [key, slot] : slots_) {
            if (slot.endpoint == from && !slot.idle.empty()) {
                Target target = slot.idle.front()->target();
                target.endpoint = to;
                target.shard = to_shard;
                wanted.emplace_back(std::move(target), slot.total);
            }
        }
        for (const auto& [target, count] : wanted) {
            auto& slot = slots_[target.pool_key()];
            if (slot.size == 0) {
                slot.size = size_for(target);
                slot.endpoint = to;
            }
            while (slot.total < std::min(count, slot.size) && slot.connecting < max_connecting_) {
                ++slot.total;
                ++slot.connecting;
                ++stats_.backend_connects;
                ++stats_.backend_warmups;
                asio::co_spawn(io_,
                               log_in(std::make_shared<Connection>(io_, target, tls_), nullptr),
                               asio::detached);
            }
        }
    }

    /// The monitor called `endpoint` down: its idle connections are closed and the ones clients
    /// hold are cut (Connection::cut), so nobody waits on a server that stopped answering; their
    /// holders see a lost connection (a read outside a transaction then runs elsewhere).
    /// Returns how many were cut.
    unsigned cut(const shardmaps::Endpoint& endpoint, const std::string& reason) {
        unsigned cut = 0;
        for (auto& [key, slot] : slots_) {
            if (!(slot.endpoint == endpoint)) {
                continue;
            }
            while (!slot.idle.empty()) {
                slot.idle.back()->close();
                slot.idle.pop_back();
                free_slot(slot);
            }
            for (auto& [raw, weak] : slot.lent) {
                if (auto connection = weak.lock()) {
                    connection->cut(reason);
                    ++cut;
                }
            }
            std::erase_if(slot.lent, [](const Lent& lent) { return lent.second.expired(); });
        }
        stats_.backends_cut += cut;
        return cut;
    }

    /// Closes every idle connection (shutdown).
    void close_all() {
        for (auto& [key, slot] : slots_) {
            for (auto& connection : slot.idle) {
                connection->close();
            }
            slot.idle.clear();
        }
    }

    PoolCounts counts(const shardmaps::Endpoint& endpoint) const {
        PoolCounts counts;
        for (const auto& [key, slot] : slots_) {
            if (slot.endpoint == endpoint) {
                const auto idle = static_cast<unsigned>(slot.idle.size());
                counts.idle += idle;
                counts.in_use += slot.total > idle ? slot.total - idle : 0;
            }
        }
        return counts;
    }

private:
    struct Waiter {
        explicit Waiter(asio::io_context& io) : timer(io) {}
        asio::steady_timer timer;
        ConnectionPtr handed;
        bool slot_freed = false;   ///< woken to take a place (counted in Slot::woken)
        bool logging_in = false;   ///< its own login runs (log_in() ends the wait, if nothing else)
        std::string login_failure; ///< why the login it waited for failed
    };
    /// A connection handed out, known weakly (its holder owns it).
    using Lent = std::pair<const Connection*, std::weak_ptr<Connection>>;
    struct Slot {
        std::vector<ConnectionPtr> idle;
        std::vector<Lent> lent; ///< handed out and not yet released
        std::deque<std::shared_ptr<Waiter>> waiters;
        unsigned total = 0;         ///< connections, logging in or logged in
        unsigned connecting = 0;    ///< of them, logging in
        unsigned woken = 0;         ///< waiters woken to take a place, not yet resumed
        unsigned failed_logins = 0; ///< logins failed in a row (0 after one that succeeds)
        unsigned size = 0;          ///< 0 until the first acquire computes it
        shardmaps::Endpoint endpoint;
    };

    /// A login a client started in acquire() (`starter`), or warm() (none): its connection goes
    /// to the client when it still waits, else to the pool (release(): a waiting client or the
    /// idle list); a failure goes to the client when it still waits.
    asio::awaitable<void> log_in(ConnectionPtr connection, std::shared_ptr<Waiter> starter) {
        std::string failure;
        try {
            failure = co_await connection->open(connect_timeout_ms_);
        } catch (const std::exception& e) { // (the place and the client are freed all the same)
            failure = std::string("login failed: ") + e.what();
        }
        auto& slot = slots_[connection->pool_key()];
        --slot.connecting;
        const bool waiting = std::erase(slot.waiters, starter) > 0;
        if (!failure.empty()) {
            ++stats_.backend_connect_failures;
            if (waiting) {
                starter->login_failure = failure;
                starter->timer.cancel();
            }
            login_failed(slot, failure);
            co_return;
        }
        slot.failed_logins = 0;
        if (waiting) {
            lend(slot, connection);
            starter->handed = std::move(connection);
            starter->timer.cancel();
        } else {
            release(std::move(connection));
        }
        next_login(slot);
    }

    /// A login failed. When the one before it failed too and no connection of the key is
    /// logged in (none to come back to the waiting clients, and the server letting no one in:
    /// down or unreachable), the waiting clients get its failure at once; their own logins would
    /// most likely fail the same way, one connect_timeout_ms after another. Otherwise (one slow
    /// login of a busy server) they wait on, and the next of them logs in.
    void login_failed(Slot& slot, const std::string& failure) {
        const unsigned logged_in = slot.total - slot.connecting - 1; // (the failed one counted)
        if (++slot.failed_logins >= 2 && logged_in == 0) {
            // (a client whose own login runs hears of that one)
            std::erase_if(slot.waiters, [&](const std::shared_ptr<Waiter>& waiter) {
                if (waiter->logging_in) {
                    return false;
                }
                waiter->login_failure = failure;
                waiter->timer.cancel();
                return true;
            });
        }
        free_slot(slot);
    }

    /// A login ended with the key below its size: the first client queued behind
    /// max_connecting tries again (it may start the next login).
    void next_login(Slot& slot) {
        if (slot.total + slot.woken < slot.size && slot.connecting + slot.woken < max_connecting_) {
            wake_first(slot);
        }
    }

    /// The first waiting client without a login of its own is promised a place: it takes it
    /// when it resumes.
    static void wake_first(Slot& slot) {
        const auto first = std::find_if(slot.waiters.begin(), slot.waiters.end(),
                                        [](const auto& waiter) { return !waiter->logging_in; });
        if (first != slot.waiters.end()) {
            auto waiter = std::move(*first);
            slot.waiters.erase(first);
            waiter->slot_freed = true;
            ++slot.woken;
            waiter->timer.cancel();
        }
    }

    static void lend(Slot& slot, const ConnectionPtr& connection) {
        slot.lent.emplace_back(connection.get(), connection);
    }

    void free_slot(Slot& slot) {
        if (slot.total > 0) {
            --slot.total;
        }
        // promised only with a login slot free too (else next_login wakes it when one ends)
        next_login(slot);
    }

    asio::io_context& io_;
    PoolStats& stats_;
    unsigned pool_timeout_ms_;
    unsigned connect_timeout_ms_;
    unsigned max_connecting_;                    ///< logins in flight per key (pool_max_connecting)
    std::shared_ptr<const net::BackendTls> tls_; ///< backend_tls, for every new connection
    std::unordered_map<std::string, Slot> slots_;
};

/// The pool size for a backend of `database`: `pool_sizes` entry for its shard and role
/// (primary when `endpoint` is the shard's primary), else `pool_size`.
unsigned pool_size_for_backend(const Config& config, const shardmaps::ShardMap& map,
                               const std::string& database, const std::string& shard,
                               const shardmaps::Endpoint& endpoint);

} // namespace shardgate::proxy
