// ConnectionPool::cut over real loopback sockets (a BackendLink whose login is empty, against a
// listener of the test), and DownWatch over published health views (no servers).
#include "common/backend_link.hpp"
#include "common/connection_pool.hpp"
#include "common/down_watch.hpp"
#include "shardgate/shardmaps/loader.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>

namespace {

using namespace shardgate;
using namespace shardgate::proxy;
using monitor::Health;

struct TestTarget {
    shardmaps::Endpoint endpoint;
    std::string shard;
    std::string pool_key() const { return endpoint.to_string() + "/test"; }
};

/// A backend connection with nothing to log in: connecting is all open() does.
class TestLink : public BackendLink {
public:
    TestLink(asio::io_context& io, const TestTarget& target,
             std::shared_ptr<const net::BackendTls> tls)
        : BackendLink(io, target.endpoint.host, target.endpoint.port, target.pool_key(),
                      std::move(tls)) {}

protected:
    asio::awaitable<std::string> login() override { co_return std::string(); }
};

using Pool = ConnectionPool<TestLink>;

class ConnectionPoolCutTest : public ::testing::Test {
protected:
    ConnectionPoolCutTest()
        : a_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)),
          b_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)),
          pool_(io_, stats_, 1000, 1000, 4,
                net::make_backend_tls(net::BackendTlsMode::disable, "")) {
        accept(a_);
        accept(b_);
    }
    /// Accepts every connection to `listener` and keeps it open, answering nothing (a hung
    /// server).
    void accept(tcp::acceptor& listener) {
        listener.async_accept([this, &listener](boost::system::error_code ec, tcp::socket peer) {
            if (!ec) {
                held_.push_back(std::move(peer));
                accept(listener);
            }
        });
    }
    static TestTarget target(const tcp::acceptor& listener, const std::string& shard) {
        return {shardmaps::Endpoint{"127.0.0.1", listener.local_endpoint().port()}, shard};
    }
    std::shared_ptr<TestLink> acquire(const TestTarget& target) {
        auto outcome = run(pool_.acquire(target, target.endpoint, [] { return 4u; }));
        EXPECT_TRUE(outcome.connection) << outcome.reason;
        return outcome.connection;
    }
    /// A client's acquire() of `pool`, running on io_ (keys of size 10).
    template <class P> auto spawn_acquire(P& pool, const TestTarget& target) {
        return asio::co_spawn(io_, pool.acquire(target, target.endpoint, [] { return 10u; }),
                              asio::use_future);
    }
    /// Runs io_ until `done()` or about `ms` milliseconds.
    template <class Done> void run_until(Done&& done, int ms = 1500) {
        for (int i = 0; i < ms / 5 && !done(); ++i) {
            io_.run_one_for(std::chrono::milliseconds(5));
        }
    }
    template <class Future> static bool ready(Future& future) {
        return future.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
    }
    template <class T> T run(asio::awaitable<T> work) {
        auto future = asio::co_spawn(io_, std::move(work), asio::use_future);
        while (future.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
            io_.run_one_for(std::chrono::milliseconds(10));
        }
        return future.get();
    }

    asio::io_context io_;
    tcp::acceptor a_;
    tcp::acceptor b_;
    std::vector<tcp::socket> held_;
    PoolStats stats_;
    Pool pool_;
};

TEST_F(ConnectionPoolCutTest, CutsHeldConnectionsAndClosesIdleOnesOfThatEndpointOnly) {
    const auto on_a = target(a_, "s0");
    const auto on_b = target(b_, "s1");
    auto held = acquire(on_a);
    auto idle = acquire(on_a);
    auto other = acquire(on_b);
    pool_.release(idle);
    EXPECT_EQ(pool_.counts(on_a.endpoint).in_use, 1u);
    EXPECT_EQ(pool_.counts(on_a.endpoint).idle, 1u);

    // A read waiting on the held connection, as a session waits for a hung server's answer.
    std::optional<boost::system::error_code> read_ended;
    char byte = 0;
    asio::async_read(held->stream().socket(), asio::buffer(&byte, 1),
                     [&](boost::system::error_code ec, std::size_t) { read_ended = ec; });
    io_.run_for(std::chrono::milliseconds(50));
    EXPECT_FALSE(read_ended) << "the listener answers nothing";

    EXPECT_EQ(pool_.cut(on_a.endpoint, "health checks failed 2 times in a row"), 1u);
    EXPECT_EQ(stats_.backends_cut, 1u);
    for (int i = 0; i < 100 && !read_ended; ++i) {
        io_.run_one_for(std::chrono::milliseconds(10));
    }
    ASSERT_TRUE(read_ended) << "the waiting read did not end";
    EXPECT_EQ(*read_ended, asio::error::eof);
    EXPECT_EQ(held->state(), BackendLink::State::broken);
    EXPECT_EQ(held->cut_reason(), "health checks failed 2 times in a row");
    const auto where = "shard s0 (127.0.0.1:" + std::to_string(on_a.endpoint.port) + ") ";
    EXPECT_EQ(held->lost_during_statement("s0", true),
              where + "stopped answering (health checks failed 2 times in a row); the statement "
                      "was sent and its outcome is unknown");
    EXPECT_EQ(held->lost_during_statement("s0", false),
              where + "stopped answering (health checks failed 2 times in a row); the statement "
                      "was not sent");
    EXPECT_EQ(pool_.counts(on_a.endpoint).idle, 0u) << "idle connections to it are closed";

    // The holder gives the cut connection back: dropped, its place free.
    pool_.release(held);
    EXPECT_EQ(pool_.counts(on_a.endpoint).in_use, 0u);
    // The other endpoint's connection is untouched and still counted as in use.
    EXPECT_NE(other->state(), BackendLink::State::broken);
    EXPECT_EQ(pool_.counts(on_b.endpoint).in_use, 1u);
    EXPECT_EQ(pool_.cut(on_b.endpoint, "x"), 1u);
    EXPECT_EQ(pool_.cut(on_b.endpoint, "x"), 1u) << "cut until it is given back";
    pool_.release(other);
    EXPECT_EQ(pool_.cut(on_b.endpoint, "x"), 0u);

    // A new connection after the cut works as before.
    auto fresh = acquire(on_a);
    EXPECT_TRUE(fresh->cut_reason().empty());
    const auto port = std::to_string(on_a.endpoint.port);
    EXPECT_EQ(fresh->lost_during_statement("s0", true),
              "lost the connection to shard s0 (127.0.0.1:" + port +
                  ") while running the statement; its outcome is unknown");
    EXPECT_EQ(fresh->lost_during_statement("s0", false),
              "lost the connection to shard s0 (127.0.0.1:" + port +
                  ") before the statement was sent");
    pool_.release(fresh);
}

TEST_F(ConnectionPoolCutTest, AConnectionCutWhileHandedToAWaiterIsNotGivenToIt) {
    const auto on_a = target(a_, "s0");
    const auto one = [] { return 1u; }; // a pool of one: the second client waits
    auto first = run(pool_.acquire(on_a, on_a.endpoint, one)).connection;
    ASSERT_TRUE(first);
    auto waiting = asio::co_spawn(io_, pool_.acquire(on_a, on_a.endpoint, one), asio::use_future);
    io_.run_for(std::chrono::milliseconds(20));
    ASSERT_EQ(waiting.wait_for(std::chrono::seconds(0)), std::future_status::timeout);
    pool_.release(first); // handed to the waiter, which has not run yet
    EXPECT_EQ(pool_.cut(on_a.endpoint, "hung"), 1u) << "a connection being handed over is lent";
    while (waiting.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
        io_.run_one_for(std::chrono::milliseconds(10));
    }
    auto got = waiting.get();
    ASSERT_TRUE(got.connection) << got.reason;
    EXPECT_NE(got.connection, first) << "the cut connection was handed out";
    EXPECT_EQ(got.connection->state(), BackendLink::State::busy);
    EXPECT_EQ(pool_.counts(on_a.endpoint).in_use, 1u);
    pool_.release(got.connection);
}

TEST_F(ConnectionPoolCutTest, ConnectionsDroppedWithoutReleaseAreForgotten) {
    const auto on_a = target(a_, "s0");
    acquire(on_a).reset(); // (a holder that never gives it back)
    EXPECT_EQ(pool_.cut(on_a.endpoint, "x"), 0u);
}

/// A backend whose login takes 30 ms (a busy server); counts the logins in flight.
class SlowLoginLink : public TestLink {
public:
    using TestLink::TestLink;
    static inline unsigned in_flight = 0;
    static inline unsigned most_in_flight = 0;
    static inline unsigned failing = 0; ///< the next this many logins fail
    static inline unsigned login_ms = 30;

protected:
    asio::awaitable<std::string> login() override {
        most_in_flight = std::max(most_in_flight, ++in_flight);
        asio::steady_timer wait(co_await asio::this_coro::executor,
                                std::chrono::milliseconds(login_ms));
        co_await wait.async_wait(asio::use_awaitable);
        --in_flight;
        if (failing > 0) {
            --failing;
            co_return std::string("login refused");
        }
        co_return std::string();
    }
};

TEST_F(ConnectionPoolCutTest, AtMostMaxConnectingLogInAtOnceAndTheRestQueue) {
    ConnectionPool<SlowLoginLink> pool(io_, stats_, 5000, 1000, 3,
                                       net::make_backend_tls(net::BackendTlsMode::disable, ""));
    const auto size = [] { return 10u; };
    using Outcome = ConnectionPool<SlowLoginLink>::Outcome;
    // 8 clients at once for `target`; the outcomes once all are known.
    const auto burst = [&](const TestTarget& target) {
        std::vector<std::future<Outcome>> clients;
        for (int i = 0; i < 8; ++i) {
            clients.push_back(
                asio::co_spawn(io_, pool.acquire(target, target.endpoint, size), asio::use_future));
        }
        const auto ready = [&] {
            return std::all_of(clients.begin(), clients.end(), [](auto& client) {
                return client.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
            });
        };
        for (int i = 0; i < 500 && !ready(); ++i) {
            io_.run_one_for(std::chrono::milliseconds(10));
        }
        std::vector<Outcome> outcomes;
        for (auto& client : clients) {
            EXPECT_EQ(client.wait_for(std::chrono::seconds(0)), std::future_status::ready);
            outcomes.push_back(client.get());
        }
        return outcomes;
    };
    const auto on_a = target(a_, "s0");
    SlowLoginLink::in_flight = SlowLoginLink::most_in_flight = SlowLoginLink::failing = 0;
    auto outcomes = burst(on_a);
    EXPECT_EQ(SlowLoginLink::most_in_flight, 3u);
    for (const auto& outcome : outcomes) {
        EXPECT_TRUE(outcome.connection) << "each queued client logs in once a login ended";
    }
    EXPECT_EQ(stats_.backend_connects, 8u);
    EXPECT_GE(stats_.backend_connects_queued, 5u);
    EXPECT_EQ(stats_.pool_waits, 0u) << "the pool was never full";
    EXPECT_EQ(pool.counts(on_a.endpoint).in_use, 8u);
    for (auto& outcome : outcomes) {
        pool.release(outcome.connection);
    }
    EXPECT_EQ(pool.counts(on_a.endpoint).idle, 8u);

    // One login to another server fails (a slow login of a busy server): the clients queued
    // behind it wait on, and the next of them logs in.
    const auto on_b = target(b_, "s1");
    SlowLoginLink::most_in_flight = 0;
    SlowLoginLink::failing = 1;
    outcomes = burst(on_b);
    unsigned refused = 0;
    for (const auto& outcome : outcomes) {
        if (!outcome.connection) {
            EXPECT_EQ(outcome.reason, "login refused");
            ++refused;
        }
    }
    EXPECT_EQ(refused, 1u);
    EXPECT_EQ(pool.counts(on_b.endpoint).in_use, 7u);
    for (auto& outcome : outcomes) {
        if (outcome.connection) {
            pool.release(outcome.connection);
        }
    }

    // Two in a row with none logged in (a server that lets no one in): the waiting clients get
    // the failure at once instead of each trying in turn.
    tcp::acceptor c(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    accept(c);
    const auto on_c = target(c, "s2");
    SlowLoginLink::failing = 2;
    const auto connects = stats_.backend_connects;
    outcomes = burst(on_c);
    refused = 0;
    for (const auto& outcome : outcomes) {
        refused += outcome.connection ? 0 : 1;
    }
    EXPECT_GE(refused, 6u);
    EXPECT_LE(stats_.backend_connects - connects, 4u) << "no login per waiting client";
    for (auto& outcome : outcomes) {
        if (outcome.connection) {
            pool.release(outcome.connection);
        }
    }
}

TEST_F(ConnectionPoolCutTest, AWaitForALoginSlotTimesOutSayingSo) {
    // pool_timeout_ms 10, one login at a time of 30 ms: the second client's wait is for the
    // login slot (the pool of 10 is far from full), and its timeout says so.
    ConnectionPool<SlowLoginLink> pool(io_, stats_, 10, 1000, 1,
                                       net::make_backend_tls(net::BackendTlsMode::disable, ""));
    SlowLoginLink::in_flight = SlowLoginLink::most_in_flight = SlowLoginLink::failing = 0;
    const auto on_a = target(a_, "s0");
    const auto size = [] { return 10u; };
    auto first = asio::co_spawn(io_, pool.acquire(on_a, on_a.endpoint, size), asio::use_future);
    auto second = asio::co_spawn(io_, pool.acquire(on_a, on_a.endpoint, size), asio::use_future);
    for (int i = 0;
         i < 500 && second.wait_for(std::chrono::seconds(0)) != std::future_status::ready; ++i) {
        io_.run_one_for(std::chrono::milliseconds(10));
    }
    ASSERT_EQ(second.wait_for(std::chrono::seconds(0)), std::future_status::ready);
    const auto timed_out = second.get();
    EXPECT_FALSE(timed_out.connection);
    EXPECT_EQ(timed_out.failure, ConnectionPool<SlowLoginLink>::Outcome::Failure::timeout);
    EXPECT_EQ(timed_out.size, 10u);
    EXPECT_EQ(timed_out.open, 1u);
    EXPECT_EQ(timed_out.logging_in, 1u);
    for (int i = 0; i < 500 && first.wait_for(std::chrono::seconds(0)) != std::future_status::ready;
         ++i) {
        io_.run_one_for(std::chrono::milliseconds(10));
    }
    auto logged_in = first.get();
    ASSERT_TRUE(logged_in.connection) << logged_in.reason;
    pool.release(logged_in.connection);
}

TEST_F(ConnectionPoolCutTest, AClientLoggingInTakesAConnectionReleasedBeforeItsLoginEnds) {
    // Logins of 400 ms (a busy server), statements of milliseconds: a client that started a
    // login takes the first connection released meanwhile; its login goes on and its connection
    // joins the pool. A login that then fails is no failure of that client's.
    ConnectionPool<SlowLoginLink> pool(io_, stats_, 5000, 2000, 2,
                                       net::make_backend_tls(net::BackendTlsMode::disable, ""));
    SlowLoginLink::in_flight = SlowLoginLink::most_in_flight = SlowLoginLink::failing = 0;
    SlowLoginLink::login_ms = 400;
    const auto on_a = target(a_, "s0");
    const auto spawn = [&] { return spawn_acquire(pool, on_a); };
    auto first = spawn();
    run_until([&] { return ready(first); });
    auto held = first.get().connection;
    ASSERT_TRUE(held);

    std::vector<std::shared_ptr<SlowLoginLink>> kept;
    for (const bool login_fails : {false, true}) {
        if (pool.counts(on_a.endpoint).idle > 0) { // (the last round's login) taken at once
            auto idle = spawn();
            run_until([&] { return ready(idle); });
            kept.push_back(idle.get().connection);
            ASSERT_TRUE(kept.back());
        }
        SlowLoginLink::failing = login_fails ? 1 : 0;
        const auto failures = stats_.backend_connect_failures;
        const auto in_use = pool.counts(on_a.endpoint).in_use;
        const auto waits = stats_.pool_wait.count;
        const auto waited_us = stats_.pool_wait.sum_us;
        auto next = spawn();
        io_.run_for(std::chrono::milliseconds(50)); // its login has started
        EXPECT_EQ(SlowLoginLink::in_flight, 1u);
        const auto released_at = std::chrono::steady_clock::now();
        auto* raw = held.get();
        pool.release(std::move(held));
        run_until([&] { return ready(next); });
        ASSERT_TRUE(ready(next));
        EXPECT_LT(std::chrono::steady_clock::now() - released_at, std::chrono::milliseconds(250))
            << "it did not wait for its login";
        auto outcome = next.get();
        ASSERT_TRUE(outcome.connection) << outcome.reason;
        EXPECT_EQ(outcome.connection.get(), raw) << "the released connection";
        EXPECT_EQ(SlowLoginLink::in_flight, 1u) << "its login goes on";
        EXPECT_EQ(stats_.pool_wait.count, waits + 1);
        EXPECT_GE(stats_.pool_wait.sum_us - waited_us, 50'000u)
            << "the time until the released connection, counted as a wait";
        run_until([] { return SlowLoginLink::in_flight == 0; });
        io_.run_for(std::chrono::milliseconds(20));
        EXPECT_EQ(stats_.backend_connect_failures - failures, login_fails ? 1u : 0u);
        EXPECT_EQ(pool.counts(on_a.endpoint).in_use, in_use);
        EXPECT_EQ(pool.counts(on_a.endpoint).idle, login_fails ? 0u : 1u)
            << "the login's connection, pooled";
        held = std::move(outcome.connection);
    }
    EXPECT_EQ(stats_.backend_logins_overtaken, 2u);
    EXPECT_EQ(stats_.backend_connects, 3u);
    for (auto& connection : kept) {
        pool.release(std::move(connection));
    }
    pool.release(std::move(held));
    EXPECT_EQ(pool.counts(on_a.endpoint).idle, 2u);
    SlowLoginLink::login_ms = 30;
}

TEST_F(ConnectionPoolCutTest, AReleasedConnectionGoesFirstToAClientWithADeadline) {
    // One login at a time of 1 s, pool_timeout_ms 300: B runs its own login, C waits for the
    // login slot with a deadline. A's connection goes to C (B can wait for its login), then back
    // to B when C is done.
    ConnectionPool<SlowLoginLink> pool(io_, stats_, 300, 2000, 1,
                                       net::make_backend_tls(net::BackendTlsMode::disable, ""));
    SlowLoginLink::in_flight = SlowLoginLink::most_in_flight = SlowLoginLink::failing = 0;
    SlowLoginLink::login_ms = 30;
    const auto on_a = target(a_, "s0");
    const auto spawn = [&] { return spawn_acquire(pool, on_a); };
    auto a = spawn();
    run_until([&] { return ready(a); }, 500);
    auto held = a.get().connection;
    ASSERT_TRUE(held);
    SlowLoginLink::login_ms = 1000;
    auto b = spawn();
    io_.run_for(std::chrono::milliseconds(20));
    auto c = spawn();
    io_.run_for(std::chrono::milliseconds(20));
    EXPECT_EQ(stats_.backend_connects_queued, 1u) << "C waits for the login slot";
    auto* raw = held.get();
    pool.release(std::move(held));
    run_until([&] { return ready(c); }, 100);
    ASSERT_TRUE(ready(c)) << "C, with a deadline, got the released connection";
    EXPECT_FALSE(ready(b));
    auto for_c = c.get();
    ASSERT_TRUE(for_c.connection) << for_c.reason;
    EXPECT_EQ(for_c.connection.get(), raw);
    pool.release(std::move(for_c.connection));
    run_until([&] { return ready(b); }, 100);
    ASSERT_TRUE(ready(b)) << "B took it back before its login ended";
    auto for_b = b.get();
    EXPECT_EQ(for_b.connection.get(), raw);
    EXPECT_EQ(stats_.backend_logins_overtaken, 1u);
    for (int i = 0; i < 300 && SlowLoginLink::in_flight > 0; ++i) {
        io_.run_one_for(std::chrono::milliseconds(10));
    }
    io_.run_for(std::chrono::milliseconds(20));
    EXPECT_EQ(pool.counts(on_a.endpoint).idle, 1u) << "B's login, pooled";
    pool.release(std::move(for_b.connection));
    SlowLoginLink::login_ms = 30;
}

constexpr const char* map_yaml = R"(format_version: 1
epoch: 1
databases:
  shop:
    engine: postgresql
    default_shard: s0
    shards:
      s0: {primary: 127.0.0.1:5432, replicas: [127.0.0.1:5433]}
      s1: {primary: 127.0.0.1:5442}
)";

TEST(DownWatch, ReportsEachBackendOnceWhenItGoesDown) {
    auto map = shardmaps::parse_shard_map(map_yaml, "map.yaml");
    Config config;
    BackendRegistry registry(map, config);
    std::vector<monitor::BackendState> states(registry.backends().size());
    for (auto& state : states) {
        state.health = Health::up;
        state.unresponsive = true; // (the health probes ran into their timeouts)
    }
    const auto index_of = [&](int port) {
        for (const auto& backend : registry.backends()) {
            if (backend.endpoint.port == port) {
                return backend.index;
            }
        }
        ADD_FAILURE() << port;
        return BackendIndex{0};
    };
    registry.publish(states);
    DownWatch watch;
    EXPECT_TRUE(watch.newly_down(registry).empty());

    auto& replica = states[index_of(5433)];
    replica.health = Health::down;
    replica.consecutive_failures = 2;
    replica.last_error = "no answer within 1000 ms\n";
    registry.publish(states);
    auto down = watch.newly_down(registry);
    ASSERT_EQ(down.size(), 1u);
    EXPECT_EQ(down[0].endpoint.port, 5433);
    EXPECT_EQ(down[0].shard, "s0");
    EXPECT_EQ(down[0].reason, "health checks failed 2 times in a row: no answer within 1000 ms");
    EXPECT_TRUE(watch.newly_down(registry).empty()) << "nothing published meanwhile";
    registry.publish(states);
    EXPECT_TRUE(watch.newly_down(registry).empty()) << "still down: not again";

    replica.health = Health::up;
    registry.publish(states);
    EXPECT_TRUE(watch.newly_down(registry).empty());
    replica.health = Health::down;
    states[index_of(5442)].health = Health::down;
    registry.publish(states);
    EXPECT_EQ(watch.newly_down(registry).size(), 2u) << "down again, and another one";

    DownWatch late; // a watch that first looks now sees both
    EXPECT_EQ(late.newly_down(registry).size(), 2u);

    // Down because it refuses (a stopped server, a refused monitor login): not cut.
    auto& refusing = states[index_of(5432)];
    refusing.health = Health::down;
    refusing.unresponsive = false;
    registry.publish(states);
    EXPECT_TRUE(watch.newly_down(registry).empty());
    refusing.unresponsive = true;
    registry.publish(states);
    EXPECT_EQ(watch.newly_down(registry).size(), 1u) << "then it stopped answering";
}

} // namespace
