// Facts for whole statements and query blocks (SELECT, set operations, CTEs).
#include "builder.hpp"

namespace shardgate::parser::detail {
namespace {

struct StatementVisitor {
    FactsBuilder& b;
    void operator()(const ast::SelectStatement& s) const {
        b.facts().kind = StatementKind::select;
        b.select_statement(s, 0, true);
    }
    void operator()(const ast::InsertStatement& s) const { b.insert(s); }
    void operator()(const ast::UpdateStatement& s) const { b.update(s); }
    void operator()(const ast::DeleteStatement& s) const { b.remove(s); }
    void operator()(const ast::TransactionStatement& s) const { b.transaction(s); }
    void operator()(const ast::SessionStatement& s) const { b.session(s); }
    void operator()(const ast::DdlStatement& s) const { b.ddl(s); }
    void operator()(const ast::MaintenanceStatement& s) const { b.maintenance(s); }
    void operator()(const ast::ExplainStatement& s) const { b.explain(s); }
    void operator()(const ast::UtilityStatement& s) const { b.utility(s); }
    void operator()(const ast::CopyStatement& s) const { b.copy(s); }
    void operator()(const ast::MergeStatement& s) const { b.merge(s); }
};

/// The aggregate a select item computes: a top-level COUNT/SUM/MIN/MAX/AVG call, `complex` for
/// an expression that contains one, none otherwise (window functions are not aggregates here).
Aggregate item_aggregate(const ast::SelectItem& item, const std::string& text, bool& distinct) {
    const auto* call = boost::get<x3::forward_ast<ast::FunctionCall>>(&item.expr.first.primary);
    if (call != nullptr && item.expr.rest.empty() && item.expr.first.prefix.empty() &&
        !call->get().window) {
        distinct = call->get().distinct;
        if (const Aggregate a = aggregate_kind(call->get().name); a != Aggregate::none) {
            return a;
        }
    }
    // An aggregate inside an expression (`coalesce(max(n), 0)`, `sum(a) / count(*)`): any
    // word followed by `(` that names one (a word inside a string literal only makes the merge
    // refuse; never the other way round).
    const auto word = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '$';
    };
    for (std::size_t i = 0; i < text.size();) {
        if (!word(text[i])) {
            ++i;
            continue;
        }
        const std::size_t start = i;
        while (i < text.size() && word(text[i])) {
            ++i;
        }
        std::size_t next = i;
        while (next < text.size() && (text[next] == ' ' || text[next] == '\n')) {
            ++next;
        }
        if (next < text.size() && text[next] == '(' &&
            is_aggregate_function(std::string_view(text).substr(start, i - start))) {
            return Aggregate::complex;
        }
    }
    return Aggregate::none;
}

} // namespace

FactsBuilder::FactsBuilder(const LexedStatement& lexed, StatementFacts& facts)
    : lexed_(lexed), facts_(facts) {}

void FactsBuilder::build(const ast::Statement& statement) {
    new_scope(Scope::Kind::statement, -1);
    boost::apply_visitor(StatementVisitor{*this}, statement);
    // (also when one set_config's value would decide the state: the lists may add another)
    if ((facts_.session_state.empty() || facts_.session_state_slot >= 0) &&
        (facts_.returning || facts_.modifying_cte)) {
        returning_session_state();
    }
    if (facts_.explain == ast::ExplainKind::explain) {
        // EXPLAIN without ANALYZE plans the statement and runs nothing of it
        facts_.session_state = {};
        facts_.session_state_slot = -1;
        facts_.calls_set_config = false;
    }
    std::uint32_t count = 0;
    for (const Literal& lit : lexed_.fingerprint.literals) {
        if (lit.kind == LiteralKind::placeholder && lit.param + 1 > count) {
            count = lit.param + 1;
        }
    }
    facts_.parameter_count = count;
}

void FactsBuilder::explain(const ast::ExplainStatement& s) {
    if (s.kind == ast::ExplainKind::describe) {
        facts_.kind = StatementKind::select;
        add_table(s.table, boost::none, 0, false);
    } else {
        explained(s.statement);
    }
    facts_.explain = s.kind;
}

void FactsBuilder::explained(const ast::ExplainedStatement& s) {
    boost::apply_visitor(StatementVisitor{*this}, s);
}

std::int32_t FactsBuilder::new_scope(Scope::Kind kind, std::int32_t parent) {
    facts_.scopes.push_back(Scope{kind, parent, -1});
    return static_cast<std::int32_t>(facts_.scopes.size() - 1);
}

std::int32_t FactsBuilder::add_node(PredicateNode node) {
    facts_.predicates.push_back(std::move(node));
    return static_cast<std::int32_t>(facts_.predicates.size() - 1);
}

void FactsBuilder::with_clause(const boost::optional<ast::WithClause>& with, std::int32_t scope) {
    if (!with) {
        return;
    }
    // A WITH query's name is seen by the queries after it and by the statement; by its own
    // body and those before it only under RECURSIVE (elsewhere the same name is a table).
    if (with->recursive) {
        for (const ast::Cte& cte : with->ctes) {
            cte_names_.push_back(cte.name);
        }
    }
    for (const ast::Cte& cte : with->ctes) {
        cte_body(cte.body, new_scope(Scope::Kind::cte, scope));
        if (!with->recursive) {
            cte_names_.push_back(cte.name);
        }
    }
}

void FactsBuilder::select_statement(const ast::SelectStatement& s, std::int32_t scope, bool top) {
    const auto seen = cte_names_.size();
    with_clause(s.with, scope);
    select_body(s, scope, top);
    cte_names_.resize(seen); // (the names end with their statement)
}

void FactsBuilder::select_body(const ast::SelectStatement& s, std::int32_t scope, bool top) {
    if (s.rest.empty()) {
        query_term(s.first, scope, top);
    } else {
        query_term(s.first, new_scope(Scope::Kind::union_branch, scope), top);
        for (const ast::SetOpTail& tail : s.rest) {
            query_term(tail.term, new_scope(Scope::Kind::union_branch, scope), false);
        }
    }
    if (s.limit.count || s.limit.offset) {
        facts_.scopes[scope].shapes_rows = true;
    }
    if (s.lock != ast::LockMode::none && facts_.lock == ast::LockMode::none) {
        facts_.lock = s.lock;
    }
    for (const ast::OrderItem& item : s.order_by) {
        visit(item.expr, scope);
    }
    if (!top) {
        return;
    }
    SelectFacts& select = facts_.select;
    select.set_operation = !s.rest.empty();
    for (const ast::SetOpTail& tail : s.rest) {
        select.set_ops.push_back(tail.op);
    }
    select.order_by = order_keys(s.order_by, scope);
    select.limit = optional_value(s.limit.count);
    select.offset = optional_value(s.limit.offset);
}

void FactsBuilder::query_term(const ast::QueryTerm& term, std::int32_t scope, bool top) {
    if (const auto* spec = boost::get<ast::QuerySpec>(&term)) {
        query_spec(*spec, scope, top);
    } else if (const auto* values = boost::get<ast::ValuesQuery>(&term)) {
        for (const ast::ExpressionList& row : values->rows) {
            for (const ast::Expression& e : row) {
                visit(e, scope);
            }
        }
    } else if (const auto* nested = boost::get<x3::forward_ast<ast::SelectStatement>>(&term)) {
        const std::int32_t inner = new_scope(Scope::Kind::subquery, scope);
        select_statement(nested->get(), inner, top);
        // The block consists of the parenthesised query: it shapes rows when that does.
        Scope& outer = facts_.scopes[scope];
        outer.shapes_rows =
            outer.shapes_rows || facts_.scopes[inner].shapes_rows || !nested->get().rest.empty();
        outer.always_one_row = outer.always_one_row || facts_.scopes[inner].always_one_row;
    }
}

void FactsBuilder::query_spec(const ast::QuerySpec& q, std::int32_t scope, bool top) {
    if (q.into) {
        facts_.is_write = true;
        if (selects_into_temporary()) {
            note_session_state("a temporary object");
        }
    }
    from_list(q.from, scope, false);
    for (const ast::SelectItem& item : q.items) {
        visit(item.expr, scope);
    }
    if (q.where) {
        facts_.scopes[scope].where = predicate(*q.where, scope);
    }
    for (const ast::Expression& e : q.group_by) {
        visit(e, scope);
    }
    if (q.having) {
        visit(*q.having, scope);
    }
    bool aggregates = false;
    bool window = false;
    std::vector<SelectItemFacts> items;
    for (const ast::SelectItem& item : q.items) {
        SelectItemFacts f;
        f.text = text(item.begin, item.end);
        f.alias = item.alias.value_or(std::string());
        if (const ast::ColumnRef* col = plain_column(item.expr.first);
            col != nullptr && item.expr.rest.empty()) {
            f.star = col->star;
            f.column = column(col->name);
        }
        f.aggregate = item_aggregate(item, f.text, f.distinct);
        if (const auto* call =
                boost::get<x3::forward_ast<ast::FunctionCall>>(&item.expr.first.primary);
            f.aggregate != Aggregate::none && f.aggregate != Aggregate::complex && call) {
            const auto& args = call->get().args;
            if (args.empty()) {
                f.argument_star = true;
            } else if (args.size() == 1 && args.front().rest.empty()) {
                if (const ast::ColumnRef* arg = plain_column(args.front().first)) {
                    f.argument_star = arg->star;
                    if (!arg->star) {
                        f.argument = column(arg->name);
                    }
                }
            }
        }
        const auto* call = boost::get<x3::forward_ast<ast::FunctionCall>>(&item.expr.first.primary);
        window = window || (call != nullptr && call->get().window);
        aggregates = aggregates || f.aggregate != Aggregate::none;
        items.push_back(std::move(f));
    }
    Scope& block = facts_.scopes[scope];
    block.always_one_row = aggregates && q.group_by.empty();
    block.shapes_rows = block.shapes_rows || aggregates || window || q.distinct ||
                        !q.group_by.empty() || q.having.has_value();
    if (!top || !facts_.select.items.empty()) {
        return;
    }
    SelectFacts& select = facts_.select;
    select.distinct = q.distinct;
    select.having = q.having.has_value();
    if (q.having) {
        select.having_nodes = having(*q.having);
    }
    select.window = window;
    select.items = std::move(items);
    std::vector<ast::OrderItem> groups;
    for (const ast::Expression& e : q.group_by) {
        ast::OrderItem item;
        item.expr = e;
        groups.push_back(std::move(item));
    }
    select.group_by = order_keys(groups, scope);
}

} // namespace shardgate::parser::detail
