// Two-phase commit without servers: transaction ids, the statements each engine runs, and the
// protocol's order and failure handling against scripted shard answers.
#include "common/two_phase.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>
#include <map>

namespace {

using namespace shardgate::proxy;

TEST(TwoPhase, IdsCarryTheShardsAndParseBack) {
    const auto txn = next_txn_id();
    EXPECT_NE(txn, next_txn_id());
    const auto gid = participant_gid(txn, "pg0", "pg1");
    ASSERT_TRUE(gid);
    EXPECT_LE(gid->size(), 64u); // MariaDB's gtrid limit
    const auto parsed = parse_gid(*gid);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->txn, txn);
    EXPECT_EQ(parsed->coordinator, "pg0");
    EXPECT_EQ(parsed->participant, "pg1");
    EXPECT_FALSE(participant_gid(txn, "pg.0", "pg1"));
    EXPECT_FALSE(participant_gid(txn, "pg0", "a-shard-name-too-long-for-ids"));
    EXPECT_FALSE(parse_gid("someone-elses-xid"));
    EXPECT_FALSE(parse_gid("sg1.abc.pg0"));
    EXPECT_FALSE(parse_gid("sg1.abc..pg1"));
    EXPECT_FALSE(parse_gid("sg1.a.b.c.d"));
}

TEST(TwoPhase, EachEngineSpeaksItsOwnSql) {
    const TwoPhaseSql pg{TwoPhaseEngine::postgresql};
    const TwoPhaseSql my{TwoPhaseEngine::mysql};
    EXPECT_EQ(pg.prepare("g"), std::vector<std::string>{"PREPARE TRANSACTION 'g'"});
    EXPECT_EQ(my.prepare("g"), (std::vector<std::string>{"XA END 'g'", "XA PREPARE 'g'"}));
    EXPECT_EQ(pg.commit_prepared("g"), "COMMIT PREPARED 'g'");
    EXPECT_EQ(my.commit_prepared("g"), "XA COMMIT 'g'");
    EXPECT_EQ(my.start("g", "BEGIN"), "XA START 'g'");
    EXPECT_EQ(pg.start("g", "BEGIN ISOLATION LEVEL SERIALIZABLE"),
              "BEGIN ISOLATION LEVEL SERIALIZABLE");
    EXPECT_NE(pg.record_abort("t").find("ON CONFLICT (txn) DO NOTHING"), std::string::npos);
    EXPECT_NE(my.record_abort("t").find("INSERT IGNORE"), std::string::npos);
    EXPECT_EQ(sql_literal(TwoPhaseEngine::postgresql, "it's"), "'it''s'");
}

/// Runs the protocol against scripted answers: `fail` maps "shard index:statement prefix"
/// to the answer that statement gets; everything else succeeds. Records what ran.
struct Script {
    std::map<std::string, StepResult> fail;
    std::vector<std::string> ran;

    RunStep runner() {
        return [this](std::size_t index, std::string sql) -> asio::awaitable<StepResult> {
            ran.push_back(std::to_string(index) + ":" + sql);
            for (const auto& [key, result] : fail) {
                if (ran.back().rfind(key, 0) == 0) {
                    co_return result;
                }
            }
            co_return StepResult{true, sql == "COMMIT" ? "COMMIT" : "", false, "", "", std::nullopt,
                                 0};
        };
    }
};

CommitOutcome commit(Script& script, TwoPhaseEngine engine = TwoPhaseEngine::postgresql) {
    boost::asio::io_context io;
    const std::vector<TxnShard> shards{{"s0", ""}, {"s1", "sg1.t.s0.s1"}, {"s2", "sg1.t.s0.s2"}};
    auto future = boost::asio::co_spawn(
        io, commit_two_phase(TwoPhaseSql{engine}, "t", shards, script.runner()),
        boost::asio::use_future);
    io.run();
    return future.get();
}

TEST(TwoPhase, CommitPreparesRecordsCommitsThenFinishes) {
    Script script;
    const auto outcome = commit(script);
    EXPECT_EQ(outcome.result, CommitOutcome::Result::committed);
    ASSERT_EQ(script.ran.size(), 6u);
    EXPECT_EQ(script.ran[0], "1:PREPARE TRANSACTION 'sg1.t.s0.s1'");
    EXPECT_EQ(script.ran[1], "2:PREPARE TRANSACTION 'sg1.t.s0.s2'");
    EXPECT_EQ(script.ran[2].rfind("0:INSERT INTO shardgate.txn_decisions", 0), 0u);
    EXPECT_NE(script.ran[2].find("'commit', 's1,s2'"), std::string::npos);
    EXPECT_EQ(script.ran[3], "0:COMMIT");
    EXPECT_EQ(script.ran[4], "1:COMMIT PREPARED 'sg1.t.s0.s1'");
    EXPECT_EQ(script.ran[5], "2:COMMIT PREPARED 'sg1.t.s0.s2'");
    EXPECT_TRUE(outcome.left_in_doubt.empty());
}

TEST(TwoPhase, AFailedPrepareRollsEveryShardBack) {
    Script script;
    script.fail["2:PREPARE"] =
        StepResult{false, "", false, "40001", "could not serialize", std::nullopt, 0};
    const auto outcome = commit(script);
    EXPECT_EQ(outcome.result, CommitOutcome::Result::aborted);
    EXPECT_EQ(outcome.sqlstate, "40001");
    EXPECT_NE(outcome.message.find("shard s2: PREPARE failed: could not serialize"),
              std::string::npos);
    // s1 was prepared: rolled back prepared; s2's failed PREPARE already rolled it back;
    // the coordinator rolls back; no decision was recorded.
    EXPECT_EQ(script.ran,
              (std::vector<std::string>{"1:PREPARE TRANSACTION 'sg1.t.s0.s1'",
                                        "2:PREPARE TRANSACTION 'sg1.t.s0.s2'",
                                        "1:ROLLBACK PREPARED 'sg1.t.s0.s1'", "0:ROLLBACK"}));
}

TEST(TwoPhase, ACoordinatorThatRolledBackAbortsTheParticipants) {
    Script script;
    script.fail["0:COMMIT"] = StepResult{true, "ROLLBACK", false, "", "", std::nullopt, 0};
    const auto outcome = commit(script);
    EXPECT_EQ(outcome.result, CommitOutcome::Result::aborted);
    EXPECT_EQ(script.ran.back(), "2:ROLLBACK PREPARED 'sg1.t.s0.s2'");
}

TEST(TwoPhase, ALostCoordinatorCommitLeavesTheOutcomeToTheResolver) {
    Script script;
    script.fail["0:COMMIT"] =
        StepResult{false, "", true, "08006", "connection lost", std::nullopt, 0};
    const auto outcome = commit(script);
    EXPECT_EQ(outcome.result, CommitOutcome::Result::unknown);
    EXPECT_EQ(outcome.sqlstate, "08007");
    EXPECT_EQ(outcome.left_in_doubt, (std::vector<std::string>{"s1", "s2"}));
    EXPECT_EQ(script.ran.back(), "0:COMMIT"); // nothing after it: the participants wait
}

TEST(TwoPhase, AFailedCommitPreparedIsLeftForTheResolver) {
    Script script;
    script.fail["1:COMMIT PREPARED"] =
        StepResult{false, "", true, "08006", "lost", std::nullopt, 0};
    const auto outcome = commit(script);
    EXPECT_EQ(outcome.result, CommitOutcome::Result::committed);
    EXPECT_EQ(outcome.left_in_doubt, std::vector<std::string>{"s1"});
    EXPECT_EQ(script.ran.back(), "2:COMMIT PREPARED 'sg1.t.s0.s2'");
}

TEST(TwoPhase, MariaDbEndsEachBranchBeforePreparingIt) {
    Script script;
    script.fail["1:XA PREPARE"] =
        StepResult{false, "", false, "XA100", "XA_RBROLLBACK", std::nullopt, 0};
    const auto outcome = commit(script, TwoPhaseEngine::mysql);
    EXPECT_EQ(outcome.result, CommitOutcome::Result::aborted);
    EXPECT_EQ(script.ran,
              (std::vector<std::string>{"1:XA END 'sg1.t.s0.s1'", "1:XA PREPARE 'sg1.t.s0.s1'",
                                        "1:XA END 'sg1.t.s0.s1'", "1:XA ROLLBACK 'sg1.t.s0.s1'",
                                        "2:XA END 'sg1.t.s0.s2'", "2:XA ROLLBACK 'sg1.t.s0.s2'",
                                        "0:ROLLBACK"}));
}

} // namespace
