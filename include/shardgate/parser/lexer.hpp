// Hand-written SQL lexer for both dialects; produces tokens and the fingerprint in one pass.
#pragma once

#include "shardgate/parser/dialect.hpp"
#include "shardgate/parser/fingerprint.hpp"
#include "shardgate/parser/result.hpp"
#include "shardgate/parser/token.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace shardgate::parser {

/// A lexed statement. Reuse one object per worker thread to avoid allocations: lex() clears
/// it first. Tokens point into `sql`, which the caller keeps alive.
struct LexedStatement {
    std::string_view sql;
    Dialect dialect = Dialect::mysql;
    LexMode mode;
    /// Tokens, terminated by one TokenKind::end token at the end of the text.
    std::vector<Token> tokens;
    Fingerprint fingerprint;
    /// The buffers of earlier statements' string literals (at most 64, of at most 4 KiB),
    /// reused: lexing a statement with a string longer than a short string's inline storage
    /// (a timestamp, a UUID) allocates nothing once warm.
    std::vector<std::string> spare_texts;

    std::string_view text(const Token& token) const {
        return sql.substr(token.offset, token.length);
    }
};

/// Lexes `sql` into `out`. Errors (unterminated string or comment, a byte no token starts with,
/// too long, nested too deep) carry the byte position. Never throws on data (only bad_alloc).
Status lex(std::string_view sql, Dialect dialect, LexedStatement& out, LexMode mode = {});

/// Convenience: the fingerprint of `sql`.
Result<Fingerprint> fingerprint(std::string_view sql, Dialect dialect);

/// The cast written on each fingerprint slot's literal (index: slot), or empty when no literal
/// has one. A folded IN list has none (a cast stops the folding). Depends only on the
/// fingerprint, so a cached plan keeps it.
std::vector<LiteralCast> slot_casts(const LexedStatement& lexed);

/// The casts of a list of type names, "bigint, timestamp with time zone, varchar(3)" (PostgreSQL
/// `PREPARE name (types)`, without the parentheses): what a parameter declared so is read as.
std::vector<LiteralCast> declared_casts(std::string_view types, Dialect dialect);

/// Decodes the text of an identifier token: strips and unescapes quotes; in the PostgreSQL
/// dialect an unquoted identifier is folded to lower case, as the server does.
std::string identifier_text(const LexedStatement& lexed, const Token& token);

} // namespace shardgate::parser
