// Tests of UPDATE and DELETE parsing: targets, SET columns, predicates, multi-table forms.
#include "../parse_helpers.hpp"

namespace {

using namespace shardgate::parser;
using test_support::literal_text;
using test_support::parse_ok;

TEST(Update, AssignmentsAndShardKeyDetection) {
    auto p = parse_ok("UPDATE accounts SET balance = balance + 5, tenant_id = 3 WHERE id = 9");
    EXPECT_EQ(p.facts.kind, StatementKind::update);
    ASSERT_EQ(p.facts.assignments.size(), 2u);
    EXPECT_EQ(p.facts.assignments[1].column.name, "tenant_id");
    EXPECT_EQ(literal_text(p, p.facts.assignments[1].value), "3");
    EXPECT_TRUE(p.facts.assigns_column("tenant_id"));
    EXPECT_FALSE(p.facts.assigns_column("id"));
    ASSERT_NE(p.facts.where(), nullptr);
    EXPECT_EQ(p.facts.where()->comparison.column.name, "id");
}

TEST(Update, MultiTableAndFromForms) {
    auto m = parse_ok("UPDATE t1 JOIN t2 ON t1.id = t2.id SET t1.a = t2.b WHERE t2.c = 1");
    ASSERT_EQ(m.facts.tables.size(), 2u);
    auto p = parse_ok("UPDATE a SET x = b.y FROM b WHERE a.id = b.id RETURNING a.id", Dialect::pg);
    ASSERT_EQ(p.facts.tables.size(), 2u);
    EXPECT_TRUE(p.facts.tables[0].target);
    EXPECT_FALSE(p.facts.tables[1].target);
    EXPECT_TRUE(p.facts.returning);
}

TEST(Delete, SingleAndMultiTable) {
    auto p = parse_ok("DELETE FROM t WHERE id = 3 ORDER BY id LIMIT 1");
    EXPECT_EQ(p.facts.kind, StatementKind::delete_);
    EXPECT_TRUE(p.facts.tables[0].target);
    EXPECT_EQ(literal_text(p, *p.facts.select.limit), "1");
    auto m = parse_ok("DELETE t1 FROM t1 JOIN t2 ON t1.id = t2.id WHERE t2.x = 1");
    ASSERT_EQ(m.facts.tables.size(), 2u);
    EXPECT_TRUE(m.facts.tables[0].target);
    EXPECT_FALSE(m.facts.tables[1].target);
    auto u =
        parse_ok("DELETE FROM films USING producers WHERE producer_id = producers.id", Dialect::pg);
    EXPECT_EQ(u.facts.tables.size(), 2u);
}

} // namespace
