// Facts for PostgreSQL COPY (a read of its query or table, or a write of its table) and MERGE
// (a write of its target, placed by the ON condition).
#include "builder.hpp"

namespace shardgate::parser::detail {

void FactsBuilder::copy(const ast::CopyStatement& s) {
    if (s.from) {
        facts_.kind = StatementKind::utility;
        facts_.utility = ast::UtilityKind::copy_from;
        facts_.is_write = true;
        add_table(s.table, boost::none, 0, true);
        return;
    }
    facts_.kind = StatementKind::select;
    facts_.copy_to = true;
    if (s.query) {
        select_statement(s.query->get(), 0, true);
    } else {
        add_table(s.table, boost::none, 0, false);
    }
}

void FactsBuilder::merge(const ast::MergeStatement& s) {
    facts_.kind = StatementKind::merge;
    facts_.is_write = true;
    facts_.returning = s.returning;
    with_clause(s.with, 0);
    const std::size_t target = facts_.tables.size();
    add_table(s.target.name, s.target.alias, 0, true);
    from_list(s.source, 0, false);
    // The ON condition joins the target to the source and filters the rows MERGE acts on,
    // like an inner join's, unless WHEN NOT MATCHED BY SOURCE acts on the target rows it
    // rejects (then it filters nothing). Rows WHEN NOT MATCHED inserts are placed separately.
    const std::int32_t on = predicate(s.on, 0);
    facts_.tables[target].join = s.by_source ? ast::JoinKind::full : ast::JoinKind::inner;
    facts_.tables[target].on_predicate = on;
    for (const ast::Expression& e : s.conditions) {
        visit(e, 0);
    }
    for (const ast::MergeAction& action : s.actions) {
        if (action.kind == ast::MergeActionKind::update) {
            std::vector<AssignmentFacts> list = assignments(action.set, 0);
            facts_.assignments.insert(facts_.assignments.end(), list.begin(), list.end());
        } else if (action.kind == ast::MergeActionKind::insert) {
            facts_.insert.columns = action.columns;
            std::vector<ValueRef>& values = facts_.insert.rows.emplace_back();
            for (const ast::Expression& e : action.values) {
                visit(e, 0);
                values.push_back(value(e));
            }
        }
    }
}

} // namespace shardgate::parser::detail
