// PostgreSQL COPY grammar: `COPY (query) | t [(cols)] TO | FROM ... [options]`.
#include "rules.hpp"
#include "shardgate/parser/ast_adapted.hpp"

namespace shardgate::parser::grammar {
namespace {

using K = Keyword;

const auto set_query = [](auto& ctx) { x3::_val(ctx).query = std::move(x3::_attr(ctx)); };
const auto set_table = [](auto& ctx) { x3::_val(ctx).table = std::move(x3::_attr(ctx)); };
const auto set_from = [](bool from) { return [from](auto& ctx) { x3::_val(ctx).from = from; }; };

// clang-format off
const auto copy_source =
    (op(Op::lparen) >> select_stmt[set_query] >> op(Op::rparen)) |
    (qualified_name[set_table] >> -balanced);
// The target or source (STDIN, STDOUT, a file, PROGRAM '..') and options are skipped.
const auto copy_stmt_def = x3::omit[
    word("copy") >> copy_source >>
    ((kw(K::to) >> x3::eps[set_from(false)]) | (kw(K::from) >> x3::eps[set_from(true)])) >> rest];
// clang-format on

} // namespace

BOOST_SPIRIT_DEFINE(copy_stmt)

BOOST_SPIRIT_INSTANTIATE(copy_type, Iterator, Context)

} // namespace shardgate::parser::grammar
