// Boost.Fusion adaptation of the AST so that X3 sequences fill the structs.
#pragma once

#include "shardgate/parser/ast.hpp"

#include <boost/fusion/include/adapt_struct.hpp>

// clang-format off
BOOST_FUSION_ADAPT_STRUCT(shardgate::parser::ast::ColumnRef, name, star)
BOOST_FUSION_ADAPT_STRUCT(shardgate::parser::ast::InPredicate, negated, set)
BOOST_FUSION_ADAPT_STRUCT(shardgate::parser::ast::BetweenPredicate, negated, symmetric, low,
                          high)
BOOST_FUSION_ADAPT_STRUCT(shardgate::parser::ast::IsPredicate, negated, what)
BOOST_FUSION_ADAPT_STRUCT(shardgate::parser::ast::Term, prefix, primary, postfix)
BOOST_FUSION_ADAPT_STRUCT(shardgate::parser::ast::BinaryTail, op, term)
BOOST_FUSION_ADAPT_STRUCT(shardgate::parser::ast::Expression, first, rest)
BOOST_FUSION_ADAPT_STRUCT(shardgate::parser::ast::WhenClause, condition, result)
BOOST_FUSION_ADAPT_STRUCT(shardgate::parser::ast::CaseExpr, subject, whens, otherwise)
BOOST_FUSION_ADAPT_STRUCT(shardgate::parser::ast::FunctionCall, name, distinct, args, window)
BOOST_FUSION_ADAPT_STRUCT(shardgate::parser::ast::SelectItem, begin, expr, end, alias)
BOOST_FUSION_ADAPT_STRUCT(shardgate::parser::ast::TableName, token, name, name_end, alias_at, alias,
                          tail_at, end)
BOOST_FUSION_ADAPT_STRUCT(shardgate::parser::ast::TargetTable, token, name, alias)
BOOST_FUSION_ADAPT_STRUCT(shardgate::parser::ast::DerivedTable, select, alias)
BOOST_FUSION_ADAPT_STRUCT(shardgate::parser::ast::TableFunction, call, alias)
BOOST_FUSION_ADAPT_STRUCT(shardgate::parser::ast::Join, kind, source, on, using_columns)
BOOST_FUSION_ADAPT_STRUCT(shardgate::parser::ast::FromItem, source, joins)
BOOST_FUSION_ADAPT_STRUCT(shardgate::parser::ast::OrderItem, begin, expr, descending, nulls, end)
BOOST_FUSION_ADAPT_STRUCT(shardgate::parser::ast::QuerySpec, distinct, items, into, from, where,
                          group_by, having)
BOOST_FUSION_ADAPT_STRUCT(shardgate::parser::ast::ValuesQuery, rows, unused)
BOOST_FUSION_ADAPT_STRUCT(shardgate::parser::ast::SetOpTail, op, term)
BOOST_FUSION_ADAPT_STRUCT(shardgate::parser::ast::Cte, name, body)
BOOST_FUSION_ADAPT_STRUCT(shardgate::parser::ast::WithClause, recursive, ctes)
BOOST_FUSION_ADAPT_STRUCT(shardgate::parser::ast::SelectStatement, with, first, rest, order_by,
                          limit, lock)
BOOST_FUSION_ADAPT_STRUCT(shardgate::parser::ast::Assignment, column, value)
BOOST_FUSION_ADAPT_STRUCT(shardgate::parser::ast::OnConflict, target, update)
BOOST_FUSION_ADAPT_STRUCT(shardgate::parser::ast::InsertStatement, with, replace, table, columns,
                          source,
                          on_duplicate, on_conflict, returning)
BOOST_FUSION_ADAPT_STRUCT(shardgate::parser::ast::UpdateStatement, with, tables, set, from, where,
                          order_by, limit, returning)
BOOST_FUSION_ADAPT_STRUCT(shardgate::parser::ast::DeleteStatement, with, targets, from,
                          using_tables, where, order_by, limit, returning)
BOOST_FUSION_ADAPT_STRUCT(shardgate::parser::ast::TransactionStatement, kind, modes, savepoint)
BOOST_FUSION_ADAPT_STRUCT(shardgate::parser::ast::SessionStatement, kind, names)
// clang-format on
