// SQL dialects the lexer and grammar understand.
#pragma once

#include <optional>
#include <string_view>

namespace shardgate::parser {

/// `mysql` covers MySQL and MariaDB; `pg` covers PostgreSQL.
enum class Dialect { mysql, pg };

/// Session settings that change how MySQL text is tokenised (the session's `sql_mode`).
/// Ignored for PostgreSQL (standard_conforming_strings is always on there; E'' escapes).
struct LexMode {
    /// Backslash escapes in strings; off under NO_BACKSLASH_ESCAPES.
    bool backslash_escapes = true;
    /// `"x"` is an identifier, not a string, under ANSI_QUOTES (and ANSI).
    bool ansi_quotes = false;

    bool operator==(const LexMode&) const = default;
};

/// The LexMode of a MySQL `sql_mode` value (a comma-separated list, any case).
LexMode lex_mode_from_sql_mode(std::string_view sql_mode);

/// "mysql"/"mariadb" or "pg"/"postgres"/"postgresql"; nullopt otherwise.
std::optional<Dialect> dialect_from_name(std::string_view name);
std::string_view dialect_name(Dialect dialect);

} // namespace shardgate::parser
