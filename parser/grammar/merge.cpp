// PostgreSQL 15 MERGE grammar: `[WITH ..] MERGE INTO t [[AS] a] USING source ON cond`, then
// `WHEN [NOT] MATCHED [BY SOURCE | TARGET] [AND cond] THEN action` clauses, `[RETURNING ..]`.
#include "rules.hpp"
#include "shardgate/parser/ast_adapted.hpp"

namespace shardgate::parser::grammar {
namespace {

using K = Keyword;
using ast::MergeActionKind;

const auto action_kind = [](MergeActionKind k) {
    return [k](auto& ctx) {
        x3::_val(ctx) = ast::MergeAction{};
        x3::_val(ctx).kind = k;
    };
};
const auto set_assignments = [](auto& ctx) { x3::_val(ctx).set = std::move(x3::_attr(ctx)); };
const auto set_columns = [](auto& ctx) { x3::_val(ctx).columns = std::move(x3::_attr(ctx)); };
const auto set_values = [](auto& ctx) { x3::_val(ctx).values = std::move(x3::_attr(ctx)); };
const auto set_with = [](auto& ctx) { x3::_val(ctx).with = std::move(x3::_attr(ctx)); };
const auto set_target = [](auto& ctx) { x3::_val(ctx).target = std::move(x3::_attr(ctx)); };
const auto set_source = [](auto& ctx) { x3::_val(ctx).source = std::move(x3::_attr(ctx)); };
const auto set_on = [](auto& ctx) { x3::_val(ctx).on = std::move(x3::_attr(ctx)); };
const auto add_condition = [](auto& ctx) {
    x3::_val(ctx).conditions.push_back(std::move(x3::_attr(ctx)));
};
const auto add_action = [](auto& ctx) {
    x3::_val(ctx).actions.push_back(std::move(x3::_attr(ctx)));
};
const auto set_returning = [](auto& ctx) { x3::_val(ctx).returning = true; };
const auto set_by_source = [](auto& ctx) { x3::_val(ctx).by_source = true; };

// clang-format off
const x3::rule<struct merge_target_class, ast::TargetTable> merge_target = "MERGE target";
const x3::rule<struct merge_action_class, ast::MergeAction> merge_action = "MERGE action";
const x3::rule<struct merge_values_class, ast::ExpressionList> merge_values = "VALUES row";
const x3::rule<struct merge_columns_class, std::vector<std::string>> merge_columns = "columns";

const auto merge_target_def = position >> qualified_name >> -(-kw(K::as) >> ident);
const auto merge_columns_def = op(Op::lparen) >> (ident % op(Op::comma)) >> op(Op::rparen);
const auto merge_values_def = op(Op::lparen) >> (expression % op(Op::comma)) >> op(Op::rparen);
const auto overriding = word("overriding") >> (word("system") | word("user")) >> word("value");
const auto merge_action_def = x3::omit[
    (kw(K::update) >> kw(K::set) >> x3::eps[action_kind(MergeActionKind::update)] >>
     assignments[set_assignments]) |
    (kw(K::delete_) >> x3::eps[action_kind(MergeActionKind::delete_)]) |
    (kw(K::do_) >> kw(K::nothing) >> x3::eps[action_kind(MergeActionKind::nothing)]) |
    (kw(K::insert) >> x3::eps[action_kind(MergeActionKind::insert)] >>
     -merge_columns[set_columns] >> -overriding >>
     ((kw(K::values) >> merge_values[set_values]) | (kw(K::default_) >> kw(K::values))))];
const auto matched = -kw(K::not_) >> word("matched") >>
                     -(kw(K::by) >> (word("source")[set_by_source] | word("target")));
const auto merge_when =
    kw(K::when) >> matched >> -(kw(K::and_) >> expression[add_condition]) >> kw(K::then) >>
    merge_action[add_action];
const auto merge_stmt_def = x3::omit[
    -with_clause[set_with] >> word("merge") >> kw(K::into) >> merge_target[set_target] >>
    kw(K::using_) >> from_list[set_source] >> kw(K::on) >> expression[set_on] >> +merge_when >>
    -(kw(K::returning) >> select_items)[set_returning]];
// clang-format on

BOOST_SPIRIT_DEFINE(merge_target, merge_action, merge_values, merge_columns)

} // namespace

BOOST_SPIRIT_DEFINE(merge_stmt)

BOOST_SPIRIT_INSTANTIATE(merge_type, Iterator, Context)

} // namespace shardgate::parser::grammar
