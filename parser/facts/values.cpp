// Values, columns, source text and subquery discovery inside expressions.
#include "builder.hpp"

#include <algorithm>
#include <charconv>

namespace shardgate::parser::detail {
namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    return out;
}

/// The session state a call of `fn` (lower case) leaves behind: see StatementFacts::
/// session_state. `local_true`: set_config's third argument is literally TRUE.
std::string_view call_session_state(const std::string& fn, bool local_true) {
    if (fn == "pg_advisory_lock" || fn == "pg_advisory_lock_shared" ||
        fn == "pg_try_advisory_lock" || fn == "pg_try_advisory_lock_shared") {
        return "an advisory lock";
    }
    if (fn == "set_config" && !local_true) {
        return "a session setting";
    }
    return {};
}

bool only_casts(const std::vector<ast::Postfix>& postfix) {
    for (const ast::Postfix& p : postfix) {
        if (boost::get<ast::IgnoredPostfix>(&p) == nullptr) {
            return false;
        }
    }
    return true;
}

} // namespace

const ast::Expression* parenthesised(const ast::Term& t) {
    const auto* list = boost::get<x3::forward_ast<ast::ExpressionList>>(&t.primary);
    if (list == nullptr || list->get().size() != 1 || !t.prefix.empty() || !t.postfix.empty()) {
        return nullptr;
    }
    return &list->get().front();
}

const ast::ColumnRef* plain_column(const ast::Term& t) {
    if (const ast::Expression* inner = parenthesised(t); inner != nullptr && inner->rest.empty()) {
        return plain_column(inner->first);
    }
    if (!t.prefix.empty() || !t.postfix.empty()) {
        return nullptr;
    }
    return boost::get<ast::ColumnRef>(&t.primary);
}

const ast::Expression* cast_argument(const ast::Term& t) {
    const auto* call = boost::get<x3::forward_ast<ast::FunctionCall>>(&t.primary);
    if (call == nullptr || !t.prefix.empty() || !only_casts(t.postfix) ||
        call->get().args.size() != 1 || call->get().window ||
        lower(call->get().name.back()) != "cast") {
        return nullptr;
    }
    return &call->get().args.front();
}

bool is_aggregate_function(std::string_view name) {
    // Every built-in aggregate of PostgreSQL 15 and MariaDB 10.11 (and MySQL 8): those without
    // a cross-shard merge make a statement's merge refuse rather than return a row per shard.
    static constexpr std::string_view names[] = {
        "any_value",
        "array_agg",
        "avg",
        "bit_and",
        "bit_or",
        "bit_xor",
        "bool_and",
        "bool_or",
        "corr",
        "count",
        "covar_pop",
        "covar_samp",
        "cume_dist",
        "dense_rank",
        "every",
        "group_concat",
        "grouping",
        "json_agg",
        "json_arrayagg",
        "json_object_agg",
        "json_objectagg",
        "jsonb_agg",
        "jsonb_object_agg",
        "max",
        "median",
        "min",
        "mode",
        "percent_rank",
        "percentile_cont",
        "percentile_disc",
        "range_agg",
        "range_intersect_agg",
        "rank",
        "regr_avgx",
        "regr_avgy",
        "regr_count",
        "regr_intercept",
        "regr_r2",
        "regr_slope",
        "regr_sxx",
        "regr_sxy",
        "regr_syy",
        "std",
        "stddev",
        "stddev_pop",
        "stddev_samp",
        "string_agg",
        "sum",
        "var_pop",
        "var_samp",
        "variance",
        "xmlagg",
    };
    for (const auto n : names) {
        if (n.size() == name.size() &&
            std::equal(n.begin(), n.end(), name.begin(), [](char a, char b) {
                return a == (b >= 'A' && b <= 'Z' ? static_cast<char>(b + 32) : b);
            })) {
            return true;
        }
    }
    return false;
}

Aggregate aggregate_kind(const ast::QualifiedName& name) {
    const std::string fn = lower(name.back());
    if (fn == "count")
        return Aggregate::count;
    if (fn == "sum")
        return Aggregate::sum;
    if (fn == "min")
        return Aggregate::min;
    if (fn == "max")
        return Aggregate::max;
    if (fn == "avg")
        return Aggregate::avg;
    if (fn == "bool_and" || fn == "every")
        return Aggregate::bool_and;
    if (fn == "bool_or")
        return Aggregate::bool_or;
    if (is_aggregate_function(fn))
        return Aggregate::complex;
    return Aggregate::none;
}

ColumnName FactsBuilder::column(const ast::QualifiedName& name) const {
    ColumnName c;
    if (!name.empty()) {
        c.name = name.back();
    }
    if (name.size() >= 2) {
        c.qualifier = name[name.size() - 2];
    }
    return c;
}

std::string FactsBuilder::text(std::uint32_t begin, std::uint32_t end) const {
    if (end <= begin || end > lexed_.tokens.size()) {
        return {};
    }
    const Token& first = lexed_.tokens[begin];
    const Token& last = lexed_.tokens[end - 1];
    return std::string(lexed_.sql.substr(first.offset, last.offset + last.length - first.offset));
}

namespace {

// PostgreSQL's reading of a regclass text such as 'Shop."Seq"': parts split on dots outside
// quotes, unquoted parts folded to lower case, quoted ones exact.
std::string regclass_name(std::string_view text) {
    std::string out;
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '"') {
            if (quoted && i + 1 < text.size() && text[i + 1] == '"') {
                out += '"';
                ++i;
            } else {
                quoted = !quoted;
            }
        } else if (!quoted && c >= 'A' && c <= 'Z') {
            out += static_cast<char>(c + ('a' - 'A'));
        } else if (!quoted && c == ' ') {
            continue;
        } else {
            out += c;
        }
    }
    return out;
}

} // namespace

std::string FactsBuilder::object_name(const ast::Expression& e, bool regclass) const {
    if (!e.rest.empty() || !e.first.prefix.empty()) {
        return {};
    }
    const ast::Term& t = e.first;
    if (const ast::ColumnRef* col = plain_column(t); col && !col->star) {
        std::string joined;
        for (const std::string& part : col->name) {
            joined += joined.empty() ? part : "." + part;
        }
        return joined;
    }
    if (const auto* lit = boost::get<ast::LiteralRef>(&t.primary); lit && only_casts(t.postfix)) {
        const Token& token = lexed_.tokens[lit->token];
        const Literal& literal = lexed_.fingerprint.literals[token.literal];
        if (literal.kind != LiteralKind::string) {
            return {};
        }
        return regclass && lexed_.dialect != Dialect::mysql ? regclass_name(literal.text)
                                                            : literal.text;
    }
    return {};
}

ValueRef FactsBuilder::value(const ast::Expression& e) const {
    return e.rest.empty() ? value(e.first) : ValueRef{};
}

ValueRef FactsBuilder::value(const ast::Term& t) const {
    ValueRef v;
    if (const ast::Expression* inner = parenthesised(t)) {
        return value(*inner);
    }
    if (t.prefix.size() == 1 && t.prefix.front() == ast::PrefixOp::plus) {
        // `+42` is 42 (the lexer folds a minus into the literal already).
        ast::Term unsigned_term = t;
        unsigned_term.prefix.clear();
        const ValueRef literal = value(unsigned_term);
        return literal.is_literal() ? literal : v;
    }
    if (!t.prefix.empty()) {
        return v;
    }
    if (const ast::Expression* cast = cast_argument(t)) {
        // CAST('42' AS bigint) locates like '42'::bigint: the key's own type reads the text.
        const ValueRef literal = value(*cast);
        return literal.is_literal() ? literal : v;
    }
    if (const auto* lit = boost::get<ast::LiteralRef>(&t.primary); lit && only_casts(t.postfix)) {
        const Token& token = lexed_.tokens[lit->token];
        v.kind = ValueRef::Kind::literal;
        v.literal = token.literal;
        v.slot = token.slot;
    } else if (const auto* atom = boost::get<ast::KeywordAtom>(&t.primary);
               atom && atom->keyword == Keyword::default_ && t.postfix.empty()) {
        v.kind = ValueRef::Kind::default_value;
    } else if (const ast::ColumnRef* col = plain_column(t); col && !col->star) {
        v.kind = ValueRef::Kind::column;
        v.column = column(col->name);
    }
    return v;
}

std::optional<ValueRef>
FactsBuilder::optional_value(const boost::optional<ast::Expression>& e) const {
    if (!e) {
        return std::nullopt;
    }
    return value(*e);
}

void FactsBuilder::visit(const ast::Expression& e, std::int32_t scope) {
    auto visit_term = [&](const ast::Term& t) {
        visit(t.primary, scope);
        for (const ast::Postfix& p : t.postfix) {
            if (const auto* in = boost::get<ast::InPredicate>(&p)) {
                visit(in->set, scope);
            } else if (const auto* between = boost::get<ast::BetweenPredicate>(&p)) {
                visit(between->low.get(), scope);
                visit(between->high.get(), scope);
            }
        }
    };
    visit_term(e.first);
    for (const ast::BinaryTail& tail : e.rest) {
        visit_term(tail.term);
    }
}

void FactsBuilder::returning_session_state() {
    // The grammar skips RETURNING lists (their rows go to the client as they are): the calls
    // in them are found among the tokens, `name (` after a RETURNING.
    const auto& tokens = lexed_.tokens;
    bool returning = false;
    for (std::size_t i = 0; lexed_.dialect == Dialect::pg && i + 1 < tokens.size(); ++i) {
        returning = returning || tokens[i].keyword == Keyword::returning;
        if (!returning ||
            (tokens[i].kind != TokenKind::word && tokens[i].kind != TokenKind::quoted_ident) ||
            tokens[i + 1].kind != TokenKind::op || tokens[i + 1].op != Op::lparen) {
            continue;
        }
        // set_config's third argument: the token after the second comma at the call's depth.
        bool local_true = false;
        int depth = 0;
        int commas = 0;
        for (std::size_t j = i + 1; j + 1 < tokens.size(); ++j) {
            const Op op = tokens[j].kind == TokenKind::op ? tokens[j].op : Op::none;
            depth += op == Op::lparen ? 1 : op == Op::rparen ? -1 : 0;
            if (depth == 0) {
                break;
            }
            if (depth == 1 && op == Op::comma && ++commas == 2) {
                local_true = j + 2 < tokens.size() && tokens[j + 1].keyword == Keyword::true_ &&
                             tokens[j + 2].kind == TokenKind::op && tokens[j + 2].op == Op::rparen;
            }
        }
        const auto fn = identifier_text(lexed_, tokens[i]);
        facts_.calls_set_config = facts_.calls_set_config || lower(fn) == "set_config";
        if (const auto state = call_session_state(fn, local_true); !state.empty()) {
            note_session_state(state);
            return;
        }
    }
}

void FactsBuilder::visit(const ast::Primary& p, std::int32_t scope) {
    if (const auto* call = boost::get<x3::forward_ast<ast::FunctionCall>>(&p)) {
        // Advancing or setting a sequence writes: the primary must run it.
        const std::string fn = lower(call->get().name.back());
        if (fn == "nextval" || fn == "setval") {
            facts_.is_write = true;
        }
        facts_.advances_sequence = facts_.advances_sequence || fn == "nextval";
        facts_.calls_set_config = facts_.calls_set_config || fn == "set_config";
        const auto& call_args = call->get().args;
        const auto* local =
            fn == "set_config" && call_args.size() == 3 && call_args[2].rest.empty() &&
                    call_args[2].first.prefix.empty() && call_args[2].first.postfix.empty()
                ? boost::get<ast::KeywordAtom>(&call_args[2].first.primary)
                : nullptr;
        if (const auto state =
                call_session_state(fn, local != nullptr && local->keyword == Keyword::true_);
            !state.empty()) {
            // is_local as a literal or a placeholder: each statement's value decides (bind)
            const auto* value =
                fn == "set_config" && call_args.size() == 3 && call_args[2].rest.empty() &&
                        call_args[2].first.prefix.empty() && only_casts(call_args[2].first.postfix)
                    ? boost::get<ast::LiteralRef>(&call_args[2].first.primary)
                    : nullptr;
            note_session_state(state, value != nullptr ? lexed_.tokens[value->token].slot : -2);
        }
        const auto& args = call->get().args;
        if (!args.empty() && (fn == "nextval" || fn == "setval" || fn == "currval" ||
                              (fn == "lastval" && lexed_.dialect == Dialect::mysql))) {
            facts_.sequences.push_back(object_name(args.front(), true));
        } else if (!args.empty() && fn == "pg_notify") {
            facts_.channels.push_back(object_name(args.front(), false));
            facts_.is_write = true; // a standby cannot notify
        }
        facts_.reads_session_sequence =
            facts_.reads_session_sequence || fn == "currval" || fn == "lastval";
        for (const ast::Expression& arg : call->get().args) {
            visit(arg, scope);
        }
    } else if (const auto* list = boost::get<x3::forward_ast<ast::ExpressionList>>(&p)) {
        for (const ast::Expression& item : list->get()) {
            visit(item, scope);
        }
    } else if (const auto* c = boost::get<x3::forward_ast<ast::CaseExpr>>(&p)) {
        if (c->get().subject) {
            visit(*c->get().subject, scope);
        }
        for (const ast::WhenClause& w : c->get().whens) {
            visit(w.condition, scope);
            visit(w.result, scope);
        }
        if (c->get().otherwise) {
            visit(*c->get().otherwise, scope);
        }
    } else if (const auto* sub = boost::get<x3::forward_ast<ast::SelectStatement>>(&p)) {
        select_statement(sub->get(), new_scope(Scope::Kind::subquery, scope), false);
    }
}

std::vector<AssignmentFacts> FactsBuilder::assignments(const std::vector<ast::Assignment>& list,
                                                       std::int32_t scope) {
    std::vector<AssignmentFacts> out;
    for (const ast::Assignment& a : list) {
        visit(a.value, scope);
        out.push_back(AssignmentFacts{column(a.column.name), value(a.value)});
    }
    return out;
}

std::vector<SortKey> FactsBuilder::order_keys(const std::vector<ast::OrderItem>& items,
                                              std::int32_t) {
    std::vector<SortKey> keys;
    const auto& outputs = facts_.select.items;
    for (const ast::OrderItem& item : items) {
        SortKey key;
        key.text = text(item.begin, item.end);
        key.descending = item.descending;
        key.nulls = item.nulls;
        if (const ast::ColumnRef* col = plain_column(item.expr.first);
            col && item.expr.rest.empty()) {
            key.column = column(col->name);
        }
        const auto* atom = boost::get<ast::KeywordAtom>(&item.expr.first.primary);
        if (atom != nullptr && atom->keyword == Keyword::none && item.expr.rest.empty()) {
            const Token& t = lexed_.tokens[atom->token];
            int n = 0;
            const char* begin = lexed_.sql.data() + t.offset;
            std::from_chars(begin, begin + t.length, n);
            key.output = (n >= 1 && static_cast<std::size_t>(n) <= outputs.size()) ? n - 1 : -1;
        }
        for (std::size_t i = 0; key.output < 0 && i < outputs.size(); ++i) {
            const SelectItemFacts& out = outputs[i];
            const bool by_alias = !key.column.empty() && key.column.qualifier.empty() &&
                                  lower(out.alias) == lower(key.column.name);
            const bool by_column = !key.column.empty() &&
                                   lower(out.column.name) == lower(key.column.name) &&
                                   (key.column.qualifier.empty() || out.column.qualifier.empty() ||
                                    key.column.qualifier == out.column.qualifier);
            const bool by_text = !key.text.empty() && key.text == out.text;
            if (by_alias || by_column || by_text) {
                key.output = static_cast<std::int32_t>(i);
            }
        }
        keys.push_back(std::move(key));
    }
    return keys;
}

} // namespace shardgate::parser::detail
