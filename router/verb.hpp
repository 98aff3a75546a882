// The session verb of a statement, from the tokens the planner lexed for its fingerprint.
#pragma once

#include "shardgate/parser/lexer.hpp"
#include "shardgate/router/plan.hpp"

namespace shardgate::router {

/// Reads the leading words of `lexed` (comments and hints are not tokens).
Verb verb_of(const parser::LexedStatement& lexed);

} // namespace shardgate::router
