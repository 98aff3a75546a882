// Cross-shard merges over text rows: comparisons, sums, orders, groups and refusals.
#include "shardgate/router/merge.hpp"

#include <gtest/gtest.h>

namespace {

using namespace shardgate::router;
using shardgate::parser::Aggregate;

Row row(std::initializer_list<const char*> values) {
    Row r;
    for (const auto* v : values) {
        r.push_back(v == nullptr ? Cell{} : Cell{v});
    }
    return r;
}

TEST(Merge, NumbersCompareAsNumbersNotText) {
    EXPECT_LT(compare_values(ValueKind::integer, "9", "10"), 0);
    EXPECT_LT(compare_values(ValueKind::integer, "-10", "-9"), 0);
    EXPECT_EQ(compare_values(ValueKind::integer, "007", "7"), 0);
    EXPECT_LT(compare_values(ValueKind::decimal, "1.5", "1.50001"), 0);
    EXPECT_EQ(compare_values(ValueKind::decimal, "1.50", "1.5"), 0);
    EXPECT_LT(compare_values(ValueKind::decimal, "-0.5", "0"), 0);
    EXPECT_EQ(compare_values(ValueKind::decimal, "-0", "0"), 0);
    EXPECT_GT(compare_values(ValueKind::decimal, "NaN", "99999"), 0);
    EXPECT_LT(compare_values(ValueKind::floating, "2.5e-3", "1"), 0);
    EXPECT_LT(compare_values(ValueKind::floating, "-Infinity", "-1e308"), 0);
    EXPECT_GT(compare_values(ValueKind::floating, "NaN", "Infinity"), 0);
}

TEST(Merge, TextComparesByTheCollationKind) {
    EXPECT_LT(compare_values(ValueKind::binary, "B", "a"), 0); // C order: upper case first
    EXPECT_EQ(compare_values(ValueKind::folded, "abc", "ABC  "), 0);
    EXPECT_GT(compare_values(ValueKind::folded, "b", "A"), 0);
    EXPECT_GT(compare_values(ValueKind::folded, "_", "a"), 0); // weights are upper case
    EXPECT_LT(compare_values(ValueKind::binary, "_", "a"), 0);
    EXPECT_EQ(compare_values(ValueKind::binary_padded, "ab ", "ab"), 0);
    EXPECT_LT(compare_values(ValueKind::binary, "ab", "ab "), 0);
    EXPECT_LT(compare_values(ValueKind::binary, "\xc3\xa9", "\xf0\x9f\x98\x80"), 0); // code points
    const MergeColumn folded{"name", ValueKind::folded, 253, "collation utf8mb4_general_ci"};
    EXPECT_FALSE(check_value(folded, Cell{"plain"}));
    EXPECT_TRUE(check_value(folded, Cell{"caf\xc3\xa9"}));
}

TEST(Merge, DecimalSumsAreExact) {
    EXPECT_EQ(add_decimal("12.50", "-3"), "9.50");
    EXPECT_EQ(add_decimal("0.1", "0.2"), "0.3");
    EXPECT_EQ(add_decimal("-5", "5"), "0");
    EXPECT_EQ(add_decimal("-5.25", "2"), "-3.25");
    EXPECT_EQ(add_decimal("99999999999999999999", "1"), "100000000000000000000");
    EXPECT_EQ(add_decimal("0", "0.000"), "0.000");
}

TEST(Merge, RowOrderFollowsEachEnginesNullPlacement) {
    // PostgreSQL: NULLs last ascending, first descending. MySQL: the reverse.
    Plan plan;
    plan.merge.order_by.push_back({"n", 0, false, shardgate::parser::ast::NullsOrder::unspecified});
    const std::vector<MergeColumn> columns{{"n", ValueKind::integer, 23, ""}};
    const auto pg = prepare_merge(plan, columns, MergeEngine::postgresql);
    const auto my = prepare_merge(plan, columns, MergeEngine::mysql);
    ASSERT_TRUE(pg.ok());
    ASSERT_TRUE(my.ok());
    EXPECT_EQ(pg->shape, MergeProgram::Shape::ordered);
    EXPECT_TRUE(pg->order.before(row({"5"}), row({nullptr})));
    EXPECT_TRUE(my->order.before(row({nullptr}), row({"5"})));
    EXPECT_TRUE(pg->order.before(row({"9"}), row({"10"})));
}

TEST(Merge, OrderKeyFoundByNameWhenNotAnOutputPosition) {
    Plan plan;
    plan.merge.order_by.push_back({"c.Id DESC", -1, true, {}});
    const std::vector<MergeColumn> columns{{"name", ValueKind::binary, 25, ""},
                                           {"id", ValueKind::integer, 20, ""}};
    const auto program = prepare_merge(plan, columns, MergeEngine::postgresql);
    ASSERT_TRUE(program.ok()) << program.error().message;
    EXPECT_TRUE(program->order.before(row({"x", "10"}), row({"y", "9"})));
    plan.merge.order_by[0] = {"lower(name)", -1, false, {}};
    const auto refused = prepare_merge(plan, columns, MergeEngine::postgresql);
    ASSERT_FALSE(refused.ok());
    EXPECT_NE(refused.error().message.find("among the selected columns"), std::string::npos);
}

TEST(Merge, RefusesWhatItCannotReproduce) {
    const std::vector<MergeColumn> columns{{"a", ValueKind::opaque, 1184, "timestamptz"},
                                           {"n", ValueKind::integer, 23, ""}};
    Plan plan;
    plan.merge.order_by.push_back({"a", 0, false, {}});
    EXPECT_FALSE(prepare_merge(plan, columns, MergeEngine::postgresql).ok());
    plan = {};
    plan.merge.aggregates.push_back({1, Aggregate::avg, false});
    EXPECT_FALSE(prepare_merge(plan, columns, MergeEngine::postgresql).ok());
    plan = {};
    plan.merge.aggregates.push_back({1, Aggregate::count, true});
    EXPECT_FALSE(prepare_merge(plan, columns, MergeEngine::postgresql).ok());
    plan = {};
    plan.merge.group_by.push_back({"", 0, false, {}});
    plan.merge.aggregates.push_back({1, Aggregate::count, false});
    plan.merge.having = true;
    EXPECT_FALSE(prepare_merge(plan, columns, MergeEngine::postgresql).ok());
    plan.merge.having = false;
    plan.merge.limit = 3;
    EXPECT_FALSE(prepare_merge(plan, columns, MergeEngine::postgresql).ok());
    plan.merge.limit.reset();
    EXPECT_TRUE(prepare_merge(plan, columns, MergeEngine::postgresql).ok());
    plan = {};
    plan.merge.has_offset = true; // OFFSET $1: the shards would skip rows shardgate cannot see
    plan.merge.offset = 10;
    EXPECT_FALSE(prepare_merge(plan, columns, MergeEngine::postgresql).ok());
    plan = {};
    plan.merge.has_limit = true; // LIMIT $1 with an unknown value, LIMIT 1 + 1
    EXPECT_FALSE(prepare_merge(plan, columns, MergeEngine::postgresql).ok());
    plan.merge.limit = 5;
    EXPECT_TRUE(prepare_merge(plan, columns, MergeEngine::postgresql).ok());
    plan = {};
    plan.merge.has_offset = true;
    EXPECT_FALSE(prepare_merge(plan, columns, MergeEngine::postgresql).ok());
    plan.merge.offset = 0;
    EXPECT_TRUE(prepare_merge(plan, columns, MergeEngine::postgresql).ok());
}

TEST(Merge, GroupsCombinePartialAggregates) {
    // SELECT region, count(*), sum(total), min(total), max(name) ... GROUP BY region
    Plan plan;
    plan.merge.group_by.push_back({"", 0, false, {}});
    plan.merge.aggregates = {{1, Aggregate::count, false},
                             {2, Aggregate::sum, false},
                             {3, Aggregate::min, false},
                             {4, Aggregate::max, false}};
    const std::vector<MergeColumn> columns{{"region", ValueKind::folded, 253, "ci"},
                                           {"count", ValueKind::integer, 8, ""},
                                           {"sum", ValueKind::decimal, 246, ""},
                                           {"min", ValueKind::decimal, 246, ""},
                                           {"max", ValueKind::folded, 253, "ci"}};
    auto program = prepare_merge(plan, columns, MergeEngine::mysql);
    ASSERT_TRUE(program.ok()) << program.error().message;
    EXPECT_EQ(program->shape, MergeProgram::Shape::grouped);
    GroupMerge merge(program->group_keys, program->aggregates, 10, program->whole_result);
    ASSERT_TRUE(merge.add(row({"EU", "2", "10.5", "1.25", "bob"})).ok());
    ASSERT_TRUE(merge.add(row({"us", "1", "3", "3", "al"})).ok());
    ASSERT_TRUE(merge.add(row({"eu ", "3", "-0.5", "0.75", "Carl"})).ok());
    ASSERT_TRUE(merge.add(row({nullptr, "4", nullptr, nullptr, nullptr})).ok());
    ASSERT_TRUE(merge.add(row({nullptr, "1", "2", "2", "z"})).ok());
    const auto rows = merge.take();
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0], row({"EU", "5", "10.0", "0.75", "Carl"}));
    EXPECT_EQ(rows[1], row({"us", "1", "3", "3", "al"}));
    EXPECT_EQ(rows[2], row({nullptr, "5", "2", "2", "z"}));
}

TEST(Merge, WholeResultAggregatesAndTheGroupBound) {
    Plan plan;
    plan.merge.aggregates = {{0, Aggregate::count, false}, {1, Aggregate::sum, false}};
    const std::vector<MergeColumn> columns{{"count", ValueKind::integer, 20, ""},
                                           {"sum", ValueKind::decimal, 1700, ""}};
    auto program = prepare_merge(plan, columns, MergeEngine::postgresql);
    ASSERT_TRUE(program.ok());
    EXPECT_TRUE(program->whole_result);
    GroupMerge merge(program->group_keys, program->aggregates, 1, true);
    ASSERT_TRUE(merge.add(row({"0", nullptr})).ok());
    ASSERT_TRUE(merge.add(row({"7", "-3"})).ok());
    EXPECT_EQ(merge.take(), std::vector<Row>{row({"7", "-3"})});

    GroupMerge bounded({{0, ValueKind::integer, false, false}}, {}, 2, false);
    ASSERT_TRUE(bounded.add(row({"1"})).ok());
    ASSERT_TRUE(bounded.add(row({"01"})).ok()); // the same number: the same group
    ASSERT_TRUE(bounded.add(row({"2"})).ok());
    const auto over = bounded.add(row({"3"}));
    ASSERT_FALSE(over.ok());
    EXPECT_EQ(over.error().sqlstate, "54000");
}

TEST(Merge, GroupedMergesOfAProcessShareOneBudget) {
    MergeBudget budget(1000);
    const std::vector<ResolvedKey> key{{0, ValueKind::integer, false, false}};
    {
        GroupMerge first(key, {}, 100, false, 10'000, &budget);
        std::size_t groups = 0;
        for (auto key = std::to_string(groups); first.add(row({key.c_str()})).ok();
             key = std::to_string(groups)) {
            ++groups;
        }
        // each group counts 64 bytes and its key and cell: the budget ends it, not the merge's
        // own 10,000 bytes
        EXPECT_GE(groups, 5u);
        EXPECT_LE(budget.held(), 1000u);
        EXPECT_GT(budget.held(), 1000u - 100u);
        GroupMerge second(key, {}, 100, false, 10'000, &budget);
        const auto refused = second.add(row({"1"}));
        ASSERT_FALSE(refused.ok());
        EXPECT_EQ(refused.error().sqlstate, "53200");
        EXPECT_NE(refused.error().message.find("scatter_max_buffered_bytes_total"),
                  std::string::npos);
        // a group already held takes nothing more; the refused key left no group behind
        EXPECT_TRUE(first.add(row({"0"})).ok());
        const auto refused_key = std::to_string(groups);
        EXPECT_FALSE(first.add(row({refused_key.c_str()})).ok());
        const auto rows = first.take();
        EXPECT_EQ(rows.size(), groups);
        EXPECT_GT(budget.held(), 0u); // until the merge ends
    }
    EXPECT_EQ(budget.held(), 0u); // both ended: everything given back
    GroupMerge again(key, {}, 100, false, 10'000, &budget);
    EXPECT_TRUE(again.add(row({"1"})).ok());
    EXPECT_FALSE(budget.reserve(2000));
    EXPECT_FALSE(budget.reserve(static_cast<std::size_t>(-1)));
}

TEST(Merge, HavingFiltersTheMergedGroupsNotTheShards) {
    // SELECT region, count(*) ... GROUP BY region HAVING count(*) > 2 AND sum(total) IS NOT NULL
    // (sum(total) is not selected: the shards add it as a hidden column)
    using shardgate::parser::HavingNode;
    using shardgate::parser::HavingOperand;
    Plan plan;
    plan.merge.group_by.push_back({"region", 0, false, {}});
    plan.merge.aggregates = {{1, Aggregate::count, false, "", "", true}};
    plan.merge.having = true;
    plan.merge.select_end = 27;
    plan.merge.having_begin = 60;
    plan.merge.having_end = 110;
    HavingOperand count_star{HavingOperand::Kind::aggregate, Aggregate::count, false, true, {}, {}};
    HavingOperand two{HavingOperand::Kind::literal, Aggregate::none, false, false, {}, {}};
    HavingOperand sum_total{
        HavingOperand::Kind::aggregate, Aggregate::sum, false, false, {"", "total"}, {}};
    HavingNode greater{
        HavingNode::Kind::compare, {}, HavingNode::Compare::gt, false, count_star, two};
    HavingNode not_null{
        HavingNode::Kind::is_null, {}, HavingNode::Compare::eq, true, sum_total, {}};
    HavingNode both{HavingNode::Kind::and_, {0, 1}, HavingNode::Compare::eq, false, {}, {}};
    plan.merge.having_nodes = {greater, not_null, both};
    plan.merge.having_values.resize(6);
    plan.merge.having_values[1] = {true, "2"};
    EXPECT_EQ(hidden_columns(plan), 1u);
    const std::string sql = "SELECT region, count(*) FROM orders GROUP BY region "
                            "HAVING count(*) > 2 AND sum(total) IS NOT NULL ORDER BY region";
    plan.merge.select_end = static_cast<std::uint32_t>(sql.find("FROM"));
    plan.merge.having_begin = static_cast<std::uint32_t>(sql.find("HAVING"));
    plan.merge.having_end = static_cast<std::uint32_t>(sql.find("ORDER"));
    EXPECT_EQ(shard_statement(plan, sql),
              "SELECT region, count(*) , sum(total) AS sg_hidden_1 FROM orders GROUP BY region  "
              "ORDER BY region");
    const std::vector<MergeColumn> columns{{"region", ValueKind::binary, 25, ""},
                                           {"count", ValueKind::integer, 20, ""},
                                           {"sg_hidden_1", ValueKind::decimal, 1700, ""}};
    auto program = prepare_merge(plan, columns, MergeEngine::postgresql);
    ASSERT_TRUE(program.ok()) << program.error().message;
    EXPECT_EQ(program->hidden, 1u);
    GroupMerge merge(program->group_keys, program->aggregates, 10, program->whole_result);
    ASSERT_TRUE(merge.add(row({"eu", "2", "1.5"})).ok()); // 2 on one shard, 3 in all
    ASSERT_TRUE(merge.add(row({"eu", "1", nullptr})).ok());
    ASSERT_TRUE(merge.add(row({"us", "2", "4"})).ok());       // 2: filtered out
    ASSERT_TRUE(merge.add(row({"asia", "5", nullptr})).ok()); // sum NULL: filtered out
    const auto rows = merge.take();
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_TRUE(passes_having(*program, rows[0]));
    EXPECT_EQ(rows[0], row({"eu", "3", "1.5"}));
    EXPECT_FALSE(passes_having(*program, rows[1]));
    EXPECT_FALSE(passes_having(*program, rows[2]));
    // a value shardgate cannot read (a parameter it was not given) is refused
    plan.merge.having_values[1] = {};
    EXPECT_FALSE(prepare_merge(plan, columns, MergeEngine::postgresql).ok());
    // text against a number is refused, not guessed
    plan.merge.having_values[1] = {true, "abc"};
    EXPECT_FALSE(prepare_merge(plan, columns, MergeEngine::postgresql).ok());
}

TEST(Merge, DistinctAggregatesCountEachValueOnce) {
    // SELECT g, count(DISTINCT x), count(*) FROM t GROUP BY g: the shards also group by x
    Plan plan;
    plan.merge.group_by.push_back({"g", 0, false, {}});
    plan.merge.aggregates = {{1, Aggregate::count, true, "DISTINCT x", "x", false},
                             {2, Aggregate::count, false, "", "", true}};
    const std::string sql = "SELECT g, count(DISTINCT x), count(*) FROM t GROUP BY g ORDER BY g";
    plan.merge.select_end = static_cast<std::uint32_t>(sql.find("FROM"));
    plan.merge.group_by_end = static_cast<std::uint32_t>(sql.find(" ORDER"));
    plan.merge.clauses_at = static_cast<std::uint32_t>(sql.find("GROUP"));
    EXPECT_EQ(shard_statement(plan, sql),
              "SELECT g, count(DISTINCT x), count(*) , x AS sg_hidden_1 FROM t GROUP BY g, x  "
              "ORDER BY g");
    const std::vector<MergeColumn> columns{{"g", ValueKind::binary, 25, ""},
                                           {"count", ValueKind::integer, 20, ""},
                                           {"count", ValueKind::integer, 20, ""},
                                           {"sg_hidden_1", ValueKind::integer, 23, ""}};
    auto program = prepare_merge(plan, columns, MergeEngine::postgresql);
    ASSERT_TRUE(program.ok()) << program.error().message;
    ASSERT_TRUE(program->distinct_column);
    // value 7 of group a is on both shards: counted once; NULL counts for count(*) only
    GroupMerge first(program->distinct_keys, program->distinct_aggregates, 100, false);
    for (const auto& r :
         {row({"a", "1", "2", "7"}), row({"a", "1", "1", "7"}), row({"a", "1", "4", "8"}),
          row({"a", "0", "3", nullptr}), row({"b", "1", "1", "7"})}) {
        ASSERT_TRUE(first.add(r).ok());
    }
    GroupMerge second(program->group_keys, program->aggregates, 100, false);
    for (auto& r : first.take()) {
        ASSERT_TRUE(second.add(std::move(r)).ok());
    }
    const auto rows = second.take();
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0][1], Cell{"2"}); // 7 and 8
    EXPECT_EQ(rows[0][2], Cell{"10"});
    EXPECT_EQ(rows[1][1], Cell{"1"});
    // two different DISTINCT arguments, or a LIMIT (the shards would cut their groups): refused
    plan.merge.aggregates.push_back({3, Aggregate::sum, true, "DISTINCT y", "y", false});
    EXPECT_FALSE(shard_statement(plan, sql).has_value() &&
                 shard_statement(plan, sql)->find("sg_hidden") != std::string::npos);
    const std::vector<MergeColumn> four{
        columns[0], columns[1], columns[2], {"sum", ValueKind::decimal, 1700, ""}};
    EXPECT_FALSE(prepare_merge(plan, four, MergeEngine::postgresql).ok());
    // without GROUP BY: one row even when no shard had a value
    Plan whole;
    whole.merge.aggregates = {{0, Aggregate::count, true, "DISTINCT x", "x", false}};
    const std::string count = "SELECT count(DISTINCT x) FROM t WHERE x > 5";
    whole.merge.select_end = static_cast<std::uint32_t>(count.find("FROM"));
    whole.merge.clauses_at = static_cast<std::uint32_t>(count.size());
    EXPECT_EQ(shard_statement(whole, count),
              "SELECT count(DISTINCT x) , x AS sg_hidden_1 FROM t WHERE x > 5 GROUP BY x ");
    auto counted = prepare_merge(whole, {columns[1], columns[3]}, MergeEngine::postgresql);
    ASSERT_TRUE(counted.ok()) << counted.error().message;
    EXPECT_EQ(empty_aggregate_row(*counted, 2), row({"0", nullptr}));
}

TEST(Merge, SchemaDriftNamesTheShards) {
    const std::vector<std::vector<MergeColumn>> same{{{"id", ValueKind::integer, 23, ""}},
                                                     {{"id", ValueKind::integer, 23, ""}}};
    EXPECT_FALSE(column_drift(same, {"pg0", "pg1"}));
    const std::vector<std::vector<MergeColumn>> drift{
        {{"id", ValueKind::integer, 23, ""}, {"name", ValueKind::binary, 25, ""}},
        {{"id", ValueKind::integer, 23, ""}}};
    const auto message = column_drift(drift, {"pg0", "pg1"});
    ASSERT_TRUE(message);
    EXPECT_NE(message->find("pg1"), std::string::npos);
}

} // namespace

namespace {

TEST(Merge, BinaryFormatsCompareAndAddLikeTheirValues) {
    using shardgate::router::numeric_binary_to_text;
    using shardgate::router::numeric_text_to_binary;
    for (const char* text : {"0", "1", "-1", "12345.678", "-0.0001", "100000000", "0.50",
                             "99999999999999999999.99", "NaN", "10000", "-12.00"}) {
        const auto binary = numeric_text_to_binary(text);
        const auto back = numeric_binary_to_text(binary);
        ASSERT_TRUE(back) << text;
        EXPECT_EQ(*back, text);
    }
    // PostgreSQL's own encoding of 12345.678: 3 digits, weight 1, positive, scale 3:
    // 0001 2345 6780.
    const std::string pg("\x00\x03\x00\x01\x00\x00\x00\x03\x00\x01\x09\x29\x1a\x7c", 14);
    EXPECT_EQ(numeric_binary_to_text(pg), "12345.678");
    EXPECT_LT(compare_values(ValueKind::be_numeric, numeric_text_to_binary("-5"),
                             numeric_text_to_binary("0.001")),
              0);
    const std::string minus_two("\xff\xff\xff\xfe", 4);
    const std::string three("\x00\x00\x00\x03", 4);
    EXPECT_LT(compare_values(ValueKind::be_integer, minus_two, three), 0);

    Plan plan;
    plan.merge.aggregates = {{0, Aggregate::count, false}, {1, Aggregate::sum, false}};
    const std::vector<MergeColumn> columns{{"count", ValueKind::be_integer, 20, ""},
                                           {"sum", ValueKind::be_numeric, 1700, ""}};
    auto program = prepare_merge(plan, columns, MergeEngine::postgresql);
    ASSERT_TRUE(program.ok()) << program.error().message;
    GroupMerge merge(program->group_keys, program->aggregates, 10, true);
    const std::string eight("\x00\x00\x00\x00\x00\x00\x00\x08", 8);
    const std::string five("\x00\x00\x00\x00\x00\x00\x00\x05", 8);
    ASSERT_TRUE(merge.add(Row{Cell{eight}, Cell{numeric_text_to_binary("10.25")}}).ok());
    ASSERT_TRUE(merge.add(Row{Cell{five}, Cell{numeric_text_to_binary("-0.5")}}).ok());
    const auto rows = merge.take();
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(*rows[0][0], std::string("\x00\x00\x00\x00\x00\x00\x00\x0d", 8));
    EXPECT_EQ(numeric_binary_to_text(*rows[0][1]), "9.75");
}

} // namespace

namespace {

TEST(Merge, StreamMergeTakesTheSmallestHeadStably) {
    const RowOrder order({ResolvedKey{0, ValueKind::integer, false, false}});
    // three sorted streams, with ties across streams and one empty stream
    const std::vector<std::vector<Row>> streams{
        {Row{Cell{"1"}, Cell{"a"}}, Row{Cell{"5"}, Cell{"a"}}, Row{Cell{"9"}, Cell{"a"}}},
        {},
        {Row{Cell{"1"}, Cell{"c"}}, Row{Cell{"2"}, Cell{"c"}}, Row{Cell{"5"}, Cell{"c"}}},
    };
    StreamMerge merge(order, streams.size());
    std::vector<std::size_t> at(streams.size(), 0);
    for (std::size_t i = 0; i < streams.size(); ++i) {
        merge.set(i, streams[i].empty() ? nullptr : &streams[i][0]);
    }
    std::string out;
    while (const auto best = merge.next()) {
        const auto& row = streams[*best][at[*best]];
        out += *row[0] + *row[1] + " ";
        const auto i = ++at[*best];
        merge.set(*best, i < streams[*best].size() ? &streams[*best][i] : nullptr);
    }
    EXPECT_EQ(out, "1a 1c 2c 5a 5c 9a ");
}

} // namespace

namespace {

TEST(Merge, OffsetRewritesTheShardStatementAndSkipsAfterTheMerge) {
    Plan plan;
    plan.merge.has_limit = plan.merge.has_offset = true;
    plan.merge.limit = 20;
    plan.merge.offset = 40;
    const std::string sql = "SELECT id FROM t ORDER BY id LIMIT 20 OFFSET 40";
    plan.merge.limit_at = static_cast<std::uint32_t>(sql.find("20"));
    plan.merge.offset_at = static_cast<std::uint32_t>(sql.find("40"));
    EXPECT_EQ(shard_statement(plan, sql), "SELECT id FROM t ORDER BY id LIMIT 60 OFFSET 0");
    const std::vector<MergeColumn> columns{{"id", ValueKind::integer, 23, ""}};
    const auto program = prepare_merge(plan, columns, MergeEngine::postgresql);
    ASSERT_TRUE(program.ok()) << program.error().message;
    EXPECT_EQ(program->offset, 40u);
    EXPECT_EQ(program->limit, 20u);
    // MySQL LIMIT offset, count
    const std::string my = "SELECT id FROM t ORDER BY id LIMIT 5, 10";
    plan.merge.limit = 10;
    plan.merge.offset = 5;
    plan.merge.limit_at = static_cast<std::uint32_t>(my.find("10"));
    plan.merge.offset_at = static_cast<std::uint32_t>(my.find("5,"));
    EXPECT_EQ(shard_statement(plan, my), "SELECT id FROM t ORDER BY id LIMIT 0, 15");
    // no OFFSET: the statement runs unchanged
    plan.merge.offset = 0;
    EXPECT_FALSE(shard_statement(plan, my));
}

} // namespace

namespace {

TEST(Merge, SortKeysNotSelectedTravelAsHiddenColumns) {
    const std::string sql = "SELECT id FROM t ORDER BY created DESC NULLS LAST, id";
    Plan plan;
    plan.merge.order_by = {{"created DESC NULLS LAST", -1, true, {}}, {"id", 0, false, {}}};
    plan.merge.select_end = static_cast<std::uint32_t>(sql.find("FROM"));
    EXPECT_EQ(shard_statement(plan, sql),
              "SELECT id , created AS sg_hidden_1 FROM t ORDER BY created DESC NULLS LAST, id");
    // the shards answer id + the hidden column; the client sees id only
    const std::vector<MergeColumn> columns{{"id", ValueKind::integer, 23, ""},
                                           {"sg_hidden_1", ValueKind::temporal, 1114, ""}};
    const auto program = prepare_merge(plan, columns, MergeEngine::postgresql);
    ASSERT_TRUE(program.ok()) << program.error().message;
    EXPECT_EQ(program->hidden, 1u);
    EXPECT_TRUE(program->order.before(Row{Cell{"9"}, Cell{"2026-02-01"}},
                                      Row{Cell{"1"}, Cell{"2026-01-01"}}));
    // an explicit COLLATE: the shards' order may not be shardgate's
    Plan collated = plan;
    collated.merge.order_by[0].text = "created COLLATE \"en_US\" DESC";
    EXPECT_FALSE(prepare_merge(collated, columns, MergeEngine::postgresql).ok());
    collated.merge.order_by[0].text = "collateral_id"; // a name, not the keyword
    collated.merge.order_by[0].output = 0;
    EXPECT_TRUE(prepare_merge(collated, columns, MergeEngine::postgresql).ok());
    // with * the key is looked up by name, nothing is added
    plan.merge.select_star = true;
    EXPECT_FALSE(shard_statement(plan, sql));
}

} // namespace

namespace {

TEST(Merge, AveragesDivideLikeTheEngine) {
    // PostgreSQL numeric division keeps at least 16 significant digits
    EXPECT_EQ(postgres_division_scale("3", "2"), 16); // avg(1, 2) = 1.5000000000000000
    EXPECT_EQ(postgres_division_scale("1", "2"), 20); // avg(0, 1) = 0.50000000000000000000
    EXPECT_EQ(postgres_division_scale("123456789", "3"), 12);
    EXPECT_EQ(postgres_division_scale("10.125", "4"), 16);
    EXPECT_EQ(divide_decimal("3", "2", 16), "1.5000000000000000");
    EXPECT_EQ(divide_decimal("2", "3", 0), "1");
    EXPECT_EQ(divide_decimal("-2", "3", 4), "-0.6667"); // half away from zero
    EXPECT_EQ(divide_decimal("1", "8", 2), "0.13");
    EXPECT_EQ(divide_decimal("-0.0001", "3", 2), "0.00");
    EXPECT_EQ(divide_decimal("12.345678", "1", 2), "12.35");
    EXPECT_EQ(divide_decimal("5", "0", 2), "");

    // SELECT avg(n): the shards add sum(n) and count(n) as hidden columns
    const std::string sql = "SELECT avg(n) FROM t";
    Plan plan;
    plan.merge.aggregates = {{0, Aggregate::avg, false, "n"}};
    plan.merge.select_end = static_cast<std::uint32_t>(sql.find("FROM"));
    EXPECT_EQ(shard_statement(plan, sql),
              "SELECT avg(n) , sum(n) AS sg_hidden_1, count(n) AS sg_hidden_2 FROM t");
    const std::vector<MergeColumn> columns{{"avg", ValueKind::decimal, 1700, ""},
                                           {"sg_hidden_1", ValueKind::integer, 20, ""},
                                           {"sg_hidden_2", ValueKind::integer, 20, ""}};
    auto program = prepare_merge(plan, columns, MergeEngine::postgresql);
    ASSERT_TRUE(program.ok()) << program.error().message;
    GroupMerge merge(program->group_keys, program->aggregates, 10, program->whole_result);
    ASSERT_TRUE(merge.add(Row{Cell{"1.5"}, Cell{"3"}, Cell{"2"}}).ok());
    ASSERT_TRUE(merge.add(Row{Cell{"4"}, Cell{"4"}, Cell{"1"}}).ok());
    auto rows = merge.take();
    ASSERT_TRUE(finish_averages(*program, rows[0]).ok());
    EXPECT_EQ(*rows[0][0], "2.3333333333333333"); // 7 / 3, not the mean of the shards' means
}

} // namespace

namespace {

TEST(Merge, NumericSpecialsAndBinaryKeys) {
    EXPECT_EQ(add_decimal("NaN", "5"), "NaN");
    EXPECT_EQ(add_decimal("Infinity", "-5.5"), "Infinity");
    EXPECT_EQ(add_decimal("-Infinity", "Infinity"), "NaN");
    EXPECT_LT(compare_values(ValueKind::decimal, "-Infinity", "-99999999"), 0);
    EXPECT_GT(compare_values(ValueKind::decimal, "Infinity", "123456789"), 0);
    EXPECT_LT(compare_values(ValueKind::decimal, "Infinity", "NaN"), 0);
    // 1.0 and 1.00 in binary numeric are one group
    GroupMerge groups({ResolvedKey{0, ValueKind::be_numeric, false, false}}, {}, 10, false);
    ASSERT_TRUE(groups.add(Row{Cell{numeric_text_to_binary("1.0")}}).ok());
    ASSERT_TRUE(groups.add(Row{Cell{numeric_text_to_binary("1.00")}}).ok());
    EXPECT_EQ(groups.take().size(), 1u);
    // SUM of float4 text is refused (its digits would differ)
    Plan plan;
    plan.merge.aggregates = {{0, Aggregate::sum, false}};
    EXPECT_FALSE(
        prepare_merge(plan, {{"sum", ValueKind::floating, 700, ""}}, MergeEngine::postgresql).ok());
    EXPECT_TRUE(
        prepare_merge(plan, {{"sum", ValueKind::floating, 701, ""}}, MergeEngine::postgresql).ok());
}

} // namespace
