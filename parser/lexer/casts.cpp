// The casts written on literals (`'x'::type`, `CAST('x' AS type)`, `type 'x'`), per slot: the
// type a server reads a shard-key value as before it compares or stores it.
#include "shardgate/parser/lexer.hpp"

#include <string>

namespace shardgate::parser {
namespace {

std::string lower_word(const LexedStatement& lexed, const Token& token) {
    std::string text(lexed.text(token));
    for (char& c : text) {
        c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    return text;
}

class CastReader {
public:
    explicit CastReader(const LexedStatement& lexed) : lexed_(lexed), tokens_(lexed.tokens) {
        // Brackets and parentheses, matched once (the array check would otherwise scan
        // forward from every literal: quadratic in a long VALUES list).
        const std::size_t n = tokens_.size();
        groups_.open_of.assign(n, none_);
        groups_.close_of.assign(n, none_);
        std::vector<std::size_t> open;
        for (std::size_t i = 0; i < n; ++i) {
            const Op op = tokens_[i].op;
            if (!open.empty()) {
                groups_.open_of[i] = open.back();
            }
            if (op == Op::lparen || op == Op::lbracket) {
                open.push_back(i);
            } else if ((op == Op::rparen || op == Op::rbracket) && !open.empty()) {
                groups_.close_of[open.back()] = i;
                open.pop_back();
            }
        }
    }

    /// The type written from token `at` to the end.
    LiteralCast whole_type(std::size_t at) const {
        const Read type = read_type(at);
        return tokens_[type.end].kind == TokenKind::end ? type.cast : LiteralCast::other;
    }

    LiteralCast of_literal(std::size_t at) const {
        LiteralCast cast = LiteralCast::none;
        std::size_t first = at, next = at + 1;
        if (at > 0 && tokens_[at - 1].kind == TokenKind::word) {
            const std::string word = lower_word(lexed_, tokens_[at - 1]);
            if (word == "date" || word == "time" || word == "timestamp" || word == "timestamptz" ||
                word == "interval" || word == "zone") {
                cast = combine(cast, typed_literal(word));
                first = at - 1;
            }
        }
        if (first > 0 && tokens_[first - 1].op == Op::plus) {
            --first; // (`+42` is read as 42)
        }
        // Outwards from the literal: COLLATE, postfix casts, parentheses, CAST(... AS type).
        for (;;) {
            for (;;) {
                if (tokens_[next].op == Op::cast) {
                    const Read type = read_type(next + 1);
                    cast = combine(cast, type.cast);
                    next = type.end;
                } else if (tokens_[next].keyword == Keyword::collate) {
                    next = after_collation(next + 1);
                } else {
                    break;
                }
            }
            if (tokens_[next].op == Op::lbracket) {
                return LiteralCast::other; // a subscript
            }
            if (first == 0 || tokens_[first - 1].op != Op::lparen) {
                break;
            }
            if (tokens_[next].op == Op::rparen) {
                --first;
                ++next;
                continue;
            }
            if (first < 2 || tokens_[first - 2].kind != TokenKind::word ||
                lower_word(lexed_, tokens_[first - 2]) != "cast" ||
                tokens_[next].keyword != Keyword::as) {
                break;
            }
            const Read type = read_type(next + 1);
            if (tokens_[type.end].op != Op::rparen) {
                return LiteralCast::other;
            }
            cast = combine(cast, type.cast);
            first -= 2;
            next = type.end + 1;
        }
        return cast_array_element(next) ? LiteralCast::other : cast;
    }

private:
    struct Read {
        LiteralCast cast = LiteralCast::other;
        std::size_t end = 0; ///< the token after the type
    };

    static LiteralCast typed_literal(const std::string& word) {
        if (word == "date") {
            return LiteralCast::date;
        }
        if (word == "timestamp") {
            return LiteralCast::timestamp;
        }
        return word == "timestamptz" ? LiteralCast::timestamptz : LiteralCast::other;
    }

    /// A cast of a cast: text first changes nothing; the same type twice is that type; any
    /// other chain converts through a type between and is `other`.
    static LiteralCast combine(LiteralCast so_far, LiteralCast next) {
        if (so_far == LiteralCast::none || so_far == LiteralCast::text) {
            return next;
        }
        return so_far == next ? so_far : LiteralCast::other;
    }

    /// The token after a collation name starting at `i` (`"C"`, `'x'`, `a.b`, DEFAULT).
    std::size_t after_collation(std::size_t i) const {
        if (tokens_[i].kind == TokenKind::end) {
            return i;
        }
        ++i;
        while (tokens_[i].op == Op::dot && tokens_[i + 1].kind != TokenKind::end) {
            i += 2;
        }
        return i;
    }

    /// Whether token `next` (after an element) is inside `[...]` that is cast as a whole
    /// (`ARRAY['x', 'y']::timestamp[]`): each element is converted to the element type.
    bool cast_array_element(std::size_t next) const {
        const std::size_t open = groups_.open_of[next];
        if (open == none_ || tokens_[open].op != Op::lbracket) {
            return false;
        }
        const std::size_t close = groups_.close_of[open];
        return close != none_ && tokens_[close].op == Op::rbracket &&
               tokens_[close + 1].op == Op::cast;
    }

    bool word_at(std::size_t i, std::string_view word) const {
        return tokens_[i].kind == TokenKind::word && lower_word(lexed_, tokens_[i]) == word;
    }

    /// The type name starting at token `i` (as the grammar reads it after `::` or AS).
    Read read_type(std::size_t i) const {
        Read out;
        out.end = i;
        if (tokens_[i].kind != TokenKind::word) {
            return out;
        }
        std::string name = lower_word(lexed_, tokens_[i]);
        ++i;
        if (tokens_[i].op == Op::dot && tokens_[i + 1].kind == TokenKind::word) {
            if (name != "pg_catalog") {
                out.end = i + 2;
                return out; // a type of the application's own
            }
            name = lower_word(lexed_, tokens_[i + 1]);
            i += 2;
        }
        std::string second;
        if (word_at(i, "varying") || word_at(i, "precision") || word_at(i, "integer") ||
            word_at(i, "int")) {
            second = lower_word(lexed_, tokens_[i]);
            ++i;
        }
        bool args = false;
        if (tokens_[i].op == Op::lparen) {
            args = true;
            int depth = 0;
            for (; tokens_[i].kind != TokenKind::end; ++i) {
                depth += tokens_[i].op == Op::lparen ? 1 : tokens_[i].op == Op::rparen ? -1 : 0;
                if (depth == 0) {
                    ++i;
                    break;
                }
            }
        }
        std::string zone;
        if ((word_at(i, "with") || word_at(i, "without")) && word_at(i + 1, "time") &&
            word_at(i + 2, "zone")) {
            zone = lower_word(lexed_, tokens_[i]);
            i += 3;
        }
        bool array = false;
        while (tokens_[i].op == Op::lbracket) {
            array = true;
            while (tokens_[i].kind != TokenKind::end && tokens_[i].op != Op::rbracket) {
                ++i;
            }
            if (tokens_[i].op == Op::rbracket) {
                ++i;
            }
        }
        out.end = i;
        if (!array) {
            out.cast = classify(name, second, args, zone);
        }
        return out;
    }

    /// What a type does to a shard key's text. A length (char(3), varchar(3)) or a precision
    /// (timestamp(0)) can change the value, so they are `other`.
    LiteralCast classify(const std::string& name, const std::string& second, bool args,
                         const std::string& zone) const {
        const bool mysql = lexed_.dialect == Dialect::mysql;
        if (args) {
            // MySQL's CHAR(n) and DATETIME(n) cut the value; PostgreSQL's varchar(n) and
            // timestamp(p) do too (timestamp(p) rounds).
            return LiteralCast::other;
        }
        if (name == "text" || (name == "varchar" && second.empty()) ||
            (name == "character" && second == "varying") || (mysql && name == "char")) {
            return zone.empty() ? LiteralCast::text : LiteralCast::other;
        }
        if (!zone.empty()) {
            if (name != "timestamp" || !second.empty()) {
                return LiteralCast::other;
            }
            return zone == "with" ? LiteralCast::timestamptz : LiteralCast::timestamp;
        }
        if (mysql) {
            if (name == "signed" || (name == "integer" && second.empty()) ||
                (name == "int" && second.empty())) {
                return LiteralCast::integer;
            }
            if (name == "date" && second.empty()) {
                return LiteralCast::date;
            }
            if ((name == "decimal" || name == "double" || name == "float") && second.empty()) {
                return LiteralCast::number;
            }
            // MariaDB reads a DATETIME cast as it stores a string into DATETIME or TIMESTAMP.
            return name == "datetime" && second.empty() ? LiteralCast::timestamp
                                                        : LiteralCast::other;
        }
        if (name == "double" && second == "precision") {
            return LiteralCast::number;
        }
        if (!second.empty()) {
            return LiteralCast::other;
        }
        if (name == "numeric" || name == "decimal" || name == "real" || name == "float" ||
            name == "float4" || name == "float8") {
            return LiteralCast::number;
        }
        if (name == "int" || name == "integer" || name == "int2" || name == "int4" ||
            name == "int8" || name == "smallint" || name == "bigint") {
            return LiteralCast::integer;
        }
        if (name == "date") {
            return LiteralCast::date;
        }
        if (name == "timestamp") {
            return LiteralCast::timestamp;
        }
        return name == "timestamptz" ? LiteralCast::timestamptz : LiteralCast::other;
    }

    static constexpr std::size_t none_ = static_cast<std::size_t>(-1);
    const LexedStatement& lexed_;
    const std::vector<Token>& tokens_;
    /// Per token: the innermost `(` / `[` around it (for a closer: the one it closes); per
    /// opener: its closer. none_ where there is none.
    struct {
        std::vector<std::size_t> open_of;
        std::vector<std::size_t> close_of;
    } groups_;
};

} // namespace

std::vector<LiteralCast> slot_casts(const LexedStatement& lexed) {
    std::vector<LiteralCast> casts;
    const CastReader reader(lexed);
    const auto& slots = lexed.fingerprint.slots;
    for (std::size_t i = 0; i < lexed.tokens.size(); ++i) {
        const Token& token = lexed.tokens[i];
        if (token.kind != TokenKind::literal || token.slot < 0 ||
            static_cast<std::size_t>(token.slot) >= slots.size() ||
            slots[static_cast<std::size_t>(token.slot)].folded_list) {
            continue;
        }
        const LiteralCast cast = reader.of_literal(i);
        if (cast == LiteralCast::none) {
            continue;
        }
        if (casts.empty()) {
            casts.resize(slots.size(), LiteralCast::none);
        }
        casts[static_cast<std::size_t>(token.slot)] = cast;
    }
    return casts;
}

std::vector<LiteralCast> declared_casts(std::string_view types, Dialect dialect) {
    std::vector<LiteralCast> out;
    LexedStatement lexed;
    std::size_t depth = 0, start = 0;
    bool quoted = false;
    for (std::size_t i = 0; i <= types.size(); ++i) {
        const char c = i < types.size() ? types[i] : ',';
        quoted = c == '"' ? !quoted : quoted; // ("a,b" is one name; "" inside toggles twice)
        depth += !quoted && c == '(' ? 1 : 0;
        depth -= !quoted && c == ')' && depth > 0 ? 1 : 0;
        if (c != ',' || depth != 0 || quoted) {
            continue;
        }
        const std::string_view one = types.substr(start, i - start);
        start = i + 1;
        out.push_back(lex(one, dialect, lexed).ok() && lexed.tokens.size() > 1
                          ? CastReader(lexed).whole_type(0)
                          : LiteralCast::other);
    }
    return out;
}

} // namespace shardgate::parser
