// lex(), fingerprint() and identifier decoding: the public face of the lexer.
#include "shardgate/parser/lexer.hpp"

#include "scanner.hpp"

#include <cstring>

namespace shardgate::parser {

void Fingerprint::clear() {
    text.clear();
    hash = 0;
    literals.clear();
    slots.clear();
    hints = Hints{};
}

// Multiply-xorshift over 8-byte words: several times faster than a byte-wise hash on the
// hot path, and stable across runs and machines of the same endianness.
std::uint64_t fingerprint_hash(std::string_view text) {
    constexpr std::uint64_t k = 0x9E3779B97F4A7C15ull;
    std::uint64_t h = text.size() * k;
    std::size_t i = 0;
    for (; i + 8 <= text.size(); i += 8) {
        std::uint64_t word;
        std::memcpy(&word, text.data() + i, 8);
        h = (h ^ word) * k;
        h ^= h >> 29;
    }
    std::uint64_t tail = 0;
    if (i < text.size()) {
        std::memcpy(&tail, text.data() + i, text.size() - i);
    }
    h = (h ^ tail) * k;
    return h ^ (h >> 32);
}

Status lex(std::string_view sql, Dialect dialect, LexedStatement& out, LexMode mode) {
    out.sql = sql;
    out.dialect = dialect;
    out.mode = mode;
    out.tokens.clear();
    constexpr std::size_t max_spares = 64, max_spare_bytes = 4096;
    for (Literal& literal : out.fingerprint.literals) {
        const std::size_t capacity = literal.text.capacity();
        if (capacity > std::string().capacity() && capacity <= max_spare_bytes &&
            out.spare_texts.size() < max_spares) {
            out.spare_texts.push_back(std::move(literal.text));
        }
    }
    out.fingerprint.clear();
    if (Status s = detail::Scanner(sql, dialect, out).run(); !s) {
        return s;
    }
    detail::build_fingerprint(out);
    return {};
}

Result<Fingerprint> fingerprint(std::string_view sql, Dialect dialect) {
    LexedStatement lexed;
    if (Status s = lex(sql, dialect, lexed); !s) {
        return s.error();
    }
    return std::move(lexed.fingerprint);
}

std::string identifier_text(const LexedStatement& lexed, const Token& token) {
    const std::string_view raw = lexed.text(token);
    if (token.kind != TokenKind::quoted_ident || raw.size() < 2) {
        std::string text(raw);
        if (lexed.dialect == Dialect::pg) {
            // PostgreSQL folds unquoted identifiers to lower case (ASCII letters only, as
            // the server does for multi-byte encodings): Customers and customers are one table.
            for (char& c : text) {
                if (c >= 'A' && c <= 'Z') {
                    c = static_cast<char>(c + ('a' - 'A'));
                }
            }
        }
        return text;
    }
    const char quote = raw.front();
    std::string text;
    text.reserve(raw.size() - 2);
    for (std::size_t i = 1; i + 1 < raw.size(); ++i) {
        text += raw[i];
        if (raw[i] == quote) {
            ++i;
        }
    }
    return text;
}

} // namespace shardgate::parser
