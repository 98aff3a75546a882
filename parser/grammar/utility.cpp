// Utility grammar: SQL-level prepared statements, DISCARD, DO, CALL, LOCK/UNLOCK TABLES,
// HANDLER, LISTEN/NOTIFY/UNLISTEN, KILL and LOAD DATA (classified so that the planner can give
// each a deliberate plan).
#include "rules.hpp"
#include "shardgate/parser/ast_adapted.hpp"

namespace shardgate::parser::grammar {
namespace {

using K = Keyword;
using ast::UtilityKind;

// Starts an alternative afresh: names or tables collected by one that failed are dropped.
const auto kind = [](UtilityKind k) {
    return [k](auto& ctx) {
        x3::_val(ctx) = ast::UtilityStatement{};
        x3::_val(ctx).kind = k;
    };
};
const auto add_name = [](auto& ctx) { x3::_val(ctx).names.push_back(x3::_attr(ctx)); };
const auto add_word = [](auto& ctx) {
    x3::_val(ctx).names.push_back(ast::QualifiedName{x3::_attr(ctx)});
};
const auto add_table = [](auto& ctx) { x3::_val(ctx).tables.push_back(x3::_attr(ctx)); };
const auto add_expression = [](auto& ctx) { x3::_val(ctx).expressions.push_back(x3::_attr(ctx)); };
const auto set_statement = [](auto& ctx) {
    x3::_val(ctx).statement = ast::ExplainedStatement(std::move(x3::_attr(ctx)));
};

// clang-format off
const auto name = ident[add_word];
const auto expressions = expression[add_expression] % op(Op::comma);
const auto prepared_body = select_stmt[set_statement] | insert_stmt[set_statement] |
                           update_stmt[set_statement] | delete_stmt[set_statement];

// PG `PREPARE name [(types)] AS stmt`; MySQL `PREPARE name FROM 'text' | @var`.
const auto prepare =
    word("prepare") >> x3::eps[kind(UtilityKind::prepare)] >> name >>
    ((-balanced >> kw(K::as) >> prepared_body) | (kw(K::from) >> (literal | ident)));
// PG `EXECUTE name [(args)]`; MySQL `EXECUTE name [USING @a, ...]`.
const auto execute =
    word("execute") >> x3::eps[kind(UtilityKind::execute)] >> name >>
    -((op(Op::lparen) >> expressions >> op(Op::rparen)) | (kw(K::using_) >> expressions));
const auto deallocate =
    ((word("deallocate") >> -word("prepare")) | (kw(K::drop) >> word("prepare"))) >>
    x3::eps[kind(UtilityKind::deallocate)] >> (kw(K::all) | name);
const auto discard = word("discard") >> x3::eps[kind(UtilityKind::discard)] >>
                     (kw(K::all) | kw(K::temp) | kw(K::temporary) | word("plans") |
                      word("sequences"));
// PG `DO [LANGUAGE l] 'code'` is opaque code; MySQL `DO expr, ...` evaluates expressions.
const auto language = word("language") >> ident;
const auto do_block = dialect_is(Dialect::pg) >> kw(K::do_) >>
                      x3::eps[kind(UtilityKind::do_block)] >> -language >> literal >> -language;
const auto do_expressions = kw(K::do_) >> x3::eps[kind(UtilityKind::do_expressions)] >>
                            expressions;
const auto call = word("call") >> x3::eps[kind(UtilityKind::call)] >> qualified_name[add_name] >>
                  -(op(Op::lparen) >> -expressions >> op(Op::rparen));
// MySQL `LOCK TABLES t [[AS] a] READ [LOCAL] | [LOW_PRIORITY] WRITE, ...`.
const auto lock_type = (kw(K::read) >> -kw(K::local)) | (-word("low_priority") >> kw(K::write));
const auto my_lock_item =
    qualified_name[add_table] >> -((kw(K::as) >> ident) | (ident - lock_type)) >> lock_type;
const auto my_lock = kw(K::lock) >> (word("tables") | kw(K::table)) >>
                     x3::eps[kind(UtilityKind::lock_tables)] >> (my_lock_item % op(Op::comma));
// PG `LOCK [TABLE] [ONLY] t [*], ... [IN mode MODE] [NOWAIT]`.
const auto pg_lock =
    kw(K::lock) >> -kw(K::table) >> x3::eps[kind(UtilityKind::lock_tables)] >>
    ((x3::omit[-kw(K::only)] >> qualified_name[add_table] >> x3::omit[-op(Op::star)]) %
     op(Op::comma)) >>
    -(kw(K::in) >> *(any_token - kw(K::mode)) >> kw(K::mode)) >> -kw(K::nowait);
const auto unlock = word("unlock") >> (word("tables") | kw(K::table)) >>
                    x3::eps[kind(UtilityKind::unlock_tables)];
// MySQL `HANDLER t OPEN [[AS] h] | HANDLER h READ ... | HANDLER h CLOSE`.
const auto handler = word("handler") >> x3::eps[kind(UtilityKind::handler)] >>
                     qualified_name[add_table] >> (word("open") | kw(K::read) | word("close")) >>
                     rest;
const auto listen = word("listen") >> x3::eps[kind(UtilityKind::listen)] >> name;
const auto unlisten = word("unlisten") >> x3::eps[kind(UtilityKind::unlisten)] >>
                      (op(Op::star) | name);
const auto notify = word("notify") >> x3::eps[kind(UtilityKind::notify)] >> name >>
                    -(op(Op::comma) >> literal);
const auto kill = word("kill") >> x3::eps[kind(UtilityKind::kill)] >> rest;
const auto load_data = word("load") >> (word("data") | word("xml")) >>
                       x3::eps[kind(UtilityKind::load_data)] >> rest;

const auto utility_stmt_def =
    x3::omit[prepare | execute | deallocate | discard | do_block | do_expressions | call |
             my_lock | pg_lock | unlock | handler | listen | unlisten | notify | kill |
             load_data];
// clang-format on

} // namespace

BOOST_SPIRIT_DEFINE(utility_stmt)
BOOST_SPIRIT_INSTANTIATE(utility_type, Iterator, Context)

} // namespace shardgate::parser::grammar
