// Clauses shared by SELECT, UPDATE and DELETE: FROM with joins, ORDER BY, LIMIT, SET lists.
#include "rules.hpp"
#include "shardgate/parser/ast_adapted.hpp"

namespace shardgate::parser::grammar {
namespace {

using K = Keyword;
using ast::JoinKind;
using ast::NullsOrder;

// clang-format off
const x3::rule<struct from_item_class, ast::FromItem> from_item = "table reference";
const x3::rule<struct source_class, ast::TableSource> table_source = "table";
const x3::rule<struct table_name_class, ast::TableName> table_name = "table name";
const x3::rule<struct derived_class, ast::DerivedTable> derived_table = "derived table";
const x3::rule<struct table_function_class, ast::TableFunction> table_function = "table function";
const x3::rule<struct call_class, ast::FunctionCall> table_call = "function call";
const x3::rule<struct rows_from_class, ast::TableFunction> rows_from = "ROWS FROM";
const x3::rule<struct join_class, ast::Join> join = "JOIN";
const x3::rule<struct join_kind_class, ast::JoinKind> join_kind = "JOIN";
const x3::rule<struct order_item_class, ast::OrderItem> order_item = "ORDER BY item";
const x3::rule<struct assignment_class, ast::Assignment> assignment = "assignment";
const x3::rule<struct alias_class, std::string> table_alias = "alias";
const x3::rule<struct target_column_class, ast::ColumnRef> target_column = "column";

const auto table_alias_def = (kw(K::as) >> ident) | alias_ident;
const auto column_aliases = op(Op::lparen) >> (ident % op(Op::comma)) >> op(Op::rparen);

const auto index_hint = (kw(K::use) | kw(K::force) | kw(K::ignore)) >> (kw(K::index) | kw(K::key)) >>
                        -(kw(K::for_) >> (kw(K::join) | (kw(K::order) >> kw(K::by)) |
                                          (kw(K::group) >> kw(K::by)))) >> balanced;
// MariaDB system-versioned tables: `FOR SYSTEM_TIME AS OF t | BETWEEN a AND b | FROM a TO b |
// ALL` (a BETWEEN's `a AND b` reads as one expression; nothing routing needs is inside).
const auto system_time =
    kw(K::for_) >> word("system_time") >>
    ((kw(K::as) >> kw(K::of) >> expression) | (kw(K::between) >> expression) |
     (kw(K::from) >> expression >> kw(K::to) >> expression) | kw(K::all));
const auto table_tail = *(index_hint | (kw(K::partition) >> balanced) |
                          (kw(K::tablesample) >> ident >> balanced >>
                           -(kw(K::repeatable) >> balanced)));

const auto table_name_def =
    position >> x3::omit[-kw(K::only)] >> qualified_name >> position >> x3::omit[-op(Op::star)] >>
    x3::omit[*((kw(K::partition) >> balanced) | system_time)] >> position >> -table_alias >>
    x3::omit[-column_aliases] >> position >> x3::omit[table_tail] >> position;

const auto derived_table_def =
    x3::omit[-kw(K::lateral)] >> op(Op::lparen) >> select_stmt >> op(Op::rparen) >>
    -table_alias >> x3::omit[-column_aliases];

const auto table_call_def =
    (function_name % op(Op::dot)) >> op(Op::lparen) >> x3::attr(false) >>
    -(expression % op(Op::comma)) >> op(Op::rparen) >> x3::attr(false);
const auto table_function_def =
    x3::omit[-kw(K::lateral)] >> table_call >> x3::omit[-(kw(K::with) >> word("ordinality"))] >>
    -table_alias >> x3::omit[-column_aliases];

// PG `ROWS FROM (f(..) [AS (coldefs)], ...)`: kept as its first call.
const auto rows_from_call =
    table_call >> x3::omit[-(kw(K::as) >> balanced)] >>
    x3::omit[*(op(Op::comma) >> table_call >> -(kw(K::as) >> balanced))];
const auto rows_from_def =
    x3::omit[-kw(K::lateral)] >> kw(K::rows) >> kw(K::from) >> op(Op::lparen) >> rows_from_call >>
    op(Op::rparen) >> x3::omit[-(kw(K::with) >> word("ordinality"))] >> -table_alias >>
    x3::omit[-column_aliases];

const auto table_source_def = derived_table | (op(Op::lparen) >> from_item >> op(Op::rparen)) |
                              rows_from | table_function | table_name;

const auto outer = x3::omit[-kw(K::outer)];
const auto join_kind_def =
    ((kw(K::join) | (kw(K::inner) >> kw(K::join)) | kw(K::straight_join)) >>
     x3::attr(JoinKind::inner)) |
    (kw(K::left) >> outer >> kw(K::join) >> x3::attr(JoinKind::left)) |
    (kw(K::right) >> outer >> kw(K::join) >> x3::attr(JoinKind::right)) |
    (kw(K::full) >> outer >> kw(K::join) >> x3::attr(JoinKind::full)) |
    (kw(K::cross) >> kw(K::join) >> x3::attr(JoinKind::cross)) |
    (kw(K::natural) >> x3::omit[-(kw(K::left) | kw(K::right) | kw(K::full))] >> outer >>
     kw(K::join) >> x3::attr(JoinKind::natural));

const auto join_def =
    join_kind >> table_source >> -(kw(K::on) >> expression) >>
    -(kw(K::using_) >> op(Op::lparen) >> (ident % op(Op::comma)) >> op(Op::rparen));

const auto from_item_def = table_source >> *join;
const auto from_list_def = from_item % op(Op::comma);

const auto direction = (kw(K::desc) >> x3::attr(true)) | (x3::omit[-kw(K::asc)] >> x3::attr(false));
const auto nulls = (kw(K::nulls) >> kw(K::first) >> x3::attr(NullsOrder::first)) |
                   (kw(K::nulls) >> kw(K::last) >> x3::attr(NullsOrder::last)) |
                   x3::attr(NullsOrder::unspecified);
const auto order_item_def = position >> expression >> direction >> nulls >> position;
const auto order_by_def = order_item % op(Op::comma);

const auto mysql_limit = [](auto& ctx) {
    x3::_val(ctx).offset = boost::fusion::at_c<0>(x3::_attr(ctx));
    x3::_val(ctx).count = boost::fusion::at_c<1>(x3::_attr(ctx));
};
const auto set_count = [](auto& ctx) { x3::_val(ctx).count = x3::_attr(ctx); };
const auto set_offset = [](auto& ctx) { x3::_val(ctx).offset = x3::_attr(ctx); };
const auto row_word = word("row") | kw(K::rows);
const auto limit_clause_def = x3::omit[*(
    (kw(K::limit) >> expression >> op(Op::comma) >> expression)[mysql_limit] |
    (kw(K::limit) >> kw(K::all)) |
    (kw(K::limit) >> expression[set_count]) |
    (kw(K::offset) >> expression[set_offset] >> -row_word) |
    (kw(K::fetch) >> (kw(K::first) | word("next")) >> expression[set_count] >> row_word >>
     (kw(K::only) | (kw(K::with) >> kw(K::ties)))))];

const auto target_column_def = (ident % op(Op::dot)) >> x3::attr(false);
const auto assignment_def = target_column >> op(Op::eq) >> expression;
const auto assignments_def = assignment % op(Op::comma);
// clang-format on

BOOST_SPIRIT_DEFINE(from_item, table_source, table_name, derived_table, table_function, table_call,
                    rows_from, join, join_kind, order_item, assignment, table_alias, target_column)

} // namespace

BOOST_SPIRIT_DEFINE(from_list, order_by, limit_clause, assignments)

BOOST_SPIRIT_INSTANTIATE(from_list_type, Iterator, Context)
BOOST_SPIRIT_INSTANTIATE(order_by_type, Iterator, Context)
BOOST_SPIRIT_INSTANTIATE(limit_type, Iterator, Context)
BOOST_SPIRIT_INSTANTIATE(assignments_type, Iterator, Context)

} // namespace shardgate::parser::grammar
