// Entry point: statement text -> fingerprint, AST and routing facts.
#pragma once

#include "shardgate/parser/ast.hpp"
#include "shardgate/parser/facts.hpp"
#include "shardgate/parser/lexer.hpp"
#include "shardgate/parser/result.hpp"

#include <string_view>

namespace shardgate::parser {

/// A parsed statement. Literal and slot indices in `facts` refer to `fingerprint`.
struct ParsedStatement {
    Fingerprint fingerprint;
    ast::Statement ast;
    StatementFacts facts;
};

/// Parses one statement (an optional trailing `;` is allowed). On failure the error names the
/// byte position of the token where parsing stopped. Thread-safe; never throws on data.
Result<ParsedStatement> parse(std::string_view sql, Dialect dialect);

/// Parses an already lexed statement (after a plan-cache miss): skips the second lexing pass.
Result<ParsedStatement> parse(const LexedStatement& lexed);

} // namespace shardgate::parser
