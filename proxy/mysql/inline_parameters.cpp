// See inline_parameters.hpp.
#include "inline_parameters.hpp"

#include "shardgate/parser/lexer.hpp"
#include "shardgate/protocol/mysql/constants.hpp"

#include <cmath>
#include <fmt/format.h>

namespace shardgate::proxy::mysql {

namespace pm = protocol::mysql;

namespace {

/// "[-]digits[.digits]": a DECIMAL parameter's text that can be written as a literal.
bool is_decimal_text(std::string_view text) {
    std::size_t i = text.size() > 1 && text[0] == '-' ? 1 : 0;
    bool digits = false, point = false;
    for (; i < text.size(); ++i) {
        if (text[i] >= '0' && text[i] <= '9') {
            digits = true;
        } else if (text[i] == '.' && !point) {
            point = true;
        } else {
            return false;
        }
    }
    return digits;
}

bool is_blob_type(std::uint8_t type) {
    return type == pm::MYSQL_TYPE_TINY_BLOB || type == pm::MYSQL_TYPE_MEDIUM_BLOB ||
           type == pm::MYSQL_TYPE_LONG_BLOB || type == pm::MYSQL_TYPE_BLOB;
}

void append_hex(std::string& out, std::string_view bytes) {
    static constexpr char digits[] = "0123456789ABCDEF";
    out += "X'";
    for (const char c : bytes) {
        const auto b = static_cast<unsigned char>(c);
        out += digits[b >> 4];
        out += digits[b & 15];
    }
    out += '\'';
}

void append_quoted(std::string& out, std::string_view text, parser::LexMode mode) {
    out += '\'';
    for (const char c : text) {
        if (c == '\'') {
            out += "''";
        } else if (c == '\\' && mode.backslash_escapes) {
            out += "\\\\";
        } else {
            out += c;
        }
    }
    out += '\'';
}

/// The literal of one value; false when it has none.
bool append_literal(std::string& out, const BoundParameter& p, parser::LexMode mode) {
    const auto text = pm::binary_value_as_text(p.value);
    if (!text) {
        out += "NULL";
        return true;
    }
    if (const auto* d = std::get_if<double>(&p.value); d && !std::isfinite(*d)) {
        return false;
    }
    if (const auto* f = std::get_if<float>(&p.value); f && !std::isfinite(*f)) {
        return false;
    }
    if (std::holds_alternative<std::int64_t>(p.value) ||
        std::holds_alternative<std::uint64_t>(p.value)) {
        out += *text;
    } else if (const auto* d = std::get_if<double>(&p.value);
               d && std::fabs(*d) < 9007199254740992.0 && *d == std::floor(*d)) {
        // Drivers bind every JavaScript number as a double: an integral one is written as the
        // integer it is (a LIMIT takes only an integer; comparisons come out the same).
        out += fmt::format("{}", static_cast<std::int64_t>(*d));
    } else if ((p.type.type == pm::MYSQL_TYPE_DECIMAL ||
                p.type.type == pm::MYSQL_TYPE_NEWDECIMAL) &&
               is_decimal_text(*text)) {
        out += *text; // a number, as bound (a text key compares it as one; router: numbers)
    } else if (std::holds_alternative<double>(p.value) || std::holds_alternative<float>(p.value)) {
        out += *text;
        if (text->find_first_of("eE") == std::string::npos) {
            out += "e0"; // an approximate number, as the bound double is, not a DECIMAL
        }
    } else if (const auto* date = std::get_if<pm::DateTimeValue>(&p.value)) {
        if (date->year == 0 && date->month == 0 && date->day == 0) {
            append_quoted(out, *text, mode); // the zero date has no DATE literal
        } else {
            out += p.type.type == pm::MYSQL_TYPE_DATE ? "DATE" : "TIMESTAMP";
            append_quoted(out, *text, mode);
        }
    } else if (std::holds_alternative<pm::TimeValue>(p.value)) {
        out += "TIME";
        append_quoted(out, *text, mode);
    } else if (is_blob_type(p.type.type)) {
        append_hex(out, *text); // bound bytes are a binary string
    } else if (text->find('\0') != std::string::npos && !mode.backslash_escapes) {
        return false;
    } else {
        append_quoted(out, *text, mode);
    }
    return true;
}

} // namespace

InlinedStatement inline_parameters(std::string_view sql, const std::vector<BoundParameter>& params,
                                   parser::LexMode mode) {
    parser::LexedStatement lexed;
    if (!parser::lex(sql, parser::Dialect::mysql, lexed, mode).ok()) {
        return {{}, "the statement cannot be read to bind its parameters"};
    }
    InlinedStatement out;
    std::size_t copied = 0;
    std::size_t next = 0;
    for (const auto& token : lexed.tokens) {
        if (token.kind != parser::TokenKind::literal || token.literal < 0 ||
            lexed.fingerprint.literals[static_cast<std::size_t>(token.literal)].kind !=
                parser::LiteralKind::placeholder) {
            continue;
        }
        if (next == params.size()) {
            return {{}, "the statement has more placeholders than bound parameters"};
        }
        out.sql.append(sql.substr(copied, token.offset - copied));
        if (!append_literal(out.sql, params[next], mode)) {
            return {{},
                    fmt::format("parameter {} has no SQL literal (NaN, infinity or a NUL byte "
                                "under NO_BACKSLASH_ESCAPES)",
                                next + 1)};
        }
        copied = token.offset + token.length;
        ++next;
    }
    if (next != params.size()) {
        return {{}, "the statement has fewer placeholders than bound parameters"};
    }
    out.sql.append(sql.substr(copied));
    return out;
}

} // namespace shardgate::proxy::mysql
