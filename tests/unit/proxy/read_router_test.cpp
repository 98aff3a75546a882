// ReadRouter over a published health view (no servers): lag bound, hint, fallback, health,
// suspicion, primary down, read-your-writes window and causal (LSN and GTID).
#include "shardgate/proxy/etcd_client.hpp"
#include "shardgate/proxy/read_router.hpp"
#include "shardgate/shardmaps/keyspace_id.hpp"
#include "shardgate/shardmaps/loader.hpp"

#include <chrono>
#include <gtest/gtest.h>
#include <map>

namespace {

using namespace shardgate;
using namespace shardgate::proxy;
using monitor::Health;

constexpr const char* map_yaml = R"(format_version: 1
epoch: 1
databases:
  shop:
    engine: postgresql
    default_shard: s0
    read_routing: {max_replica_lag_ms: 500}
    shards:
      s0: {primary: 127.0.0.1:5432, replicas: [127.0.0.1:5433, 127.0.0.1:5434]}
      s1: {primary: 127.0.0.1:5442, replicas: [127.0.0.1:5443],
           read_routing: {fallback: error, read_your_writes: causal}}
      s2: {primary: 127.0.0.1:5452, replicas: [127.0.0.1:5453],
           read_routing: {read_your_writes: window, read_your_writes_window_ms: 60000}}
      s3: {primary: 127.0.0.1:5462, replicas: [127.0.0.1:5463],
           read_routing: {read_your_writes: proxy}}
)";

class ReadRouterTest : public ::testing::Test {
protected:
    ReadRouterTest()
        : map_(shardmaps::parse_shard_map(map_yaml, "map.yaml")), config_(make_config()),
          registry_(map_, config_), router_(registry_, nullptr) {
        for (const auto& backend : registry_.backends()) {
            auto& state = states_.emplace_back();
            state.spec.role = backend.role;
            state.health = Health::up;
            if (backend.role == monitor::Role::replica) {
                state.heartbeat_lag_ms = 10;
                state.engine.io_running = state.engine.sql_running = true;
            }
        }
        registry_.publish(states_);
    }
    static Config make_config() {
        Config config;
        config.health_interval_ms = 500;
        config.health_threshold = 3;
        return config;
    }
    /// Index of the backend listening on `port`.
    BackendIndex at(int port) const {
        for (const auto& backend : registry_.backends()) {
            if (backend.endpoint.port == port) {
                return backend.index;
            }
        }
        ADD_FAILURE() << port;
        return 0;
    }
    monitor::BackendState& state(int port) { return states_[at(port)]; }
    void publish() { registry_.publish(states_); }
    int read_port(shardmaps::ShardId shard, const ReadRequest& extra = {}) {
        ReadRequest request = extra;
        request.database = "shop";
        request.shard = shard;
        auto choice = router_.route_read(request);
        return choice.ok() ? choice.info->endpoint.port : -1;
    }

    shardmaps::ShardMapPtr map_;
    Config config_;
    BackendRegistry registry_;
    ReadRouter router_;
    std::vector<monitor::BackendState> states_;
};

TEST_F(ReadRouterTest, FreshReplicasShareReads) {
    std::map<int, int> ports;
    for (int i = 0; i < 100; ++i) {
        ++ports[read_port(0)];
    }
    EXPECT_EQ(ports[5433], 50);
    EXPECT_EQ(ports[5434], 50);
    EXPECT_EQ(router_.counters()[at(5433)].reads, 50u);
}

TEST_F(ReadRouterTest, LagBoundAndHintAndDownReplicas) {
    state(5433).heartbeat_lag_ms = 900; // over the database's 500 ms
    publish();
    for (int i = 0; i < 10; ++i) {
        EXPECT_EQ(read_port(0), 5434);
    }
    ReadRequest hinted;
    hinted.max_lag_ms = 5; // tighter than 5434's 10 ms: nothing qualifies -> primary
    EXPECT_EQ(read_port(0, hinted), 5432);
    state(5434).health = Health::down;
    publish();
    EXPECT_EQ(read_port(0), 5432);
    EXPECT_EQ(router_.stats().reads_fallback_primary, 2u);
}

TEST_F(ReadRouterTest, LagAgesUntilTheNextMeasurement) {
    // 5433 measured at 300 ms lag 400 ms ago: it may be at 700 ms by now (over 500).
    const auto now = std::chrono::steady_clock::now();
    state(5433).heartbeat_lag_ms = 300;
    state(5433).heartbeat_measured_at = now - std::chrono::milliseconds(400);
    state(5434).heartbeat_lag_ms = 300;
    state(5434).heartbeat_measured_at = now;
    publish();
    EXPECT_GE(*state(5433).lag_bound_at(now), 700);
    EXPECT_EQ(*state(5433).effective_lag_ms(), 300); // what /status shows: the measurement
    for (int i = 0; i < 10; ++i) {
        EXPECT_EQ(read_port(0), 5434);
    }
}

TEST_F(ReadRouterTest, FallbackErrorNamesTheShard) {
    state(5443).replication_stopped = true;
    publish();
    ReadRequest request;
    request.database = "shop";
    request.shard = 1;
    const auto choice = router_.route_read(request);
    ASSERT_FALSE(choice.ok());
    EXPECT_EQ(choice.sqlstate, "57P03");
    EXPECT_EQ(choice.mysql_errno, 1105);
    EXPECT_NE(choice.message.find("s1"), std::string::npos) << choice.message;
}

TEST_F(ReadRouterTest, FailedBackendIsSuspectedAndExcluded) {
    router_.failed(at(5433));
    for (int i = 0; i < 10; ++i) {
        EXPECT_EQ(read_port(0), 5434);
    }
    const BackendIndex failed[] = {at(5434)};
    ReadRequest retry;
    retry.exclude = failed;
    EXPECT_EQ(read_port(0, retry), 5432); // both replicas out: the primary
}

TEST_F(ReadRouterTest, PrimaryDownLetsLaggingReplicasServe) {
    state(5432).health = Health::down;
    state(5433).heartbeat_lag_ms = 60000;
    state(5434).replication_stopped = true; // no WAL receiver without a primary
    publish();
    std::map<int, int> ports;
    for (int i = 0; i < 10; ++i) {
        ++ports[read_port(0)];
    }
    EXPECT_EQ(ports[5433] + ports[5434], 10);
    const auto write = router_.route_write("shop", 0);
    ASSERT_TRUE(write.ok()); // still tried: fails fast at connect, resumes when back
    EXPECT_EQ(write.info->endpoint.port, 5432);
    const BackendIndex failed[] = {at(5432)};
    const auto excluded = router_.route_write("shop", 0, failed);
    ASSERT_FALSE(excluded.ok());
    EXPECT_NE(excluded.message.find("shard s0"), std::string::npos) << excluded.message;
}

TEST_F(ReadRouterTest, CausalByLsnAndGtid) {
    state(5443).engine.wal_lsn = 1000;
    publish();
    WriteMark mark{std::chrono::steady_clock::now(), 1500, {}};
    ReadRequest request;
    request.last_write = &mark;
    // Not replayed yet: the primary, even though this shard's fallback is `error`.
    EXPECT_EQ(read_port(1, request), 5442);
    state(5443).engine.wal_lsn = 1500;
    publish();
    EXPECT_EQ(read_port(1, request), 5443);
    WriteMark gtid{std::chrono::steady_clock::now(), std::nullopt, "0-1-20"};
    request.last_write = &gtid;
    state(5443).engine.gtid_slave_pos = "0-1-19";
    publish();
    EXPECT_EQ(read_port(1, request), 5442);
    state(5443).engine.gtid_slave_pos = "0-1-20";
    publish();
    EXPECT_EQ(read_port(1, request), 5443);
    WriteMark unknown{std::chrono::steady_clock::now(), std::nullopt, {}};
    request.last_write = &unknown;
    EXPECT_EQ(read_port(1, request), 5442);
    EXPECT_EQ(read_port(1), 5443); // a session that never wrote
}

// read_your_writes: proxy: every session (here: one that never wrote, on another worker's
// router) reads from a replica only once it replayed every commit the proxy acknowledged.
TEST_F(ReadRouterTest, ProxyWideWatermarkHoldsBackEverySession) {
    ReadRouter other_worker(registry_, nullptr);
    state(5463).engine.wal_lsn = 1000;
    publish();
    EXPECT_EQ(read_port(3), 5463); // nothing committed yet
    router_.committed("shop", 3, WriteMark{std::chrono::steady_clock::now(), 1500, {}});
    router_.committed("shop", 3, WriteMark{std::chrono::steady_clock::now(), 1200, {}});
    ReadRequest request;
    request.database = "shop";
    request.shard = 3;
    auto choice = other_worker.route_read(request);
    ASSERT_TRUE(choice.ok());
    EXPECT_EQ(choice.info->endpoint.port, 5462); // not replayed: the primary
    state(5463).engine.wal_lsn = 1499;
    publish();
    EXPECT_EQ(read_port(3), 5462);
    state(5463).engine.wal_lsn = 1500; // the watermark stayed at the newest commit
    publish();
    EXPECT_EQ(read_port(3), 5463);
    // A session whose own last commit position is unknown stays on the primary.
    WriteMark unknown{std::chrono::steady_clock::now(), std::nullopt, {}};
    request.last_write = &unknown;
    EXPECT_EQ(read_port(3, request), 5462);
    // Other shards are not held back by this shard's commits.
    EXPECT_EQ(read_port(2), 5453);
}

TEST(CommitWatermark, GtidSequencesOnlyMoveForwardWithinOneDomain) {
    CommitWatermark watermark;
    EXPECT_FALSE(watermark.mark());
    watermark.advance(WriteMark{{}, std::nullopt, "0-1-20"});
    watermark.advance(WriteMark{{}, std::nullopt, "0-2-7"});
    watermark.advance(WriteMark{{}, std::nullopt, ""}); // position not learnt: ignored
    ASSERT_TRUE(watermark.mark());
    EXPECT_TRUE(gtid_covered("0-1-20", watermark.mark()->gtid));
    EXPECT_FALSE(gtid_covered("0-1-19", watermark.mark()->gtid));
    watermark.advance(WriteMark{{}, std::nullopt, "1-1-3"}); // another domain: unknown
    ASSERT_TRUE(watermark.mark());
    EXPECT_TRUE(watermark.mark()->gtid.empty());
    EXPECT_FALSE(watermark.mark()->lsn);
}

TEST_F(ReadRouterTest, WindowSendsRecentWritersToThePrimary) {
    WriteMark recent{std::chrono::steady_clock::now(), std::nullopt, {}};
    WriteMark old{std::chrono::steady_clock::now() - std::chrono::minutes(2), std::nullopt, {}};
    ReadRequest request;
    request.last_write = &recent;
    EXPECT_EQ(read_port(2, request), 5452);
    request.last_write = &old;
    EXPECT_EQ(read_port(2, request), 5453);
    EXPECT_EQ(router_.stats().reads_read_your_writes_primary, 1u);
}

} // namespace

namespace {

/// Every backend of `registry` up and fresh.
void publish_all_fresh(BackendRegistry& registry) {
    std::vector<monitor::BackendState> states;
    for (const auto& backend : registry.backends()) {
        auto& state = states.emplace_back();
        state.spec.role = backend.role;
        state.health = Health::up;
        if (backend.role == monitor::Role::replica) {
            state.heartbeat_lag_ms = 10;
            state.engine.io_running = state.engine.sql_running = true;
        }
    }
    registry.publish(states);
}

/// Port of the replica serving `key_hash` on shard s0 of a map with these replica ports.
std::map<std::uint64_t, int> hash_owners(const std::string& replicas, int keys) {
    const std::string yaml = "format_version: 1\nepoch: 1\ndatabases:\n  shop:\n"
                             "    engine: postgresql\n    default_shard: s0\n"
                             "    read_routing: {balance: hash}\n    shards:\n"
                             "      s0: {primary: 127.0.0.1:5432, replicas: [" +
                             replicas + "]}\n";
    auto map = shardmaps::parse_shard_map(yaml, "map.yaml");
    Config config;
    BackendRegistry registry(map, config);
    publish_all_fresh(registry);
    ReadRouter router(registry, nullptr);
    std::map<std::uint64_t, int> owners;
    for (int key = 0; key < keys; ++key) {
        const auto hash = shardmaps::keyspace_id(std::to_string(key));
        ReadRequest request;
        request.database = "shop";
        request.key_hash = hash;
        const auto first = router.route_read(request);
        const auto again = router.route_read(request);
        EXPECT_TRUE(first.ok() && again.ok());
        EXPECT_EQ(first.backend, again.backend);
        owners[hash] = first.info->endpoint.port;
    }
    return owners;
}

} // namespace

TEST(ReadRouterHash, KeysStayPutAndOnlyALeavingReplicasKeysMove) {
    constexpr int keys = 3000;
    const auto three = hash_owners("127.0.0.1:5433, 127.0.0.1:5434, 127.0.0.1:5435", keys);
    std::map<int, int> shares;
    for (const auto& [hash, port] : three) {
        ++shares[port];
    }
    for (int port : {5433, 5434, 5435}) {
        EXPECT_NEAR(shares[port], keys / 3, keys / 15) << port;
    }
    // 5434 leaves the map (positions of the others shift): only its keys move.
    const auto two = hash_owners("127.0.0.1:5433, 127.0.0.1:5435", keys);
    int moved = 0;
    for (const auto& [hash, port] : three) {
        if (port != 5434) {
            EXPECT_EQ(two.at(hash), port);
        } else {
            ++moved;
            EXPECT_NE(two.at(hash), 5434);
        }
    }
    EXPECT_EQ(moved, shares[5434]);
}

// A live map reload: a new epoch with other read settings is installed and read at once; a
// replaced replica retires (its index stays, in no shard's list) and the new one is appended;
// a stale epoch or a renamed shard is refused and the running map stays.
TEST(LiveMap, InstallsNewerEpochsAndServersLive) {
    const std::string head = "format_version: 1\nepoch: ";
    const std::string body = "\ndatabases:\n  shop:\n    engine: postgresql\n"
                             "    default_shard: s0\n    read_policy: POLICY\n    shards:\n"
                             "      SHARD: {primary: 127.0.0.1:5432, replicas: [REPLICA]}\n";
    auto text = [&](int epoch, const std::string& policy, const std::string& replica,
                    const std::string& shard = "s0") {
        auto yaml = head + std::to_string(epoch) + body;
        yaml.replace(yaml.find("POLICY"), 6, policy);
        yaml.replace(yaml.find("REPLICA"), 7, replica);
        yaml.replace(yaml.find("SHARD"), 5, shard);
        if (shard != "s0") {
            yaml.replace(yaml.find("default_shard: s0"), 17, "default_shard: " + shard);
        }
        return shardmaps::parse_shard_map(yaml, "map.yaml");
    };
    Config config;
    BackendRegistry registry(text(1, "replica", "127.0.0.1:5433"), config);
    const auto* first = &registry.map();
    EXPECT_EQ(registry.map_epoch(), 1u);
    EXPECT_TRUE(registry.install_map(text(2, "primary", "127.0.0.1:5433")).empty());
    EXPECT_EQ(registry.map_epoch(), 2u);
    EXPECT_EQ(registry.backends().size(), 2u); // the same servers: the same backends
    EXPECT_EQ(registry.map().find_database("shop")->settings().read_policy,
              shardmaps::ReadPolicy::primary);
    EXPECT_EQ(registry.map_of(1)->epoch(), 1u); // kept: references into it stay valid
    EXPECT_EQ(&*registry.map_of(1), first);
    const auto stale = registry.install_map(text(2, "replica", "127.0.0.1:5433"));
    ASSERT_EQ(stale.size(), 1u);
    EXPECT_NE(stale[0].find("epochs only move forward"), std::string::npos) << stale[0];
    const auto* before = registry.shard("shop", 0);
    const auto commits = before->commits;
    EXPECT_TRUE(registry.install_map(text(3, "replica", "127.0.0.1:5499")).empty());
    const auto backends = registry.backends();
    ASSERT_EQ(backends.size(), 3u);
    EXPECT_TRUE(backends[1].retired); // 5433
    EXPECT_FALSE(backends[2].retired);
    EXPECT_EQ(backends[2].endpoint.port, 5499);
    const auto* shard = registry.shard("shop", 0);
    EXPECT_EQ(shard->primary, 0u);
    EXPECT_EQ(shard->replicas, std::vector<BackendIndex>{2});
    EXPECT_EQ(shard->commits, commits); // the shard's commit watermark goes on
    EXPECT_GE(registry.view()->states.size(), 3u);
    const auto renamed = registry.install_map(text(4, "replica", "127.0.0.1:5499", "s9"));
    ASSERT_EQ(renamed.size(), 1u);
    EXPECT_NE(renamed[0].find("shard s0 becomes s9"), std::string::npos) << renamed[0];
    EXPECT_EQ(registry.map_epoch(), 3u);
    EXPECT_EQ(registry.map_of(7)->epoch(), 3u); // an unknown epoch: the running map
}

TEST(LiveMap, Base64AsTheEtcdGatewaySpeaksIt) {
    const std::vector<std::string> texts{
        "", "f", "fo", "foo", "foob", "/shardgate/map", std::string("\x00\xff\x10", 3)};
    for (const auto& text : texts) {
        EXPECT_EQ(base64_decode(base64_encode(text)), text);
    }
    EXPECT_EQ(base64_encode("/t/a"), "L3QvYQ==");
    EXPECT_EQ(base64_decode("L3QvYg=="), "/t/b");
    EXPECT_FALSE(base64_decode("not*base64"));
    EXPECT_EQ(etcd_map_key("/p"), "/p/map");
    EXPECT_EQ(etcd_proxy_key("/p", "a"), "/p/proxies/a");
}
