// EXPLAIN grammar: PG `EXPLAIN [ANALYZE] [VERBOSE] [(options)] stmt`, MySQL `EXPLAIN
// [ANALYZE] [EXTENDED|PARTITIONS] [FORMAT=x] stmt`, MariaDB `ANALYZE [FORMAT=x] stmt`, and
// `DESCRIBE | DESC | EXPLAIN table [column]`.
#include "rules.hpp"
#include "shardgate/parser/ast_adapted.hpp"

namespace shardgate::parser::grammar {
namespace {

using K = Keyword;
using ast::ExplainKind;

const auto set_kind = [](ExplainKind k) { return [k](auto& ctx) { x3::_val(ctx).kind = k; }; };
const auto set_statement = [](auto& ctx) { x3::_val(ctx).statement = std::move(x3::_attr(ctx)); };
const auto set_table = [](auto& ctx) {
    x3::_val(ctx).kind = ExplainKind::describe;
    x3::_val(ctx).table = std::move(x3::_attr(ctx));
};

// clang-format off
const auto analyze_word = word("analyze") | word("analyse");
const auto explain_word = word("explain") | word("describe") | kw(K::desc);
const auto explained = select_stmt[set_statement] | insert_stmt[set_statement] |
                       update_stmt[set_statement] | delete_stmt[set_statement];

// PG options `(ANALYZE [true|false], VERBOSE, FORMAT JSON, ...)`: ANALYZE counts unless off.
const auto off = kw(K::false_) | word("off") | word("0");
const auto option_value = ident | literal | kw(K::true_) | kw(K::false_) | kw(K::on);
const auto analyze_option = (analyze_word >> off) |
                            (analyze_word >> -option_value)[set_kind(ExplainKind::explain_analyze)];
const auto option = analyze_option | (ident >> -option_value);
const auto options = op(Op::lparen) >> (option % op(Op::comma)) >> op(Op::rparen);
const auto format = word("format") >> -op(Op::eq) >> ident;
const auto option_words = *(analyze_word[set_kind(ExplainKind::explain_analyze)] |
                            word("verbose") | word("extended") | word("partitions") | format);

const auto explain_query = explain_word >> x3::eps[set_kind(ExplainKind::explain)] >>
                           option_words >> -options >> explained;
// (`ANALYZE TABLE t` is maintenance, not an ANALYZE of PG's `TABLE t` query.)
const auto mariadb_analyze = analyze_word >> !kw(K::table) >>
                             x3::eps[set_kind(ExplainKind::explain_analyze)] >> -format >>
                             explained;
const auto describe = explain_word >> qualified_name[set_table] >> -(ident | literal);

const auto explain_stmt_def = explain_query | mariadb_analyze | describe;
// clang-format on

} // namespace

BOOST_SPIRIT_DEFINE(explain_stmt)
BOOST_SPIRIT_INSTANTIATE(explain_type, Iterator, Context)

} // namespace shardgate::parser::grammar
