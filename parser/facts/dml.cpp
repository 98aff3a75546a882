// Facts for INSERT/REPLACE, UPDATE and DELETE.
#include "builder.hpp"

namespace shardgate::parser::detail {
namespace {

std::vector<std::string> names(const std::vector<AssignmentFacts>& list) {
    std::vector<std::string> out;
    for (const AssignmentFacts& a : list) {
        out.push_back(a.column.name);
    }
    return out;
}

} // namespace

void FactsBuilder::insert(const ast::InsertStatement& s) {
    facts_.kind = s.replace ? StatementKind::replace : StatementKind::insert;
    facts_.is_write = true;
    facts_.returning = s.returning;
    add_table(s.table.name, s.table.alias, 0, true);
    InsertFacts& f = facts_.insert;
    f.columns = s.columns;
    if (boost::get<ast::DefaultValues>(&s.source) != nullptr) {
        f.default_values = true;
    } else if (const auto* rows = boost::get<std::vector<ast::ExpressionList>>(&s.source)) {
        for (const ast::ExpressionList& row : *rows) {
            std::vector<ValueRef>& values = f.rows.emplace_back();
            for (const ast::Expression& e : row) {
                visit(e, 0);
                values.push_back(value(e));
            }
        }
    } else if (const auto* select = boost::get<x3::forward_ast<ast::SelectStatement>>(&s.source)) {
        f.from_select = true;
        select_statement(select->get(), new_scope(Scope::Kind::subquery, 0), false);
    } else if (const auto* set = boost::get<std::vector<ast::Assignment>>(&s.source)) {
        const std::vector<AssignmentFacts> list = assignments(*set, 0);
        f.columns = names(list);
        std::vector<ValueRef>& values = f.rows.emplace_back();
        for (const AssignmentFacts& a : list) {
            values.push_back(a.value);
        }
    }
    f.on_duplicate_update = assignments(s.on_duplicate, 0);
    if (s.on_conflict) {
        f.on_conflict = true;
        f.on_conflict_target = s.on_conflict->target;
        if (s.on_conflict->update) {
            f.on_conflict_update = assignments(*s.on_conflict->update, 0);
        }
    }
}

void FactsBuilder::update(const ast::UpdateStatement& s) {
    facts_.kind = StatementKind::update;
    facts_.is_write = true;
    facts_.returning = s.returning;
    with_clause(s.with, 0);
    from_list(s.tables, 0, true);
    facts_.assignments = assignments(s.set, 0);
    from_list(s.from, 0, false);
    if (s.where) {
        facts_.scopes[0].where = predicate(*s.where, 0);
    }
    facts_.select.order_by = order_keys(s.order_by, 0);
    facts_.select.limit = optional_value(s.limit.count);
}

void FactsBuilder::remove(const ast::DeleteStatement& s) {
    facts_.kind = StatementKind::delete_;
    facts_.is_write = true;
    facts_.returning = s.returning;
    with_clause(s.with, 0);
    const std::size_t first = facts_.tables.size();
    from_list(s.from, 0, s.targets.empty());
    from_list(s.using_tables, 0, false);
    for (const ast::QualifiedName& target : s.targets) {
        for (std::size_t i = first; i < facts_.tables.size(); ++i) {
            TableRef& t = facts_.tables[i];
            if (t.alias == target.back() || (t.alias.empty() && t.name == target.back())) {
                t.target = true;
            }
        }
    }
    if (s.where) {
        facts_.scopes[0].where = predicate(*s.where, 0);
    }
    facts_.select.order_by = order_keys(s.order_by, 0);
    facts_.select.limit = optional_value(s.limit.count);
}

} // namespace shardgate::parser::detail
