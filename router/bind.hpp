// Binding: a PlanTemplate + this statement's literal values and parameters -> a Plan.
#pragma once

#include "router/plan_template.hpp"
#include "shardgate/parser/fingerprint.hpp"
#include "shardgate/router/planner.hpp"
#include "shardgate/shardmaps/database.hpp"

namespace shardgate::router {

/// Evaluates the template's key expressions with the statement's values. Pure.
/// Writes the plan into `out`, reusing its storage (every field is set anew).
void bind(const PlanTemplate& plan, const shardmaps::Database& database,
          const parser::Fingerprint& fingerprint, const RouteContext& context, Plan& out);

} // namespace shardgate::router
