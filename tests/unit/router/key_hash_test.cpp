// Plan::key_hash: the hash of the shard-key value(s) that placed a single-shard read, for the
// `hash` balancing policy. Same key -> same hash whatever the form; fresh per statement even
// when the plan template comes from the cache.
#include "planner_support.hpp"
#include "shardgate/shardmaps/keyspace_id.hpp"

#include <gtest/gtest.h>

namespace {

using namespace shardgate::router;
using namespace shardgate::router::testing;
using shardgate::shardmaps::keyspace_id;

using Params = std::vector<std::optional<std::string>>;

TEST(KeyHash, PointReadCarriesThePlacementHashOfItsKey) {
    const auto plan = route("shop", "SELECT * FROM customers WHERE id = 42");
    ASSERT_EQ(plan.kind, PlanKind::route);
    ASSERT_TRUE(plan.key_hash);
    EXPECT_EQ(*plan.key_hash, keyspace_id("42"));
}

TEST(KeyHash, LiteralAndParameterFormsAgree) {
    const auto literal = route("shop", "SELECT * FROM customers WHERE id = 42");
    const auto pg_param = route("shop", "SELECT * FROM customers WHERE id = $1", Params{"42"});
    const auto quoted = route("shop", "SELECT * FROM customers WHERE id = '42'");
    const auto padded = route("shop", "SELECT * FROM customers WHERE id = $1", Params{"+042"});
    ASSERT_TRUE(literal.key_hash);
    EXPECT_EQ(pg_param.key_hash, literal.key_hash);
    EXPECT_EQ(quoted.key_hash, literal.key_hash);
    EXPECT_EQ(padded.key_hash, literal.key_hash);
    // The MySQL dialect, `?` placeholders, another database of the same map: same key, same
    // hash (the canonical key text, not the protocol, decides).
    const auto my_literal = route("social", "SELECT * FROM messages WHERE conversation_id = 42");
    const auto my_param =
        route("social", "SELECT * FROM messages WHERE conversation_id = ?", Params{"42"});
    EXPECT_EQ(my_literal.key_hash, literal.key_hash);
    EXPECT_EQ(my_param.key_hash, literal.key_hash);
    // consistent_hash and co-located tables too.
    const auto users = route("social", "SELECT * FROM users WHERE id = ?", Params{"42"});
    const auto posts = route("social", "SELECT * FROM posts WHERE user_id = 42");
    EXPECT_EQ(users.key_hash, literal.key_hash);
    EXPECT_EQ(posts.key_hash, literal.key_hash);
}

TEST(KeyHash, CachedPlansBindEachStatementsOwnValues) {
    Planner planner(demo_map(), "shop", shardgate::parser::Dialect::pg);
    const auto first = planner.route("SELECT * FROM customers WHERE id = 1");
    const auto second = planner.route("SELECT * FROM customers WHERE id = 2");
    EXPECT_FALSE(first.cached);
    ASSERT_TRUE(second.cached);
    ASSERT_TRUE(first.key_hash && second.key_hash);
    EXPECT_EQ(*first.key_hash, keyspace_id("1"));
    EXPECT_EQ(*second.key_hash, keyspace_id("2"));

    const Params one{"1"}, three{"3"};
    const auto p1 = planner.route("SELECT * FROM customers WHERE id = $1", {false, one});
    const auto p3 = planner.route("SELECT * FROM customers WHERE id = $1", {false, three});
    ASSERT_TRUE(p3.cached);
    EXPECT_EQ(p1.key_hash, first.key_hash);
    EXPECT_EQ(p3.key_hash, std::optional<std::uint64_t>(keyspace_id("3")));
    // A parameter that is not bound (or NULL) gives no key: no stale hash from before.
    const auto unbound = planner.route("SELECT * FROM customers WHERE id = $1");
    EXPECT_FALSE(unbound.key_hash);
    const Params null_param{std::nullopt};
    const auto null_key =
        planner.route("SELECT * FROM customers WHERE id = $1", {false, null_param});
    EXPECT_FALSE(null_key.key_hash);
}

TEST(KeyHash, TextKeysFollowTheMapsCanonicalForm) {
    const auto de = route("shop", "SELECT * FROM stores WHERE country = 'DE'");
    ASSERT_TRUE(de.key_hash);
    EXPECT_EQ(*de.key_hash, keyspace_id("DE"));
    EXPECT_NE(route("shop", "SELECT * FROM stores WHERE country = 'de'").key_hash, de.key_hash);
    // profiles.region is case-insensitive: 'EU' and 'eu' are one key.
    const auto upper = route("social", "SELECT * FROM profiles WHERE region = 'EU'");
    const auto lower = route("social", "SELECT * FROM profiles WHERE region = ?", Params{"eu"});
    ASSERT_TRUE(upper.key_hash);
    EXPECT_EQ(upper.key_hash, lower.key_hash);
}

TEST(KeyHash, RangeAndTimeSchemesHashTheKeyValue) {
    const auto account = route("shop", "SELECT * FROM accounts WHERE id = 7");
    ASSERT_TRUE(account.key_hash);
    EXPECT_EQ(*account.key_hash, keyspace_id("7"));
    const auto event =
        route("shop", "SELECT * FROM events WHERE created_at = '2025-03-01 00:00:00'");
    ASSERT_EQ(event.kind, PlanKind::route);
    ASSERT_TRUE(event.key_hash);
    EXPECT_EQ(*event.key_hash, keyspace_id("1740787200"));
}

TEST(KeyHash, SeveralValuesOnOneShardHashAsASet) {
    const auto a = route("shop", "SELECT * FROM customers WHERE id IN (1, 2, 3)");
    const auto b = route("shop", "SELECT * FROM customers WHERE id IN (3, 1, 2, 1)");
    const auto c = route("shop", "SELECT * FROM customers WHERE id = 1 OR id = 2 OR id = 3");
    ASSERT_EQ(a.kind, PlanKind::route);
    ASSERT_TRUE(a.key_hash);
    EXPECT_EQ(a.key_hash, b.key_hash);
    EXPECT_EQ(a.key_hash, c.key_hash);
    EXPECT_NE(*a.key_hash, keyspace_id("1"));
    // AND narrows to the values both sides allow; a non-key condition does not matter.
    const auto narrowed =
        route("shop", "SELECT * FROM customers WHERE id IN (1, 2) AND id = 2 AND name = 'x'");
    EXPECT_EQ(narrowed.key_hash, std::optional<std::uint64_t>(keyspace_id("2")));
}

TEST(KeyHash, ReadsNotPlacedByKeyValuesHaveNone) {
    EXPECT_FALSE(route("shop", "SELECT 1").key_hash);
    EXPECT_FALSE(route("shop", "SELECT * FROM invoices WHERE id = 5").key_hash); // vertical
    EXPECT_FALSE(route("shop", "SELECT * FROM accounts WHERE id BETWEEN 1 AND 5").key_hash);
    EXPECT_FALSE(route("shop", "SELECT * FROM customers WHERE id = 1 OR id > 900").key_hash);
    EXPECT_FALSE(route("shop", "SELECT * FROM customers WHERE id = NULL").key_hash);
    EXPECT_FALSE(route("shop", "SELECT * FROM customers").key_hash); // scatter
    EXPECT_FALSE(
        route("shop", "SELECT /* shardgate: shard=pg1 */ * FROM customers WHERE id = 1").key_hash);
    EXPECT_FALSE(route("shop", "INSERT INTO customers (id, name) VALUES (1, 'x')").key_hash);
}

TEST(KeyHash, JoinedTablesOnTheKeyShareTheHash) {
    const auto join = route("shop", "SELECT * FROM customers c JOIN orders o ON o.customer_id = "
                                    "c.id WHERE c.id = 42");
    ASSERT_EQ(join.kind, PlanKind::route);
    EXPECT_EQ(join.key_hash, std::optional<std::uint64_t>(keyspace_id("42")));
}

} // namespace
