// The monitor against the real topology: health, heartbeat lag with replay paused, one
// heartbeat row per proxy id, a dead backend marked down, a hung one delaying nobody else.
#include "shardgate/monitor/monitor.hpp"
#include "topology.hpp"

#include <algorithm>
#include <chrono>
#include <functional>
#include <gtest/gtest.h>
#include <iostream>
#include <memory>
#include <netinet/in.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace shardgate::monitor {
namespace {

using namespace std::chrono_literals;

BackendSpec to_spec(const testing::Server& server) {
    BackendSpec spec;
    spec.engine = parse_engine(server.engine).value();
    spec.shard = server.shard;
    spec.role = parse_role(server.role).value();
    spec.host = server.host;
    spec.port = server.port;
    spec.user = server.admin_user;
    spec.password = server.admin_password;
    spec.database = server.database;
    return spec;
}

std::string test_proxy_id(const std::string& suffix = "") {
    return "monitor-test-" + std::to_string(::getpid()) + suffix;
}

std::unique_ptr<Monitor> start_monitor(const std::vector<BackendSpec>& backends,
                                       const std::string& proxy_id) {
    MonitorOptions options;
    options.proxy_id = proxy_id;
    auto monitor = std::make_unique<Monitor>(backends, options);
    monitor->start();
    return monitor;
}

std::vector<BackendSpec> topology_specs() {
    std::vector<BackendSpec> specs;
    for (const testing::Server& server : testing::load_topology()) {
        specs.push_back(to_spec(server));
    }
    return specs;
}

/// Stops the monitors, then deletes their heartbeat rows from every primary.
void forget_proxies(std::vector<std::unique_ptr<Monitor>> monitors) {
    std::string ids;
    for (auto& monitor : monitors) {
        monitor->stop();
        ids += (ids.empty() ? "'" : ", '") + monitor->options().proxy_id + "'";
    }
    const std::string sql = "DELETE FROM shardgate_heartbeat WHERE proxy_id IN (" + ids + ")";
    const auto all = testing::load_topology();
    for (const testing::Server& server : testing::servers(all, "mysql", "primary")) {
        testing::MysqlConnection(server, true, server.database).execute(sql);
    }
    for (const testing::Server& server : testing::servers(all, "postgresql", "primary")) {
        pqxx::connection connection(testing::pg_conninfo(server, true));
        pqxx::nontransaction(connection).exec(sql);
    }
}

const BackendState& state_of(const std::vector<BackendState>& states, const std::string& shard,
                             Role role) {
    for (const BackendState& state : states) {
        if (state.spec.shard == shard && state.spec.role == role) {
            return state;
        }
    }
    throw std::runtime_error("no backend " + shard);
}

/// Polls the monitor until `done` holds or `timeout` passes; returns the last snapshot.
std::vector<BackendState>
wait_for(const Monitor& monitor, const std::function<bool(const std::vector<BackendState>&)>& done,
         std::chrono::milliseconds timeout, bool* reached = nullptr) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::vector<BackendState> states = monitor.snapshot();
    while (!done(states) && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(50ms);
        states = monitor.snapshot();
    }
    if (reached != nullptr) {
        *reached = done(states);
    }
    return states;
}

bool all_ready(const std::vector<BackendState>& states) {
    for (const BackendState& state : states) {
        if (state.health != Health::up ||
            (state.spec.role == Role::replica && !state.heartbeat_lag_ms)) {
            return false;
        }
    }
    return true;
}

std::int64_t lag_of(const std::vector<BackendState>& states, const std::string& shard) {
    return state_of(states, shard, Role::replica).heartbeat_lag_ms.value_or(-1);
}

/// Pauses replay on a shard's replica and always resumes it, even when a test fails.
class ReplayPause {
public:
    explicit ReplayPause(std::string shard) : shard_(std::move(shard)) {
        testing::topology_script("lag pause " + shard_);
        paused_ = true;
    }
    ~ReplayPause() {
        try {
            resume();
        } catch (const std::exception& error) {
            std::cerr << "could not resume replay on " << shard_ << ": " << error.what() << "\n";
        }
    }
    ReplayPause(const ReplayPause&) = delete;
    ReplayPause& operator=(const ReplayPause&) = delete;

    void resume() {
        if (paused_) {
            paused_ = false;
            testing::topology_script("lag resume " + shard_);
        }
    }

private:
    std::string shard_;
    bool paused_ = false;
};

/// Starts monitors for a test and removes their heartbeat rows afterwards.
class MonitorLag : public ::testing::Test {
protected:
    void TearDown() override {
        try {
            forget_proxies(std::move(monitors_));
        } catch (const std::exception& error) {
            ADD_FAILURE() << "cleaning heartbeat rows: " << error.what();
        }
    }

    Monitor& start(const std::vector<BackendSpec>& backends, const std::string& proxy_id) {
        return *monitors_.emplace_back(start_monitor(backends, proxy_id));
    }

    std::vector<std::unique_ptr<Monitor>> monitors_;
};

TEST_F(MonitorLag, AllBackendsUpWithSmallLagAndEngineViews) {
    Monitor& monitor = start(topology_specs(), test_proxy_id());
    bool ready = false;
    const auto states = wait_for(monitor, all_ready, 15s, &ready);
    ASSERT_TRUE(ready);
    for (const BackendState& state : states) {
        SCOPED_TRACE(describe(state.spec));
        EXPECT_TRUE(state.probe_latency_us.has_value());
        EXPECT_FALSE(state.replication_stopped);
        EXPECT_TRUE(state.effective_lag_ms().has_value());
        if (state.spec.role == Role::primary) {
            continue;
        }
        EXPECT_LT(*state.heartbeat_lag_ms, 500);
        EXPECT_TRUE(state.engine.io_running);
        EXPECT_TRUE(state.engine.sql_running);
        if (state.spec.engine == Engine::postgresql) {
            EXPECT_TRUE(state.engine.wal_lsn.has_value());
        } else {
            EXPECT_FALSE(state.engine.gtid_slave_pos.empty());
            EXPECT_TRUE(state.engine.seconds_behind_master.has_value());
        }
        std::cout << describe(state.spec) << ": heartbeat lag " << *state.heartbeat_lag_ms
                  << " ms, probe " << *state.probe_latency_us << " us, lag bytes "
                  << state.engine.replay_lag_bytes.value_or(-1) << ", behind "
                  << state.engine.seconds_behind_master.value_or(-1) << " s, gtid '"
                  << state.engine.gtid_slave_pos << "'\n";
    }
}

class PausedReplay : public MonitorLag,
                     public ::testing::WithParamInterface<std::pair<std::string, std::string>> {};

TEST_P(PausedReplay, LagGrowsWhilePausedAndRecoversAfterResume) {
    const auto& [paused_shard, other_shard] = GetParam();
    Monitor& monitor = start(topology_specs(), test_proxy_id());
    bool reached = false;
    wait_for(monitor, all_ready, 15s, &reached);
    ASSERT_TRUE(reached);

    ReplayPause pause(paused_shard);
    auto states = wait_for(
        monitor, [&](const auto& s) { return lag_of(s, paused_shard) > 1000; }, 10s, &reached);
    ASSERT_TRUE(reached) << "lag stayed at " << lag_of(states, paused_shard) << " ms";
    const BackendState& paused = state_of(states, paused_shard, Role::replica);
    EXPECT_LT(lag_of(states, other_shard), 500);
    EXPECT_FALSE(paused.effective_lag_ms().has_value()) << "stopped replay counts as infinite";
    EXPECT_TRUE(paused.replication_stopped);
    std::cout << paused_shard << " paused: heartbeat lag " << lag_of(states, paused_shard)
              << " ms, " << other_shard << " " << lag_of(states, other_shard) << " ms\n";

    const auto resumed_at = std::chrono::steady_clock::now();
    pause.resume();
    states = wait_for(
        monitor,
        [&](const auto& s) {
            return lag_of(s, paused_shard) >= 0 && lag_of(s, paused_shard) < 500 &&
                   !state_of(s, paused_shard, Role::replica).replication_stopped;
        },
        10s, &reached);
    ASSERT_TRUE(reached) << "lag still " << lag_of(states, paused_shard) << " ms";
    std::cout << paused_shard << " resumed: lag " << lag_of(states, paused_shard) << " ms after "
              << std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::steady_clock::now() - resumed_at)
                     .count()
              << " ms\n";
}

INSTANTIATE_TEST_SUITE_P(Engines, PausedReplay,
                         ::testing::Values(std::pair<std::string, std::string>{"pg0", "pg1"},
                                           std::pair<std::string, std::string>{"my0", "my1"}));

TEST_F(MonitorLag, OneHeartbeatRowPerProxy) {
    const auto specs = topology_specs();
    Monitor& first = start(specs, test_proxy_id("-a"));
    Monitor& second = start(specs, test_proxy_id("-b"));
    bool reached = false;
    wait_for(first, all_ready, 15s, &reached);
    ASSERT_TRUE(reached);
    wait_for(second, all_ready, 15s, &reached);
    ASSERT_TRUE(reached);

    const auto all = testing::load_topology();
    testing::MysqlConnection mysql(testing::find_server(all, "my0", "primary"), true, "social");
    const auto rows = mysql.query("SELECT proxy_id, seq FROM shardgate_heartbeat WHERE proxy_id "
                                  "LIKE '" +
                                  test_proxy_id("-_") + "' ORDER BY proxy_id");
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0][0], test_proxy_id("-a"));
    EXPECT_EQ(rows[1][0], test_proxy_id("-b"));

    pqxx::connection pg(testing::pg_conninfo(testing::find_server(all, "pg1", "primary"), true));
    pqxx::nontransaction tx(pg);
    const auto pg_rows = tx.exec("SELECT count(*) FROM shardgate_heartbeat WHERE proxy_id IN ('" +
                                 test_proxy_id("-a") + "', '" + test_proxy_id("-b") + "')");
    EXPECT_EQ(pg_rows[0][0].as<int>(), 2);
}

TEST(MonitorHealth, UnreachableBackendIsDownWithInfiniteLag) {
    BackendSpec dead;
    dead.engine = Engine::mysql;
    dead.shard = "nowhere";
    dead.role = Role::replica;
    dead.host = "127.0.0.1";
    dead.port = 1;
    dead.user = "admin";
    dead.database = "social";
    auto monitor = start_monitor({dead}, test_proxy_id());
    bool reached = false;
    const auto states = wait_for(
        *monitor, [](const auto& s) { return s[0].consecutive_failures >= 3; }, 5s, &reached);
    ASSERT_TRUE(reached);
    EXPECT_EQ(states[0].health, Health::down);
    EXPECT_FALSE(states[0].last_error.empty());
    EXPECT_FALSE(states[0].effective_lag_ms().has_value());
}

/// A TCP port on 127.0.0.1 that completes handshakes (the kernel's backlog) but never
/// answers a byte: what a stopped or wedged server looks like to a client.
class SilentListener {
public:
    SilentListener() {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t size = sizeof(address);
        if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&address), size) != 0 ||
            ::listen(fd_, 64) != 0 ||
            ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
            throw std::runtime_error("cannot open a silent listener");
        }
        port_ = ntohs(address.sin_port);
    }
    ~SilentListener() { ::close(fd_); }
    SilentListener(const SilentListener&) = delete;
    SilentListener& operator=(const SilentListener&) = delete;

    int port() const { return port_; }

private:
    int fd_ = -1;
    int port_ = 0;
};

TEST_F(MonitorLag, HungBackendDelaysOnlyItsOwnProbes) {
    SilentListener silent;
    auto specs = topology_specs();
    const std::size_t live = specs.size();
    for (const auto engine : {Engine::postgresql, Engine::mysql}) {
        // A login of each engine that never gets an answer.
        BackendSpec hung = *std::find_if(specs.begin(), specs.begin() + live,
                                         [&](const BackendSpec& s) { return s.engine == engine; });
        hung.shard = "hung";
        hung.role = Role::replica;
        hung.port = silent.port();
        specs.push_back(hung);
    }
    MonitorOptions options;
    options.proxy_id = test_proxy_id();
    options.health_interval = 100ms;
    options.connect_timeout = 2000ms;
    Monitor& monitor = *monitors_.emplace_back(std::make_unique<Monitor>(specs, options));
    monitor.start();
    const auto others_ready = [&](const std::vector<BackendState>& states) {
        return all_ready({states.begin(), states.begin() + live});
    };
    bool reached = false;
    auto before = wait_for(monitor, others_ready, 15s, &reached);
    ASSERT_TRUE(reached) << "the live backends were not all measured while one hangs";

    // 2 s: one blocked login of the hung backend, 20 health intervals, 20 heartbeats.
    std::this_thread::sleep_for(2s);
    const auto after = monitor.snapshot();
    for (std::size_t i = 0; i < live; ++i) {
        SCOPED_TRACE(describe(after[i].spec));
        EXPECT_EQ(after[i].health, Health::up);
        const auto probes = after[i].consecutive_successes - before[i].consecutive_successes;
        const auto heartbeats =
            after[i].heartbeat_seq.value_or(0) - before[i].heartbeat_seq.value_or(0);
        EXPECT_GE(probes, 8u) << "health probes in 2 s";
        if (after[i].spec.role == Role::primary) {
            EXPECT_GE(heartbeats, 8) << "heartbeats in 2 s";
        } else {
            EXPECT_LT(after[i].heartbeat_lag_ms.value_or(1000000), 500);
        }
        std::cout << describe(after[i].spec) << ": " << probes << " probes, heartbeat seq +"
                  << heartbeats << " in 2 s\n";
    }
    for (std::size_t i = live; i < after.size(); ++i) {
        const BackendState& stuck = after[i];
        EXPECT_NE(stuck.health, Health::up);
        EXPECT_EQ(stuck.consecutive_successes, 0u);
        std::cout << "hung " << engine_name(stuck.spec.engine)
                  << " backend: " << health_name(stuck.health) << ", " << stuck.consecutive_failures
                  << " failed probes, last error: " << stuck.last_error << "\n";
    }
}

} // namespace
} // namespace shardgate::monitor
