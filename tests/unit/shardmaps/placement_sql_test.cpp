// The SQL form of moves (shardmaps/placement_sql.cpp): the condition `shardctl reshard`
// selects moved rows with, for both engines; time buckets by their calendar bounds.
#include "shardgate/shardmaps/loader.hpp"
#include "shardgate/shardmaps/placement_sql.hpp"

#include <gtest/gtest.h>

namespace shardgate::shardmaps {
namespace {

namespace sm = shardgate::shardmaps;

sm::ShardMapPtr map_with(const std::string& engine, const std::string& tables) {
    return sm::parse_shard_map(
        "format_version: 1\nepoch: 1\ndatabases:\n  db:\n    engine: " + engine +
            "\n    default_shard: s0\n    shards:\n"
            "      s0: {primary: h0:1}\n      s1: {primary: h1:1}\n"
            "    tables:\n" +
            tables,
        "test");
}

std::string condition(const std::string& engine, const std::string& table_line,
                      const sm::Move& move, const std::string& qualifier = "") {
    const auto map = map_with(engine, table_line);
    const auto& db = *map->find_database("db");
    std::string why;
    const auto out = move_condition(db.engine(), *db.find_table("t"), move, why, qualifier);
    return out ? *out : "refused: " + why;
}

sm::Move bucket(const std::string& first, const std::string& last) {
    return {"time_bucket", first, last, "s0", "s1"};
}

TEST(PlacementSql, TimeBucketsByTheirCalendarBounds) {
    const std::string month = "      t: {scheme: time, key: at, key_type: timestamp, interval: "
                              "month, ranges: [{from: 2025-01, shard: s0}]}\n";
    EXPECT_EQ(condition("postgresql", month, bucket("2025-01", "2025-06")),
              "\"at\" >= '2025-01-01 00:00:00+00' AND \"at\" < '2025-07-01 00:00:00+00'");
    EXPECT_EQ(condition("mysql", month, bucket("2024-11", "2025-12")),
              "`at` >= '2024-11-01 00:00:00' AND `at` < '2026-01-01 00:00:00'");
    EXPECT_EQ(condition("mysql", month, bucket("", "2024-12")), "`at` < '2025-01-01 00:00:00'");
    EXPECT_EQ(condition("mysql", month, bucket("2025-03", "")), "`at` >= '2025-03-01 00:00:00'");
    const std::string quarter = "      t: {scheme: time, key: d, key_type: date, interval: "
                                "quarter, ranges: [{from: 2025-Q1, shard: s0}]}\n";
    EXPECT_EQ(condition("postgresql", quarter, bucket("2024-Q4", "2025-Q1")),
              "\"d\" >= '2024-10-01' AND \"d\" < '2025-04-01'");
    const std::string week = "      t: {scheme: time, key: at, key_type: timestamp, interval: "
                             "week, ranges: [{from: 2025-01-06, shard: s0}]}\n";
    // Weeks start on Monday: 2024-12-30 .. 2025-01-05 is one week (leap-day year boundary).
    EXPECT_EQ(condition("mysql", week, bucket("2024-12-30", "2024-12-30")),
              "`at` >= '2024-12-30 00:00:00' AND `at` < '2025-01-06 00:00:00'");
    const std::string day = "      t: {scheme: time, key: at, key_type: timestamp, interval: "
                            "day, ranges: [{from: 2024-02-28, shard: s0}]}\n";
    EXPECT_EQ(condition("mysql", day, bucket("2024-02-28", "2024-02-29")),
              "`at` >= '2024-02-28 00:00:00' AND `at` < '2024-03-01 00:00:00'");
    const std::string year = "      t: {scheme: time, key: at, key_type: timestamp, interval: "
                             "year, ranges: [{from: 1999, shard: s0}]}\n";
    EXPECT_EQ(condition("postgresql", year, bucket("1969", "2000")),
              "\"at\" >= '1969-01-01 00:00:00+00' AND \"at\" < '2001-01-01 00:00:00+00'");
    EXPECT_EQ(condition("mysql", month, bucket("2025-13", "")).rfind("refused", 0), 0u);
}

TEST(PlacementSql, HashRangesListsAndIntegerRanges) {
    const std::string hash = "      t: {scheme: hash, key: id, key_type: bigint}\n";
    EXPECT_EQ(condition("mysql", hash,
                        {"hash_range", "0x4000000000000000", "0x7fffffffffffffff", "s0", "s1"}),
              "CAST(LEFT(MD5(`id`), 16) AS BINARY) BETWEEN '4000000000000000' AND "
              "'7fffffffffffffff'");
    EXPECT_EQ(condition("postgresql", hash,
                        {"hash_range", "0x4000000000000000", "0x7fffffffffffffff", "s0", "s1"}),
              "left(md5(textin(int8out(\"id\"::int8))), 16) COLLATE \"C\" BETWEEN "
              "'4000000000000000' AND '7fffffffffffffff'");
    const std::string list = "      t: {scheme: list, key: c, key_type: text, case_insensitive: "
                             "true, lists: [{shard: s0, values: [de]}]}\n";
    // (binary against hex: not under the column's collation, where 'it''s ' would match too)
    EXPECT_EQ(condition("mysql", list, {"list_value", "it's", "", "s0", "s1"}),
              "CAST(LOWER(`c`) AS BINARY) = X'69742773'");
    const std::string range = "      t: {scheme: range, key: id, key_type: bigint, ranges: "
                              "[{from: 1, to: 100, shard: s0}]}\n";
    EXPECT_EQ(condition("postgresql", range, {"range", "51", "100", "s0", "s1"}),
              "\"id\" >= 51 AND \"id\" <= 100");
    EXPECT_EQ(condition("mysql", hash, {"default", "", "", "s0", "s1"}).rfind("refused", 0), 0u);
}

TEST(PlacementSql, ListDefaultShardMovesTheKeysNoMapLists) {
    const std::string list = "      t: {scheme: list, key: c, key_type: text, lists: [{shard: "
                             "s0, values: [DE]}], default_shard: s0}\n";
    sm::Move to_s1{"default", "", "", "s0", "s1"};
    to_s1.listed = {"DE", "FR", "it's"};
    EXPECT_EQ(condition("postgresql", list, to_s1), "\"c\" NOT IN ('DE', 'FR', 'it''s')");
    EXPECT_EQ(condition("mysql", list, to_s1, "g"),
              "CAST(`g`.`c` AS BINARY) NOT IN (X'4445', X'4652', X'69742773')");
    const std::string folded = "      t: {scheme: list, key: c, key_type: text, case_insensitive: "
                               "true, lists: [{shard: s0, values: [de]}], default_shard: s0}\n";
    EXPECT_EQ(condition("postgresql", folded, to_s1), "lower(\"c\") NOT IN ('DE', 'FR', 'it''s')");
    EXPECT_EQ(condition("mysql", folded, to_s1),
              "CAST(LOWER(`c`) AS BINARY) NOT IN (X'4445', X'4652', X'69742773')");
    // No value listed in either map: every row with a key moves (NULL keys have no owner).
    EXPECT_EQ(condition("mysql", list, {"default", "", "", "s0", "s1"}), "`c` IS NOT NULL");
}

TEST(PlacementSql, TextRangesCompareBytewise) {
    const std::string range = "      t: {scheme: range, key: c, key_type: text, ranges: "
                              "[{from: a, to: m, shard: s0}, {from: n, shard: s1}]}\n";
    // [from, <end): map_diff's segments; an end just after an inclusive bound is "bound\0"
    EXPECT_EQ(condition("postgresql", range, {"range", "it's", "<n", "s0", "s1"}),
              "\"c\" COLLATE \"C\" >= 'it''s' AND \"c\" COLLATE \"C\" < 'n'");
    EXPECT_EQ(condition("mysql", range, {"range", std::string("m\0", 2), "<n", "s0", "s1"}),
              "CAST(`c` AS BINARY) > X'6d' AND CAST(`c` AS BINARY) < X'6e'");
    EXPECT_EQ(condition("mysql", range, {"range", "", std::string("<m\0", 3), "s0", "s1"}),
              "CAST(`c` AS BINARY) <= X'6d'");
    EXPECT_EQ(condition("mysql", range, {"range", "a\\'\xc3\xa9", "", "s0", "s1"}),
              "CAST(`c` AS BINARY) >= X'615c27c3a9'");
    const std::string folded = "      t: {scheme: range, key: c, key_type: text, case_insensitive: "
                               "true, ranges: [{from: a, shard: s0}]}\n";
    EXPECT_EQ(condition("postgresql", folded, {"range", "", "<n", "s0", "s1"}),
              "lower(\"c\") COLLATE \"C\" < 'n'");
    EXPECT_EQ(condition("postgresql", range, {"range", "", "", "s0", "s1"}), "TRUE");
    EXPECT_EQ(condition("mysql", range, {"range", std::string("a\0b", 3), "", "s0", "s1"})
                  .rfind("refused", 0),
              0u);
}

TEST(PlacementSql, TheKeyColumnQualifiedByATableOrAlias) {
    const std::string hash = "      t: {scheme: hash, key: id, key_type: bigint}\n";
    EXPECT_EQ(condition("mysql", hash, {"hash_range", "0x4000000000000000", "", "s0", "s1"}, "o`x"),
              "CAST(LEFT(MD5(`o``x`.`id`), 16) AS BINARY) BETWEEN '4000000000000000' AND "
              "'ffffffffffffffff'");
    const std::string range = "      t: {scheme: range, key: id, key_type: bigint, ranges: "
                              "[{from: 1, to: 100, shard: s0}]}\n";
    EXPECT_EQ(condition("postgresql", range, {"range", "51", "", "s0", "s1"}, "T"),
              "\"T\".\"id\" >= 51");
}

} // namespace
} // namespace shardgate::shardmaps
