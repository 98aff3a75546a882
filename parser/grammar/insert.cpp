// INSERT and REPLACE grammar, with ON DUPLICATE KEY UPDATE, ON CONFLICT and RETURNING.
#include "rules.hpp"
#include "shardgate/parser/ast_adapted.hpp"

namespace shardgate::parser::grammar {
namespace {

using K = Keyword;

// clang-format off
const x3::rule<struct insert_table_class, ast::TargetTable> insert_table = "table name";
const x3::rule<struct insert_source_class, ast::InsertSource> insert_source = "VALUES or SELECT";
const x3::rule<struct insert_row_class, ast::ExpressionList> insert_row = "row";
const x3::rule<struct on_conflict_class, ast::OnConflict> on_conflict = "ON CONFLICT";

const auto modifiers = *(word("low_priority") | word("delayed") | word("high_priority") |
                         kw(K::ignore));
const auto insert_table_def = position >> qualified_name >> -(kw(K::as) >> ident);
const auto insert_row_def =
    op(Op::lparen) >> ((expression % op(Op::comma)) | x3::attr(ast::ExpressionList{})) >>
    op(Op::rparen);
const auto insert_source_def =
    (kw(K::default_) >> kw(K::values) >> x3::attr(ast::DefaultValues{})) |
    ((kw(K::values) | word("value")) >> (insert_row % op(Op::comma))) |
    (kw(K::set) >> assignments) | select_stmt;

const auto conflict_target =
    (op(Op::lparen) >> (ident % op(Op::comma)) >> op(Op::rparen) >>
     x3::omit[-(kw(K::where) >> expression)]) |
    (kw(K::on) >> kw(K::constraint) >> x3::omit[ident] >> x3::attr(std::vector<std::string>{})) |
    x3::attr(std::vector<std::string>{});
const auto on_conflict_def =
    kw(K::on) >> kw(K::conflict) >> conflict_target >> kw(K::do_) >>
    (kw(K::nothing) |
     (kw(K::update) >> kw(K::set) >> assignments >> x3::omit[-(kw(K::where) >> expression)]));

const auto column_list = op(Op::lparen) >> -(ident % op(Op::comma)) >> op(Op::rparen);
const auto insert_stmt_def =
    -with_clause >> ((kw(K::insert) >> x3::attr(false)) | (kw(K::replace) >> x3::attr(true))) >>
    x3::omit[modifiers] >> x3::omit[-kw(K::into)] >> insert_table >> -column_list >>
    insert_source >>
    -(kw(K::on) >> kw(K::duplicate) >> kw(K::key) >> kw(K::update) >> assignments) >>
    -on_conflict >> x3::matches[kw(K::returning) >> x3::omit[select_items]];
// clang-format on

BOOST_SPIRIT_DEFINE(insert_table, insert_source, insert_row, on_conflict)

} // namespace

BOOST_SPIRIT_DEFINE(insert_stmt)

BOOST_SPIRIT_INSTANTIATE(insert_type, Iterator, Context)

} // namespace shardgate::parser::grammar
