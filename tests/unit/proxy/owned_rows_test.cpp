// owned_rows(): during a key-range move of a MariaDB table, the filter each shard's statement of
// a cross-shard read carries, so that every row is read once, from its owner under the running
// map; and the reads it refuses rather than answer with rows twice.
#include "shardgate/proxy/owned_rows.hpp"
#include "shardgate/router/merge.hpp"
#include "shardgate/router/planner.hpp"
#include "shardgate/shardmaps/loader.hpp"

#include <gtest/gtest.h>

namespace {

using namespace shardgate;
using namespace shardgate::proxy;

std::string map_text(int epoch, const std::string& ranges) {
    return "format_version: 1\nepoch: " + std::to_string(epoch) +
           "\ndatabases:\n  social:\n    engine: mysql\n    default_shard: m0\n    shards:\n"
           "      m0: {primary: 127.0.0.1:3306}\n      m1: {primary: 127.0.0.1:3307}\n"
           "    tables:\n      users: {scheme: hash, key: id, key_type: bigint, ranges: [" +
           ranges + "]}\n      posts: {colocated_with: users, key: user_id}\n" +
           "      tags: {scheme: reference}\n";
}

const std::string before = "{from: 0x0, to: 0x7fffffffffffffff, shard: m0},"
                           "{from: 0x8000000000000000, to: 0xffffffffffffffff, shard: m1}";
// the last quarter of the keyspace goes from m1 to m0
const std::string after = "{from: 0x0, to: 0x7fffffffffffffff, shard: m0},"
                          "{from: 0x8000000000000000, to: 0xbfffffffffffffff, shard: m1},"
                          "{from: 0xc000000000000000, to: 0xffffffffffffffff, shard: m0}";
const std::string moved = "CAST(LEFT(MD5(`u`.`id`), 16) AS BINARY) BETWEEN 'c000000000000000' "
                          "AND 'ffffffffffffffff'";

class OwnedRowsTest : public ::testing::Test {
protected:
    OwnedRowsTest()
        : from_(shardmaps::parse_shard_map(map_text(1, before), "from")),
          to_(shardmaps::parse_shard_map(map_text(2, after), "to")) {
        for (const auto* table : {"users", "posts"}) {
            split_["social"][table].push_back({"w1", from_, to_, ""});
        }
    }

    static router::Plan plan(const shardmaps::ShardMapPtr& map, const std::string& sql) {
        router::Planner planner(map, "social", parser::Dialect::mysql);
        return planner.route(sql, {});
    }

    shardmaps::ShardMapPtr from_;
    shardmaps::ShardMapPtr to_;
    BackendRegistry::SplitTables split_;
};

TEST_F(OwnedRowsTest, TheShardHoldingRowsItDoesNotOwnHidesThem) {
    const std::string sql = "SELECT count(*) FROM users u WHERE u.id > 0";
    // before the cutover the target (m0) holds copies; after it the source (m1) holds the rows
    for (const auto& [running, hides] : {std::pair{from_, 0u}, std::pair{to_, 1u}}) {
        const auto p = plan(running, sql);
        ASSERT_EQ(p.kind, router::PlanKind::scatter);
        ASSERT_EQ(p.shard_names, (std::vector<std::string>{"m0", "m1"}));
        std::string why;
        const auto filters = owned_rows(split_, *running, p, why);
        ASSERT_TRUE(filters) << why;
        ASSERT_EQ(filters->size(), 2u);
        EXPECT_EQ((*filters)[hides], "(" + moved + ") IS NOT TRUE");
        EXPECT_EQ((*filters)[1 - hides], "");
        EXPECT_EQ(router::shard_statement(p, sql, (*filters)[hides]),
                  "SELECT count(*) FROM users u WHERE ( u.id > 0) AND ((" + moved +
                      ") IS NOT TRUE) ");
    }
}

TEST_F(OwnedRowsTest, EveryPlaceTheTopLevelReadsATableInMidMoveIsFiltered) {
    const auto p = plan(from_, "SELECT u.id FROM users u JOIN posts ON posts.user_id = u.id "
                               "JOIN tags t ON t.id = u.id");
    ASSERT_EQ(p.kind, router::PlanKind::scatter);
    std::string why;
    const auto filters = owned_rows(split_, *from_, p, why);
    ASSERT_TRUE(filters) << why;
    EXPECT_EQ((*filters)[0],
              "(" + moved +
                  ") IS NOT TRUE AND (CAST(LEFT(MD5(`posts`.`user_id`), 16) AS BINARY) "
                  "BETWEEN 'c000000000000000' AND 'ffffffffffffffff') IS NOT TRUE");
    EXPECT_EQ((*filters)[1], "");
    // a table that is not moving: nothing to do
    const auto tags = plan(from_, "SELECT id FROM tags");
    const auto none = owned_rows(split_, *from_, tags, why);
    ASSERT_TRUE(none) << why;
    EXPECT_TRUE(none->empty());
    // the table named with its schema is the same table
    const auto qualified = plan(from_, "SELECT count(*) FROM social.users");
    const auto filtered = owned_rows(split_, *from_, qualified, why);
    ASSERT_TRUE(filtered) << why;
    ASSERT_EQ(filtered->size(), 2u);
    EXPECT_EQ((*filtered)[0], "(CAST(LEFT(MD5(`users`.`id`), 16) AS BINARY) BETWEEN "
                              "'c000000000000000' AND 'ffffffffffffffff') IS NOT TRUE");
}

TEST_F(OwnedRowsTest, ReadsWithNoPlaceForTheFilterAreRefused) {
    router::Plan p;
    p.kind = router::PlanKind::scatter;
    p.database = "social";
    p.shards = {0, 1};
    p.shard_names = {"m0", "m1"};
    p.tables = {"posts", "users"};
    std::vector<router::TableUse> uses{{"posts", "posts", true}, {"users", "users", false}};
    p.table_uses = std::make_shared<const std::vector<router::TableUse>>(uses);
    p.merge.filter_at = 20;
    std::string why;
    EXPECT_FALSE(owned_rows(split_, *from_, p, why));
    EXPECT_NE(why.find("social.users are refused"), std::string::npos) << why;
    EXPECT_NE(why.find("subquery, derived table or WITH query"), std::string::npos) << why;
    uses[1].top = true;
    p.table_uses = std::make_shared<const std::vector<router::TableUse>>(uses);
    EXPECT_TRUE(owned_rows(split_, *from_, p, why));
    p.merge.filter_at.reset(); // a UNION
    EXPECT_FALSE(owned_rows(split_, *from_, p, why));
    EXPECT_NE(why.find("a set operation such as UNION"), std::string::npos) << why;
}

TEST_F(OwnedRowsTest, UnknownMapsOrAThirdLayoutAreRefused) {
    const auto p = plan(from_, "SELECT count(*) FROM users");
    std::string why;
    auto unknown = split_;
    unknown["social"]["users"][0] = {"w1", nullptr, nullptr, "are not known to this proxy"};
    EXPECT_FALSE(owned_rows(unknown, *from_, p, why));
    EXPECT_NE(why.find("workflow w1's maps are not known"), std::string::npos) << why;
    const auto third = shardmaps::parse_shard_map(
        map_text(3, "{from: 0x0, to: 0xffffffffffffffff, shard: m1}"), "third");
    EXPECT_FALSE(owned_rows(split_, *third, p, why));
    EXPECT_NE(why.find("neither as workflow w1's old map nor as its new one"), std::string::npos)
        << why;
}

} // namespace
