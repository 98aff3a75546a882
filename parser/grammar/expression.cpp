// Expression grammar: operands, prefix/postfix operators, functions, CASE, casts, subqueries.
#include "operators.hpp"
#include "rules.hpp"
#include "shardgate/parser/ast_adapted.hpp"

namespace shardgate::parser::grammar {
namespace {

using K = Keyword;

// clang-format off
const x3::rule<struct term_class, ast::Term> term = "term";
const x3::rule<struct bound_class, ast::Expression> bound = "BETWEEN bound";
const x3::rule<struct primary_class, ast::Primary> primary = "operand";
const x3::rule<struct paren_class, ast::Primary> paren = "parenthesised expression";
const x3::rule<struct list_class, ast::ExpressionList> expression_list = "expression list";
const x3::rule<struct function_class, ast::FunctionCall> function_call = "function call";
const x3::rule<struct arg_class, ast::Expression> argument = "argument";
const x3::rule<struct subquery_arg_class, ast::Expression> subquery_argument = "subquery";
const x3::rule<struct case_class, ast::CaseExpr> case_expr = "CASE";
const x3::rule<struct column_class, ast::ColumnRef> column_ref = "column";
const x3::rule<struct postfix_class, ast::Postfix> postfix = "postfix operator";
const x3::rule<struct type_class> type_name = "type name";
const x3::rule<struct in_class, ast::InPredicate> in_predicate = "IN";
const x3::rule<struct between_class, ast::BetweenPredicate> between_predicate = "BETWEEN";
const x3::rule<struct is_class, ast::IsPredicate> is_predicate = "IS";
const x3::rule<struct ignored_class, ast::IgnoredPostfix> ignored_postfix = "cast";
const x3::rule<struct array_class, ast::ExpressionList> array = "ARRAY";
const x3::rule<struct match_class, ast::FunctionCall> match_against = "MATCH ... AGAINST";
const x3::rule<struct sequence_class, ast::FunctionCall> sequence_value = "NEXT VALUE FOR";

const auto subquery_expression = [](auto& ctx) {
    ast::Expression e;
    e.first.primary = x3::forward_ast<ast::SelectStatement>(std::move(x3::_attr(ctx)));
    x3::_val(ctx) = std::move(e);
};

const auto type_args = op(Op::lparen) >> ((literal | ident) % op(Op::comma)) >> op(Op::rparen);
const auto zone = ((kw(K::with) | word("without")) >> word("time") >> word("zone"));
const auto charset = word("character") >> kw(K::set) >> (ident | literal);
const auto type_name_def =
    +(type_word - (word("character") >> kw(K::set))) >> -type_args >> -zone >> -charset >> -(kw(K::collate) >> ident) >>
    *(op(Op::lbracket) >> -literal >> op(Op::rbracket));
// After `::` only known second words, so that `x::text alias` keeps its alias.
const auto cast_type =
    type_word >> -(word("precision") | word("varying")) >> -type_args >> -zone >>
    *(op(Op::lbracket) >> -literal >> op(Op::rbracket));

const auto expression_list_def = expression % op(Op::comma);

const auto paren_def = op(Op::lparen) >> (select_stmt | expression_list) >> op(Op::rparen);

const auto subquery_start = &(kw(K::select) | kw(K::with));
const auto cast_target = x3::omit[-(kw(K::as) >> type_name)];
// The semantic action lives in a rule of its own: in `argument` it would stop the other
// alternatives from filling the argument (X3 propagates no attribute through a rule whose
// definition has an action).
const auto subquery_argument_def = (subquery_start >> select_stmt)[subquery_expression];
const auto argument_def =
    subquery_argument |
    (x3::omit[kw(K::both) | kw(K::leading) | kw(K::trailing)] >> expression >> cast_target) |
    (expression >> cast_target);
const auto argument_separator = op(Op::comma) | kw(K::from) | kw(K::for_) | kw(K::in) |
                                kw(K::using_);
const auto function_tail =
    -(kw(K::order) >> kw(K::by) >> x3::omit[order_by]) >> -(kw(K::separator) >> literal);
const auto function_call_def =
    (function_name % op(Op::dot)) >> op(Op::lparen) >>
    ((kw(K::all) >> x3::attr(false)) | x3::matches[kw(K::distinct)]) >>
    -(argument % argument_separator) >> x3::omit[function_tail] >> op(Op::rparen) >>
    x3::omit[-(word("within") >> kw(K::group) >> balanced)] >>
    x3::omit[-(kw(K::filter) >> balanced)] >>
    x3::matches[kw(K::over) >> (balanced | ident)];

const auto case_expr_def =
    kw(K::case_) >> -expression >>
    +(kw(K::when) >> expression >> kw(K::then) >> expression) >>
    -(kw(K::else_) >> expression) >> kw(K::end);

const auto column_ref_def =
    (op(Op::star) >> x3::attr(ast::QualifiedName{}) >> x3::attr(true)) |
    ((ident % op(Op::dot)) >> x3::matches[op(Op::dot) >> op(Op::star)]);

const auto interval = kw(K::interval) >> literal >> x3::omit[-type_word];
// `ARRAY[..]` keeps its elements; `ARRAY(subquery)` is the parenthesised primary.
const auto array_def = kw(K::array) >> op(Op::lbracket) >> expression_list >> op(Op::rbracket);
const auto atom_value = atom(K::true_) | atom(K::false_) | atom(K::default_) | atom(K::both) |
                        atom(K::leading) | atom(K::trailing) | ordinal;
const auto typed_literal =
    x3::omit[word("date") | word("time") | word("timestamp") | word("timestamptz")] >> literal;

// MySQL full text: `MATCH (cols) AGAINST (expr [IN ... MODE] [WITH QUERY EXPANSION])`, kept as
// a call of "match" whose argument is the searched expression.
const auto search_mode = x3::omit[
    -(kw(K::in) >> ((kw(K::natural) >> word("language")) | word("boolean")) >> kw(K::mode)) >>
    -(kw(K::with) >> word("query") >> word("expansion"))];
const auto set_match = [](auto& ctx) {
    ast::FunctionCall& call = x3::_val(ctx);
    call.name = ast::QualifiedName{"match"};
    call.args.push_back(std::move(x3::_attr(ctx)));
};
const auto match_against_def = word("match") >> balanced >> word("against") >> op(Op::lparen) >>
                               expression[set_match] >> search_mode >> op(Op::rparen);

// MariaDB `NEXT VALUE FOR s` / `PREVIOUS VALUE FOR s`: the calls nextval(s) / lastval(s).
const auto sequence_call = [](const char* fn) {
    return [fn](auto& ctx) {
        ast::FunctionCall& call = x3::_val(ctx);
        call.name = ast::QualifiedName{fn};
        ast::Expression arg;
        arg.first.primary = ast::ColumnRef{std::move(x3::_attr(ctx)), false};
        call.args.push_back(std::move(arg));
    };
};
const auto sequence_value_def =
    (word("next") >> word("value") >> kw(K::for_) >> qualified_name[sequence_call("nextval")]) |
    (word("previous") >> word("value") >> kw(K::for_) >>
     qualified_name[sequence_call("lastval")]);

const auto primary_def = literal | typed_literal | atom_value | case_expr | interval | array |
                         (kw(K::array) >> paren) | paren |
                         match_against | sequence_value | function_call | column_ref;

const auto in_predicate_def = x3::matches[kw(K::not_)] >> kw(K::in) >> paren;
const auto between_predicate_def =
    x3::matches[kw(K::not_)] >> kw(K::between) >> x3::matches[word("symmetric")] >>
    x3::omit[-word("asymmetric")] >> bound >> kw(K::and_) >> bound;
const auto is_what = (kw(K::null) >> x3::attr(K::null)) | (kw(K::true_) >> x3::attr(K::true_)) |
                     (kw(K::false_) >> x3::attr(K::false_)) |
                     (word("unknown") >> x3::attr(K::null));
const auto is_predicate_def = kw(K::is) >> x3::matches[kw(K::not_)] >> is_what;
const auto ignored_postfix_def = x3::omit[
    (op(Op::cast) >> cast_type) |
    (op(Op::lbracket) >> -expression >> -(op(Op::colon) >> -expression) >> op(Op::rbracket)) |
    (kw(K::collate) >> (literal | ((ident | kw(K::default_)) % op(Op::dot))))];

const auto postfix_def = ignored_postfix | in_predicate | between_predicate | is_predicate;

const auto term_def = *prefix_op >> primary >> *postfix;
const auto bound_def = term >> *(arithmetic_op >> term);
const auto expression_def = term >> *(binary_op >> term);
// clang-format on

BOOST_SPIRIT_DEFINE(term, bound, primary, paren, expression_list, function_call, argument,
                    subquery_argument, case_expr, column_ref, postfix, type_name, in_predicate,
                    between_predicate, is_predicate, ignored_postfix, array, match_against,
                    sequence_value)

} // namespace

BOOST_SPIRIT_DEFINE(expression)

BOOST_SPIRIT_INSTANTIATE(expression_type, Iterator, Context)

} // namespace shardgate::parser::grammar
