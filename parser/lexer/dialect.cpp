// Dialect names as used on command lines and in configuration.
#include "shardgate/parser/dialect.hpp"

#include <cctype>
#include <string>

namespace shardgate::parser {

LexMode lex_mode_from_sql_mode(std::string_view sql_mode) {
    LexMode mode;
    std::size_t start = 0;
    while (start <= sql_mode.size()) {
        auto stop = sql_mode.find(',', start);
        if (stop == std::string_view::npos) {
            stop = sql_mode.size();
        }
        std::string item;
        for (const char c : sql_mode.substr(start, stop - start)) {
            if (c != ' ' && c != '\'' && c != '"') {
                item.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
            }
        }
        if (item == "NO_BACKSLASH_ESCAPES") {
            mode.backslash_escapes = false;
        } else if (item == "ANSI_QUOTES" || item == "ANSI") {
            mode.ansi_quotes = true;
        }
        start = stop + 1;
    }
    return mode;
}

std::optional<Dialect> dialect_from_name(std::string_view name) {
    if (name == "mysql" || name == "mariadb") {
        return Dialect::mysql;
    }
    if (name == "pg" || name == "postgres" || name == "postgresql") {
        return Dialect::pg;
    }
    return std::nullopt;
}

std::string_view dialect_name(Dialect dialect) {
    return dialect == Dialect::pg ? "pg" : "mysql";
}

} // namespace shardgate::parser
