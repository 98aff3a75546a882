// Multi-row INSERTs cut per shard: rows copied byte for byte, head and tail on every piece,
// PostgreSQL placeholders renumbered; and the plan's row-to-shard assignment.
#include "planner_support.hpp"
#include "shardgate/router/insert_split.hpp"

#include <gtest/gtest.h>

namespace {

using namespace shardgate::router;
using shardgate::parser::Dialect;
using shardgate::parser::LexMode;

std::vector<ShardInsert> split(std::string_view sql, Dialect dialect,
                               std::vector<std::uint32_t> rows, std::uint32_t pieces,
                               bool renumber = false, LexMode mode = {}) {
    auto out = split_insert(sql, dialect, mode, rows, pieces, renumber);
    EXPECT_TRUE(out.has_value()) << sql;
    return out.value_or(std::vector<ShardInsert>{});
}

TEST(InsertSplit, RowsGoToTheirPiecesWithHeadAndTailOnEach) {
    const auto out = split("INSERT INTO customers (id, name) VALUES (1, 'a'), (2, E'b\\'c'), "
                           "(3, x'ff') ON CONFLICT (id) DO NOTHING RETURNING id",
                           Dialect::pg, {0, 1, 0}, 2);
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0].sql, "INSERT INTO customers (id, name) VALUES (1, 'a'), (3, x'ff') ON "
                          "CONFLICT (id) DO NOTHING RETURNING id");
    EXPECT_EQ(out[1].sql, "INSERT INTO customers (id, name) VALUES (2, E'b\\'c') ON CONFLICT "
                          "(id) DO NOTHING RETURNING id");
    EXPECT_EQ(out[0].rows, (std::vector<std::uint32_t>{0, 2}));
    EXPECT_EQ(out[1].rows, (std::vector<std::uint32_t>{1}));
}

TEST(InsertSplit, NestedParenthesesStringsAndCommentsStayInTheirRow) {
    const auto out = split("/* shardgate: primary */ INSERT INTO t (id, v) VALUES (1, "
                           "concat('(', 'x,y)')), (2, DEFAULT), (3, NULL) -- end",
                           Dialect::mysql, {1, 0, 1}, 2);
    EXPECT_EQ(out[0].sql, "/* shardgate: primary */ INSERT INTO t (id, v) VALUES (2, DEFAULT) "
                          "-- end");
    EXPECT_EQ(out[1].sql, "/* shardgate: primary */ INSERT INTO t (id, v) VALUES (1, "
                          "concat('(', 'x,y)')), (3, NULL) -- end");
}

TEST(InsertSplit, MysqlBackslashEscapesAndOnDuplicateKey) {
    const auto out = split(
        "INSERT INTO t (id, v) VALUE (1, 'it\\'s'), (2, 'a\\\\') ON DUPLICATE KEY UPDATE v = 'z'",
        Dialect::mysql, {0, 1}, 2);
    EXPECT_EQ(out[0].sql,
              "INSERT INTO t (id, v) VALUE (1, 'it\\'s') ON DUPLICATE KEY UPDATE v = 'z'");
    EXPECT_EQ(out[1].sql,
              "INSERT INTO t (id, v) VALUE (2, 'a\\\\') ON DUPLICATE KEY UPDATE v = 'z'");
}

TEST(InsertSplit, PostgresPlaceholdersAreRenumberedPerPiece) {
    const auto out = split("INSERT INTO t (id, v) VALUES ($1, $2), ($3, $4), ($5, $2) "
                           "ON CONFLICT (id) DO UPDATE SET v = $6",
                           Dialect::pg, {0, 1, 1}, 2, true);
    EXPECT_EQ(out[0].sql, "INSERT INTO t (id, v) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET "
                          "v = $3");
    EXPECT_EQ(out[0].params, (std::vector<std::uint32_t>{0, 1, 5}));
    EXPECT_EQ(out[1].sql, "INSERT INTO t (id, v) VALUES ($1, $2), ($3, $4) ON CONFLICT (id) DO "
                          "UPDATE SET v = $5");
    EXPECT_EQ(out[1].params, (std::vector<std::uint32_t>{2, 3, 4, 1, 5}));
}

TEST(InsertSplit, RefusesWhatItCannotCut) {
    EXPECT_FALSE(split_insert("INSERT INTO t (id) SELECT 1", Dialect::pg, {}, {0}, 1, false));
    EXPECT_FALSE(split_insert("INSERT INTO t (id) VALUES (1), (2)", Dialect::pg, {}, {0}, 1, false))
        << "row count differs from the plan's";
    EXPECT_FALSE(
        split_insert("INSERT INTO t (id) VALUES (1), (2)", Dialect::pg, {}, {0, 2}, 2, false))
        << "piece out of range";
    EXPECT_FALSE(split_insert("INSERT INTO t (id) VALUES (1, 'x", Dialect::pg, {}, {0}, 1, false));
}

TEST(InsertSplit, PlanAssignsEveryRowItsShard) {
    using shardgate::router::testing::owner;
    using shardgate::router::testing::route;
    std::vector<int> keys;
    std::string sql = "INSERT INTO customers (id, name) VALUES ";
    for (int key = 1; key <= 40; ++key) {
        keys.push_back(key * 7919);
        sql += key > 1 ? ", (" : "(";
        sql += std::to_string(keys.back());
        sql += ", 'n')";
    }
    const auto plan = route("shop", sql);
    ASSERT_EQ(plan.kind, PlanKind::scatter) << describe(plan);
    ASSERT_TRUE(plan.merge.split_insert_rows);
    ASSERT_EQ(plan.merge.insert_row_shards.size(), keys.size());
    for (std::size_t i = 0; i < keys.size(); ++i) {
        EXPECT_EQ(plan.shard_names[plan.merge.insert_row_shards[i]],
                  owner("shop", "customers", static_cast<std::int64_t>(keys[i])));
    }
}

} // namespace
