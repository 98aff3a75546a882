// Splits a simple-query string into statements and reads a statement's leading keywords,
// so session statements (BEGIN, COMMIT, SET, ...) can be recognised without a full parse.
#pragma once

#include "shardgate/parser/dialect.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace shardgate::proxy {

/// The statements of a Query string, split at top-level semicolons (quotes, dollar quotes
/// and comments respected by the parser's lexer). Empty statements are dropped. When the
/// lexer rejects the text, the whole text is returned as one statement (the planner reports
/// the problem). Also used by the MySQL frontend (dialect mysql).
std::vector<std::string_view> split_statements(std::string_view sql,
                                               parser::Dialect dialect = parser::Dialect::pg,
                                               parser::LexMode mode = {});

/// The first `count` words of a statement, lower-cased, skipping whitespace and comments.
std::vector<std::string> leading_words(std::string_view sql, std::size_t count);

/// Whether `text` has `word` (lower case) in it, in any case ("zone": TimeZone, ...).
bool mentions(std::string_view text, std::string_view word);

} // namespace shardgate::proxy
