// Writes of several shards without servers: the pieces a plan makes, the one answer of their
// scripted outcomes (counts summed, RETURNING rows back in the statement's order, the first
// failure naming its shard), and what is refused.
#include "common/multi_write.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>

namespace {

using namespace shardgate;
using namespace shardgate::proxy;

router::Plan insert_plan() {
    router::Plan plan;
    plan.kind = router::PlanKind::scatter;
    plan.statement = parser::StatementKind::insert;
    plan.is_write = true;
    plan.shards = {0, 1};
    plan.shard_names = {"s0", "s1"};
    plan.merge.split_insert_rows = true;
    plan.merge.insert_row_shards = {1, 0, 1};
    return plan;
}

MultiWriteOutcome run(const std::vector<WritePiece>& pieces, std::vector<PieceAnswer> answers,
                      bool copies, std::vector<std::size_t>* ran = nullptr) {
    asio::io_context io;
    const RunPiece runner = [&](std::size_t i) -> asio::awaitable<PieceAnswer> {
        if (ran) {
            ran->push_back(i);
        }
        co_return answers[i];
    };
    const std::vector<std::string> names{"s0", "s1"}; // outlives the coroutine
    auto future =
        asio::co_spawn(io, run_multi_write(pieces, names, copies, runner), asio::use_future);
    io.run();
    return future.get();
}

PieceAnswer ok(std::string tag, std::vector<std::string> rows = {}, std::uint64_t id = 0) {
    PieceAnswer answer;
    answer.ok = true;
    answer.tag = tag;
    answer.affected = tag_count(tag);
    answer.rows = std::move(rows);
    answer.last_insert_id = id;
    return answer;
}

TEST(MultiWrite, SplitInsertMakesOnePiecePerShardWithItsRows) {
    const auto pieces =
        write_pieces(insert_plan(), "INSERT INTO t (id, v) VALUES (1, 'a'), (2, 'b'), (3, 'c')",
                     parser::Dialect::pg, {}, false);
    ASSERT_TRUE(pieces);
    ASSERT_EQ(pieces->size(), 2u);
    EXPECT_EQ((*pieces)[0].shard, 0u);
    EXPECT_EQ((*pieces)[0].sql, "INSERT INTO t (id, v) VALUES (2, 'b')");
    EXPECT_EQ((*pieces)[1].sql, "INSERT INTO t (id, v) VALUES (1, 'a'), (3, 'c')");
    EXPECT_EQ((*pieces)[1].rows, (std::vector<std::uint32_t>{0, 2}));
    auto other = insert_plan();
    other.merge.split_insert_rows = false;
    other.statement = parser::StatementKind::update;
    const auto same = write_pieces(other, "UPDATE t SET v = 1", parser::Dialect::pg, {}, false);
    ASSERT_TRUE(same);
    ASSERT_EQ(same->size(), 2u);
    EXPECT_EQ((*same)[1].sql, "UPDATE t SET v = 1");
}

TEST(MultiWrite, CountsAddUpAndReturnedRowsComeBackInStatementOrder) {
    const auto pieces =
        *write_pieces(insert_plan(), "INSERT INTO t (id) VALUES (1), (2), (3) RETURNING id",
                      parser::Dialect::pg, {}, false);
    const auto outcome =
        run(pieces, {ok("INSERT 0 1", {"row2"}, 7), ok("INSERT 0 2", {"row1", "row3"}, 5)}, false);
    ASSERT_TRUE(outcome.ok);
    EXPECT_EQ(outcome.tag, "INSERT 0 3");
    EXPECT_EQ(outcome.affected, 3u);
    EXPECT_EQ(outcome.rows, (std::vector<std::string>{"row1", "row2", "row3"}));
    EXPECT_EQ(outcome.last_insert_id, 5u) << "the id of the statement's first row";
}

TEST(MultiWrite, ACopyOnEveryShardAnswersOnce) {
    auto plan = insert_plan();
    plan.merge.split_insert_rows = false;
    plan.kind = router::PlanKind::broadcast;
    plan.copies = true;
    const auto pieces =
        *write_pieces(plan, "INSERT INTO r VALUES (1), (2)", parser::Dialect::pg, {}, false);
    const auto outcome = run(pieces, {ok("INSERT 0 2"), ok("INSERT 0 2")}, true);
    EXPECT_EQ(outcome.tag, "INSERT 0 2");
}

TEST(MultiWrite, TheFirstFailureStopsAndNamesItsShard) {
    auto plan = insert_plan();
    plan.merge.split_insert_rows = false;
    const auto pieces = *write_pieces(plan, "DELETE FROM t", parser::Dialect::pg, {}, false);
    PieceAnswer failed;
    failed.failure = {"23505", "duplicate key", 1062};
    std::vector<std::size_t> ran;
    const auto outcome = run(pieces, {failed, ok("DELETE 1")}, false, &ran);
    EXPECT_FALSE(outcome.ok);
    EXPECT_EQ(outcome.failure.sqlstate, "23505");
    EXPECT_EQ(outcome.failure.code, 1062);
    EXPECT_EQ(outcome.failure.message, "shard s0: duplicate key");
    EXPECT_EQ(ran, (std::vector<std::size_t>{0}));
}

TEST(MultiWrite, RefusesWhatWouldNotMeanTheSame) {
    shardmaps::Shard s0;
    s0.name = "s0";
    shardmaps::Shard s1;
    s1.name = "s1";
    shardmaps::DatabaseSettings settings;
    const shardmaps::Database db("shop", shardmaps::Engine::postgresql, {s0, s1}, 0, settings, {});
    settings.cross_shard_transactions = shardmaps::CrossShardTransactions::reject;
    const shardmaps::Database strict("shop", shardmaps::Engine::postgresql, {s0, s1}, 0, settings,
                                     {});
    auto plan = insert_plan();
    plan.merge.split_insert_rows = false;
    plan.statement = parser::StatementKind::delete_;
    plan.merge.has_limit = true;
    EXPECT_TRUE(multi_write_refusal(plan, db));
    plan.merge.has_limit = false;
    EXPECT_FALSE(multi_write_refusal(plan, db));
    EXPECT_TRUE(multi_write_refusal(plan, strict));
    plan.is_write = false;
    EXPECT_FALSE(is_multi_write(plan));
    plan.is_write = true;
    plan.statement = parser::StatementKind::ddl;
    EXPECT_FALSE(is_multi_write(plan)) << "DDL is broadcast, not a write";
    EXPECT_FALSE(write_pieces(insert_plan(), "INSERT INTO t (id) VALUES (1), (2)",
                              parser::Dialect::pg, {}, false))
        << "the plan has three rows";
    EXPECT_EQ(tag_with_count("UPDATE 3", 9), "UPDATE 9");
    EXPECT_EQ(tag_with_count("CREATE TABLE", 0), "CREATE TABLE");
    EXPECT_EQ(tag_count("INSERT 0 12"), 12u);
    EXPECT_EQ(tag_count("BEGIN"), 0u);
}

} // namespace
