// X3 primitives that match lexer tokens, plus the per-parse work budget.
#pragma once

#include "shardgate/parser/ast.hpp"
#include "shardgate/parser/lexer.hpp"

#include <boost/spirit/home/x3.hpp>

namespace shardgate::parser::grammar {

namespace x3 = boost::spirit::x3;
using Iterator = const Token*;
using Context = x3::unused_type;

/// Per-thread state of the parse in progress: the input, the work budget that bounds
/// backtracking, and the furthest token tried (the error position).
struct ParseState {
    const LexedStatement* lexed = nullptr;
    std::size_t steps_left = 0;
    Iterator furthest = nullptr;
};

ParseState& parse_state();

/// Counts one match attempt at `it`; false once the budget is spent.
inline bool step(Iterator it) {
    ParseState& s = parse_state();
    if (s.steps_left == 0) {
        return false;
    }
    --s.steps_left;
    if (it > s.furthest) {
        s.furthest = it;
    }
    return true;
}

template <class Derived> struct TokenParser : x3::parser<Derived> {
    template <class It, class Ctx, class RCtx, class Attr>
    bool parse(It& first, It const&, Ctx const&, RCtx&, Attr& attr) const {
        if (!step(first)) {
            return false;
        }
        if (!static_cast<const Derived&>(*this).accepts(*first)) {
            return false;
        }
        static_cast<const Derived&>(*this).produce(first, attr);
        ++first;
        return true;
    }
};

/// A keyword; no attribute.
struct KeywordToken : TokenParser<KeywordToken> {
    using attribute_type = x3::unused_type;
    static const bool has_attribute = false;
    constexpr explicit KeywordToken(Keyword k) : keyword(k) {}
    bool accepts(const Token& t) const { return t.kind == TokenKind::word && t.keyword == keyword; }
    template <class Attr> void produce(Iterator, Attr&) const {}
    Keyword keyword;
};

/// A punctuation or operator token; no attribute.
struct OpToken : TokenParser<OpToken> {
    using attribute_type = x3::unused_type;
    static const bool has_attribute = false;
    constexpr explicit OpToken(Op o) : op(o) {}
    bool accepts(const Token& t) const { return t.kind == TokenKind::op && t.op == op; }
    template <class Attr> void produce(Iterator, Attr&) const {}
    Op op;
};

enum class IdentUse : std::uint8_t { any, alias, function, type_word, string };

/// An identifier (bare or quoted); the attribute is its unquoted text.
struct IdentToken : TokenParser<IdentToken> {
    using attribute_type = std::string;
    static const bool has_attribute = true;
    constexpr explicit IdentToken(IdentUse u) : use(u) {}
    bool accepts(const Token& t) const;
    template <class Attr> void produce(Iterator it, Attr& attr) const {
        const LexedStatement& lexed = *parse_state().lexed;
        if (it->kind == TokenKind::literal) {
            x3::traits::move_to(lexed.fingerprint.literals[it->literal].text, attr);
            return;
        }
        x3::traits::move_to(identifier_text(lexed, *it), attr);
    }
    IdentUse use;
};

/// A literal or placeholder.
struct LiteralToken : TokenParser<LiteralToken> {
    using attribute_type = ast::LiteralRef;
    static const bool has_attribute = true;
    bool accepts(const Token& t) const { return t.kind == TokenKind::literal; }
    template <class Attr> void produce(Iterator it, Attr& attr) const {
        x3::traits::move_to(ast::LiteralRef{token_index(it)}, attr);
    }
    static std::uint32_t token_index(Iterator it) {
        return static_cast<std::uint32_t>(it - parse_state().lexed->tokens.data());
    }
};

/// A keyword used as a value (TRUE, FALSE, DEFAULT, ...) or a verbatim ordinal number.
struct AtomToken : TokenParser<AtomToken> {
    using attribute_type = ast::KeywordAtom;
    static const bool has_attribute = true;
    constexpr explicit AtomToken(Keyword k) : keyword(k) {}
    bool accepts(const Token& t) const {
        return keyword == Keyword::none ? t.kind == TokenKind::number
                                        : (t.kind == TokenKind::word && t.keyword == keyword);
    }
    template <class Attr> void produce(Iterator it, Attr& attr) const {
        x3::traits::move_to(ast::KeywordAtom{keyword, LiteralToken::token_index(it)}, attr);
    }
    Keyword keyword;
};

/// Any single token except the end and `stop`; no attribute (skipping clauses routing ignores).
struct AnyTokenExcept : TokenParser<AnyTokenExcept> {
    using attribute_type = x3::unused_type;
    static const bool has_attribute = false;
    constexpr explicit AnyTokenExcept(bool parens) : allow_parens(parens) {}
    bool accepts(const Token& t) const {
        return t.kind != TokenKind::end && t.op != Op::semicolon &&
               (allow_parens || (t.op != Op::lparen && t.op != Op::rparen));
    }
    template <class Attr> void produce(Iterator, Attr&) const {}
    bool allow_parens;
};

/// The current token index, consuming nothing.
struct PositionParser : x3::parser<PositionParser> {
    using attribute_type = std::uint32_t;
    static const bool has_attribute = true;
    template <class It, class Ctx, class RCtx, class Attr>
    bool parse(It& first, It const&, Ctx const&, RCtx&, Attr& attr) const {
        x3::traits::move_to(LiteralToken::token_index(first), attr);
        return true;
    }
};

/// A word spelled `text` (lower case), keyword or not; no attribute. For rare words that need
/// no keyword id.
struct WordToken : TokenParser<WordToken> {
    using attribute_type = x3::unused_type;
    static const bool has_attribute = false;
    constexpr explicit WordToken(std::string_view t) : text(t) {}
    bool accepts(const Token& t) const;
    template <class Attr> void produce(Iterator, Attr&) const {}
    std::string_view text;
};

/// A parenthesised token run `( ... )` with balanced parentheses; no attribute. Used for
/// clauses routing ignores (window specs, column definitions, index hints).
struct BalancedParser : x3::parser<BalancedParser> {
    using attribute_type = x3::unused_type;
    static const bool has_attribute = false;
    template <class It, class Ctx, class RCtx, class Attr>
    bool parse(It& first, It const&, Ctx const&, RCtx&, Attr&) const {
        return skip_balanced(first);
    }
    static bool skip_balanced(Iterator& first);
};

/// Everything up to the end of the statement (or a top-level `;`); no attribute.
struct RestParser : x3::parser<RestParser> {
    using attribute_type = x3::unused_type;
    static const bool has_attribute = false;
    template <class It, class Ctx, class RCtx, class Attr>
    bool parse(It& first, It const&, Ctx const&, RCtx&, Attr&) const {
        return skip_rest(first);
    }
    static bool skip_rest(Iterator& first);
};

/// Matches (consuming nothing) when the statement is in `dialect`.
struct DialectParser : x3::parser<DialectParser> {
    using attribute_type = x3::unused_type;
    static const bool has_attribute = false;
    constexpr explicit DialectParser(Dialect d) : dialect(d) {}
    template <class It, class Ctx, class RCtx, class Attr>
    bool parse(It&, It const&, Ctx const&, RCtx&, Attr&) const {
        return parse_state().lexed->dialect == dialect;
    }
    Dialect dialect;
};

constexpr DialectParser dialect_is(Dialect d) {
    return DialectParser(d);
}

constexpr WordToken word(std::string_view text) {
    return WordToken(text);
}
inline constexpr BalancedParser balanced{};
inline constexpr RestParser rest{};

constexpr KeywordToken kw(Keyword k) {
    return KeywordToken(k);
}
constexpr OpToken op(Op o) {
    return OpToken(o);
}
constexpr AtomToken atom(Keyword k) {
    return AtomToken(k);
}
inline constexpr IdentToken ident{IdentUse::any};
inline constexpr IdentToken alias_ident{IdentUse::alias};
inline constexpr IdentToken function_name{IdentUse::function};
inline constexpr IdentToken type_word{IdentUse::type_word};
inline constexpr IdentToken literal_alias{IdentUse::string};
inline constexpr LiteralToken literal{};
inline constexpr AtomToken ordinal{Keyword::none};
inline constexpr AnyTokenExcept any_token{false};
inline constexpr AnyTokenExcept any_token_or_paren{true};
inline constexpr PositionParser position{};

} // namespace shardgate::parser::grammar
