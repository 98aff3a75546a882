// Tests of SELECT parsing and its facts: tables, aliases, joins, ORDER/GROUP/LIMIT, aggregates.
#include "../parse_helpers.hpp"

namespace {

using namespace shardgate::parser;
using test_support::literal_text;
using test_support::parse_ok;

TEST(Select, TablesWithSchemaAndAliasInOrder) {
    auto p = parse_ok("SELECT * FROM shop.orders o JOIN `users` AS u ON u.id = o.user_id, items");
    ASSERT_EQ(p.facts.tables.size(), 3u);
    EXPECT_EQ(p.facts.tables[0].schema, "shop");
    EXPECT_EQ(p.facts.tables[0].name, "orders");
    EXPECT_EQ(p.facts.tables[0].alias, "o");
    EXPECT_EQ(p.facts.tables[1].name, "users");
    EXPECT_EQ(p.facts.tables[1].join, ast::JoinKind::inner);
    EXPECT_GE(p.facts.tables[1].on_predicate, 0);
    EXPECT_EQ(p.facts.tables[2].join, ast::JoinKind::comma);
    EXPECT_EQ(p.facts.kind, StatementKind::select);
    EXPECT_FALSE(p.facts.is_write);
}

TEST(Select, OrderGroupLimitAndAggregates) {
    auto p = parse_ok("SELECT region, COUNT(*) AS n, SUM(x), AVG(y) / 2 FROM t GROUP BY region "
                      "ORDER BY n DESC, 1 LIMIT 10 OFFSET 20");
    const SelectFacts& s = p.facts.select;
    ASSERT_EQ(s.items.size(), 4u);
    EXPECT_EQ(s.items[1].aggregate, Aggregate::count);
    EXPECT_EQ(s.items[2].aggregate, Aggregate::sum);
    EXPECT_EQ(s.items[3].aggregate, Aggregate::complex);
    ASSERT_EQ(s.order_by.size(), 2u);
    EXPECT_EQ(s.order_by[0].output, 1);
    EXPECT_TRUE(s.order_by[0].descending);
    EXPECT_EQ(s.order_by[1].output, 0);
    ASSERT_EQ(s.group_by.size(), 1u);
    EXPECT_EQ(s.group_by[0].output, 0);
    ASSERT_TRUE(s.limit && s.offset);
    EXPECT_EQ(literal_text(p, *s.limit), "10");
    EXPECT_EQ(literal_text(p, *s.offset), "20");
}

// An aggregate shardgate has no merge for must still be seen as one: run on every shard and
// concatenated, `stddev(n)` would answer one row per shard.
TEST(Select, EveryBuiltInAggregateIsSeenEvenWithoutAMerge) {
    for (const char* sql : {"SELECT stddev(n) FROM t", "SELECT STRING_AGG(name, ',') FROM t",
                            "SELECT array_agg(n ORDER BY n) FROM t", "SELECT variance(n) FROM t",
                            "SELECT json_agg(n) FROM t", "SELECT NOT bool_and(n > 0) FROM t",
                            "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY n) FROM t",
                            "SELECT coalesce(max(n), 0) FROM t", "SELECT 1 + Bit_Xor (n) FROM t"}) {
        auto p = parse_ok(sql, Dialect::pg);
        ASSERT_FALSE(p.facts.select.items.empty()) << sql;
        EXPECT_EQ(p.facts.select.items[0].aggregate, Aggregate::complex) << sql;
    }
    for (const char* sql : {"SELECT GROUP_CONCAT(name SEPARATOR ';') FROM t",
                            "SELECT std(n) FROM t", "SELECT json_arrayagg(n) FROM t"}) {
        auto p = parse_ok(sql, Dialect::mysql);
        ASSERT_FALSE(p.facts.select.items.empty()) << sql;
        EXPECT_EQ(p.facts.select.items[0].aggregate, Aggregate::complex) << sql;
    }
    // not aggregates: scalar functions, and a name that only contains one
    for (const char* sql : {"SELECT lower(name) FROM t", "SELECT my_count(n) FROM t",
                            "SELECT 'sum(' || name FROM t"}) {
        auto p = parse_ok(sql, Dialect::pg);
        EXPECT_NE(p.facts.select.items[0].aggregate, Aggregate::count) << sql;
    }
    EXPECT_EQ(parse_ok("SELECT lower(name) FROM t", Dialect::pg).facts.select.items[0].aggregate,
              Aggregate::none);
    const auto booleans = parse_ok("SELECT bool_and(a), EVERY(b), bool_or(c) FROM t", Dialect::pg);
    EXPECT_EQ(booleans.facts.select.items[0].aggregate, Aggregate::bool_and);
    EXPECT_EQ(booleans.facts.select.items[1].aggregate, Aggregate::bool_and);
    EXPECT_EQ(booleans.facts.select.items[2].aggregate, Aggregate::bool_or);
    EXPECT_EQ(parse_ok("SELECT my_count(n) FROM t", Dialect::pg).facts.select.items[0].aggregate,
              Aggregate::none);
}

TEST(Select, HavingBecomesAConditionTreeOverAggregatesColumnsAndLiterals) {
    auto p = parse_ok("SELECT g, count(*) FROM t GROUP BY g HAVING count(*) > 5 AND "
                      "(sum(t.x) <= ? OR g IS NOT NULL) AND NOT max(y) = 'a'",
                      Dialect::mysql);
    const auto& nodes = p.facts.select.having_nodes;
    ASSERT_FALSE(nodes.empty());
    const auto& root = nodes.back();
    EXPECT_EQ(root.kind, HavingNode::Kind::and_);
    std::vector<HavingNode::Kind> kinds;
    for (const auto& n : nodes) {
        kinds.push_back(n.kind);
        EXPECT_NE(n.kind, HavingNode::Kind::other);
    }
    const auto compare = std::find_if(nodes.begin(), nodes.end(), [](const HavingNode& n) {
        return n.kind == HavingNode::Kind::compare && n.compare == HavingNode::Compare::le;
    });
    ASSERT_NE(compare, nodes.end());
    EXPECT_EQ(compare->lhs.kind, HavingOperand::Kind::aggregate);
    EXPECT_EQ(compare->lhs.function, Aggregate::sum);
    EXPECT_EQ(compare->lhs.column.name, "x");
    EXPECT_EQ(compare->rhs.kind, HavingOperand::Kind::literal);
    EXPECT_TRUE(std::count(kinds.begin(), kinds.end(), HavingNode::Kind::not_) == 1);
    EXPECT_TRUE(std::count(kinds.begin(), kinds.end(), HavingNode::Kind::is_null) == 1);
    EXPECT_EQ(p.facts.select.items[1].argument_star, true);
    // what shardgate cannot evaluate stays visible as `other`
    auto q = parse_ok("SELECT g FROM t GROUP BY g HAVING count(*) + 1 > 2 OR max(y) LIKE 'a%'");
    EXPECT_EQ(std::count_if(q.facts.select.having_nodes.begin(), q.facts.select.having_nodes.end(),
                            [](const HavingNode& n) {
                                return n.kind == HavingNode::Kind::other ||
                                       (n.kind == HavingNode::Kind::compare &&
                                        n.lhs.kind == HavingOperand::Kind::other);
                            }),
              2);
}

TEST(Select, MysqlLimitOffsetCommaForm) {
    auto p = parse_ok("SELECT a FROM t LIMIT 5, 10");
    EXPECT_EQ(literal_text(p, *p.facts.select.limit), "10");
    EXPECT_EQ(literal_text(p, *p.facts.select.offset), "5");
}

TEST(Select, LockingClauses) {
    EXPECT_EQ(parse_ok("SELECT * FROM t WHERE id = 1 FOR UPDATE").facts.lock,
              ast::LockMode::update);
    EXPECT_EQ(parse_ok("SELECT * FROM t LOCK IN SHARE MODE").facts.lock, ast::LockMode::share);
    EXPECT_EQ(parse_ok("SELECT * FROM t FOR NO KEY UPDATE NOWAIT", Dialect::pg).facts.lock,
              ast::LockMode::update);
}

TEST(Select, SubqueriesCtesAndUnionsGetScopes) {
    auto p = parse_ok("WITH c AS (SELECT id FROM a) SELECT * FROM c WHERE id IN "
                      "(SELECT id FROM b) UNION ALL SELECT id FROM d");
    ASSERT_EQ(p.facts.tables.size(), 4u);
    EXPECT_EQ(p.facts.tables[0].name, "a");
    EXPECT_EQ(p.facts.tables[1].name, "c");
    EXPECT_TRUE(p.facts.tables[1].cte_reference);
    EXPECT_TRUE(p.facts.select.set_operation);
    EXPECT_NE(p.facts.tables[0].scope, 0);
}

TEST(Select, AWithQueryNameIsSeenAfterItsDefinitionWithinItsStatement) {
    // its own body reads the table of that name (it is not RECURSIVE)
    auto own = parse_ok("WITH users AS (SELECT * FROM users WHERE id = 5) SELECT * FROM users");
    ASSERT_EQ(own.facts.tables.size(), 2u);
    EXPECT_FALSE(own.facts.tables[0].cte_reference);
    EXPECT_TRUE(own.facts.tables[1].cte_reference);
    // later queries of the same WITH see it
    auto later = parse_ok("WITH a AS (SELECT * FROM b), b AS (SELECT * FROM a) SELECT * FROM b");
    ASSERT_EQ(later.facts.tables.size(), 3u);
    EXPECT_FALSE(later.facts.tables[0].cte_reference); // (b is a table there)
    EXPECT_TRUE(later.facts.tables[1].cte_reference);
    EXPECT_TRUE(later.facts.tables[2].cte_reference);
    // RECURSIVE: every body sees every name
    auto recursive = parse_ok("WITH RECURSIVE r AS (SELECT 1 AS n UNION ALL SELECT n + 1 FROM r "
                              "WHERE n < 3) SELECT * FROM r");
    ASSERT_EQ(recursive.facts.tables.size(), 2u);
    EXPECT_TRUE(recursive.facts.tables[0].cte_reference);
    EXPECT_TRUE(recursive.facts.tables[1].cte_reference);
    // a derived table's WITH ends with it: the same name outside is a table
    auto nested = parse_ok("SELECT * FROM (WITH t AS (SELECT 1 AS x) SELECT x FROM t) d JOIN t "
                           "ON t.x = d.x");
    ASSERT_EQ(nested.facts.tables.size(), 2u);
    EXPECT_TRUE(nested.facts.tables[0].cte_reference);
    EXPECT_FALSE(nested.facts.tables[1].cte_reference);
}

TEST(Select, ExpressionsOfBothDialects) {
    parse_ok("SELECT CASE WHEN a > 1 THEN 'x' ELSE 'y' END, CAST(b AS DECIMAL(10,2)), "
             "DATE_ADD(c, INTERVAL 1 DAY), IF(d, 1, 2), e DIV 2 FROM t");
    parse_ok("SELECT a::text, b->>'k', ARRAY[1,2], c IS DISTINCT FROM d, "
             "rank() OVER (PARTITION BY e ORDER BY f) FROM t WHERE g ~* 'x'",
             Dialect::pg);
    parse_ok("SELECT DISTINCT ON (a) a, b FROM t ORDER BY a, b DESC NULLS LAST", Dialect::pg);
    parse_ok("SELECT * FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.id = t.id)");
}

TEST(Select, SelectListTextAndStar) {
    auto p = parse_ok("SELECT t.*, a + 1 AS b FROM t");
    EXPECT_TRUE(p.facts.select.items[0].star);
    EXPECT_EQ(p.facts.select.items[1].text, "a + 1");
    EXPECT_EQ(p.facts.select.items[1].alias, "b");
}

TEST(Select, DualIsNotATable) {
    EXPECT_TRUE(parse_ok("SELECT 1 FROM DUAL").facts.tables.empty());
}

} // namespace

namespace {

TEST(SelectTables, SpansLocateEachReferenceInTheText) {
    using shardgate::parser::test_support::parse_ok;
    const std::string sql = "SELECT * FROM db.t PARTITION (p0) FOR SYSTEM_TIME ALL AS a USE "
                            "INDEX (i) JOIN u ON u.x = a.x WHERE a.y IN (SELECT y FROM `v` w)";
    const auto p = parse_ok(sql);
    ASSERT_EQ(p.facts.tables.size(), 3u);
    const auto text = [&](std::uint32_t begin, std::uint32_t end) {
        return sql.substr(begin, end - begin);
    };
    const auto& t = p.facts.tables[0].span;
    EXPECT_EQ(text(t.begin, t.alias_at), "db.t PARTITION (p0) FOR SYSTEM_TIME ALL");
    EXPECT_EQ(text(t.tail_at, t.end), "USE INDEX (i)");
    const auto& u = p.facts.tables[1].span;
    EXPECT_EQ(text(u.begin, u.end), "u");
    EXPECT_EQ(u.alias_at, u.end);
    EXPECT_EQ(u.tail_at, u.end);
    const auto& v = p.facts.tables[2].span;
    EXPECT_EQ(text(v.begin, v.alias_at), "`v`");
    EXPECT_EQ(text(v.alias_at, v.end), " w");
    // a table named outside FROM / JOIN has none
    const auto insert = parse_ok("INSERT INTO t (a) VALUES (1)");
    ASSERT_EQ(insert.facts.tables.size(), 1u);
    EXPECT_EQ(insert.facts.tables[0].span.end, 0u);
}

} // namespace
