// Hard limits that bound the lexer's and parser's time, stack and memory on any input.
#pragma once

#include <cstddef>

namespace shardgate::parser {

/// Longest statement accepted, in bytes (longer input is an error at this offset).
inline constexpr std::size_t max_statement_bytes = 1 << 20;
/// Deepest nesting of parentheses and CASE expressions.
inline constexpr int max_nesting_depth = 64;
/// Most tokens in one statement.
inline constexpr std::size_t max_tokens = 1 << 17;
/// Grammar work budget per token (token match attempts); bounds backtracking.
inline constexpr std::size_t parse_steps_per_token = 256;

} // namespace shardgate::parser
