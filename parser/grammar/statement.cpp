// Top-level statement grammar: one statement, optionally followed by `;`.
#include "rules.hpp"
#include "shardgate/parser/ast_adapted.hpp"

namespace shardgate::parser::grammar {
namespace {

// clang-format off
const auto statement_def =
    (select_stmt | insert_stmt | update_stmt | delete_stmt | transaction_stmt | session_stmt |
     utility_stmt | ddl_stmt | explain_stmt | maintenance_stmt | copy_stmt | merge_stmt) >> x3::omit[-op(Op::semicolon)];
// clang-format on

} // namespace

BOOST_SPIRIT_DEFINE(statement)
BOOST_SPIRIT_INSTANTIATE(statement_type, Iterator, Context)

} // namespace shardgate::parser::grammar
