// Facts for INSERT/REPLACE, UPDATE and DELETE, as statements and as WITH queries (PostgreSQL's
// data-modifying CTEs: their tables are targets in the CTE's scope).
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

void append(std::vector<AssignmentFacts>& to, std::vector<AssignmentFacts> list) {
    to.insert(to.end(), std::make_move_iterator(list.begin()), std::make_move_iterator(list.end()));
}

struct ModifyingCteVisitor {
    FactsBuilder& b;
    std::int32_t scope;
    void operator()(const x3::forward_ast<ast::SelectStatement>& s) const {
        b.select_statement(s.get(), scope, false);
    }
    void operator()(const x3::forward_ast<ast::InsertStatement>& s) const {
        b.insert_body(s.get(), scope);
    }
    void operator()(const x3::forward_ast<ast::UpdateStatement>& s) const {
        b.update_body(s.get(), scope);
    }
    void operator()(const x3::forward_ast<ast::DeleteStatement>& s) const {
        b.delete_body(s.get(), scope);
    }
};

} // namespace

void FactsBuilder::cte_body(const ast::CteBody& body, std::int32_t scope) {
    if (boost::get<x3::forward_ast<ast::SelectStatement>>(&body) == nullptr) {
        facts_.modifying_cte = true;
    }
    boost::apply_visitor(ModifyingCteVisitor{*this, scope}, body);
}

void FactsBuilder::insert(const ast::InsertStatement& s) {
    facts_.kind = s.replace ? StatementKind::replace : StatementKind::insert;
    facts_.returning = s.returning;
    insert_body(s, 0);
}

void FactsBuilder::insert_body(const ast::InsertStatement& s, std::int32_t scope) {
    facts_.is_write = true;
    facts_.scopes[scope].writes = s.replace ? StatementKind::replace : StatementKind::insert;
    with_clause(s.with, scope);
    add_table(s.table.name, s.table.alias, scope, true);
    const bool top = scope == 0;
    InsertFacts ignored;
    InsertFacts& f = top ? facts_.insert : ignored;
    f.columns = s.columns;
    if (boost::get<ast::DefaultValues>(&s.source) != nullptr) {
        f.default_values = true;
    } else if (const auto* rows = boost::get<std::vector<ast::ExpressionList>>(&s.source)) {
        for (const ast::ExpressionList& row : *rows) {
            std::vector<ValueRef>& values = f.rows.emplace_back();
            for (const ast::Expression& e : row) {
                visit(e, scope);
                values.push_back(value(e));
            }
        }
    } else if (const auto* select = boost::get<x3::forward_ast<ast::SelectStatement>>(&s.source)) {
        f.from_select = true;
        if (const auto* spec = boost::get<ast::QuerySpec>(&select->get().first);
            spec != nullptr && select->get().rest.empty()) {
            for (const ast::SelectItem& item : spec->items) {
                const ast::ColumnRef* col = plain_column(item.expr.first);
                const bool plain = col != nullptr && !col->star && item.expr.rest.empty();
                f.select_columns.push_back(plain ? column(col->name) : ColumnName{});
            }
        }
        select_statement(select->get(), new_scope(Scope::Kind::subquery, scope), false);
    } else if (const auto* set = boost::get<std::vector<ast::Assignment>>(&s.source)) {
        const std::vector<AssignmentFacts> list = assignments(*set, scope);
        f.columns = names(list);
        std::vector<ValueRef>& values = f.rows.emplace_back();
        for (const AssignmentFacts& a : list) {
            values.push_back(a.value);
        }
    }
    f.on_duplicate_update = assignments(s.on_duplicate, scope);
    if (s.on_conflict) {
        f.on_conflict = true;
        f.on_conflict_target = s.on_conflict->target;
        if (s.on_conflict->update) {
            f.on_conflict_update = assignments(*s.on_conflict->update, scope);
        }
    }
    if (!top) {
        // A WITH query's upserts can change a shard key as much as the statement's own.
        append(facts_.assignments, std::move(f.on_duplicate_update));
        append(facts_.assignments, std::move(f.on_conflict_update));
    }
}

void FactsBuilder::update(const ast::UpdateStatement& s) {
    facts_.kind = StatementKind::update;
    facts_.returning = s.returning;
    update_body(s, 0);
    facts_.select.order_by = order_keys(s.order_by, 0);
    facts_.select.limit = optional_value(s.limit.count);
}

void FactsBuilder::update_body(const ast::UpdateStatement& s, std::int32_t scope) {
    facts_.is_write = true;
    facts_.scopes[scope].writes = StatementKind::update;
    with_clause(s.with, scope);
    from_list(s.tables, scope, true);
    append(facts_.assignments, assignments(s.set, scope));
    from_list(s.from, scope, false);
    if (s.where) {
        facts_.scopes[scope].where = predicate(*s.where, scope);
    }
}

void FactsBuilder::remove(const ast::DeleteStatement& s) {
    facts_.kind = StatementKind::delete_;
    facts_.returning = s.returning;
    delete_body(s, 0);
    facts_.select.order_by = order_keys(s.order_by, 0);
    facts_.select.limit = optional_value(s.limit.count);
}

void FactsBuilder::delete_body(const ast::DeleteStatement& s, std::int32_t scope) {
    facts_.is_write = true;
    facts_.scopes[scope].writes = StatementKind::delete_;
    with_clause(s.with, scope);
    const std::size_t first = facts_.tables.size();
    from_list(s.from, scope, s.targets.empty());
    from_list(s.using_tables, scope, false);
    for (const ast::QualifiedName& target : s.targets) {
        for (std::size_t i = first; i < facts_.tables.size(); ++i) {
            TableRef& t = facts_.tables[i];
            if (t.alias == target.back() || (t.alias.empty() && t.name == target.back())) {
                t.target = true;
            }
        }
    }
    if (s.where) {
        facts_.scopes[scope].where = predicate(*s.where, scope);
    }
}

} // namespace shardgate::parser::detail
