// Tokens produced by the lexer and consumed by the grammar.
#pragma once

#include "shardgate/parser/keyword.hpp"

#include <cstdint>

namespace shardgate::parser {

/// Token classes. Comments and whitespace never become tokens.
enum class TokenKind : std::uint8_t {
    word,         ///< unquoted word; `keyword` says whether it is one
    quoted_ident, ///< `name` (MySQL) or "name" (PG; also "name" in MySQL ANSI mode)
    literal,      ///< string, number, NULL or placeholder: see `literal`
    number,       ///< a number kept verbatim (ORDER BY / GROUP BY ordinals)
    op,           ///< punctuation or operator, see `op`
    end,          ///< one past the last token
};

/// Operators and punctuation.
enum class Op : std::uint8_t {
    none,
    lparen,
    rparen,
    comma,
    dot,
    semicolon,
    lbracket,
    rbracket,
    star,
    plus,
    minus,
    slash,
    percent,
    eq,
    null_safe_eq,
    ne,
    lt,
    le,
    gt,
    ge,
    concat,
    cast,
    colon,
    assign,
    ampersand,
    pipe,
    caret,
    tilde,
    not_tilde,
    shift_left,
    shift_right,
    arrow,
    arrow_text,
    json_path,
    json_path_text,
    contains,
    contained,
    json_has,
    logical_or,
    logical_and,
    bang,
    other
};

/// One token: a view of `length` bytes at `offset` into the statement.
struct Token {
    TokenKind kind = TokenKind::end;
    Keyword keyword = Keyword::none;
    Op op = Op::none;
    /// For literals: the index in the literal list and the fingerprint slot it belongs to.
    std::int32_t literal = -1;
    std::int32_t slot = -1;
    std::uint32_t offset = 0;
    std::uint32_t length = 0;
};

} // namespace shardgate::parser
