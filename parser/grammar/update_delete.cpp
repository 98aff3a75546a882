// UPDATE and DELETE grammar (single- and multi-table forms of both dialects).
#include "rules.hpp"
#include "shardgate/parser/ast_adapted.hpp"

namespace shardgate::parser::grammar {
namespace {

using K = Keyword;

// clang-format off
const x3::rule<struct delete_target_class, ast::QualifiedName> delete_target = "table name";

const auto modifiers = x3::omit[*(word("low_priority") | word("quick") | kw(K::ignore))];
const auto where = -(kw(K::where) >> expression);
const auto order = -(kw(K::order) >> kw(K::by) >> order_by);
const auto returning = x3::matches[kw(K::returning) >> x3::omit[select_items]];

const auto update_stmt_def =
    -with_clause >> kw(K::update) >> modifiers >> from_list >> kw(K::set) >> assignments >>
    -(kw(K::from) >> from_list) >> where >> order >> limit_clause >> returning;

const auto delete_target_def = qualified_name >> x3::omit[-(op(Op::dot) >> op(Op::star))];
const auto delete_stmt_def =
    -with_clause >> kw(K::delete_) >> modifiers >> -(delete_target % op(Op::comma)) >>
    kw(K::from) >> from_list >> -(kw(K::using_) >> from_list) >> where >> order >>
    limit_clause >> returning;
// clang-format on

BOOST_SPIRIT_DEFINE(delete_target)

} // namespace

BOOST_SPIRIT_DEFINE(update_stmt, delete_stmt)

BOOST_SPIRIT_INSTANTIATE(update_type, Iterator, Context)
BOOST_SPIRIT_INSTANTIATE(delete_type, Iterator, Context)

} // namespace shardgate::parser::grammar
