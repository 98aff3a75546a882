// diff_maps(): what moves between two versions of a map.
#include "shardgate/shardmaps/loader.hpp"
#include "shardgate/shardmaps/map_diff.hpp"

#include <gtest/gtest.h>

namespace {

using namespace shardgate::shardmaps;

std::string map_text(int epoch, const std::string& shards, const std::string& tables,
                     const std::string& engine = "mysql") {
    return "format_version: 1\nepoch: " + std::to_string(epoch) +
           "\ndatabases:\n  db:\n    engine: " + engine + "\n    default_shard: s0\n    shards:\n" +
           shards + "    tables:\n" + tables;
}

const std::string two = "      s0: {primary: h0:1}\n      s1: {primary: h1:1}\n";
const std::string three = two + "      s2: {primary: h2:1}\n";

const TableDiff& table(const MapDiff& diff, const std::string& name) {
    for (const auto& t : diff.tables) {
        if (t.table == name) {
            return t;
        }
    }
    throw std::runtime_error("no diff for " + name);
}

TEST(MapDiff, SplittingAHashRangeMovesExactlyThatRange) {
    const auto a = parse_shard_map(
        map_text(1, three,
                 "      t: {scheme: hash, key: id, ranges: ["
                 "{from: 0x0, to: 0x7fffffffffffffff, shard: s0},"
                 "{from: 0x8000000000000000, to: 0xffffffffffffffff, shard: s1}]}\n"),
        "a");
    const auto b = parse_shard_map(
        map_text(2, three,
                 "      t: {scheme: hash, key: id, ranges: ["
                 "{from: 0x0, to: 0x7fffffffffffffff, shard: s0},"
                 "{from: 0x8000000000000000, to: 0xbfffffffffffffff, shard: s1},"
                 "{from: 0xc000000000000000, to: 0xffffffffffffffff, shard: s2}]}\n"),
        "b");
    const auto diff = diff_maps(*a, *b);
    EXPECT_EQ(diff.old_epoch, 1u);
    EXPECT_EQ(diff.new_epoch, 2u);
    const auto& t = table(diff, "t");
    EXPECT_EQ(t.change, "moved");
    ASSERT_EQ(t.moves.size(), 1u);
    EXPECT_EQ(t.moves[0].first, "0xc000000000000000");
    EXPECT_EQ(t.moves[0].last, "0xffffffffffffffff");
    EXPECT_EQ(t.moves[0].from_shard, "s1");
    EXPECT_EQ(t.moves[0].to_shard, "s2");
    EXPECT_DOUBLE_EQ(*t.moved_fraction, 0.25);
    // One table alone: the same move, and none between a placement and itself.
    const auto& da = *a->find_database("db");
    const auto& db = *b->find_database("db");
    const auto moves = table_moves(da, *da.find_table("t"), db, *db.find_table("t"));
    ASSERT_EQ(moves.size(), 1u);
    EXPECT_EQ(moves[0].first, "0xc000000000000000");
    EXPECT_EQ(moves[0].to_shard, "s2");
    EXPECT_TRUE(table_moves(db, *db.find_table("t"), db, *db.find_table("t")).empty());
}

TEST(MapDiff, AddingAShardToARingMovesOnlyArcsToIt) {
    const auto a = parse_shard_map(
        map_text(1, three, "      u: {scheme: consistent_hash, key: id, shards: [s0, s1]}\n"), "a");
    const auto b =
        parse_shard_map(map_text(2, three, "      u: {scheme: consistent_hash, key: id}\n"), "b");
    const auto diff = diff_maps(*a, *b);
    const auto& t = table(diff, "u");
    ASSERT_TRUE(t.moved_fraction.has_value());
    EXPECT_GT(*t.moved_fraction, 0.2);
    EXPECT_LT(*t.moved_fraction, 0.5);
    for (const auto& move : t.moves) {
        EXPECT_EQ(move.to_shard, "s2");
        EXPECT_EQ(move.kind, "ring_arc");
    }
}

TEST(MapDiff, ListRangeTimeVerticalAndAddedTables) {
    const auto a = parse_shard_map(
        map_text(1, two,
                 "      l: {scheme: list, key: c, lists: [{shard: s0, values: [DE, FR]}]}\n"
                 "      r: {scheme: range, key: id, ranges: [{from: 1, to: 100, shard: s0}, {from: "
                 "101, shard: s1}]}\n"
                 "      e: {scheme: time, key: t, interval: month, ranges: [{from: 2025-01, shard: "
                 "s0}]}\n"
                 "      v: {scheme: vertical, shard: s0}\n"),
        "a");
    const auto b =
        parse_shard_map(map_text(2, two,
                                 "      l: {scheme: list, key: c, lists: [{shard: s0, values: "
                                 "[DE]}, {shard: s1, values: [FR]}]}\n"
                                 "      r: {scheme: range, key: id, ranges: [{from: 1, to: 50, "
                                 "shard: s0}, {from: 51, shard: s1}]}\n"
                                 "      e: {scheme: time, key: t, interval: month, ranges: [{from: "
                                 "2025-01, to: 2025-12, shard: s0}, {from: 2026-01, shard: s1}]}\n"
                                 "      v: {scheme: vertical, shard: s1}\n"
                                 "      n: {scheme: reference}\n"),
                        "b");
    const auto diff = diff_maps(*a, *b);
    const auto& l = table(diff, "l");
    ASSERT_EQ(l.moves.size(), 1u);
    EXPECT_EQ(l.moves[0].first, "FR");
    EXPECT_TRUE(l.moves[0].listed.empty());
    const auto& r = table(diff, "r");
    ASSERT_EQ(r.moves.size(), 1u);
    EXPECT_EQ(r.moves[0].first, "51");
    EXPECT_EQ(r.moves[0].last, "100");
    const auto& e = table(diff, "e");
    ASSERT_EQ(e.moves.size(), 1u);
    EXPECT_EQ(e.moves[0].first, "2026-01");
    EXPECT_EQ(e.moves[0].last, "");
    EXPECT_EQ(e.moves[0].to_shard, "s1");
    EXPECT_EQ(table(diff, "v").moves.at(0).to_shard, "s1");
    EXPECT_EQ(table(diff, "n").change, "added");
}

TEST(MapDiff, IdenticalMapsMoveNothing) {
    const auto text = map_text(1, two, "      t: {scheme: hash, key: id}\n");
    const auto diff = diff_maps(*parse_shard_map(text, "a"), *parse_shard_map(text, "b"));
    EXPECT_EQ(table(diff, "t").change, "unchanged");
    EXPECT_DOUBLE_EQ(*table(diff, "t").moved_fraction, 0.0);
    EXPECT_TRUE(diff.notes.empty());
}

TEST(MapDiff, AnotherKeyOrAKeyReadOtherwiseMovesTheWholeTable) {
    // The same buckets under another key precision place the last fraction of a second of a
    // bucket in the next one (PostgreSQL rounds it up): not "unchanged".
    const auto pg = [](int epoch, const std::string& tables) {
        return parse_shard_map(map_text(epoch, two, tables, "postgresql"), "map");
    };
    const std::string events =
        "      e: {scheme: time, key: t, key_type: timestamptz, interval: "
        "day, ranges: [{from: 2026-01-01, to: 2026-01-01, shard: s0}, {from: "
        "2026-01-02, "
        "shard: s1}]";
    const auto a = pg(1, events + "}\n      h: {scheme: hash, key: id}\n");
    const auto b = pg(2, events + ", key_precision: 0}\n      h: {scheme: hash, key: user_id}\n");
    const auto diff = diff_maps(*a, *b);
    for (const auto* name : {"e", "h"}) {
        const auto& t = table(diff, name);
        EXPECT_EQ(t.change, "moved") << name;
        ASSERT_EQ(t.moves.size(), 1u) << name;
        EXPECT_EQ(t.moves[0].kind, "table") << name;
    }
    const auto same = diff_maps(*a, *pg(3, events + "}\n      h: {scheme: hash, key: id}\n"));
    EXPECT_EQ(table(same, "e").change, "unchanged");
}

TEST(MapDiff, PlacementSegmentsCoverTheKeySpaceWithTheirOwners) {
    const auto m = parse_shard_map(
        map_text(1, two,
                 "      h: {scheme: hash, key: id, ranges: [{from: 0x0000000000000000, to: "
                 "0x3fffffffffffffff, shard: s0}, {from: 0x4000000000000000, to: "
                 "0xffffffffffffffff, shard: s1}]}\n"
                 "      l: {scheme: list, key: c, lists: [{shard: s0, values: [DE]}, {shard: s1, "
                 "values: [US]}], default_shard: s1}\n"
                 "      r: {scheme: range, key: id, ranges: [{from: 1, to: 99, shard: s0}, {from: "
                 "100, shard: s1}]}\n"
                 "      v: {scheme: vertical, shard: s0}\n"),
        "m");
    const auto& db = *m->find_database("db");
    const auto h = placement_segments(db, *db.find_table("h"));
    ASSERT_EQ(h.size(), 2u);
    EXPECT_EQ(h[0].kind, "hash_range");
    EXPECT_EQ(h[0].first, "0x0000000000000000");
    EXPECT_EQ(h[0].last, "0x3fffffffffffffff");
    EXPECT_EQ(h[0].from_shard, "s0");
    EXPECT_EQ(h[1].from_shard, "s1");
    EXPECT_EQ(h[1].last, "0xffffffffffffffff");
    EXPECT_TRUE(h[0].to_shard.empty() && h[1].to_shard.empty());
    const auto l = placement_segments(db, *db.find_table("l"));
    ASSERT_EQ(l.size(), 3u);
    EXPECT_EQ(l[0].first, "DE");
    EXPECT_EQ(l[0].from_shard, "s0");
    EXPECT_EQ(l[1].first, "US");
    EXPECT_EQ(l[2].kind, "default");
    EXPECT_EQ(l[2].from_shard, "s1");
    EXPECT_EQ(l[2].listed, (std::vector<std::string>{"DE", "US"}));
    const auto r = placement_segments(db, *db.find_table("r"));
    ASSERT_EQ(r.size(), 3u); // below 1 no shard owns the keys
    EXPECT_EQ(r[0].from_shard, "");
    EXPECT_EQ(r[0].last, "0");
    EXPECT_EQ(r[1].first, "1");
    EXPECT_EQ(r[1].last, "99");
    EXPECT_EQ(r[1].from_shard, "s0");
    EXPECT_EQ(r[2].first, "100");
    EXPECT_EQ(r[2].last, "");
    EXPECT_TRUE(placement_segments(db, *db.find_table("v")).empty());
}

TEST(MapDiff, ListDefaultShardMoveCarriesEveryListedValue) {
    const auto a = parse_shard_map(
        map_text(1, two,
                 "      l: {scheme: list, key: c, lists: [{shard: s0, values: [DE, FR]}, {shard: "
                 "s1, values: [US]}], default_shard: s0}\n"),
        "a");
    const auto b = parse_shard_map(
        map_text(2, two,
                 "      l: {scheme: list, key: c, lists: [{shard: s0, values: [DE, JP]}, {shard: "
                 "s1, values: [US, FR]}], default_shard: s1}\n"),
        "b");
    const auto diff = diff_maps(*a, *b);
    const auto& l = table(diff, "l");
    ASSERT_EQ(l.moves.size(), 2u);
    EXPECT_EQ(l.moves[0].kind, "list_value");
    EXPECT_EQ(l.moves[0].first, "FR");
    EXPECT_EQ(l.moves[1].kind, "default");
    EXPECT_EQ(l.moves[1].from_shard, "s0");
    EXPECT_EQ(l.moves[1].to_shard, "s1");
    // JP was unlisted (default s0) and is listed on s0 now: it stays, so it is excluded too.
    EXPECT_EQ(l.moves[1].listed, (std::vector<std::string>{"DE", "FR", "JP", "US"}));
}

} // namespace
