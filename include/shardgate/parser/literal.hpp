// Literal values lifted out of a statement by the lexer, in order of appearance.
#pragma once

#include <cstdint>
#include <string>

namespace shardgate::parser {

/// What a literal is. `placeholder` is `?` (MySQL) or `$n` (PG).
enum class LiteralKind : std::uint8_t { integer, decimal, string, hex, null, placeholder };

/// The type a literal is cast to (`'x'::type`, `CAST('x' AS type)`, a typed literal such as
/// `DATE 'x'`), as far as placing a shard key goes: `text` changes nothing; `number` is a
/// numeric or floating-point type (an integer key reads its text; a text key would store the
/// server's spelling); `other` is a type shardgate does not place by, or one that can change
/// the value (a length, a precision, a cast through a second type).
enum class LiteralCast : std::uint8_t {
    none,
    text,
    integer,
    number,
    date,
    timestamp,
    timestamptz,
    other
};

/// One literal. `text` is the decoded value: digits (with a leading '-' for negative numbers)
/// for numbers, the unescaped contents for strings, empty for NULL and placeholders.
struct Literal {
    LiteralKind kind = LiteralKind::null;
    /// 0-based parameter number of a placeholder: `?` counts left to right, `$n` is n-1.
    std::uint32_t param = 0;
    /// Byte offset of the literal in the statement.
    std::uint32_t offset = 0;
    std::string text;

    bool is_number() const { return kind == LiteralKind::integer || kind == LiteralKind::decimal; }
};

/// A `?` in the fingerprint: one literal, or a folded list `(?+)` of `count` literals.
/// Slot numbers are stable for every statement with the same fingerprint, literal indices
/// are not (IN lists vary in length), so cached plans refer to slots.
struct Slot {
    std::uint32_t first = 0;
    std::uint32_t count = 1;
    bool folded_list = false;
};

} // namespace shardgate::parser
