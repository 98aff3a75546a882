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
        const auto filters = owned_rows(split_, *running, p, sql, {}, why);
        ASSERT_TRUE(filters) << why;
        ASSERT_EQ(filters->size(), 2u);
        EXPECT_EQ((*filters)[hides].condition, "(" + moved + ") IS NOT TRUE");
        EXPECT_TRUE((*filters)[hides].replacements.empty());
        EXPECT_TRUE((*filters)[1 - hides].empty());
        EXPECT_EQ(router::shard_statement(p, sql, (*filters)[hides]),
                  "SELECT count(*) FROM users u WHERE ( u.id > 0) AND ((" + moved +
                      ") IS NOT TRUE) ");
    }
}

TEST_F(OwnedRowsTest, EveryPlaceTheTopLevelReadsATableInMidMoveIsFiltered) {
    const std::string sql = "SELECT u.id FROM users u JOIN posts ON posts.user_id = u.id "
                            "JOIN tags t ON t.id = u.id";
    const auto p = plan(from_, sql);
    ASSERT_EQ(p.kind, router::PlanKind::scatter);
    std::string why;
    const auto filters = owned_rows(split_, *from_, p, sql, {}, why);
    ASSERT_TRUE(filters) << why;
    EXPECT_EQ((*filters)[0].condition,
              "(" + moved +
                  ") IS NOT TRUE AND (CAST(LEFT(MD5(`posts`.`user_id`), 16) AS BINARY) "
                  "BETWEEN 'c000000000000000' AND 'ffffffffffffffff') IS NOT TRUE");
    EXPECT_TRUE((*filters)[1].empty());
    // a table that is not moving: nothing to do
    const auto tags = plan(from_, "SELECT id FROM tags");
    const auto none = owned_rows(split_, *from_, tags, "SELECT id FROM tags", {}, why);
    ASSERT_TRUE(none) << why;
    EXPECT_TRUE(none->empty());
    // the table named with its schema is the same table
    const auto qualified = plan(from_, "SELECT count(*) FROM social.users");
    const auto filtered =
        owned_rows(split_, *from_, qualified, "SELECT count(*) FROM social.users", {}, why);
    ASSERT_TRUE(filtered) << why;
    ASSERT_EQ(filtered->size(), 2u);
    EXPECT_EQ((*filtered)[0].condition, "(CAST(LEFT(MD5(`users`.`id`), 16) AS BINARY) BETWEEN "
                                        "'c000000000000000' AND 'ffffffffffffffff') IS NOT TRUE");
}

TEST_F(OwnedRowsTest, ATableReadBelowTheTopLevelIsReplacedByAFilteredDerivedTable) {
    const auto hidden = [](const std::string& name, const std::string& hints = "") {
        return "(SELECT * FROM " + name + " AS sg_owned" + hints +
               " WHERE (CAST(LEFT(MD5(`sg_owned`.`id`), 16) AS BINARY) BETWEEN "
               "'c000000000000000' AND 'ffffffffffffffff') IS NOT TRUE)";
    };
    const std::string posts = "(CAST(LEFT(MD5(`posts`.`user_id`), 16) AS BINARY) BETWEEN "
                              "'c000000000000000' AND 'ffffffffffffffff') IS NOT TRUE";
    struct Case {
        std::string sql;
        std::string m0; // the statement of m0, which holds the copies before the cutover
    };
    const std::vector<Case> cases{
        // in a subquery; posts, read at the top alone, keeps the condition in the WHERE
        {"SELECT count(*) FROM posts WHERE EXISTS (SELECT 1 FROM users WHERE users.id = "
         "posts.user_id)",
         "SELECT count(*) FROM posts WHERE ( EXISTS (SELECT 1 FROM " + hidden("users") +
             " AS `users` WHERE users.id = posts.user_id)) AND (" + posts + ") "},
        // in a derived table, with a schema, an alias and an index hint
        {"SELECT count(*) FROM (SELECT id FROM social.users AS x USE INDEX (PRIMARY) WHERE id > "
         "0) d",
         "SELECT count(*) FROM (SELECT id FROM " + hidden("social.users", " USE INDEX (PRIMARY)") +
             " AS `x` WHERE id > 0) d"},
        // at the top level too: both branches of a set operation
        {"SELECT id FROM users UNION ALL SELECT id FROM users u",
         "SELECT id FROM " + hidden("users") + " AS `users` UNION ALL SELECT id FROM " +
             hidden("users") + " AS `u`"},
        // in a WITH query
        {"WITH w AS (SELECT id FROM `users` u) SELECT count(*) FROM w",
         "WITH w AS (SELECT id FROM " + hidden("`users`") + " AS `u`) SELECT count(*) FROM w"},
    };
    for (const auto& c : cases) {
        const auto p = plan(from_, c.sql);
        ASSERT_EQ(p.kind, router::PlanKind::scatter) << c.sql << ": " << p.reason;
        std::string why;
        const auto filters = owned_rows(split_, *from_, p, c.sql, {}, why);
        ASSERT_TRUE(filters) << c.sql << ": " << why;
        ASSERT_EQ(filters->size(), 2u) << c.sql;
        EXPECT_TRUE((*filters)[1].empty()) << c.sql;
        EXPECT_EQ(router::shard_statement(p, c.sql, (*filters)[0]), c.m0);
    }
}

TEST_F(OwnedRowsTest, AReadTheMergeCopiesUnfilteredIsRefused) {
    // the sort key is copied into the select list for the merge, where no derived table
    // replaces the table: the shards would sort by a filtered value, the merge by another
    const std::string sql = "SELECT user_id FROM posts p ORDER BY (SELECT count(*) FROM users u "
                            "WHERE u.id = p.user_id), user_id LIMIT 10";
    const auto p = plan(from_, sql);
    ASSERT_EQ(p.kind, router::PlanKind::scatter) << p.reason;
    ASSERT_GT(router::hidden_columns(p), 0u);
    std::string why;
    EXPECT_FALSE(owned_rows(split_, *from_, p, sql, {}, why));
    EXPECT_NE(why.find("the cross-shard merge copies unfiltered"), std::string::npos) << why;
}

TEST_F(OwnedRowsTest, ReadsWithNoPlaceForTheFilterAreRefused) {
    // a plan whose statement does not name the table in a FROM: no place for either form
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
    EXPECT_FALSE(owned_rows(split_, *from_, p, "SELECT 1", {}, why));
    EXPECT_NE(why.find("social.users are refused"), std::string::npos) << why;
    EXPECT_NE(why.find("outside a FROM or JOIN"), std::string::npos) << why;
    uses[1].top = true;
    p.table_uses = std::make_shared<const std::vector<router::TableUse>>(uses);
    EXPECT_TRUE(owned_rows(split_, *from_, p, "SELECT 1", {}, why));
    p.merge.filter_at.reset(); // a UNION
    EXPECT_FALSE(owned_rows(split_, *from_, p, "SELECT 1", {}, why));
}

TEST_F(OwnedRowsTest, UnknownMapsOrAThirdLayoutAreRefused) {
    const auto p = plan(from_, "SELECT count(*) FROM users");
    std::string why;
    auto unknown = split_;
    unknown["social"]["users"][0] = {"w1", nullptr, nullptr, "are not known to this proxy"};
    EXPECT_FALSE(owned_rows(unknown, *from_, p, "SELECT count(*) FROM users", {}, why));
    EXPECT_NE(why.find("workflow w1's maps are not known"), std::string::npos) << why;
    const auto third = shardmaps::parse_shard_map(
        map_text(3, "{from: 0x0, to: 0xffffffffffffffff, shard: m1}"), "third");
    EXPECT_FALSE(owned_rows(split_, *third, p, "SELECT count(*) FROM users", {}, why));
    EXPECT_NE(why.find("neither as workflow w1's old map nor as its new one"), std::string::npos)
        << why;
}

TEST(OwnedRowsListTest, ListValuesWithBackslashesAreHiddenByHexLiterals) {
    // (any sql_mode reads X'..' alike; a quoted 'a\\b' would be read per NO_BACKSLASH_ESCAPES)
    const auto list_map = [](int epoch, const std::string& holder) {
        return shardmaps::parse_shard_map(
            "format_version: 1\nepoch: " + std::to_string(epoch) +
                "\ndatabases:\n  social:\n    engine: mysql\n    default_shard: m0\n"
                "    shards:\n      m0: {primary: 127.0.0.1:3306}\n"
                "      m1: {primary: 127.0.0.1:3307}\n    tables:\n"
                "      teams:\n        scheme: list\n        key: tag\n        lists:\n"
                "          - {shard: m0, values: ['plain']}\n"
                "          - {shard: m1, values: ['other']}\n"
                "          - {shard: " +
                holder + ", values: ['a\\b']}\n",
            "map");
    };
    const auto from = list_map(1, "m0");
    const auto to = list_map(2, "m1");
    BackendRegistry::SplitTables split;
    split["social"]["teams"].push_back({"w1", from, to, ""});
    const std::string sql = "SELECT count(*) FROM teams";
    router::Planner planner(from, "social", parser::Dialect::mysql);
    const auto p = planner.route(sql, {});
    ASSERT_EQ(p.kind, router::PlanKind::scatter);
    ASSERT_EQ(p.shard_names, (std::vector<std::string>{"m0", "m1"}));
    std::string why;
    const auto filters = owned_rows(split, *from, p, sql, {}, why);
    ASSERT_TRUE(filters) << why; // (refused before: "a list value with a backslash")
    ASSERT_EQ(filters->size(), 2u);
    EXPECT_TRUE((*filters)[0].empty()); // the source still owns the row; m1 holds a copy
    EXPECT_EQ((*filters)[1].condition, "(CAST(`teams`.`tag` AS BINARY) = X'615c62') IS NOT TRUE");
}

} // namespace
