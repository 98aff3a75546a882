// Declarations of the grammar rules shared between translation units (one per family).
#pragma once

#include "shardgate/parser/ast.hpp"
#include "tokens.hpp"

namespace shardgate::parser::grammar {

// clang-format off
using expression_type      = x3::rule<struct expression_class, ast::Expression>;
using select_type          = x3::rule<struct select_class, ast::SelectStatement>;
using from_list_type       = x3::rule<struct from_list_class, std::vector<ast::FromItem>>;
using order_by_type        = x3::rule<struct order_by_class, std::vector<ast::OrderItem>>;
using limit_type           = x3::rule<struct limit_class, ast::Limit>;
using with_type            = x3::rule<struct with_class, ast::WithClause>;
using select_items_type    = x3::rule<struct select_items_class, std::vector<ast::SelectItem>>;
using assignments_type     = x3::rule<struct assignments_class, std::vector<ast::Assignment>>;
using insert_type          = x3::rule<struct insert_class, ast::InsertStatement>;
using update_type          = x3::rule<struct update_class, ast::UpdateStatement>;
using delete_type          = x3::rule<struct delete_class, ast::DeleteStatement>;
using transaction_type     = x3::rule<struct transaction_class, ast::TransactionStatement>;
using session_type         = x3::rule<struct session_class, ast::SessionStatement>;
using ddl_type             = x3::rule<struct ddl_class, ast::DdlStatement>;
using maintenance_type     = x3::rule<struct maintenance_class, ast::MaintenanceStatement>;
using explain_type         = x3::rule<struct explain_class, ast::ExplainStatement>;
using utility_type         = x3::rule<struct utility_class, ast::UtilityStatement>;
using copy_type            = x3::rule<struct copy_class, ast::CopyStatement>;
using merge_type           = x3::rule<struct merge_class, ast::MergeStatement>;
using statement_type       = x3::rule<struct statement_class, ast::Statement>;

const expression_type   expression   = "expression";
const select_type       select_stmt  = "select";
const from_list_type    from_list    = "from list";
const order_by_type     order_by     = "ORDER BY";
const limit_type        limit_clause = "LIMIT";
const with_type         with_clause  = "WITH";
const select_items_type select_items = "select list";
const assignments_type  assignments  = "assignments";
const insert_type       insert_stmt  = "INSERT";
const update_type       update_stmt  = "UPDATE";
const delete_type       delete_stmt  = "DELETE";
const transaction_type  transaction_stmt = "transaction statement";
const session_type      session_stmt = "session statement";
const ddl_type          ddl_stmt     = "DDL";
const maintenance_type  maintenance_stmt = "maintenance statement";
const explain_type      explain_stmt = "EXPLAIN";
const utility_type      utility_stmt = "utility statement";
const copy_type         copy_stmt    = "COPY";
const merge_type        merge_stmt   = "MERGE";
const statement_type    statement    = "statement";
// clang-format on

BOOST_SPIRIT_DECLARE(expression_type, select_type, from_list_type, order_by_type, limit_type,
                     with_type, select_items_type, assignments_type, insert_type, update_type,
                     delete_type, transaction_type, session_type, ddl_type, maintenance_type,
                     explain_type, utility_type, copy_type, merge_type, statement_type)

/// `name` or `schema.name` (any number of dotted parts).
inline const auto qualified_name =
    x3::rule<struct qualified_name_class, ast::QualifiedName>{"name"} = ident % op(Op::dot);

} // namespace shardgate::parser::grammar
