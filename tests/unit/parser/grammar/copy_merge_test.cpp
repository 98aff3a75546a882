// Tests of PostgreSQL COPY and MERGE (parser/grammar/copy.cpp, merge.cpp, facts/copy_merge.cpp)
// and of data-modifying WITH queries.
#include "../parse_helpers.hpp"

namespace {

using namespace shardgate::parser;
using test_support::parse_ok;

TEST(Copy, QueryAndTableToAreReadsFromIsAWrite) {
    auto query = parse_ok("COPY (SELECT * FROM orders WHERE customer_id = 6) TO STDOUT WITH "
                          "(FORMAT csv, HEADER)",
                          Dialect::pg);
    EXPECT_EQ(query.facts.kind, StatementKind::select);
    EXPECT_TRUE(query.facts.copy_to);
    EXPECT_FALSE(query.facts.is_write);
    ASSERT_EQ(query.facts.tables.size(), 1u);
    EXPECT_NE(query.facts.where(), nullptr);

    auto table = parse_ok("COPY public.customers (id, name) TO STDOUT", Dialect::pg);
    EXPECT_TRUE(table.facts.copy_to);
    ASSERT_EQ(table.facts.tables.size(), 1u);
    EXPECT_EQ(table.facts.tables[0].schema, "public");

    auto from = parse_ok("COPY public.orders (id, customer_id) FROM stdin", Dialect::pg);
    EXPECT_EQ(from.facts.kind, StatementKind::utility);
    EXPECT_EQ(from.facts.utility, ast::UtilityKind::copy_from);
    EXPECT_TRUE(from.facts.is_write);
    ASSERT_EQ(from.facts.tables.size(), 1u);
    EXPECT_TRUE(from.facts.tables[0].target);
}

TEST(Merge, TargetSourceOnConditionAssignmentsAndInsertRow) {
    auto p = parse_ok("MERGE INTO orders o USING order_items i ON o.customer_id = i.customer_id "
                      "AND o.customer_id = 42 WHEN MATCHED AND i.total > 0 THEN UPDATE SET "
                      "total = i.total WHEN MATCHED THEN DELETE WHEN NOT MATCHED THEN INSERT "
                      "(customer_id, name) VALUES (42, i.name) RETURNING *",
                      Dialect::pg);
    EXPECT_EQ(p.facts.kind, StatementKind::merge);
    EXPECT_TRUE(p.facts.is_write);
    EXPECT_TRUE(p.facts.returning);
    ASSERT_EQ(p.facts.tables.size(), 2u);
    EXPECT_TRUE(p.facts.tables[0].target);
    EXPECT_EQ(p.facts.tables[0].alias, "o");
    EXPECT_EQ(p.facts.tables[0].join, ast::JoinKind::inner);
    EXPECT_GE(p.facts.tables[0].on_predicate, 0);
    EXPECT_FALSE(p.facts.tables[1].target);
    EXPECT_TRUE(p.facts.assigns_column("total"));
    ASSERT_EQ(p.facts.insert.rows.size(), 1u);
    EXPECT_EQ(p.facts.insert.columns.size(), 2u);
    EXPECT_TRUE(p.facts.insert.rows[0][0].is_literal());
}

TEST(Merge, ByTargetBySourceDoNothingAndDefaultValues) {
    auto p = parse_ok("WITH s AS (SELECT 1 AS id) MERGE INTO t USING s ON t.id = s.id WHEN NOT "
                      "MATCHED BY TARGET THEN INSERT DEFAULT VALUES WHEN NOT MATCHED BY SOURCE "
                      "THEN DO NOTHING",
                      Dialect::pg);
    EXPECT_EQ(p.facts.kind, StatementKind::merge);
    EXPECT_EQ(p.facts.tables[0].join, ast::JoinKind::full);
    EXPECT_FALSE(parse("MERGE INTO t USING s ON t.id = s.id", Dialect::pg).ok());
}

TEST(ModifyingCte, DmlWithQueriesAreTargetsInTheirScope) {
    auto p = parse_ok("WITH moved AS (DELETE FROM orders WHERE customer_id = 6 RETURNING *) "
                      "INSERT INTO order_items (customer_id, name) SELECT customer_id, name FROM "
                      "moved",
                      Dialect::pg);
    EXPECT_EQ(p.facts.kind, StatementKind::insert);
    EXPECT_TRUE(p.facts.modifying_cte);
    ASSERT_EQ(p.facts.tables.size(), 3u);
    EXPECT_EQ(p.facts.tables[0].name, "orders");
    EXPECT_TRUE(p.facts.tables[0].target);
    const auto scope = p.facts.tables[0].scope;
    EXPECT_EQ(p.facts.scopes[scope].kind, Scope::Kind::cte);
    EXPECT_EQ(p.facts.scopes[scope].writes, StatementKind::delete_);
    EXPECT_GE(p.facts.scopes[scope].where, 0);
    EXPECT_TRUE(p.facts.tables[2].cte_reference);
    ASSERT_EQ(p.facts.insert.select_columns.size(), 2u);
    EXPECT_EQ(p.facts.insert.select_columns[0].name, "customer_id");

    auto u = parse_ok("WITH u AS (UPDATE jobs SET state = 'run' WHERE id = 3 RETURNING id) "
                      "SELECT id FROM u",
                      Dialect::pg);
    EXPECT_TRUE(u.facts.modifying_cte);
    EXPECT_TRUE(u.facts.is_write);
    EXPECT_TRUE(u.facts.assigns_column("state"));
}

TEST(SetOperations, BranchFlagsAndOperators) {
    auto p = parse_ok("SELECT count(*) FROM a UNION ALL (SELECT x FROM b LIMIT 1) UNION SELECT "
                      "DISTINCT y FROM c",
                      Dialect::pg);
    ASSERT_EQ(p.facts.select.set_ops.size(), 2u);
    EXPECT_EQ(p.facts.select.set_ops[0], ast::SetOp::union_all);
    EXPECT_EQ(p.facts.select.set_ops[1], ast::SetOp::union_);
    std::vector<const Scope*> branches;
    for (const auto& s : p.facts.scopes) {
        if (s.kind == Scope::Kind::union_branch) {
            branches.push_back(&s);
        }
    }
    ASSERT_EQ(branches.size(), 3u);
    EXPECT_TRUE(branches[0]->always_one_row);
    EXPECT_TRUE(branches[1]->shapes_rows);
    EXPECT_FALSE(branches[1]->always_one_row);
    EXPECT_TRUE(branches[2]->shapes_rows);
}

TEST(JoinUsing, UsingColumnsAreKept) {
    auto p = parse_ok("SELECT * FROM orders JOIN order_items USING (customer_id, id)", Dialect::pg);
    ASSERT_EQ(p.facts.tables.size(), 2u);
    EXPECT_EQ(p.facts.tables[1].using_columns, (std::vector<std::string>{"customer_id", "id"}));
}

} // namespace
