// Every spelling of a table and its shard key routes to the shard the map names for the key
// (PostgreSQL folds unquoted names; MySQL compares columns case-insensitively and tables as
// lower_case_table_names says), and spellings that name another table never borrow its
// placement.
#include "planner_support.hpp"
#include "shardgate/shardmaps/scheme.hpp"

#include <gtest/gtest.h>

namespace {

using namespace shardgate;
using namespace shardgate::router;
using namespace shardgate::router::testing;

std::string upper(std::string s) {
    for (char& c : s) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return s;
}

std::string mixed(std::string s) {
    for (std::size_t i = 0; i < s.size(); i += 2) {
        s[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[i])));
    }
    return s;
}

/// Tables of a database whose key takes integers (hash, consistent hash, range).
std::vector<std::pair<std::string, std::string>> integer_keyed_tables(const std::string& db) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& [name, table] : demo_map()->find_database(db)->tables()) {
        if (table.kind() != shardmaps::TableKind::horizontal) {
            continue;
        }
        const auto kind = table.scheme()->kind();
        if (kind == shardmaps::SchemeKind::hash || kind == shardmaps::SchemeKind::range ||
            kind == shardmaps::SchemeKind::consistent_hash) {
            out.emplace_back(name, table.key().column);
        }
    }
    return out;
}

/// The single shard a plan routes to, or a description of why it is not one.
std::string routed_shard(const Plan& plan) {
    if (plan.kind != PlanKind::route || plan.shard_names.size() != 1) {
        return "<" + std::string(plan_kind_name(plan.kind)) + ": " + plan.reason + ">";
    }
    return plan.shard_names[0];
}

const std::int64_t keys[] = {1, 6, 42, 999999, 1000000, 123456789};

TEST(Names, PostgresSpellingsOfEveryKeyedTableRouteToTheKeysOwner) {
    const auto tables = integer_keyed_tables("shop");
    ASSERT_GE(tables.size(), 3u);
    for (const auto& [table, key] : tables) {
        const std::vector<std::string> table_spellings = {table,
                                                          upper(table),
                                                          mixed(table),
                                                          "\"" + table + "\"",
                                                          "public." + table,
                                                          "\"public\".\"" + table + "\"",
                                                          "PUBLIC." + upper(table)};
        const std::vector<std::string> key_spellings = {key, upper(key), mixed(key),
                                                        "\"" + key + "\""};
        for (const auto k : keys) {
            const auto want = owner("shop", table, k);
            const auto v = std::to_string(k);
            for (const auto& t : table_spellings) {
                for (const auto& c : key_spellings) {
                    const std::vector<std::string> statements = {
                        "INSERT INTO " + t + " (" + c + ", name) VALUES (" + v + ", 'x')",
                        "SELECT * FROM " + t + " WHERE " + c + " = " + v,
                        "SELECT * FROM " + t + " AS X WHERE x." + c + " = " + v,
                        "UPDATE " + t + " a SET name = 'y' WHERE A." + c + " = " + v,
                        "DELETE FROM " + t + " WHERE " + c + " IN (" + v + ")",
                    };
                    for (const auto& sql : statements) {
                        EXPECT_EQ(routed_shard(route("shop", sql)), want) << sql;
                    }
                }
            }
        }
    }
}

TEST(Names, PostgresQuotedNamesAreExact) {
    // A quoted "Customers" is another table (unknown to the map: default shard); a quoted
    // "ID" is another column (not the key: every shard of customers).
    const auto* shop = demo_map()->find_database("shop");
    const auto default_shard = shop->shard(shop->default_shard()).name;
    std::int64_t elsewhere = 0;
    for (const auto k : keys) {
        if (owner("shop", "customers", k) != default_shard) {
            elsewhere = k;
        }
    }
    ASSERT_NE(elsewhere, 0);
    const auto v = std::to_string(elsewhere);
    EXPECT_EQ(routed_shard(route("shop", "INSERT INTO \"Customers\" (id) VALUES (" + v + ")")),
              default_shard);
    EXPECT_EQ(routed_shard(route("shop", "SELECT * FROM \"CUSTOMERS\" WHERE id = " + v)),
              default_shard);
    EXPECT_EQ(route("shop", "SELECT * FROM customers WHERE \"ID\" = " + v).kind, PlanKind::scatter);
    EXPECT_EQ(routed_shard(route("shop", "SELECT * FROM customers WHERE ID = " + v)),
              owner("shop", "customers", elsewhere));
    // Another schema is another table: not customers' placement.
    EXPECT_EQ(routed_shard(route("shop", "SELECT * FROM archive.customers WHERE id = " + v)),
              default_shard);
}

TEST(Names, MysqlColumnsIgnoreCaseAndTablesAreExact) {
    const auto tables = integer_keyed_tables("social");
    ASSERT_GE(tables.size(), 3u);
    for (const auto& [table, key] : tables) {
        const std::vector<std::string> table_spellings = {
            table, "`" + table + "`", "social." + table, "`social`.`" + table + "`"};
        const std::vector<std::string> key_spellings = {key, upper(key), mixed(key),
                                                        "`" + upper(key) + "`"};
        for (const auto k : keys) {
            const auto want = owner("social", table, k);
            const auto v = std::to_string(k);
            for (const auto& t : table_spellings) {
                for (const auto& c : key_spellings) {
                    const std::vector<std::string> statements = {
                        "INSERT INTO " + t + " (" + c + ", name) VALUES (" + v + ", 'x')",
                        "SELECT * FROM " + t + " WHERE " + c + " = " + v,
                        "SELECT * FROM " + t + " AS X WHERE X." + c + " = " + v,
                        "UPDATE " + t + " a SET name = 'y' WHERE a." + c + " = " + v,
                        "DELETE FROM " + t + " WHERE " + c + " IN (" + v + ")",
                    };
                    for (const auto& sql : statements) {
                        EXPECT_EQ(routed_shard(route("social", sql)), want) << sql;
                    }
                }
            }
        }
    }
    // lower_case_table_names=0: USERS is another table, unknown to the map.
    const auto* social = demo_map()->find_database("social");
    EXPECT_EQ(routed_shard(route("social", "SELECT * FROM USERS WHERE id IN (1, 6, 42, 7)")),
              social->shard(social->default_shard()).name);
}

TEST(Names, MysqlLowerCaseTableNamesMatchesTablesIgnoringCase) {
    const auto map = shardmaps::parse_shard_map(R"(
format_version: 1
epoch: 1
databases:
  app:
    engine: mysql
    default_shard: s0
    lower_case_table_names: 1
    shards:
      s0: {primary: 127.0.0.1:1}
      s1: {primary: 127.0.0.1:2}
    tables:
      users:
        scheme: hash
        key: id
        ranges:
          - {from: 0x0000000000000000, to: 0x7fffffffffffffff, shard: s0}
          - {from: 0x8000000000000000, to: 0xffffffffffffffff, shard: s1}
)",
                                                "inline.yaml");
    const auto* app = map->find_database("app");
    Planner planner(map, "app", parser::Dialect::mysql);
    for (const auto k : keys) {
        const auto location = app->locate("users", k);
        ASSERT_TRUE(location);
        const auto want = app->shard(location->shard).name;
        for (const std::string t : {"users", "USERS", "Users", "`uSeRs`", "APP.Users"}) {
            const auto sql = "SELECT * FROM " + t + " U WHERE u.ID = " + std::to_string(k);
            EXPECT_EQ(routed_shard(planner.route(sql, {})), want) << sql;
        }
    }
}

TEST(Names, LowerCaseTableNamesIsRefusedForPostgres) {
    const std::string valid = R"(
format_version: 1
epoch: 1
databases:
  app:
    engine: postgresql
    default_shard: s0
    shards:
      s0: {primary: 127.0.0.1:1}
)";
    EXPECT_NO_THROW(shardmaps::parse_shard_map(valid, "inline.yaml"));
    EXPECT_THROW(shardmaps::parse_shard_map(R"(
format_version: 1
epoch: 1
databases:
  app:
    engine: postgresql
    default_shard: s0
    lower_case_table_names: 1
    shards:
      s0: {primary: 127.0.0.1:1}
)",
                                            "inline.yaml"),
                 std::exception);
}

} // namespace
