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
    explicit CastReader(const LexedStatement& lexed) : lexed_(lexed), tokens_(lexed.tokens) {}

    /// The type written from token `at` to the end.
    LiteralCast whole_type(std::size_t at) const {
        const Read type = read_type(at);
        return tokens_[type.end].kind == TokenKind::end ? type.cast : LiteralCast::other;
    }

    LiteralCast of_literal(std::size_t at) const {
        LiteralCast cast = LiteralCast::none;
        std::size_t next = at + 1;
        if (at > 0 && tokens_[at - 1].kind == TokenKind::word) {
            const std::string word = lower_word(lexed_, tokens_[at - 1]);
            if (word == "date" || word == "time" || word == "timestamp" || word == "timestamptz" ||
                word == "interval" || word == "zone") {
                cast = combine(cast, typed_literal(word));
            }
        }
        // Outwards from the literal: postfix casts, parentheses, CAST(... AS type).
        std::size_t first = at;
        for (;;) {
            while (tokens_[next].op == Op::cast) {
                const Read type = read_type(next + 1);
                cast = combine(cast, type.cast);
                next = type.end;
            }
            if (tokens_[next].op == Op::lbracket) {
                return LiteralCast::other; // an element of an array
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
        return cast;
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
            // MariaDB reads a DATETIME cast as it stores a string into DATETIME or TIMESTAMP.
            return name == "datetime" && second.empty() ? LiteralCast::timestamp
                                                        : LiteralCast::other;
        }
        if (!second.empty()) {
            return LiteralCast::other;
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

    const LexedStatement& lexed_;
    const std::vector<Token>& tokens_;
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
    for (std::size_t i = 0; i <= types.size(); ++i) {
        const char c = i < types.size() ? types[i] : ',';
        depth += c == '(' ? 1 : 0;
        depth -= c == ')' && depth > 0 ? 1 : 0;
        if (c != ',' || depth != 0) {
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
