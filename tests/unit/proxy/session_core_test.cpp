// SessionCore without servers: plans to targets and refusals, merging, the second-shard
// refusal in a transaction, the transaction and pin state, read routing through the
// ReadRouter over a published health view, and read-your-writes after a commit.
#include "common/session_core.hpp"
#include "shardgate/shardmaps/loader.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>

namespace {

using namespace shardgate;
using namespace shardgate::proxy;

constexpr const char* map_yaml = R"(format_version: 1
epoch: 1
databases:
  shop:
    engine: postgresql
    default_shard: s0
    read_routing: {read_your_writes: causal, read_your_writes_wait_ms: 0}
    shards:
      s0: {primary: 127.0.0.1:5432, replicas: [127.0.0.1:5433]}
      s1: {primary: 127.0.0.1:5442, replicas: [127.0.0.1:5443]}
)";

router::Plan route_plan(shardmaps::ShardId shard, router::Role role, bool write = false) {
    router::Plan plan;
    plan.kind = router::PlanKind::route;
    plan.role = role;
    plan.shards = {shard};
    plan.shard_names = {shard == 0 ? "s0" : "s1"};
    plan.is_write = write;
    return plan;
}

class SessionCoreTest : public ::testing::Test {
protected:
    SessionCoreTest()
        : map_(shardmaps::parse_shard_map(map_yaml, "map.yaml")), registry_(map_, config_),
          router_(registry_, nullptr), core_(stats_, router_) {
        for (const auto& backend : registry_.backends()) {
            auto& state = states_.emplace_back();
            state.spec.role = backend.role;
            state.health = monitor::Health::up;
            if (backend.role == monitor::Role::replica) {
                state.heartbeat_lag_ms = 10;
                state.engine.io_running = state.engine.sql_running = true;
                state.engine.wal_lsn = 100;
            }
        }
        registry_.publish(states_);
        core_.use(map_->find_database("shop"), "shop");
    }
    /// The port of the backend `choose` picks for `target`.
    int chosen_port(const Target& target) {
        auto future = boost::asio::co_spawn(io_, core_.choose(target, {}), boost::asio::use_future);
        io_.run();
        io_.restart();
        const auto choice = future.get();
        return choice.ok() ? choice.info->endpoint.port : -1;
    }

    shardmaps::ShardMapPtr map_;
    Config config_;
    BackendRegistry registry_;
    ReadRouter router_;
    SessionStats stats_;
    SessionCore core_;
    std::vector<monitor::BackendState> states_;
    boost::asio::io_context io_;
};

TEST_F(SessionCoreTest, SingleShardPlansBecomeTargets) {
    auto read = core_.target_for(route_plan(1, router::Role::replica), false);
    ASSERT_TRUE(read);
    EXPECT_EQ(read->shard, 1u);
    EXPECT_FALSE(read->primary);
    auto forced = core_.target_for(route_plan(1, router::Role::replica), true);
    EXPECT_TRUE(forced->primary); // an autocommit=0 session, for example
    auto write = core_.target_for(route_plan(0, router::Role::primary, true), false);
    EXPECT_TRUE(write->primary);
    EXPECT_TRUE(write->write);
}

TEST_F(SessionCoreTest, RejectsAndMultiShardPlansAreRefusedAndCounted) {
    router::Plan reject;
    reject.kind = router::PlanKind::reject;
    reject.sqlstate = "22023";
    reject.reason = "bad key";
    auto refused = core_.target_for(reject, false);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().sqlstate, "22023");
    EXPECT_EQ(refused.error().message, "bad key");
    router::Plan scatter = route_plan(0, router::Role::replica);
    scatter.kind = router::PlanKind::scatter;
    scatter.shards = {0, 1};
    scatter.shard_names = {"s0", "s1"};
    auto cross = core_.target_for(scatter, false);
    ASSERT_FALSE(cross);
    EXPECT_EQ(cross.error().sqlstate, "0A000");
    EXPECT_NE(cross.error().message.find("needs 2 shards (s0, s1)"), std::string::npos);
    EXPECT_EQ(stats_.rejected_by_plan, 1u);
    EXPECT_EQ(stats_.rejected_cross_shard, 1u);
}

TEST_F(SessionCoreTest, MergeKeepsOneShardAndTheStrongestRole) {
    auto merged = core_.merge({Target{0, false, false, 500}, Target{0, true, true, 200}});
    ASSERT_TRUE(merged);
    EXPECT_TRUE(merged->primary);
    EXPECT_TRUE(merged->write);
    EXPECT_EQ(merged->max_lag_ms, 200u);
    auto split = core_.merge({Target{0, false}, Target{1, false}});
    ASSERT_FALSE(split);
    EXPECT_NE(split.error().message.find("different shards (s0 and s1)"), std::string::npos);
}

TEST_F(SessionCoreTest, ATransactionStaysOnItsShard) {
    core_.begin("BEGIN");
    EXPECT_EQ(core_.txn(), Txn::deferred);
    EXPECT_EQ(core_.begin_sql(), "BEGIN");
    // Deferred: whatever the plan's role, the transaction starts on a primary.
    EXPECT_TRUE(core_.target_for(route_plan(1, router::Role::replica), false)->primary);
    EXPECT_EQ(chosen_port(Target{1, false}), 5442);
    core_.pin(1, 0);
    core_.transaction_started();
    EXPECT_FALSE(core_.second_shard(1));
    EXPECT_EQ(core_.txn_shards(), std::vector<shardmaps::ShardId>{1});
    EXPECT_FALSE(core_.distributed());
    // cross_shard_transactions: two_phase (default): another shard may join ...
    EXPECT_FALSE(core_.second_shard(0));
    EXPECT_TRUE(core_.merge({Target{0, true}}));
    core_.unpin();
    core_.pin(0, 1);
    EXPECT_EQ(core_.txn_shards(), (std::vector<shardmaps::ShardId>{1, 0}));
    EXPECT_TRUE(core_.distributed());
    EXPECT_FALSE(core_.txn_id().empty());
    const auto id = core_.txn_id();
    EXPECT_EQ(core_.txn_id(), id); // one id for the whole transaction
    core_.unpin();
    core_.pin(1, 0);
    // ... but not after a savepoint: a ROLLBACK TO would undo one shard only.
    core_.end_transaction();
    core_.begin("BEGIN");
    core_.pin(1, 0);
    core_.transaction_started();
    core_.savepoint_set();
    // SHOW (planned for the default shard) reads the session's settings on the block's shard.
    auto show = route_plan(0, router::Role::replica);
    show.statement = shardgate::parser::StatementKind::show;
    EXPECT_EQ(core_.target_for(show, false)->shard, 1u);
    auto refusal = core_.second_shard(0);
    ASSERT_TRUE(refusal);
    EXPECT_NE(refusal->message.find("transaction already on shard s1"), std::string::npos);
    EXPECT_NE(refusal->message.find("savepoint"), std::string::npos);
    EXPECT_FALSE(core_.merge({Target{0, true}}));
    EXPECT_EQ(stats_.rejected_cross_shard_txn, 2u);
    core_.ran(Target{1, true, true});
    EXPECT_TRUE(core_.wrote());
    core_.end_transaction();
    core_.unpin();
    EXPECT_EQ(core_.txn(), Txn::none);
    EXPECT_FALSE(core_.wrote());
    EXPECT_TRUE(core_.txn_shards().empty());
    EXPECT_FALSE(core_.second_shard(0));
}

TEST_F(SessionCoreTest, CrossShardReadsInATransactionRunOnPrimariesWhenThePlaneHoldsThem) {
    router::Plan scatter = route_plan(0, router::Role::replica);
    scatter.kind = router::PlanKind::scatter;
    scatter.shards = {0, 1};
    scatter.shard_names = {"s0", "s1"};
    scatter.statement = shardgate::parser::StatementKind::select;
    auto outside = core_.scatter_targets(scatter);
    ASSERT_TRUE(outside);
    EXPECT_FALSE(outside->front().primary); // replicas outside a transaction
    core_.begin("BEGIN");
    auto refused = core_.scatter_targets(scatter);
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().message.find("inside a transaction"), std::string::npos);
    auto inside = core_.scatter_targets(scatter, true);
    ASSERT_TRUE(inside);
    ASSERT_EQ(inside->size(), 2u);
    EXPECT_EQ((*inside)[0].shard, 0u);
    EXPECT_EQ((*inside)[1].shard, 1u);
    EXPECT_TRUE((*inside)[0].primary && (*inside)[1].primary); // the transaction's writes
    EXPECT_FALSE((*inside)[0].write);
    scatter.is_write = true; // never a write
    EXPECT_FALSE(core_.scatter_targets(scatter, true));
}

TEST_F(SessionCoreTest, ReadsGoToAFreshReplicaAndSeeTheSessionsWrites) {
    EXPECT_EQ(chosen_port(Target{0, false}), 5433);
    EXPECT_EQ(stats_.routed_replica, 1u);
    EXPECT_TRUE(core_.may_retry(Target{0, false}));
    EXPECT_FALSE(core_.may_retry(Target{0, true}));
    // A commit at LSN 200: the replica (replayed to 100) cannot serve this session's reads.
    core_.committed(0, WriteMark{std::chrono::steady_clock::now(), 200, {}});
    EXPECT_EQ(chosen_port(Target{0, false}), 5432);
    EXPECT_EQ(stats_.replica_fallback_to_primary, 1u);
    EXPECT_EQ(chosen_port(Target{1, false}), 5443); // another shard is not affected
}

} // namespace
