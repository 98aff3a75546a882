// Analysis: statement facts + a database of the map -> the value-free PlanTemplate.
#pragma once

#include "router/names.hpp"
#include "router/plan_template.hpp"
#include "shardgate/parser/facts.hpp"
#include "shardgate/parser/result.hpp"
#include "shardgate/shardmaps/database.hpp"
#include "shardgate/shardmaps/shard_map.hpp"

namespace shardgate::router {

/// Plans a parsed statement without looking at literal values. Pure.
PlanTemplate analyze(const shardmaps::ShardMap& map, const shardmaps::Database& database,
                     const parser::StatementFacts& facts);

/// The template for a statement the parser did not understand (per the unparsable policy).
PlanTemplate analyze_unparsable(const shardmaps::Database& database, const parser::Error& error);

/// Builds the key expression of `table` (its alias/name and key column) from a predicate tree.
KeyExpr key_expr_for(const parser::StatementFacts& facts, std::int32_t predicate,
                     const parser::TableRef& table, const std::string& key_column,
                     bool only_table_in_scope, const NameRules& names);

} // namespace shardgate::router
