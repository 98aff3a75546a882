// Planner behaviour per plan kind and scheme, on the demo map.
#include "planner_support.hpp"
#include "shardgate/parser/lexer.hpp"
#include "shardgate/router/merge.hpp"

#include <gtest/gtest.h>

namespace {

using namespace shardgate::router;
using namespace shardgate::router::testing;

std::vector<std::string> names(std::initializer_list<const char*> list) {
    return {list.begin(), list.end()};
}

TEST(Planner, PointReadOfHashTableRoutesToOwnerReplica) {
    const auto plan = route("shop", "SELECT * FROM customers WHERE id = 42");
    EXPECT_EQ(plan.kind, PlanKind::route);
    EXPECT_EQ(plan.role, Role::replica);
    ASSERT_EQ(plan.shard_names.size(), 1u);
    EXPECT_EQ(plan.shard_names[0], owner("shop", "customers", std::int64_t{42}));
}

TEST(Planner, AWithQueryNamedLikeTheTableItReadsRoutesByThatTable) {
    // The body reads the table (a WITH query sees its own name only when RECURSIVE): it was
    // taken for the WITH query too, and the statement ran on the default shard alone.
    const auto all = route("shop", "WITH customers AS (SELECT * FROM customers WHERE name <> "
                                   "'x') SELECT count(*) FROM customers");
    EXPECT_EQ(all.kind, PlanKind::scatter) << all.reason;
    const auto one = route("shop", "WITH customers AS (SELECT * FROM customers WHERE id = 42) "
                                   "SELECT * FROM customers");
    EXPECT_EQ(one.kind, PlanKind::route) << one.reason;
    ASSERT_EQ(one.shard_names.size(), 1u);
    EXPECT_EQ(one.shard_names[0], owner("shop", "customers", std::int64_t{42}));
}

TEST(Planner, WritesAndLockingReadsGoToPrimary) {
    EXPECT_EQ(route("shop", "UPDATE customers SET name = 'x' WHERE id = 1").role, Role::primary);
    EXPECT_EQ(route("shop", "DELETE FROM customers WHERE id = 1").role, Role::primary);
    EXPECT_EQ(route("shop", "SELECT * FROM customers WHERE id = 1 FOR UPDATE").role, Role::primary);
    EXPECT_EQ(route("shop", "SELECT * FROM customers WHERE id = 1", {}, true).role, Role::primary);
    EXPECT_EQ(route("shop", "SELECT /* shardgate: primary */ * FROM customers WHERE id = 1").role,
              Role::primary);
}

TEST(Planner, InListSpanningShardsScattersOverJustThoseShards) {
    // 1 and 6 live on different shards of the demo map (pinned by ShapesTest below).
    ASSERT_NE(owner("shop", "customers", std::int64_t{1}),
              owner("shop", "customers", std::int64_t{6}));
    const auto plan = route("shop", "SELECT * FROM customers WHERE id IN (1, 6)");
    EXPECT_EQ(plan.kind, PlanKind::scatter);
    EXPECT_EQ(plan.shard_names, names({"pg0", "pg1"}));
    const auto same = route("shop", "SELECT * FROM customers WHERE id IN (1, 2, 3)");
    EXPECT_EQ(same.kind, PlanKind::route);
}

TEST(Planner, OrOfKeysUnitesShards) {
    const auto plan = route("shop", "SELECT * FROM customers WHERE id = 1 OR id = 6");
    EXPECT_EQ(plan.kind, PlanKind::scatter);
    const auto opaque = route("shop", "SELECT * FROM customers WHERE id = 1 OR name = 'x'");
    EXPECT_EQ(opaque.kind, PlanKind::scatter);
    EXPECT_EQ(opaque.shard_names.size(), 2u);
}

TEST(Planner, NoKeyPredicateScattersWithMergeFacts) {
    const auto plan = route("shop", "SELECT name, count(*) FROM customers GROUP BY name "
                                    "ORDER BY name DESC LIMIT 5 OFFSET 2");
    EXPECT_EQ(plan.kind, PlanKind::scatter);
    EXPECT_EQ(plan.role, Role::replica);
    ASSERT_EQ(plan.merge.order_by.size(), 1u);
    EXPECT_TRUE(plan.merge.order_by[0].descending);
    EXPECT_EQ(plan.merge.group_by.size(), 1u);
    ASSERT_EQ(plan.merge.aggregates.size(), 1u);
    EXPECT_EQ(plan.merge.aggregates[0].function, shardgate::parser::Aggregate::count);
    EXPECT_EQ(plan.merge.limit, 5u);
    EXPECT_EQ(plan.merge.offset, 2u);
}

TEST(Planner, ColocatedJoinOnKeyFollowsTheKey) {
    const auto plan = route("shop", "SELECT o.id FROM orders o JOIN customers c "
                                    "ON o.customer_id = c.id WHERE c.id = 6");
    EXPECT_EQ(plan.kind, PlanKind::route);
    EXPECT_EQ(plan.shard_names,
              std::vector<std::string>{owner("shop", "customers", std::int64_t{6})});
    const auto scatter =
        route("shop", "SELECT * FROM orders o JOIN order_items i ON o.customer_id = i.customer_id");
    EXPECT_EQ(scatter.kind, PlanKind::scatter);
}

TEST(Planner, JoinNotOnKeyIsRejectedUnlessPinnedToOneShard) {
    const auto plan = route("shop", "SELECT * FROM orders o JOIN customers c ON o.id = c.id");
    EXPECT_EQ(plan.kind, PlanKind::reject);
    EXPECT_EQ(plan.sqlstate, "0A000");
    EXPECT_NE(plan.reason.find("not joined on their shard key"), std::string::npos) << plan.reason;
    const auto pinned = route("shop", "SELECT * FROM orders o JOIN customers c ON o.id = c.id "
                                      "WHERE o.customer_id = 2 AND c.id = 3");
    EXPECT_EQ(pinned.kind, PlanKind::route) << pinned.reason;
}

TEST(Planner, JoinOfTablesWithDifferentPlacementIsRejected) {
    const auto plan =
        route("shop", "SELECT * FROM customers c JOIN accounts a ON a.id = c.id WHERE c.id = 1");
    EXPECT_EQ(plan.kind, PlanKind::reject);
    EXPECT_NE(plan.reason.find("not co-located"), std::string::npos) << plan.reason;
}

TEST(Planner, UpdateOfShardKeyIsRejected) {
    const auto plan = route("shop", "UPDATE customers SET id = 8, name = 'n' WHERE id = 7");
    EXPECT_EQ(plan.kind, PlanKind::reject);
    EXPECT_NE(plan.reason.find("change shard key customers.id"), std::string::npos);
}

TEST(Planner, WriteWithoutKeyIsRejectedWithAHint) {
    const auto plan = route("shop", "DELETE FROM customers WHERE name = 'x'");
    EXPECT_EQ(plan.kind, PlanKind::reject);
    EXPECT_NE(plan.reason.find("shard=NAME"), std::string::npos);
    const auto forced = route("shop", "DELETE /* shardgate: shard=pg0 */ FROM customers");
    EXPECT_EQ(forced.kind, PlanKind::route);
    EXPECT_EQ(forced.shard_names, names({"pg0"}));
    EXPECT_EQ(forced.role, Role::primary);
}

TEST(Planner, ReferenceTables) {
    const auto read = route("shop", "SELECT * FROM products WHERE id = 3");
    EXPECT_EQ(read.kind, PlanKind::route);
    const auto write = route("shop", "UPDATE products SET price = 2 WHERE id = 3");
    EXPECT_EQ(write.kind, PlanKind::broadcast);
    EXPECT_EQ(write.shard_names, names({"pg0", "pg1"}));
    const auto joined = route("shop", "SELECT * FROM order_items i JOIN products p "
                                      "ON p.id = i.product_id WHERE i.customer_id = 6");
    EXPECT_EQ(joined.kind, PlanKind::route);
    EXPECT_EQ(joined.shard_names,
              std::vector<std::string>{owner("shop", "customers", std::int64_t{6})});
}

TEST(Planner, VerticalAndUnnamedTables) {
    const auto invoices = route("shop", "SELECT * FROM invoices WHERE id = 1");
    EXPECT_EQ(invoices.kind, PlanKind::route);
    EXPECT_EQ(invoices.shard_names, names({"pg1"}));
    const auto unnamed = route("shop", "SELECT * FROM pgbench_accounts WHERE aid = 1");
    EXPECT_EQ(unnamed.kind, PlanKind::route);
    const auto* db = demo_map()->find_database("shop");
    EXPECT_EQ(unnamed.shard_names[0], db->shard(db->default_shard()).name);
}

TEST(Planner, DdlBroadcastsForShardedAndRoutesForVertical) {
    EXPECT_EQ(route("shop", "CREATE INDEX ci ON customers (name)").kind, PlanKind::broadcast);
    EXPECT_EQ(route("shop", "ALTER TABLE products ADD COLUMN x int").kind, PlanKind::broadcast);
    const auto vertical = route("shop", "TRUNCATE invoices");
    EXPECT_EQ(vertical.kind, PlanKind::route);
    EXPECT_EQ(vertical.shard_names, names({"pg1"}));
    EXPECT_EQ(vertical.role, Role::primary);
}

TEST(Planner, RangeAndTimeSchemesPruneRanges) {
    const auto low = route("shop", "SELECT * FROM accounts WHERE id BETWEEN 10 AND 20");
    EXPECT_EQ(low.kind, PlanKind::route);
    EXPECT_EQ(low.shard_names, names({"pg0"}));
    const auto high = route("shop", "SELECT * FROM accounts WHERE id >= 1000000");
    EXPECT_EQ(high.shard_names, names({"pg1"}));
    const auto both = route("shop", "SELECT * FROM accounts WHERE id > 999000");
    EXPECT_EQ(both.kind, PlanKind::scatter);
    const auto y2025 = route("shop", "SELECT * FROM events WHERE created_at >= '2025-03-01' "
                                     "AND created_at < '2025-04-01'");
    EXPECT_EQ(y2025.kind, PlanKind::route);
    EXPECT_EQ(y2025.shard_names, names({"pg0"}));
    const auto y2026 =
        route("shop", "SELECT * FROM events WHERE created_at = '2026-02-01 10:00:00'");
    EXPECT_EQ(y2026.shard_names, names({"pg1"}));
}

TEST(Planner, TimeKeysWithoutOffsetAreRefusedOutsideUtcSessions) {
    // A session whose time zone is not UTC: a timestamptz column reads a time without offset
    // in that zone, the map buckets it in UTC.
    const auto zoned = [](const std::string& sql,
                          std::vector<std::optional<std::string>> params = {}) {
        Planner planner(demo_map(), "shop", dialect_of("shop"));
        RouteContext context;
        context.params = params;
        context.utc_session = false;
        return planner.route(sql, context);
    };
    for (const auto* sql :
         {"INSERT INTO events (created_at, name) VALUES ('2026-01-01 05:00', 'x')",
          "SELECT * FROM events WHERE created_at = '2026-01-01'",
          "SELECT * FROM events WHERE created_at IN ('2026-01-01 05:00Z', '2026-02-01 05:00')",
          "SELECT * FROM events WHERE created_at >= '2025-03-01+00' AND created_at < "
          "'2025-04-01'"}) {
        const auto plan = zoned(sql);
        EXPECT_EQ(plan.kind, PlanKind::reject) << sql;
        EXPECT_EQ(plan.sqlstate, "0A000") << sql;
        EXPECT_NE(plan.reason.find("without a UTC offset"), std::string::npos) << plan.reason;
    }
    const auto bound = zoned("INSERT INTO events (created_at, name) VALUES ($1, 'x')",
                             {std::string("2026-01-01 05:00")});
    EXPECT_EQ(bound.kind, PlanKind::reject);
    // With an offset (Z, +HH[:MM], -HHMM): placed by the instant, as in a UTC session.
    const auto tokyo = zoned("INSERT INTO events (created_at, name) VALUES "
                             "('2026-01-01 05:00+09', 'x')");
    EXPECT_EQ(tokyo.kind, PlanKind::route);
    EXPECT_EQ(tokyo.shard_names, names({"pg0"})); // 2025-12-31 20:00 UTC
    EXPECT_EQ(
        zoned("SELECT * FROM events WHERE created_at = '2026-02-01 10:00:00-0130'").shard_names,
        names({"pg1"}));
    // Other keys and reads without the key are not affected; a UTC session takes the text.
    EXPECT_EQ(zoned("SELECT * FROM accounts WHERE id = 5").kind, PlanKind::route);
    EXPECT_EQ(zoned("SELECT count(*) FROM events").kind, PlanKind::scatter);
    EXPECT_EQ(route("shop", "INSERT INTO events (created_at, name) VALUES ('2026-01-01 05:00', "
                            "'x')")
                  .shard_names,
              names({"pg1"}));
}

/// Tables `wall` (key_type timestamp) and `instant` (timestamptz) by year, up to 2025 on the
/// first shard, 2026 on the second: in `pgdb` (PostgreSQL: s0, s1) and `mydb` (MariaDB:
/// m0, m1).
shardgate::shardmaps::ShardMapPtr time_tables_map() {
    static const auto map = shardgate::shardmaps::parse_shard_map(R"(
format_version: 1
epoch: 1
databases:
  pgdb:
    engine: postgresql
    default_shard: s0
    shards:
      s0: {primary: 127.0.0.1:1}
      s1: {primary: 127.0.0.1:2}
    tables:
      wall: {scheme: time, key: at, key_type: timestamp, interval: year,
             ranges: [{to: 2025, shard: s0}, {from: 2026, shard: s1}]}
      instant: {scheme: time, key: at, key_type: timestamptz, interval: year,
                ranges: [{to: 2025, shard: s0}, {from: 2026, shard: s1}]}
      day: {scheme: time, key: at, key_type: date, interval: year,
            ranges: [{to: 2025, shard: s0}, {from: 2026, shard: s1}]}
      nums: {scheme: range, key: id, key_type: bigint,
             ranges: [{before: 100, shard: s0}, {from: 100, shard: s1}]}
      words: {scheme: range, key: w, key_type: text,
              ranges: [{before: m, shard: s0}, {from: m, shard: s1}]}
  mydb:
    engine: mysql
    default_shard: m0
    shards:
      m0: {primary: 127.0.0.1:3}
      m1: {primary: 127.0.0.1:4}
    tables:
      wall: {scheme: time, key: at, key_type: timestamp, interval: year,
             ranges: [{to: 2025, shard: m0}, {from: 2026, shard: m1}]}
      instant: {scheme: time, key: at, key_type: timestamptz, interval: year,
                ranges: [{to: 2025, shard: m0}, {from: 2026, shard: m1}]}
      codes: {scheme: range, key: code, key_type: text,
              ranges: [{before: '1', shard: m0}, {from: '1', shard: m1}]}
)",
                                                                  "inline.yaml");
    return map;
}

TEST(Planner, WallClockTimeKeysDropTheOffsetAndIgnoreTheSessionZone) {
    // key_type timestamp: a PostgreSQL `timestamp` (MariaDB DATETIME) column, which stores
    // '2026-01-01 05:00+09' as 2026-01-01 05:00 in any session: placed by that wall clock.
    struct Case {
        const char* database;
        shardgate::parser::Dialect dialect;
        const char* early; // up to 2025
        const char* late;  // 2026 on
    };
    for (const auto& [database, dialect, early, late] :
         {Case{"pgdb", shardgate::parser::Dialect::pg, "s0", "s1"},
          Case{"mydb", shardgate::parser::Dialect::mysql, "m0", "m1"}}) {
        const bool mysql = dialect == shardgate::parser::Dialect::mysql;
        for (const bool utc : {true, false}) {
            Planner planner(time_tables_map(), database, dialect);
            RouteContext context;
            context.utc_session = utc;
            const auto at = [&](const std::string& table, const std::string& time) {
                return planner.route("INSERT INTO " + table + " (at) VALUES ('" + time + "')",
                                     context);
            };
            for (const auto* time : {"2026-01-01 05:00+09", "2026-01-01 05:00", "2026-01-01",
                                     "2026-01-01T00:30:00-0130", "2026-01-01 00:00Z"}) {
                const auto plan = at("wall", time);
                EXPECT_EQ(plan.kind, PlanKind::route) << database << " " << time << plan.reason;
                EXPECT_EQ(plan.shard_names, names({late})) << database << " " << time;
            }
            // The same texts as instants: 2025-12-31 20:00 UTC with +09 (MariaDB, which drops
            // the offset, refuses it); without an offset refused outside UTC.
            if (!mysql) {
                EXPECT_EQ(at("instant", "2026-01-01 05:00+09").shard_names, names({early}));
            } else {
                EXPECT_EQ(at("instant", "2026-01-01 05:00+09").kind, PlanKind::reject);
            }
            EXPECT_EQ(at("instant", "2026-01-01 05:00").kind,
                      utc ? PlanKind::route : PlanKind::reject);
            // A range over wall-clock keys: the offsets are dropped too.
            const auto range = planner.route("SELECT * FROM wall WHERE at >= '2026-01-01 "
                                             "01:00+05' AND at < '2026-06-01'",
                                             context);
            EXPECT_EQ(range.kind, PlanKind::route) << range.reason;
            EXPECT_EQ(range.shard_names, names({late}));
        }
    }
}

TEST(Planner, TimeOffsetsTheServerDoesNotApplyAreRefused) {
    // A parameter declared as the other time type is converted by the server through the
    // session's zone (pgjdbc: OffsetDateTime as timestamptz, LocalDateTime as timestamp), and
    // MariaDB drops an offset: taken only with a zero offset in a UTC session.
    const auto map = time_tables_map();
    const auto pg = [&](const std::string& table, const std::string& time, std::uint32_t type,
                        bool utc = true) {
        Planner planner(map, "pgdb", shardgate::parser::Dialect::pg);
        const std::vector<std::optional<std::string>> params{time};
        const std::vector<std::uint32_t> types{type};
        RouteContext context;
        context.params = params;
        context.param_types = types;
        context.utc_session = utc;
        return planner.route("INSERT INTO " + table + " (at) VALUES ($1)", context);
    };
    // timestamptz-typed into a wall-clock key: placed by the instant in UTC with +00 only.
    EXPECT_EQ(pg("wall", "2026-01-01 05:00+09", 1184).kind, PlanKind::reject);
    EXPECT_NE(pg("wall", "2026-01-01 05:00+09", 1184).reason.find("declared timestamptz"),
              std::string::npos);
    EXPECT_EQ(pg("wall", "2025-12-31 23:30+00", 1184).shard_names, names({"s0"}));
    EXPECT_EQ(pg("wall", "2025-12-31 23:30+00", 1184, false).kind, PlanKind::reject);
    EXPECT_EQ(pg("wall", "2026-01-01 05:00", 1184, false).shard_names, names({"s1"}));
    EXPECT_EQ(pg("wall", "2026-01-01 05:00+09", 1114).shard_names, names({"s1"})); // dropped
    EXPECT_EQ(pg("wall", "2026-01-01 05:00+09", 0).shard_names, names({"s1"}));
    // timestamp-typed into an instant key: the offset is dropped by the server.
    EXPECT_EQ(pg("instant", "2026-01-01 05:00+09", 1114).kind, PlanKind::reject);
    EXPECT_EQ(pg("instant", "2026-01-01 00:00Z", 1114).shard_names, names({"s1"}));
    EXPECT_EQ(pg("instant", "2026-01-01 05:00+09", 1184).shard_names, names({"s0"}));
    EXPECT_EQ(pg("instant", "2026-01-01 05:00+09", 0).shard_names, names({"s0"}));
    // MariaDB: a TIMESTAMP key with a non-zero offset is refused; DATETIME drops it.
    Planner my(map, "mydb", shardgate::parser::Dialect::mysql);
    const auto mysql = [&](const std::string& table, const std::string& time) {
        return my.route("INSERT INTO " + table + " (at) VALUES ('" + time + "')", RouteContext{});
    };
    const auto tokyo = mysql("instant", "2026-01-01 05:00:00+09:00");
    EXPECT_EQ(tokyo.kind, PlanKind::reject);
    EXPECT_NE(tokyo.reason.find("which MariaDB drops"), std::string::npos) << tokyo.reason;
    EXPECT_EQ(mysql("instant", "2026-01-01 00:30:00+00:00").shard_names, names({"m1"}));
    EXPECT_EQ(mysql("wall", "2026-01-01 05:00:00+09:00").shard_names, names({"m1"}));
}

TEST(Planner, CastsOnShardKeysAreReadAsTheServerReadsThem) {
    // '...'::type, CAST(... AS type) and typed literals: the server converts the value to the
    // cast's type first. Placed like the column's own type when that changes nothing, refused
    // where it can (another time type through the session's zone, a length, a precision).
    const auto map = time_tables_map();
    const auto pg = [&](const std::string& sql, bool utc = true) {
        Planner planner(map, "pgdb", shardgate::parser::Dialect::pg);
        RouteContext context;
        context.utc_session = utc;
        const Plan first = planner.route(sql, context);
        const Plan again = planner.route(sql, context); // from the plan cache
        EXPECT_TRUE(again.cached);
        EXPECT_EQ(again.kind, first.kind) << sql;
        EXPECT_EQ(again.shard_names, first.shard_names) << sql;
        return first;
    };
    const auto refused = [&](const std::string& sql, bool utc = true) {
        const Plan plan = pg(sql, utc);
        EXPECT_EQ(plan.kind, PlanKind::reject) << sql;
        EXPECT_EQ(plan.sqlstate, "0A000") << sql;
        return plan.kind == PlanKind::reject;
    };
    // timestamp cast into an instant key: the offset is dropped, the rest read in the zone.
    EXPECT_TRUE(refused("INSERT INTO instant (at) VALUES ('2026-01-01 05:00+09'::timestamp)"));
    EXPECT_NE(pg("INSERT INTO instant (at) VALUES ('2026-01-01 05:00+09'::timestamp)")
                  .reason.find("cast to timestamp"),
              std::string::npos);
    EXPECT_EQ(pg("INSERT INTO instant (at) VALUES ('2025-12-31 23:30'::timestamp)").shard_names,
              names({"s0"}));
    EXPECT_TRUE(refused("INSERT INTO instant (at) VALUES ('2025-12-31 23:30'::timestamp)", false));
    EXPECT_EQ(
        pg("INSERT INTO instant (at) VALUES ('2026-01-01 05:00+09'::timestamptz)").shard_names,
        names({"s0"}));
    EXPECT_EQ(pg("SELECT * FROM instant WHERE at = timestamptz '2026-01-01 05:00+09'").shard_names,
              names({"s0"}));
    // timestamptz cast into a wall-clock key: converted through the session's zone.
    EXPECT_TRUE(refused("SELECT * FROM wall WHERE at = '2026-01-01 05:00+09'::timestamptz"));
    EXPECT_EQ(pg("SELECT * FROM wall WHERE at = '2025-12-31 23:30+00'::timestamptz").shard_names,
              names({"s0"}));
    EXPECT_EQ(
        pg("SELECT * FROM wall WHERE at = CAST('2026-01-01 05:00+09' AS timestamp)").shard_names,
        names({"s1"}));
    // A date cast keeps the date: a time key takes only a midnight.
    EXPECT_EQ(pg("SELECT * FROM wall WHERE at = '2026-01-01'::date").shard_names, names({"s1"}));
    EXPECT_EQ(pg("SELECT * FROM wall WHERE at = DATE '2025-12-31'").shard_names, names({"s0"}));
    EXPECT_TRUE(refused("SELECT * FROM wall WHERE at = '2025-12-31 23:30'::date"));
    EXPECT_EQ(pg("SELECT * FROM instant WHERE at = DATE '2026-01-01'").shard_names, names({"s1"}));
    EXPECT_TRUE(refused("SELECT * FROM instant WHERE at = DATE '2026-01-01'", false));
    // A date key: an instant is moved to the session's zone before its date is taken.
    EXPECT_TRUE(refused("INSERT INTO day (at) VALUES ('2025-12-31 23:00-05'::timestamptz)"));
    EXPECT_EQ(pg("INSERT INTO day (at) VALUES ('2025-12-31 23:00-05'::timestamp)").shard_names,
              names({"s0"}));
    EXPECT_EQ(pg("INSERT INTO day (at) VALUES ('2025-12-31 23:00-05')").shard_names, names({"s0"}));
    EXPECT_EQ(pg("INSERT INTO day (at) VALUES ('2025-12-31 23:30+00'::timestamptz)").shard_names,
              names({"s0"}));
    // Lengths, precisions, other types and casts through a second type change values.
    EXPECT_TRUE(refused("SELECT * FROM words WHERE w = 'zebra'::varchar(1)"));
    EXPECT_TRUE(refused("SELECT * FROM words WHERE w = 'zebra'::char"));
    EXPECT_TRUE(refused("SELECT * FROM words WHERE w = '0123'::int"));
    EXPECT_EQ(pg("SELECT * FROM words WHERE w = 'zebra'::text").shard_names, names({"s1"}));
    EXPECT_EQ(pg("SELECT * FROM words WHERE w = CAST('apple' AS varchar)").shard_names,
              names({"s0"}));
    EXPECT_EQ(pg("SELECT * FROM nums WHERE id = '7'::int8").shard_names, names({"s0"}));
    EXPECT_EQ(pg("SELECT * FROM nums WHERE id = CAST('170' AS integer)").shard_names,
              names({"s1"}));
    EXPECT_EQ(pg("SELECT * FROM nums WHERE id = 99.7::numeric").kind, PlanKind::reject);
    EXPECT_EQ(pg("SELECT * FROM nums WHERE id = '120'::numeric").shard_names, names({"s1"}));
    EXPECT_TRUE(refused("SELECT * FROM nums WHERE id = '7'::date"));
    EXPECT_TRUE(refused("INSERT INTO wall (at) VALUES ('2025-12-31 23:59:59.6'::timestamp(0))"));
    EXPECT_TRUE(refused("INSERT INTO wall (at) VALUES ('2025-12-31 23:00'::timestamp::date)"));
    EXPECT_TRUE(refused("INSERT INTO instant (at) VALUES ('2025-12-31 23:00'::time)"));
    EXPECT_TRUE(refused("SELECT * FROM nums WHERE id BETWEEN 1 AND '200'::int8::text"));
    // What the cast applies to: a COLLATE before it, an array cast as a whole, a typed literal
    // or a signed number inside CAST.
    EXPECT_TRUE(refused("INSERT INTO instant (at) VALUES ('2026-01-01 05:00+09' COLLATE \"C\"::"
                        "timestamp)"));
    EXPECT_TRUE(refused("SELECT * FROM instant WHERE at = CAST('2026-01-01 05:00+09' COLLATE "
                        "\"C\" AS timestamp)"));
    EXPECT_TRUE(refused("SELECT * FROM instant WHERE at = ANY(ARRAY['2026-01-01 05:00+09']::"
                        "timestamp[])"));
    EXPECT_TRUE(refused("INSERT INTO instant (at) VALUES (CAST(timestamptz '2026-01-01 05:00+00' "
                        "AS date))"));
    EXPECT_TRUE(refused("SELECT * FROM words WHERE w = CAST(+12345 AS varchar(2))"));
    // A number into a text key is stored in the server's spelling (1e3 as 1000).
    EXPECT_TRUE(refused("INSERT INTO words (w) VALUES (1e3)"));
    EXPECT_TRUE(refused("SELECT * FROM words WHERE w = 1.5::text"));
    EXPECT_EQ(pg("SELECT * FROM words WHERE w = 42").kind, PlanKind::route);
    // A date cast with a fraction of a second is not a midnight.
    EXPECT_TRUE(refused("INSERT INTO wall (at) VALUES ('2026-01-01 00:00:00.4'::date)"));
    // A cast on a parameter applies to what its declared type read.
    const auto param = [&](const std::string& sql, std::uint32_t type) {
        Planner planner(map, "pgdb", shardgate::parser::Dialect::pg);
        const std::vector<std::optional<std::string>> params{"2026-01-01 05:00+09"};
        const std::vector<std::uint32_t> types{type};
        RouteContext context;
        context.params = params;
        context.param_types = types;
        return planner.route(sql, context);
    };
    EXPECT_EQ(param("INSERT INTO instant (at) VALUES ($1::timestamptz)", 0).shard_names,
              names({"s0"}));
    EXPECT_EQ(param("INSERT INTO instant (at) VALUES ($1::timestamptz)", 1184).shard_names,
              names({"s0"}));
    EXPECT_EQ(param("INSERT INTO instant (at) VALUES ($1::timestamptz)", 1114).kind,
              PlanKind::reject);
    EXPECT_EQ(param("INSERT INTO instant (at) VALUES ($1::timestamp)", 0).kind, PlanKind::reject);
    EXPECT_EQ(param("INSERT INTO wall (at) VALUES ($1::timestamp)", 0).shard_names, names({"s1"}));
    // SQL-level PREPARE's types read like a declared type.
    {
        Planner planner(map, "pgdb", shardgate::parser::Dialect::pg);
        const std::vector<std::optional<std::string>> params{"2026-01-01 05:00+09"};
        RouteContext context;
        context.params = params;
        const auto prepared = [&](std::string_view types) {
            const auto casts =
                shardgate::parser::declared_casts(types, shardgate::parser::Dialect::pg);
            context.param_casts = casts;
            return planner.route("INSERT INTO instant (at) VALUES ($1)", context);
        };
        EXPECT_EQ(prepared("timestamp").kind, PlanKind::reject);
        EXPECT_NE(prepared("timestamp").reason.find("declared timestamp"), std::string::npos);
        EXPECT_EQ(prepared("timestamptz").shard_names, names({"s0"}));
        EXPECT_EQ(prepared("timestamp(0) with time zone").kind, PlanKind::reject);
    }
    // A date key's parameter declared timestamptz is moved to the session's zone too.
    EXPECT_EQ(param("INSERT INTO day (at) VALUES ($1)", 1184).kind, PlanKind::reject);
    EXPECT_EQ(param("INSERT INTO day (at) VALUES ($1)", 1114).shard_names, names({"s1"}));
    EXPECT_EQ(param("INSERT INTO day (at) VALUES ($1)", 0).shard_names, names({"s1"}));
    // bpchar drops trailing blanks, name cuts at 63 bytes: read as another value.
    EXPECT_EQ(param("SELECT * FROM words WHERE w = $1", 1042).kind, PlanKind::reject);
    EXPECT_EQ(param("SELECT * FROM words WHERE w = $1", 1043).kind, PlanKind::route);
    // MariaDB reads CAST(... AS DATETIME) as it stores a string in DATETIME or TIMESTAMP.
    Planner my(map, "mydb", shardgate::parser::Dialect::mysql);
    const auto mysql = [&](const std::string& sql) { return my.route(sql, RouteContext{}); };
    EXPECT_EQ(mysql("INSERT INTO instant (at) VALUES (CAST('2026-01-01 05:00:00+09:00' AS "
                    "DATETIME))")
                  .kind,
              PlanKind::reject);
    EXPECT_EQ(mysql("INSERT INTO instant (at) VALUES (CAST('2025-12-31 23:30:00' AS DATETIME))")
                  .shard_names,
              names({"m0"}));
    EXPECT_EQ(mysql("INSERT INTO wall (at) VALUES (CAST('2026-01-01 05:00:00+09:00' AS "
                    "DATETIME))")
                  .shard_names,
              names({"m1"}));
    EXPECT_EQ(
        mysql("INSERT INTO wall (at) VALUES (CAST('2025-12-31 23:59:59.6' AS DATETIME(0)))").kind,
        PlanKind::reject);
}

TEST(Planner, NumbersComparedWithTextKeys) {
    // MariaDB compares a text column with a number as numbers ('05' = 5): a read by a number
    // reaches every shard; an INSERT stores the number's digits. PostgreSQL refuses text = int.
    const auto map = time_tables_map();
    Planner my(map, "mydb", shardgate::parser::Dialect::mysql);
    const auto mysql = [&](const std::string& sql,
                           std::vector<shardgate::parser::LiteralCast> casts = {},
                           std::vector<std::optional<std::string>> params = {}) {
        RouteContext context;
        context.params = params;
        context.param_casts = casts;
        return my.route(sql, context);
    };
    EXPECT_EQ(mysql("SELECT * FROM codes WHERE code = 5").shard_names, names({"m0", "m1"}));
    EXPECT_EQ(mysql("SELECT * FROM codes WHERE code IN ('7', 5)").shard_names, names({"m0", "m1"}));
    EXPECT_EQ(mysql("SELECT * FROM codes WHERE code = '5'").shard_names, names({"m1"}));
    EXPECT_EQ(mysql("SELECT * FROM codes WHERE code = '05'").shard_names, names({"m0"}));
    EXPECT_EQ(mysql("INSERT INTO codes (code) VALUES (5)").shard_names, names({"m1"}));
    // A parameter bound as an integer (Connector/J setInt, mysql2 numbers).
    using C = shardgate::parser::LiteralCast;
    EXPECT_EQ(
        mysql("SELECT * FROM codes WHERE code = ?", {C::integer}, {std::string("5")}).shard_names,
        names({"m0", "m1"}));
    EXPECT_EQ(
        mysql("INSERT INTO codes (code) VALUES (?)", {C::integer}, {std::string("5")}).shard_names,
        names({"m1"}));
    EXPECT_EQ(
        mysql("SELECT * FROM codes WHERE code = ?", {C::none}, {std::string("5")}).shard_names,
        names({"m1"}));
    // A float holding an integer is spelled with an exponent from 16 digits on.
    const auto insert = [&](C cast, const char* value) {
        return mysql("INSERT INTO codes (code) VALUES (?)", {cast}, {std::string(value)}).kind;
    };
    EXPECT_EQ(insert(C::number, "123456789012345"), PlanKind::route);
    EXPECT_EQ(insert(C::number, "1234567890123456"), PlanKind::reject);
    EXPECT_EQ(insert(C::integer, "1234567890123456"), PlanKind::route);
    // PostgreSQL: a parameter declared int8 into a text key is its digits.
    Planner pg(map, "pgdb", shardgate::parser::Dialect::pg);
    const auto declared = [&](const std::string& value) {
        const std::vector<std::optional<std::string>> params{value};
        const std::vector<std::uint32_t> types{20};
        RouteContext context;
        context.params = params;
        context.param_types = types;
        return pg.route("INSERT INTO words (w) VALUES ($1)", context);
    };
    EXPECT_EQ(declared("123").shard_names, names({"s0"}));
    EXPECT_EQ(declared("0123").kind, PlanKind::reject);
}

TEST(Planner, ListSchemeWithDefault) {
    EXPECT_EQ(route("shop", "SELECT * FROM stores WHERE country = 'FR'").shard_names,
              names({"pg0"}));
    EXPECT_EQ(route("shop", "SELECT * FROM stores WHERE country = 'MX'").shard_names,
              names({"pg1"}));
    const auto jp = route("shop", "SELECT * FROM stores WHERE country = 'JP'");
    EXPECT_EQ(jp.kind, PlanKind::route);
    EXPECT_EQ(jp.shard_names[0], owner("shop", "stores", std::string_view("JP")));
    // Case-insensitive list on MariaDB.
    EXPECT_EQ(route("social", "SELECT * FROM profiles WHERE region = 'EU'").shard_names,
              route("social", "SELECT * FROM profiles WHERE region = 'eu'").shard_names);
}

TEST(Planner, InsertRowsOnSeveralShardsAreSplit) {
    const auto plan = route("shop", "INSERT INTO customers (id, name) VALUES (1, 'a'), (6, 'b')");
    EXPECT_EQ(plan.kind, PlanKind::scatter);
    EXPECT_TRUE(plan.merge.split_insert_rows);
    EXPECT_EQ(plan.role, Role::primary);
    // accounts does not generate its key (customers does: insert_split_test.cpp).
    const auto missing = route("shop", "INSERT INTO accounts (balance) VALUES (1)");
    EXPECT_EQ(missing.kind, PlanKind::reject);
    EXPECT_NE(missing.reason.find("must name its shard key column 'id'"), std::string::npos);
}

TEST(Planner, BadKeyValueIsRejected) {
    const auto plan = route("shop", "SELECT * FROM customers WHERE id = 'abc'");
    EXPECT_EQ(plan.kind, PlanKind::reject);
    EXPECT_EQ(plan.sqlstate, "22023");
}

TEST(Planner, SessionStatements) {
    EXPECT_EQ(route("shop", "BEGIN").kind, PlanKind::session);
    EXPECT_EQ(route("shop", "SET search_path = public").kind, PlanKind::session);
    EXPECT_EQ(route("social", "START TRANSACTION READ ONLY").kind, PlanKind::session);
    EXPECT_EQ(route("social", "USE social").kind, PlanKind::session);
}

TEST(Planner, MixingDatabasesIsRejected) {
    const auto plan = route("social", "SELECT * FROM shop.customers WHERE id = 1");
    EXPECT_EQ(plan.kind, PlanKind::reject);
    EXPECT_NE(plan.reason.find("mixes databases"), std::string::npos);
    const auto same = route("social", "SELECT * FROM social.users WHERE id = 1");
    EXPECT_EQ(same.kind, PlanKind::route);
}

TEST(Planner, UnparsableFollowsRejectPolicyWithPosition) {
    const auto plan = route("shop", "SELECT FROM WHERE ((");
    EXPECT_EQ(plan.kind, PlanKind::reject);
    EXPECT_EQ(plan.sqlstate, "42601");
    EXPECT_NE(plan.reason.find("at byte"), std::string::npos);
}

TEST(Planner, UnknownHintShardIsRejected) {
    const auto plan = route("shop", "SELECT /* shardgate: shard=nope */ 1");
    EXPECT_EQ(plan.kind, PlanKind::reject);
    EXPECT_NE(plan.reason.find("'nope'"), std::string::npos);
}

TEST(Planner, CacheHitGivesTheSamePlanAsAColdParse) {
    Planner warm(demo_map(), "shop", shardgate::parser::Dialect::pg);
    for (int key = 1; key <= 200; ++key) {
        const auto sql = "SELECT * FROM orders WHERE customer_id = " + std::to_string(key);
        const auto hot = warm.route(sql);
        const auto cold = route("shop", sql);
        EXPECT_EQ(hot.shard_names, cold.shard_names) << sql;
        EXPECT_EQ(hot.kind, cold.kind) << sql;
        EXPECT_EQ(hot.cached, key > 1);
    }
    EXPECT_EQ(warm.cache_misses(), 1u);
    EXPECT_EQ(warm.cache_hits(), 199u);
}

TEST(Planner, SequenceNamesKeepTheirOwnCachedPlans) {
    // The sequence name is a string literal: it must not become a fingerprint slot, or the
    // second statement would reuse the first one's placement.
    Planner planner(demo_map(), "shop", shardgate::parser::Dialect::pg);
    const auto mapped = planner.route("SELECT nextval('invoice_number_seq')");
    const auto unmapped = planner.route("SELECT nextval('orders_id_seq')");
    EXPECT_EQ(mapped.shard_names, std::vector<std::string>{"pg1"});
    EXPECT_EQ(unmapped.shard_names, std::vector<std::string>{"pg0"});
    EXPECT_FALSE(unmapped.cached);
    const auto notify_mapped = planner.route("SELECT pg_notify('invoice_events', 'a')");
    const auto notify_default = planner.route("SELECT pg_notify('order_events', 'a')");
    EXPECT_EQ(notify_mapped.shard_names, std::vector<std::string>{"pg1"});
    EXPECT_EQ(notify_default.shard_names, std::vector<std::string>{"pg0"});
    // The payload is still a slot: a second payload hits the cache.
    EXPECT_TRUE(planner.route("SELECT pg_notify('invoice_events', 'b')").cached);
}

TEST(Planner, CacheIsBounded) {
    Planner planner(demo_map(), "shop", shardgate::parser::Dialect::pg, 8);
    for (int i = 0; i < 50; ++i) {
        planner.route("SELECT c" + std::to_string(i) + " FROM customers WHERE id = 1");
    }
    EXPECT_EQ(planner.cache_size(), 8u);
}

} // namespace

namespace {

TEST(Planner, KeylessWritesBroadcastWhenTheMapAllowsIt) {
    const auto map = shardgate::shardmaps::parse_shard_map(R"(format_version: 1
epoch: 1
databases:
  app:
    engine: postgresql
    default_shard: s0
    keyless_writes: broadcast
    shards:
      s0: {primary: 127.0.0.1:1}
      s1: {primary: 127.0.0.1:2}
    tables:
      sessions: {scheme: hash, key: id, key_type: bigint}
)",
                                                           "inline.yaml");
    Planner planner(map, "app", shardgate::parser::Dialect::pg);
    const auto plan = planner.route("DELETE FROM sessions WHERE expires < now()");
    EXPECT_EQ(plan.kind, PlanKind::broadcast) << plan.reason;
    EXPECT_EQ(plan.role, Role::primary);
    EXPECT_EQ(plan.shard_names, (std::vector<std::string>{"s0", "s1"}));
}

} // namespace

namespace {

TEST(Planner, VerbsNameSessionStatementsSoProxiesNeverRereadTheText) {
    const std::pair<const char*, Verb> pg[] = {
        {"BEGIN ISOLATION LEVEL SERIALIZABLE", Verb::begin},
        {"start transaction read only", Verb::start_transaction},
        {"END", Verb::commit},
        {"/* note */ Commit", Verb::commit},
        {"ABORT", Verb::rollback},
        {"rollback work", Verb::rollback},
        {"ROLLBACK TO SAVEPOINT a", Verb::rollback_to},
        {"rollback transaction to a", Verb::rollback_to},
        {"savepoint a", Verb::savepoint},
        {"RELEASE a", Verb::release},
        {"PREPARE TRANSACTION 'x'", Verb::two_phase},
        {"COMMIT PREPARED 'x'", Verb::two_phase},
        {"set search_path = public", Verb::set},
        {"RESET ALL", Verb::reset},
        {"discard all", Verb::discard},
        {"PREPARE p AS SELECT 1", Verb::prepare},
        {"EXECUTE p", Verb::execute},
        {"DEALLOCATE ALL", Verb::deallocate},
        {"LISTEN c", Verb::listen},
        {"UNLISTEN *", Verb::unlisten},
        {"COPY customers TO STDOUT", Verb::copy},
        {"SELECT * FROM customers WHERE id = 1", Verb::other},
        {"(SELECT 1)", Verb::other},
        {"KILL 3", Verb::other},
    };
    for (const auto& [sql, verb] : pg) {
        EXPECT_EQ(route("shop", sql).verb, verb) << sql;
        // The verb is part of the cached plan: a second statement of the fingerprint has it.
        EXPECT_EQ(route("shop", sql).verb, verb) << sql;
    }
    const std::pair<const char*, Verb> mysql[] = {
        {"BEGIN", Verb::begin},
        {"START TRANSACTION", Verb::start_transaction},
        {"START SLAVE", Verb::other},
        {"XA START 'x'", Verb::two_phase},
        {"END", Verb::other},
        {"USE social", Verb::use},
        {"KILL QUERY 7", Verb::kill},
        {"DESC users", Verb::describe},
        {"SET NAMES utf8mb4", Verb::set},
        {"RESET ALL", Verb::other},
    };
    for (const auto& [sql, verb] : mysql) {
        EXPECT_EQ(route("social", sql).verb, verb) << sql;
    }
}

} // namespace

namespace {

TEST(Planner, InsertSelectRunsWhereTheRowsItCopiesAre) {
    using shardgate::router::testing::owner;
    // the key copied from a co-located table, one shard: there, on the primary
    auto plan = route("shop", "INSERT INTO orders (customer_id, name) SELECT id, name FROM "
                              "customers WHERE id = 6");
    ASSERT_EQ(plan.kind, PlanKind::route) << plan.reason;
    EXPECT_EQ(plan.shard_names, std::vector<std::string>{owner("shop", "customers", 6)});
    EXPECT_EQ(plan.role, Role::primary);
    EXPECT_TRUE(plan.is_write);
    plan = route("shop",
                 "INSERT INTO orders (customer_id, name) SELECT customer_id, name FROM "
                 "order_items WHERE customer_id = $1",
                 {std::string("42")});
    ASSERT_EQ(plan.kind, PlanKind::route) << plan.reason;
    EXPECT_EQ(plan.shard_names, std::vector<std::string>{owner("shop", "orders", 42)});
    // several shards, or a key that is not copied: refused
    plan = route("shop", "INSERT INTO orders (customer_id, name) SELECT id, name FROM customers "
                         "WHERE id IN (1, 6)");
    EXPECT_EQ(plan.kind, PlanKind::reject);
    EXPECT_NE(plan.reason.find("several shards"), std::string::npos) << plan.reason;
    plan = route("shop", "INSERT INTO orders (customer_id, name) SELECT 7, name FROM customers "
                         "WHERE id = 6");
    EXPECT_EQ(plan.kind, PlanKind::reject);
    EXPECT_NE(plan.reason.find("co-located"), std::string::npos) << plan.reason;
    plan = route("shop", "INSERT INTO orders (customer_id, name) SELECT id, name FROM invoices "
                         "WHERE id = 6");
    EXPECT_EQ(plan.kind, PlanKind::reject) << plan.reason;
}

} // namespace

// An ownership filter (a table in mid-move, docs/resharding.md) goes into the shard statement
// of a scatter read as an extra condition of its top-level WHERE, after any rewrite of the merge.
TEST(Planner, OwnershipFilterJoinsTheTopLevelWhere) {
    const auto shard_sql = [](const std::string& sql) {
        const auto plan = route("social", sql);
        EXPECT_EQ(plan.kind, PlanKind::scatter) << sql;
        EXPECT_TRUE(owned_rows_placeable(plan)) << sql;
        return shard_statement(plan, sql, "F").value_or("<unchanged>");
    };
    EXPECT_EQ(shard_sql("SELECT count(*) FROM posts"), "SELECT count(*) FROM posts WHERE (F) ");
    EXPECT_EQ(shard_sql("SELECT id FROM posts p WHERE id > 3 OR id < 1 ORDER BY id LIMIT 5"),
              "SELECT id FROM posts p WHERE ( id > 3 OR id < 1 ) AND (F) ORDER BY id LIMIT 5");
    // a trailing comment does not swallow it (nor the DISTINCT argument's GROUP BY after it)
    EXPECT_EQ(shard_sql("SELECT count(DISTINCT body) FROM posts WHERE id > 3 -- the end"),
              "SELECT count(DISTINCT body) , body AS sg_hidden_1 FROM posts WHERE ( id > 3) AND "
              "(F)  GROUP BY body  -- the end");
    EXPECT_EQ(shard_sql("SELECT user_id, count(*) FROM posts GROUP BY user_id WITH ROLLUP"),
              "SELECT user_id, count(*) FROM posts  WHERE (F) GROUP BY user_id WITH ROLLUP");
    EXPECT_EQ(shard_sql("SELECT p.id FROM posts p JOIN likes l ON p.user_id = l.user_id "
                        "WHERE (p.id) IN (SELECT 2) ORDER BY 1;"),
              "SELECT p.id FROM posts p JOIN likes l ON p.user_id = l.user_id WHERE ( (p.id) IN "
              "(SELECT 2) ) AND (F) ORDER BY 1;");
    EXPECT_EQ(shard_sql("/* shardgate: primary */ SELECT count(*), count(DISTINCT id) FROM posts"),
              "/* shardgate: primary */ SELECT count(*), count(DISTINCT id) , id AS sg_hidden_1 "
              "FROM posts WHERE (F)  GROUP BY id ");
    // MariaDB's FOR SYSTEM_TIME and index hints' FOR ORDER BY belong to the table
    EXPECT_EQ(shard_sql("SELECT id FROM posts FOR SYSTEM_TIME ALL WHERE id > 0 ORDER BY id"),
              "SELECT id FROM posts FOR SYSTEM_TIME ALL WHERE ( id > 0 ) AND (F) ORDER BY id");
    EXPECT_EQ(shard_sql("SELECT id FROM posts USE INDEX FOR ORDER BY (PRIMARY) ORDER BY id "
                        "FOR UPDATE"),
              "SELECT id FROM posts USE INDEX FOR ORDER BY (PRIMARY)  WHERE (F) ORDER BY id "
              "FOR UPDATE");
    // how each table is read: its qualifier, and whether the top-level block reads it
    const auto plan = route("social", "SELECT p.id FROM posts p JOIN likes ON p.user_id = "
                                      "likes.user_id WHERE p.id IN (SELECT id FROM tags)");
    ASSERT_NE(plan.table_uses, nullptr);
    const auto& uses = *plan.table_uses;
    ASSERT_EQ(uses.size(), 3u);
    EXPECT_EQ(uses[0].qualifier, "p");
    EXPECT_TRUE(uses[0].top);
    EXPECT_EQ(uses[1].qualifier, "likes");
    EXPECT_TRUE(uses[1].top);
    EXPECT_EQ(uses[2].table, "tags");
    EXPECT_FALSE(uses[2].top);
    // a schema-qualified name is the map's table, qualified by its name as written
    const auto qualified = route("social", "SELECT count(*) FROM social.posts");
    ASSERT_NE(qualified.table_uses, nullptr);
    EXPECT_EQ(qualified.table_uses->at(0).table, "posts");
    EXPECT_EQ(qualified.table_uses->at(0).qualifier, "posts");
    // a set operation has no one WHERE to join
    const auto both = route("social", "SELECT id FROM posts UNION ALL SELECT id FROM likes");
    EXPECT_FALSE(owned_rows_placeable(both));
    EXPECT_EQ(shard_statement(both, "SELECT id FROM posts UNION ALL SELECT id FROM likes", "F"),
              "");
    // single-shard plans carry no table uses
    EXPECT_EQ(route("social", "SELECT id FROM posts WHERE user_id = 5").table_uses, nullptr);
}

namespace {

TEST(Planner, SetConfigIsLocalDecidedByEachStatementsValue) {
    // One planner: the second statement of each pair hits the cached template of the first.
    Planner planner(demo_map(), "shop", shardgate::parser::Dialect::pg);
    const auto state = [&](const std::string& sql, std::vector<std::optional<std::string>> params) {
        RouteContext context;
        context.params = params;
        return std::string(planner.route(sql, context).session_state);
    };
    EXPECT_EQ(state("SELECT set_config('a.b', 'x', 'true')", {}), "");
    EXPECT_EQ(state("SELECT set_config('a.b', 'x', 'off')", {}), "a session setting");
    EXPECT_EQ(state("SELECT set_config('a.b', 'x', ' Yes ')", {}), "");
    EXPECT_EQ(state("SELECT set_config('a.b', 'x', 'o')", {}), "a session setting");
    EXPECT_EQ(state("SELECT set_config('a.b', 'x', 1)", {}), "");
    EXPECT_EQ(state("SELECT set_config('a.b', 'x', 0)", {}), "a session setting");
    EXPECT_EQ(state("SELECT set_config('a.b', 'x', $1)", {"t"}), "");
    EXPECT_EQ(state("SELECT set_config('a.b', 'x', $1)", {"false"}), "a session setting");
    EXPECT_EQ(state("SELECT set_config('a.b', 'x', $1)", {std::nullopt}), "a session setting");
    EXPECT_EQ(state("SELECT set_config('a.b', 'x', $1)", {}), "a session setting"); // unknown
    // another source of session state in the statement: the value alone does not decide
    EXPECT_EQ(state("SELECT set_config('a.b', 'x', 'true'), pg_advisory_lock(1)", {}),
              "an advisory lock");
    EXPECT_EQ(state("SELECT set_config('a.b', 'x', 'true'), set_config('c.d', 'y', 'false')", {}),
              "a session setting");
    EXPECT_EQ(state("UPDATE orders SET note = set_config('a.b', 'x', $1) WHERE customer_id = 1 "
                    "RETURNING pg_advisory_lock(1)",
                    {"true"}),
              "an advisory lock");
    EXPECT_EQ(state("WITH d AS (DELETE FROM orders WHERE customer_id = 1 RETURNING "
                    "pg_advisory_lock(id)) SELECT set_config('a.b', 'x', 't')",
                    {}),
              "an advisory lock");
}

} // namespace
