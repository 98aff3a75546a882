// SELECT grammar: query specifications, set operations, CTEs, locking clauses.
#include "rules.hpp"
#include "shardgate/parser/ast_adapted.hpp"

namespace shardgate::parser::grammar {
namespace {

using K = Keyword;
using ast::LockMode;
using ast::SetOp;

// clang-format off
const x3::rule<struct query_spec_class, ast::QuerySpec> query_spec = "SELECT";
const x3::rule<struct values_query_class, ast::ValuesQuery> values_query = "VALUES";
const x3::rule<struct query_term_class, ast::QueryTerm> query_term = "query";
const x3::rule<struct set_op_class, ast::SetOp> set_op = "set operation";
const x3::rule<struct select_item_class, ast::SelectItem> select_item = "select item";
const x3::rule<struct cte_class, ast::Cte> cte = "common table expression";
const x3::rule<struct cte_body_class, ast::CteBody> cte_body = "WITH query";
const x3::rule<struct lock_class, ast::LockMode> lock = "locking clause";
const x3::rule<struct row_class, ast::ExpressionList> row = "row";
const x3::rule<struct table_stmt_class, ast::QuerySpec> table_stmt = "TABLE";

const auto alias = (kw(K::as) >> (ident | literal_alias)) | alias_ident;
const auto select_item_def = position >> expression >> position >> -alias;
const auto select_items_def = select_item % op(Op::comma);

const auto modifier = word("sql_calc_found_rows") | word("sql_no_cache") | word("sql_cache") |
                      word("high_priority") | word("sql_small_result") | word("sql_big_result") |
                      word("sql_buffer_result") | kw(K::straight_join);
const auto distinct = (kw(K::all) >> x3::attr(false)) |
                      x3::matches[kw(K::distinct) >> -(kw(K::on) >> balanced)];
const auto into_target = (word("outfile") >> literal) | (word("dumpfile") >> literal) |
                         (-(kw(K::temporary) | kw(K::temp)) >> -kw(K::table) >>
                          (ident % (op(Op::comma) | op(Op::dot))));
const auto group_by = kw(K::group) >> kw(K::by) >> (expression % op(Op::comma)) >>
                      x3::omit[-(kw(K::with) >> word("rollup"))];
const auto window_clause =
    kw(K::window) >> ((ident >> kw(K::as) >> balanced) % op(Op::comma));

const auto query_spec_def =
    kw(K::select) >> x3::omit[*modifier] >> distinct >> select_items >>
    x3::matches[kw(K::into) >> into_target] >> -(kw(K::from) >> from_list) >>
    -(kw(K::where) >> expression) >> -group_by >> -(kw(K::having) >> expression) >>
    x3::omit[-window_clause];

const auto row_def = -kw(K::row) >> op(Op::lparen) >> (expression % op(Op::comma)) >>
                     op(Op::rparen);
const auto values_query_def = kw(K::values) >> (row % op(Op::comma)) >> x3::attr(false);

// PG `TABLE t`: SELECT * FROM t.
const auto table_query = [](auto& ctx) {
    ast::QuerySpec& q = x3::_val(ctx);
    ast::SelectItem star;
    star.expr.first.primary = ast::ColumnRef{{}, true};
    q.items.push_back(std::move(star));
    ast::FromItem item;
    ast::TableName table;
    table.name = std::move(x3::_attr(ctx));
    item.source = std::move(table);
    q.from.push_back(std::move(item));
};
const auto table_stmt_def = kw(K::table) >> x3::omit[-kw(K::only)] >>
                            qualified_name[table_query] >> x3::omit[-op(Op::star)];

const auto query_term_def = query_spec | values_query | table_stmt |
                            (op(Op::lparen) >> select_stmt >> op(Op::rparen));

const auto set_op_def =
    (kw(K::union_) >> kw(K::all) >> x3::attr(SetOp::union_all)) |
    (kw(K::union_) >> x3::omit[-kw(K::distinct)] >> x3::attr(SetOp::union_)) |
    (kw(K::intersect) >> x3::omit[-(kw(K::all) | kw(K::distinct))] >> x3::attr(SetOp::intersect)) |
    (kw(K::except) >> x3::omit[-(kw(K::all) | kw(K::distinct))] >> x3::attr(SetOp::except));

const auto cte_body_def = select_stmt | insert_stmt | update_stmt | delete_stmt;
const auto cte_def =
    ident >> x3::omit[-(op(Op::lparen) >> (ident % op(Op::comma)) >> op(Op::rparen))] >>
    kw(K::as) >> x3::omit[-(-kw(K::not_) >> word("materialized"))] >> op(Op::lparen) >>
    cte_body >> op(Op::rparen);
const auto with_clause_def = kw(K::with) >> x3::matches[kw(K::recursive)] >> (cte % op(Op::comma));

const auto lock_tail =
    x3::omit[-(kw(K::of) >> (qualified_name % op(Op::comma))) >>
             -(kw(K::nowait) | (kw(K::skip) >> kw(K::locked)) | (word("wait") >> literal))];
const auto lock_def =
    (kw(K::for_) >> -kw(K::no) >> -kw(K::key) >> kw(K::update) >> lock_tail >>
     x3::attr(LockMode::update)) |
    (kw(K::for_) >> -kw(K::key) >> kw(K::share) >> lock_tail >> x3::attr(LockMode::share)) |
    (kw(K::lock) >> kw(K::in) >> kw(K::share) >> kw(K::mode) >> x3::attr(LockMode::share)) |
    x3::attr(LockMode::none);

const auto select_stmt_def =
    -with_clause >> query_term >> *(set_op >> query_term) >>
    -(kw(K::order) >> kw(K::by) >> order_by) >> limit_clause >> lock;
// clang-format on

BOOST_SPIRIT_DEFINE(query_spec, values_query, query_term, set_op, select_item, cte, cte_body, lock,
                    row, table_stmt)

} // namespace

BOOST_SPIRIT_DEFINE(select_items, with_clause, select_stmt)

BOOST_SPIRIT_INSTANTIATE(select_type, Iterator, Context)
BOOST_SPIRIT_INSTANTIATE(select_items_type, Iterator, Context)
BOOST_SPIRIT_INSTANTIATE(with_type, Iterator, Context)

} // namespace shardgate::parser::grammar
