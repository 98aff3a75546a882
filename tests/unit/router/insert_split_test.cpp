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

namespace {

using shardgate::router::fill_keys;

TEST(FillKeys, AddsTheKeyColumnAndAnIdToEveryRow) {
    const auto out = fill_keys("INSERT INTO customers (name, note) VALUES ('a', E'x\\'('), ($1, "
                               "DEFAULT) RETURNING id",
                               Dialect::pg, LexMode{}, "id", -1, {7, 8});
    ASSERT_TRUE(out);
    EXPECT_EQ(*out, "INSERT INTO customers (id, name, note) VALUES (7, 'a', E'x\\'('), (8, $1, "
                    "DEFAULT) RETURNING id");
}

TEST(FillKeys, ReplacesDefaultInTheKeyColumnOnly) {
    const auto out = fill_keys("INSERT INTO users (name, id) VALUES ('a', DEFAULT), ('b', 5), "
                               "(concat('x', ','), DEFAULT)",
                               Dialect::mysql, LexMode{}, "id", 1, {100, 101});
    ASSERT_TRUE(out);
    EXPECT_EQ(*out, "INSERT INTO users (name, id) VALUES ('a', 100), ('b', 5), "
                    "(concat('x', ','), 101)");
}

TEST(FillKeys, EmptyListsDefaultValuesAndQuotedNames) {
    EXPECT_EQ(fill_keys("INSERT INTO t () VALUES ()", Dialect::mysql, LexMode{}, "Id", -1, {3}),
              "INSERT INTO t (`Id`) VALUES (3)");
    EXPECT_EQ(fill_keys("INSERT INTO t DEFAULT VALUES RETURNING *", Dialect::pg, LexMode{}, "id",
                        -1, {9}),
              "INSERT INTO t (id) VALUES (9) RETURNING *");
    EXPECT_EQ(fill_keys("INSERT INTO t (v) VALUES (1)", Dialect::pg, LexMode{}, "userId", -1, {4}),
              "INSERT INTO t (\"userId\", v) VALUES (4, 1)");
}

TEST(FillKeys, RefusesShapesItCannotFill) {
    // No column list: where the key goes is unknown.
    EXPECT_FALSE(fill_keys("INSERT INTO t VALUES (1)", Dialect::pg, LexMode{}, "id", -1, {1}));
    // MySQL's INSERT ... SET.
    EXPECT_FALSE(fill_keys("INSERT INTO t SET v = 1", Dialect::mysql, LexMode{}, "id", -1, {1}));
    // Not one id per row that needs one.
    EXPECT_FALSE(
        fill_keys("INSERT INTO t (v) VALUES (1), (2)", Dialect::pg, LexMode{}, "id", -1, {1}));
    EXPECT_FALSE(fill_keys("INSERT INTO t (id, v) VALUES (DEFAULT, 1)", Dialect::pg, LexMode{},
                           "id", 0, {1, 2}));
}

TEST(FillKeys, PlannerAsksForIdsThenRoutesTheFilledStatement) {
    using shardgate::router::testing::route;
    auto plan = route("shop", "INSERT INTO customers (name) VALUES ('a'), ('b') RETURNING id");
    ASSERT_TRUE(plan.generated_keys);
    EXPECT_EQ(plan.kind, PlanKind::reject); // a path that cannot generate refuses
    EXPECT_EQ(plan.generated_keys->count, 2u);
    EXPECT_EQ(plan.generated_keys->column, "id");
    EXPECT_EQ(plan.generated_keys->column_index, -1);
    EXPECT_EQ(plan.generated_keys->sequence, "customers_id_seq");
    EXPECT_EQ(plan.generated_keys->start, 1000000000000);
    EXPECT_EQ(plan.shard_names, (std::vector<std::string>{"pg0"}));
    EXPECT_FALSE(plan.generated_keys->next_value);

    plan = route("shop", "INSERT INTO customers (id, name) VALUES (DEFAULT, 'a'), (5, 'b')");
    ASSERT_TRUE(plan.generated_keys);
    EXPECT_EQ(plan.generated_keys->count, 1u);
    EXPECT_EQ(plan.generated_keys->column_index, 0);

    plan = route("shop", "SELECT nextval('customers_id_seq')");
    ASSERT_TRUE(plan.generated_keys);
    EXPECT_TRUE(plan.generated_keys->next_value);
    plan = route("social", "SELECT NEXT VALUE FOR users_id_seq");
    ASSERT_TRUE(plan.generated_keys);
    EXPECT_TRUE(plan.generated_keys->next_value);
    EXPECT_EQ(plan.shard_names, (std::vector<std::string>{"my0"}));

    // The counter anywhere else, and a table without the setting, are refused.
    plan = route("shop", "INSERT INTO customers (id, name) VALUES (nextval('customers_id_seq'), "
                         "'a')");
    EXPECT_EQ(plan.kind, PlanKind::reject);
    EXPECT_FALSE(plan.generated_keys);
    EXPECT_NE(plan.reason.find("counter"), std::string::npos) << plan.reason;
    plan = route("shop", "INSERT INTO accounts (balance) VALUES (1)");
    EXPECT_EQ(plan.kind, PlanKind::reject);
    EXPECT_FALSE(plan.generated_keys);
    plan = route("shop", "INSERT INTO customers VALUES ('a')");
    EXPECT_EQ(plan.kind, PlanKind::reject);
    EXPECT_FALSE(plan.generated_keys);

    // With ids the statement is an ordinary INSERT.
    const auto filled = fill_keys("INSERT INTO customers (name) VALUES ('a'), ('b')", Dialect::pg,
                                  LexMode{}, "id", -1, {1000000000000, 1000000000001});
    ASSERT_TRUE(filled);
    plan = route("shop", *filled);
    EXPECT_FALSE(plan.generated_keys);
    EXPECT_NE(plan.kind, PlanKind::reject) << plan.reason;
}

} // namespace
