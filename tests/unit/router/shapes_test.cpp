// The same key reaches the same shard whatever the statement's shape.
#include "planner_support.hpp"

#include <gtest/gtest.h>

namespace {

using namespace shardgate::router;
using namespace shardgate::router::testing;

struct Shape {
    const char* sql; ///< `K` is replaced by the key, `'K'` quotes it
    bool param = false;
};

std::string with_key(std::string sql, const std::string& key) {
    for (auto pos = sql.find('K'); pos != std::string::npos; pos = sql.find('K', pos + 1)) {
        sql.replace(pos, 1, key);
    }
    return sql;
}

const std::vector<long long> keys = {1,
                                     6,
                                     7,
                                     42,
                                     -42,
                                     999999,
                                     1000000,
                                     123456789,
                                     -1,
                                     0,
                                     2147483648,
                                     -2147483649,
                                     9223372036854775807LL};

void expect_all_shapes_agree(const std::string& database, const std::string& table,
                             const std::vector<Shape>& shapes) {
    for (auto key : keys) {
        const auto key_text = std::to_string(key);
        const auto expected = owner(database, table, std::int64_t{key});
        for (const auto& shape : shapes) {
            const auto sql = with_key(shape.sql, key_text);
            std::vector<std::optional<std::string>> params;
            if (shape.param) {
                params.push_back(key_text);
            }
            const auto plan = route(database, sql, params);
            ASSERT_EQ(plan.kind, PlanKind::route) << sql << ": " << plan.reason;
            ASSERT_EQ(plan.shard_names, std::vector<std::string>{expected}) << sql;
        }
    }
}

TEST(Shapes, PostgresHashKeyReachesItsShardInEveryShape) {
    expect_all_shapes_agree(
        "shop", "customers",
        {
            {"SELECT * FROM customers WHERE id = K"},
            {"select * from customers where id=K"},
            {"SELECT * FROM \"customers\" WHERE \"id\" = K"},
            {"SELECT c.name FROM customers AS c WHERE c.id = K"},
            {"SELECT c.name FROM customers c WHERE K = c.id"},
            {"SELECT * FROM customers WHERE id = 'K'"},
            {"SELECT * FROM customers WHERE id = $1", true},
            {"SELECT * FROM customers WHERE ((id = K))"},
            {"SELECT * FROM customers WHERE name = 'x' AND (id = K)"},
            {"SELECT * FROM customers WHERE id IN (K)"},
            {"SELECT * FROM customers WHERE id = K::bigint"},
            {"/* leading */ SELECT * FROM customers -- trailing\n WHERE id = K"},
            {"SELECT /* shardgate: primary */ * FROM customers WHERE id = K"},
            {"SELECT * FROM public.customers WHERE id = K"},
            {"UPDATE customers SET name = 'x' WHERE id = K"},
            {"UPDATE customers c SET name = 'y' WHERE c.id = K"},
            {"DELETE FROM customers WHERE id = K"},
            {"INSERT INTO customers (id, name) VALUES (K, 'n')"},
            {"INSERT INTO customers (name, id) VALUES ('n', $1)", true},
            {"INSERT INTO customers (id, name) VALUES (K, 'n') ON CONFLICT (id) DO UPDATE SET "
             "name = excluded.name"},
            {"SELECT * FROM orders WHERE customer_id = K"},
            {"SELECT * FROM order_items i WHERE i.customer_id = 'K' ORDER BY id LIMIT 3"},
        });
}

TEST(Shapes, MariadbConsistentHashKeyReachesItsShardInEveryShape) {
    expect_all_shapes_agree("social", "users",
                            {
                                {"SELECT * FROM users WHERE id = K"},
                                {"SELECT * FROM `users` WHERE `id` = K"},
                                {"SELECT u.name FROM users u WHERE u.id = 'K'"},
                                {"SELECT * FROM users WHERE id = ?", true},
                                {"SELECT * FROM social.users WHERE (id = K) LIMIT 1"},
                                {"# comment\nSELECT * FROM users WHERE id = K"},
                                {"UPDATE users SET name = 'x' WHERE id = K"},
                                {"DELETE FROM users WHERE id = K LIMIT 1"},
                                {"INSERT INTO users (id, name) VALUES (K, 'n')"},
                                {"INSERT INTO users (id, name) VALUES (?, 'n') on duplicate key "
                                 "update name = values(name)",
                                 true},
                                {"REPLACE INTO users (id, name) VALUES (K, 'n')"},
                                {"SELECT * FROM posts WHERE user_id = K"},
                                {"SELECT p.name FROM posts p JOIN likes l ON l.user_id = p.user_id "
                                 "WHERE p.user_id = K"},
                            });
}

} // namespace
