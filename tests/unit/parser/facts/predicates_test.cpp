// Tests of predicate trees: AND/OR structure, operators, literal indices, parentheses, joins;
// and of the session state a statement leaves behind.
#include "../parse_helpers.hpp"

namespace {

using namespace shardgate::parser;
using test_support::literal_text;
using test_support::parse_ok;

const PredicateNode& child(const ParsedStatement& p, const PredicateNode& n, std::size_t i) {
    return p.facts.predicates[n.children.at(i)];
}

TEST(Predicates, AndOfComparisons) {
    auto p = parse_ok("SELECT * FROM t WHERE a = 1 AND b >= 2 AND c BETWEEN 3 AND 4");
    const PredicateNode* w = p.facts.where();
    ASSERT_NE(w, nullptr);
    ASSERT_EQ(w->kind, PredicateNode::Kind::and_);
    ASSERT_EQ(w->children.size(), 3u);
    EXPECT_EQ(child(p, *w, 1).comparison.op, CompareOp::ge);
    const Comparison& between = child(p, *w, 2).comparison;
    EXPECT_EQ(between.op, CompareOp::between);
    EXPECT_EQ(literal_text(p, between.values[0]), "3");
    EXPECT_EQ(literal_text(p, between.values[1]), "4");
}

TEST(Predicates, OrBindsLooserThanAnd) {
    auto p = parse_ok("SELECT * FROM t WHERE a = 1 OR b = 2 AND c = 3");
    const PredicateNode* w = p.facts.where();
    ASSERT_EQ(w->kind, PredicateNode::Kind::or_);
    EXPECT_EQ(child(p, *w, 0).kind, PredicateNode::Kind::comparison);
    EXPECT_EQ(child(p, *w, 1).kind, PredicateNode::Kind::and_);
}

TEST(Predicates, MirroredLiteralAndExtraParentheses) {
    auto p = parse_ok("SELECT * FROM t WHERE ((5 < (t.id)))");
    const PredicateNode* w = p.facts.where();
    ASSERT_EQ(w->kind, PredicateNode::Kind::comparison);
    EXPECT_EQ(w->comparison.column.qualifier, "t");
    EXPECT_EQ(w->comparison.column.name, "id");
    EXPECT_EQ(w->comparison.op, CompareOp::gt);
    EXPECT_EQ(literal_text(p, w->comparison.values[0]), "5");
}

TEST(Predicates, InListsReferenceTheFoldedSlot) {
    auto p = parse_ok("SELECT * FROM t WHERE id IN (7, 8, 9) AND k = ?");
    const PredicateNode* w = p.facts.where();
    const Comparison& in = child(p, *w, 0).comparison;
    EXPECT_EQ(in.op, CompareOp::in);
    ASSERT_EQ(in.values.size(), 3u);
    EXPECT_EQ(literal_text(p, in.values[2]), "9");
    ASSERT_GE(in.list_slot, 0);
    EXPECT_TRUE(p.fingerprint.slots[in.list_slot].folded_list);
    const ValueRef& k = child(p, *w, 1).comparison.values[0];
    EXPECT_EQ(p.fingerprint.literals[k.literal].kind, LiteralKind::placeholder);
    EXPECT_EQ(k.slot, 1);
}

TEST(Predicates, UnusableConditionsAreOpaque) {
    auto p = parse_ok("SELECT * FROM t WHERE NOT a = 1 AND b <> 2 AND c LIKE 'x%' AND d NOT IN (1) "
                      "AND f(e) = 3 AND g IN (SELECT 1)");
    const PredicateNode* w = p.facts.where();
    ASSERT_EQ(w->children.size(), 6u);
    for (std::size_t i = 0; i < 6; ++i) {
        EXPECT_EQ(child(p, *w, i).kind, PredicateNode::Kind::opaque) << i;
    }
}

TEST(Predicates, JoinConditionsCompareColumns) {
    auto p = parse_ok("SELECT * FROM a JOIN b ON a.k = b.k AND b.x = 1");
    const TableRef& b = p.facts.tables[1];
    const PredicateNode& on = p.facts.predicates[b.on_predicate];
    ASSERT_EQ(on.kind, PredicateNode::Kind::and_);
    const Comparison& eq = child(p, on, 0).comparison;
    EXPECT_EQ(eq.values[0].kind, ValueRef::Kind::column);
    EXPECT_EQ(eq.values[0].column.qualifier, "b");
}

TEST(Predicates, SameKeyWhateverTheShape) {
    const char* shapes[] = {
        "SELECT * FROM users WHERE id = 42",
        "SELECT * FROM `users` u WHERE u.`id` = '42'",
        "UPDATE users SET a = 1 WHERE (id = 42)",
        "DELETE FROM users WHERE 42 = id",
        "SELECT /* shardgate: primary */ * FROM users WHERE id = 42 AND 1 = 1",
    };
    for (const char* sql : shapes) {
        auto p = parse_ok(sql);
        const PredicateNode* w = p.facts.where();
        ASSERT_NE(w, nullptr) << sql;
        const PredicateNode& n = w->kind == PredicateNode::Kind::and_ ? child(p, *w, 0) : *w;
        ASSERT_EQ(n.kind, PredicateNode::Kind::comparison) << sql;
        EXPECT_EQ(n.comparison.column.name, "id") << sql;
        EXPECT_EQ(literal_text(p, n.comparison.values[0]), "42") << sql;
    }
}

TEST(Predicates, CastsSignsAndAnyArrayKeepKeyValues) {
    for (const char* sql :
         {"SELECT * FROM t WHERE id = CAST('42' AS bigint)", "SELECT * FROM t WHERE id = +42",
          "SELECT * FROM t WHERE id = CAST(42 AS SIGNED)", "SELECT * FROM t WHERE id = (42)"}) {
        auto p = parse_ok(sql, Dialect::pg);
        const PredicateNode* w = p.facts.where();
        ASSERT_NE(w, nullptr) << sql;
        ASSERT_EQ(w->kind, PredicateNode::Kind::comparison) << sql;
        EXPECT_EQ(literal_text(p, w->comparison.values[0]), "42") << sql;
    }
    auto any = parse_ok("SELECT * FROM t WHERE id = ANY(ARRAY[42, 7])", Dialect::pg);
    ASSERT_EQ(any.facts.where()->kind, PredicateNode::Kind::comparison);
    EXPECT_EQ(any.facts.where()->comparison.op, CompareOp::in);
    EXPECT_EQ(any.facts.where()->comparison.values.size(), 2u);
    EXPECT_EQ(parse_ok("SELECT * FROM t WHERE id = ANY($1)", Dialect::pg).facts.where()->kind,
              PredicateNode::Kind::opaque);
    EXPECT_EQ(
        parse_ok("SELECT * FROM t WHERE id = CAST(a AS int)", Dialect::pg).facts.where()->kind,
        PredicateNode::Kind::opaque);
}

TEST(SessionStateFacts, StateThatOutlivesTheTransaction) {
    const auto pg = Dialect::pg;
    EXPECT_EQ(parse_ok("CREATE TEMP TABLE t (x int)", pg).facts.session_state,
              "a temporary object");
    EXPECT_EQ(parse_ok("CREATE GLOBAL TEMPORARY TABLE t (x int)", pg).facts.session_state,
              "a temporary object");
    EXPECT_EQ(parse_ok("CREATE TEMP TABLE t (x int) ON COMMIT DROP", pg).facts.session_state, "");
    EXPECT_EQ(parse_ok("CREATE TABLE temp (x int)", pg).facts.session_state, "");
    EXPECT_EQ(parse_ok("CREATE INDEX temp ON t (x)", pg).facts.session_state, "");
    EXPECT_EQ(parse_ok("CREATE UNIQUE INDEX temp ON t (x)", pg).facts.session_state, "");
    EXPECT_EQ(parse_ok("CREATE VIEW temp AS SELECT 1", pg).facts.session_state, "");
    EXPECT_EQ(parse_ok("CREATE OR REPLACE LOCAL TEMP VIEW v AS SELECT 1", pg).facts.session_state,
              "a temporary object");
    EXPECT_EQ(parse_ok("SELECT * FROM pg_try_advisory_lock(42)", pg).facts.session_state,
              "an advisory lock");
    EXPECT_EQ(parse_ok("SELECT set_config('a.b', 'x', true IS FALSE)", pg).facts.session_state,
              "a session setting");
    EXPECT_EQ(parse_ok("CREATE OR REPLACE TEMP VIEW v AS SELECT 1", pg).facts.session_state,
              "a temporary object");
    EXPECT_EQ(parse_ok("SELECT pg_advisory_lock(1)", pg).facts.session_state, "an advisory lock");
    EXPECT_EQ(parse_ok("SELECT pg_try_advisory_lock_shared(1, 2)", pg).facts.session_state,
              "an advisory lock");
    EXPECT_EQ(parse_ok("SELECT pg_advisory_xact_lock(1)", pg).facts.session_state, "");
    EXPECT_EQ(parse_ok("SELECT set_config('a.b', 'x', false)", pg).facts.session_state,
              "a session setting");
    EXPECT_EQ(parse_ok("SELECT set_config('a.b', 'x', $1)", pg).facts.session_state,
              "a session setting");
    EXPECT_EQ(parse_ok("SELECT set_config('a.b', 'x', true)", pg).facts.session_state, "");
    EXPECT_EQ(parse_ok("SELECT nextval('s')", pg).facts.session_state, "");
}

TEST(SessionStateFacts, SetConfigCallsAreNotedInAnyScope) {
    const auto pg = Dialect::pg;
    const auto calls = [&](const char* sql) { return parse_ok(sql, pg).facts.calls_set_config; };
    EXPECT_TRUE(calls("SELECT set_config('TimeZone', 'Asia/Tokyo', true)"));
    EXPECT_TRUE(calls("SELECT SET_CONFIG($1, $2, false)"));
    EXPECT_TRUE(calls("SELECT 1 FROM t WHERE x = (SELECT set_config('a.b', 'x', true))"));
    EXPECT_TRUE(calls("UPDATE t SET x = 1 RETURNING set_config('TimeZone', 'UTC', true)"));
    EXPECT_FALSE(calls("SELECT current_setting('TimeZone')"));
    EXPECT_FALSE(calls("EXPLAIN SELECT set_config('TimeZone', 'UTC', true)"));
}

TEST(SessionStateFacts, TemporaryObjectsByTheirSchemaAndSelectInto) {
    const auto pg = Dialect::pg;
    const auto state = [&](const char* sql) {
        return std::string(parse_ok(sql, pg).facts.session_state);
    };
    // pg_temp.name is a temporary object without the TEMP word; any kind of object.
    EXPECT_EQ(state("CREATE TABLE pg_temp.t (x int)"), "a temporary object");
    EXPECT_EQ(state("CREATE TABLE IF NOT EXISTS PG_TEMP.t (x int)"), "a temporary object");
    EXPECT_EQ(state("CREATE TABLE pg_temp.t (x int) ON COMMIT DROP"), "");
    EXPECT_EQ(state("CREATE VIEW pg_temp.v AS SELECT 1"), "a temporary object");
    EXPECT_EQ(state("CREATE SEQUENCE pg_temp_3.s"), "a temporary object");
    EXPECT_EQ(state("CREATE TEMP SEQUENCE s"), "a temporary object");
    EXPECT_EQ(state("CREATE OR REPLACE FUNCTION pg_temp.f() RETURNS int AS 'SELECT 1' "
                    "LANGUAGE sql"),
              "a temporary object");
    // A quoted "PG_TEMP" is another schema; pg_temp read, not created, is no new state.
    EXPECT_EQ(state("CREATE TABLE \"PG_TEMP\".t (x int)"), "");
    EXPECT_EQ(state("CREATE TABLE public.t (x int)"), "");
    EXPECT_EQ(state("CREATE TABLE t (x int REFERENCES pg_temp.p)"), "");
    EXPECT_EQ(state("CREATE TABLE t AS SELECT * FROM pg_temp.p"), "");
    EXPECT_EQ(state("CREATE TABLE t AS TABLE pg_temp.p"), "");
    EXPECT_EQ(state("CREATE INDEX ON pg_temp.p (x)"), "");
    // SELECT ... INTO creates a table: a temporary one with TEMP or in pg_temp.
    EXPECT_EQ(state("SELECT 1 AS a INTO TEMP t"), "a temporary object");
    EXPECT_EQ(state("SELECT * INTO TEMPORARY TABLE t FROM orders"), "a temporary object");
    EXPECT_EQ(state("SELECT 1 AS a INTO TABLE pg_temp.t"), "a temporary object");
    EXPECT_EQ(state("SELECT 1 AS a INTO t"), "");
    EXPECT_EQ(state("INSERT INTO temp VALUES (1)"), "");
    EXPECT_EQ(state("PREPARE p AS SELECT 1 INTO TEMP t"), "a temporary object");
    // Calls in RETURNING lists (skipped by the grammar) are seen too.
    EXPECT_EQ(state("INSERT INTO t VALUES (1) RETURNING pg_advisory_lock(1)"), "an advisory lock");
    EXPECT_EQ(state("UPDATE t SET a = 1 RETURNING a, pg_catalog.pg_try_advisory_lock(a)"),
              "an advisory lock");
    EXPECT_EQ(state("DELETE FROM t RETURNING set_config('a.b', 'x', false)"), "a session setting");
    EXPECT_EQ(state("DELETE FROM t RETURNING set_config('a.b', f(1, 2), true)"), "");
    EXPECT_EQ(state("DELETE FROM t RETURNING set_config('a.b', 'x', true AND a)"),
              "a session setting");
    EXPECT_EQ(state("WITH d AS (DELETE FROM t RETURNING pg_advisory_lock(a)) SELECT * FROM d"),
              "an advisory lock");
    EXPECT_EQ(state("INSERT INTO t VALUES (1) RETURNING a, lower(b)"), "");
    // EXPLAIN runs nothing; EXPLAIN ANALYZE runs the statement
    EXPECT_EQ(state("EXPLAIN SELECT 1 AS a INTO TEMP t"), "");
    EXPECT_EQ(state("EXPLAIN INSERT INTO t VALUES (1) RETURNING pg_advisory_lock(1)"), "");
    EXPECT_EQ(state("EXPLAIN ANALYZE SELECT pg_advisory_lock(1)"), "an advisory lock");
    // MariaDB has no such schema.
    EXPECT_EQ(
        std::string(parse_ok("CREATE TABLE pg_temp.t (x int)", Dialect::mysql).facts.session_state),
        "");
}

} // namespace
