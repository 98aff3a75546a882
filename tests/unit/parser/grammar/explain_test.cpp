// Tests of EXPLAIN, MariaDB ANALYZE stmt and DESCRIBE: facts are the explained statement's.
#include "../parse_helpers.hpp"

namespace {

using namespace shardgate::parser;
using test_support::parse_ok;

TEST(Explain, FactsAreTheExplainedStatements) {
    auto p = parse_ok("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) UPDATE t SET a = 1 WHERE id = 4",
                      Dialect::pg);
    EXPECT_EQ(p.facts.explain, ast::ExplainKind::explain_analyze);
    EXPECT_EQ(p.facts.kind, StatementKind::update);
    EXPECT_TRUE(p.facts.is_write);
    ASSERT_NE(p.facts.where(), nullptr);
    EXPECT_EQ(p.facts.where()->kind, PredicateNode::Kind::comparison);

    auto q = parse_ok("EXPLAIN SELECT * FROM t WHERE id = 1", Dialect::pg);
    EXPECT_EQ(q.facts.explain, ast::ExplainKind::explain);
    EXPECT_EQ(q.facts.kind, StatementKind::select);
}

TEST(Explain, OptionsOfBothDialects) {
    struct Case {
        const char* sql;
        Dialect dialect;
        ast::ExplainKind kind;
    };
    using K = ast::ExplainKind;
    const Case cases[] = {
        {"EXPLAIN ANALYZE VERBOSE SELECT 1", Dialect::pg, K::explain_analyze},
        {"EXPLAIN (ANALYZE false, COSTS OFF) SELECT * FROM t", Dialect::pg, K::explain},
        {"EXPLAIN (FORMAT JSON) SELECT * FROM t", Dialect::pg, K::explain},
        {"EXPLAIN VERBOSE DELETE FROM t WHERE id = 1", Dialect::pg, K::explain},
        {"EXPLAIN FORMAT=JSON SELECT * FROM t", Dialect::mysql, K::explain},
        {"EXPLAIN EXTENDED SELECT * FROM t", Dialect::mysql, K::explain},
        {"EXPLAIN ANALYZE SELECT * FROM t", Dialect::mysql, K::explain_analyze},
        {"ANALYZE FORMAT=JSON SELECT * FROM t", Dialect::mysql, K::explain_analyze},
        {"ANALYZE DELETE FROM t WHERE id = 1", Dialect::mysql, K::explain_analyze},
        {"DESCRIBE SELECT * FROM t", Dialect::mysql, K::explain},
        {"EXPLAIN INSERT INTO t (id) VALUES (1)", Dialect::mysql, K::explain},
    };
    for (const Case& c : cases) {
        auto p = parse_ok(c.sql, c.dialect);
        EXPECT_EQ(p.facts.explain, c.kind) << c.sql;
    }
}

TEST(Explain, DescribeNamesItsTable) {
    for (const char* sql : {"DESCRIBE users", "DESC shop.users", "EXPLAIN users",
                            "DESCRIBE users name", "DESC users 'na%'"}) {
        auto p = parse_ok(sql);
        EXPECT_EQ(p.facts.explain, ast::ExplainKind::describe) << sql;
        ASSERT_EQ(p.facts.tables.size(), 1u) << sql;
        EXPECT_EQ(p.facts.tables[0].name, "users") << sql;
        EXPECT_FALSE(p.facts.is_write) << sql;
    }
}

} // namespace
