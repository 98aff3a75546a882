// Tests of INSERT/REPLACE parsing: columns, rows, upserts, RETURNING.
#include "../parse_helpers.hpp"

namespace {

using namespace shardgate::parser;
using test_support::literal_text;
using test_support::parse_ok;

TEST(Insert, ColumnsAndRowsWithLiteralIndices) {
    auto p = parse_ok("INSERT INTO t (id, name) VALUES (1, 'a'), (2, DEFAULT)");
    const InsertFacts& f = p.facts.insert;
    EXPECT_EQ(p.facts.kind, StatementKind::insert);
    EXPECT_TRUE(p.facts.is_write);
    ASSERT_EQ(f.columns, (std::vector<std::string>{"id", "name"}));
    ASSERT_EQ(f.rows.size(), 2u);
    EXPECT_EQ(literal_text(p, f.rows[0][0]), "1");
    EXPECT_EQ(literal_text(p, f.rows[1][0]), "2");
    EXPECT_EQ(f.rows[1][1].kind, ValueRef::Kind::default_value);
    EXPECT_TRUE(p.facts.tables[0].target);
}

TEST(Insert, OnDuplicateKeyAndReplaceAndSetForm) {
    auto p = parse_ok("INSERT INTO t (id, n) VALUES (?, 1) ON DUPLICATE KEY UPDATE n = n + 1");
    ASSERT_EQ(p.facts.insert.on_duplicate_update.size(), 1u);
    EXPECT_TRUE(p.facts.assigns_column("N"));
    EXPECT_EQ(parse_ok("REPLACE INTO t VALUES (1)").facts.kind, StatementKind::replace);
    auto s = parse_ok("INSERT INTO t SET id = 5, name = 'x'");
    EXPECT_EQ(s.facts.insert.columns, (std::vector<std::string>{"id", "name"}));
    EXPECT_EQ(literal_text(s, s.facts.insert.rows[0][0]), "5");
}

TEST(Insert, OnConflictReturningAndSelect) {
    auto p = parse_ok("INSERT INTO t AS x (id, v) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET "
                      "v = EXCLUDED.v RETURNING id",
                      Dialect::pg);
    EXPECT_TRUE(p.facts.insert.on_conflict);
    EXPECT_EQ(p.facts.insert.on_conflict_target, (std::vector<std::string>{"id"}));
    EXPECT_EQ(p.facts.insert.on_conflict_update.size(), 1u);
    EXPECT_TRUE(p.facts.returning);
    EXPECT_EQ(p.facts.parameter_count, 2u);
    auto n = parse_ok("INSERT INTO t VALUES (1) ON CONFLICT DO NOTHING", Dialect::pg);
    EXPECT_TRUE(n.facts.insert.on_conflict_update.empty());
    auto s = parse_ok("INSERT INTO t (a) SELECT a FROM u WHERE b = 1");
    EXPECT_TRUE(s.facts.insert.from_select);
    ASSERT_EQ(s.facts.tables.size(), 2u);
    EXPECT_FALSE(s.facts.tables[1].target);
}

} // namespace
