// Tests of expression and clause forms seen in real applications (AT TIME ZONE, JSON and
// full-text operators, COLLATE, BINARY, SYMMETRIC, locking waits, system time, TABLE, ...).
#include "../parse_helpers.hpp"

namespace {

using namespace shardgate::parser;
using test_support::literal_text;
using test_support::parse_ok;

TEST(Expression, AtTimeZoneInBothDialects) {
    auto p =
        parse_ok("SELECT created_at AT TIME ZONE 'UTC' AS t FROM events WHERE id = 1", Dialect::pg);
    EXPECT_EQ(p.facts.select.items[0].alias, "t");
    ASSERT_NE(p.facts.where(), nullptr);
    EXPECT_EQ(p.facts.where()->kind, PredicateNode::Kind::comparison);
    parse_ok("SELECT a FROM t WHERE ts AT TIME ZONE 'Europe/Berlin' > now()");
}

TEST(Expression, JsonAndTextSearchOperators) {
    parse_ok("SELECT doc #>> '{a,b}', doc #> '{a}', doc ->> 'x', doc -> 'y', doc #- '{z}' "
             "FROM t WHERE doc @? '$.a' AND tsv @@ to_tsquery('english', 'cat') AND "
             "doc @> '{}' AND v <-> '[1,2]' < 5",
             Dialect::pg);
    parse_ok("SELECT doc->>'$.name', doc->'$.a' FROM t WHERE doc->>'$.k' = 'v'");
}

TEST(Expression, CollateBinaryAndCasts) {
    parse_ok("SELECT * FROM t WHERE name COLLATE utf8mb4_bin = 'x' AND n = BINARY 'X'");
    parse_ok("SELECT BINARY name FROM t ORDER BY name COLLATE utf8mb4_unicode_ci");
    parse_ok("SELECT * FROM t WHERE c.relname OPERATOR(pg_catalog.~) '^(t)$' COLLATE "
             "pg_catalog.default ORDER BY 1",
             Dialect::pg);
    parse_ok("SELECT a::double precision, b::character varying, "
             "c::timestamp without time zone, CAST(d AS CHAR CHARACTER SET utf8mb4) FROM t",
             Dialect::pg);
}

TEST(Expression, BetweenSymmetricIsEitherOrder) {
    auto p = parse_ok("SELECT * FROM t WHERE id BETWEEN SYMMETRIC 10 AND 1", Dialect::pg);
    const PredicateNode* w = p.facts.where();
    ASSERT_NE(w, nullptr);
    ASSERT_EQ(w->kind, PredicateNode::Kind::or_);
    const Comparison& forward = p.facts.predicates[w->children[0]].comparison;
    const Comparison& backward = p.facts.predicates[w->children[1]].comparison;
    EXPECT_EQ(forward.op, CompareOp::between);
    EXPECT_EQ(literal_text(p, forward.values[0]), "10");
    EXPECT_EQ(literal_text(p, backward.values[0]), "1");
    EXPECT_EQ(parse_ok("SELECT * FROM t WHERE id BETWEEN ASYMMETRIC 1 AND 2", Dialect::pg)
                  .facts.where()
                  ->kind,
              PredicateNode::Kind::comparison);
}

TEST(Expression, RowConstructorInSubquery) {
    auto p = parse_ok("SELECT * FROM t WHERE (a, b) IN (SELECT x, y FROM u) AND (a, b) IN "
                      "((1, 2), (3, 4))");
    ASSERT_EQ(p.facts.tables.size(), 2u);
    EXPECT_EQ(p.facts.tables[1].name, "u");
}

TEST(Expression, MatchAgainst) {
    auto p = parse_ok("SELECT id, MATCH (title, body) AGAINST ('db' IN NATURAL LANGUAGE MODE) "
                      "AS score FROM posts WHERE MATCH (title) AGAINST ('+a -b' IN BOOLEAN MODE) "
                      "AND user_id = 5");
    EXPECT_EQ(p.facts.select.items[1].alias, "score");
    parse_ok("SELECT * FROM posts WHERE MATCH (body) AGAINST ('x' WITH QUERY EXPANSION)");
    parse_ok("SELECT MATCH(title, body) AGAINST('database') FROM articles");
}

TEST(Clauses, LockingWaitsAndSkips) {
    for (const char* sql :
         {"SELECT * FROM t WHERE id = 1 FOR UPDATE WAIT 5", "SELECT * FROM t FOR UPDATE NOWAIT",
          "SELECT * FROM t FOR UPDATE SKIP LOCKED", "SELECT * FROM t FOR SHARE SKIP LOCKED",
          "SELECT * FROM t a FOR UPDATE OF a NOWAIT"}) {
        EXPECT_NE(parse_ok(sql).facts.lock, ast::LockMode::none) << sql;
    }
}

TEST(Clauses, SystemTimeTablesampleRowsFrom) {
    auto p = parse_ok("SELECT * FROM users FOR SYSTEM_TIME AS OF TIMESTAMP '2020-01-01 00:00:00' "
                      "u WHERE u.id = 5");
    ASSERT_EQ(p.facts.tables.size(), 1u);
    EXPECT_EQ(p.facts.tables[0].alias, "u");
    parse_ok("SELECT * FROM t FOR SYSTEM_TIME BETWEEN '2020-01-01' AND NOW()");
    parse_ok("SELECT * FROM t FOR SYSTEM_TIME FROM '2020-01-01' TO '2021-01-01'");
    parse_ok("SELECT * FROM t FOR SYSTEM_TIME ALL");
    auto s = parse_ok("SELECT * FROM t AS x TABLESAMPLE SYSTEM (10) REPEATABLE (42)", Dialect::pg);
    EXPECT_EQ(s.facts.tables[0].alias, "x");
    auto r = parse_ok("SELECT * FROM ROWS FROM (generate_series(1, 3), unnest(ARRAY[1, 2])) "
                      "WITH ORDINALITY AS x(a, b, n)",
                      Dialect::pg);
    EXPECT_TRUE(r.facts.tables.empty());
}

TEST(Clauses, TableStatement) {
    auto p = parse_ok("TABLE shop.customers", Dialect::pg);
    EXPECT_EQ(p.facts.kind, StatementKind::select);
    ASSERT_EQ(p.facts.tables.size(), 1u);
    EXPECT_EQ(p.facts.tables[0].schema, "shop");
    EXPECT_EQ(p.facts.tables[0].name, "customers");
    EXPECT_TRUE(p.facts.select.items[0].star);
    parse_ok("TABLE a UNION ALL TABLE b ORDER BY 1 LIMIT 3", Dialect::pg);
}

} // namespace
