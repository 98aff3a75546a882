// COPY FROM STDIN cut per shard (see copy_split.hpp).
#include "shardgate/router/copy_split.hpp"

#include "shardgate/parser/lexer.hpp"

#include <algorithm>
#include <cctype>

namespace shardgate::router {

namespace {

using parser::Op;
using parser::Token;
using parser::TokenKind;

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

/// Reads the tokens of a COPY statement one by one.
struct Reader {
    const parser::LexedStatement& lexed;
    std::size_t at = 0;

    const Token& token() const { return lexed.tokens[at]; }
    bool done() const { return token().kind == TokenKind::end; }
    bool is_op(Op op) const { return token().kind == TokenKind::op && token().op == op; }
    /// The current token as a lower-case word ("" for anything else).
    std::string word() const {
        const auto& t = token();
        if (t.kind == TokenKind::literal &&
            lexed.fingerprint.literals[static_cast<std::size_t>(t.literal)].kind ==
                parser::LiteralKind::null) {
            return "null"; // NULL 'string' is an option
        }
        return t.kind == TokenKind::word ? lower(lexed.text(t)) : std::string();
    }
    /// A word, a string literal or a number as an option value.
    std::optional<std::string> value() const {
        const auto& t = token();
        if (t.kind == TokenKind::literal) {
            const auto& literal = lexed.fingerprint.literals[static_cast<std::size_t>(t.literal)];
            if (literal.kind == parser::LiteralKind::placeholder) {
                return std::nullopt;
            }
            return literal.text;
        }
        if (t.kind == TokenKind::word || t.kind == TokenKind::number) {
            return lower(lexed.text(t));
        }
        return std::nullopt;
    }
};

bool truth(const std::string& value, bool& out) {
    if (value == "true" || value == "on" || value == "1") {
        out = true;
        return true;
    }
    if (value == "false" || value == "off" || value == "0") {
        out = false;
        return true;
    }
    return false;
}

/// Sets one option; false with `error` when it is not one shardgate can honour.
bool set_option(CopySpec& spec, const std::string& name, const std::optional<std::string>& value,
                bool& quote_set, bool& escape_set, bool& delimiter_set, bool& null_set,
                std::string& error) {
    auto one_char = [&](char& out) {
        if (!value || value->size() != 1) {
            error = "COPY option " + name + " must be a single one-byte character";
            return false;
        }
        out = (*value)[0];
        return true;
    };
    if (name == "format" || name == "csv" || name == "binary" || name == "text") {
        const auto format = name == "format" ? value.value_or("") : name;
        if (format == "text") {
            spec.format = CopySpec::Format::text;
        } else if (format == "csv") {
            spec.format = CopySpec::Format::csv;
        } else if (format == "binary") {
            spec.format = CopySpec::Format::binary;
        } else {
            error = "unknown COPY format '" + format + "'";
            return false;
        }
        return true;
    }
    if (name == "header") {
        if (!value) {
            spec.header = true;
            return true;
        }
        if (truth(*value, spec.header)) {
            return true;
        }
        error = "not supported yet: COPY ... HEADER " + *value + " into a sharded table";
        return false;
    }
    if (name == "delimiter") {
        delimiter_set = true;
        return one_char(spec.delimiter);
    }
    if (name == "quote") {
        quote_set = true;
        return one_char(spec.quote);
    }
    if (name == "escape") {
        escape_set = true;
        return one_char(spec.escape);
    }
    if (name == "null") {
        if (!value) {
            error = "COPY option NULL needs a string";
            return false;
        }
        null_set = true;
        spec.null_string = *value;
        return true;
    }
    if (name == "encoding" || name == "freeze" || name == "force_not_null" ||
        name == "force_null" || name == "force_quote") {
        return true; // the shards apply them; they do not change how rows are cut
    }
    error = "not supported yet: COPY option " + name + " into a sharded table";
    return false;
}

} // namespace

std::optional<CopySpec> parse_copy_from(std::string_view sql, std::string& error) {
    return parse_copy(sql, true, error);
}

std::optional<CopySpec> parse_copy(std::string_view sql, bool from, std::string& error) {
    parser::LexedStatement lexed;
    if (!parser::lex(sql, parser::Dialect::pg, lexed)) {
        error = "COPY statement not understood";
        return std::nullopt;
    }
    Reader r{lexed};
    if (r.word() != "copy") {
        error = "not a COPY statement";
        return std::nullopt;
    }
    ++r.at;
    if (r.is_op(Op::lparen)) { // COPY (query) TO
        for (int depth = 0; !r.done(); ++r.at) {
            depth += r.is_op(Op::lparen) ? 1 : r.is_op(Op::rparen) ? -1 : 0;
            if (depth == 0) {
                ++r.at;
                break;
            }
        }
    }
    // the table name: identifiers and dots
    while (!r.done() &&
           (r.token().kind == TokenKind::word || r.token().kind == TokenKind::quoted_ident ||
            r.is_op(Op::dot)) &&
           r.word() != "from" && r.word() != "to") {
        ++r.at;
    }
    CopySpec spec;
    if (r.is_op(Op::lparen)) {
        ++r.at;
        while (!r.done() && !r.is_op(Op::rparen)) {
            if (r.token().kind == TokenKind::word || r.token().kind == TokenKind::quoted_ident) {
                spec.columns.push_back(parser::identifier_text(lexed, r.token()));
            } else if (!r.is_op(Op::comma)) {
                error = "COPY column list not understood";
                return std::nullopt;
            }
            ++r.at;
        }
        ++r.at;
    }
    if (r.word() != (from ? "from" : "to")) {
        error = from ? "not a COPY ... FROM statement" : "not a COPY ... TO statement";
        return std::nullopt;
    }
    ++r.at;
    if (r.word() != (from ? "stdin" : "stdout")) {
        error = from ? "COPY ... FROM a file or program into a sharded table is not supported: the "
                       "file is on one server; use COPY ... FROM STDIN (psql \\copy)"
                     : "COPY ... TO a file or program of a sharded table is not supported: each "
                       "shard would write its own file; use COPY ... TO STDOUT (psql \\copy)";
        return std::nullopt;
    }
    ++r.at;
    if (r.word() == "with") {
        ++r.at;
    }
    bool quote_set = false;
    bool escape_set = false;
    bool delimiter_set = false;
    bool null_set = false;
    if (r.is_op(Op::lparen)) { // (option [value], ...)
        ++r.at;
        while (!r.done() && !r.is_op(Op::rparen)) {
            const auto name = r.word();
            ++r.at;
            std::optional<std::string> value;
            if (!r.is_op(Op::comma) && !r.is_op(Op::rparen)) {
                if (r.is_op(Op::lparen)) { // FORCE_NULL (columns)
                    while (!r.done() && !r.is_op(Op::rparen)) {
                        ++r.at;
                    }
                    value = "";
                } else {
                    value = r.value();
                }
                ++r.at;
            }
            if (!set_option(spec, name, value, quote_set, escape_set, delimiter_set, null_set,
                            error)) {
                return std::nullopt;
            }
            if (r.is_op(Op::comma)) {
                ++r.at;
            }
        }
        ++r.at;
    } else { // the older form: BINARY, CSV, HEADER, DELIMITER [AS] 'x', NULL [AS] 'x', ...
        while (!r.done() && r.word() != "where") {
            auto name = r.word();
            if (name.empty()) {
                error = "COPY options not understood";
                return std::nullopt;
            }
            ++r.at;
            std::optional<std::string> value;
            if (name == "delimiter" || name == "null" || name == "quote" || name == "escape" ||
                name == "encoding") {
                if (r.word() == "as") {
                    ++r.at;
                }
                value = r.value();
                ++r.at;
            } else if (name == "force") { // FORCE NOT NULL / FORCE QUOTE columns
                while (!r.done() &&
                       (r.word() == "not" || r.word() == "null" || r.word() == "quote" ||
                        r.is_op(Op::comma) || r.token().kind == TokenKind::quoted_ident ||
                        r.token().kind == TokenKind::word || r.is_op(Op::star)) &&
                       r.word() != "where") {
                    ++r.at;
                }
                continue;
            }
            if (!set_option(spec, name, value, quote_set, escape_set, delimiter_set, null_set,
                            error)) {
                return std::nullopt;
            }
        }
    }
    if (!r.done() && r.word() != "where") {
        error = "COPY options not understood";
        return std::nullopt;
    }
    if (spec.format == CopySpec::Format::csv) {
        spec.delimiter = delimiter_set ? spec.delimiter : ',';
        spec.null_string = null_set ? spec.null_string : "";
        spec.escape = escape_set ? spec.escape : spec.quote;
    }
    return spec;
}

CopySplitter::CopySplitter(CopySpec spec, std::size_t key_field, bool text_key)
    : spec_(std::move(spec)), key_field_(key_field), text_key_(text_key) {}

namespace {

/// A text-format field with its backslash escapes decoded.
std::string unescape_text(std::string_view raw) {
    std::string out;
    for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] != '\\' || i + 1 >= raw.size()) {
            out += raw[i];
            continue;
        }
        const char c = raw[++i];
        switch (c) {
        case 'b':
            out += '\b';
            break;
        case 'f':
            out += '\f';
            break;
        case 'n':
            out += '\n';
            break;
        case 'r':
            out += '\r';
            break;
        case 't':
            out += '\t';
            break;
        case 'v':
            out += '\v';
            break;
        case 'x': {
            int value = 0;
            std::size_t n = 0;
            while (n < 2 && i + 1 < raw.size() &&
                   std::isxdigit(static_cast<unsigned char>(raw[i + 1]))) {
                const char h = raw[++i];
                value = value * 16 + (std::isdigit(static_cast<unsigned char>(h))
                                          ? h - '0'
                                          : (std::tolower(h) - 'a' + 10));
                ++n;
            }
            if (n == 0) {
                out += 'x';
            } else {
                out += static_cast<char>(value);
            }
            break;
        }
        default:
            if (c >= '0' && c <= '7') {
                int value = c - '0';
                for (int n = 1;
                     n < 3 && i + 1 < raw.size() && raw[i + 1] >= '0' && raw[i + 1] <= '7'; ++n) {
                    value = value * 8 + (raw[++i] - '0');
                }
                out += static_cast<char>(value);
            } else {
                out += c;
            }
        }
    }
    return out;
}

} // namespace

std::size_t CopySplitter::text_row(std::string_view data, bool at_end,
                                   std::optional<std::string>& key, bool& bad) {
    const bool csv = spec_.format == CopySpec::Format::csv;
    std::size_t field = 0;
    std::size_t field_start = 0;
    bool in_quotes = false;
    std::optional<std::pair<std::size_t, std::size_t>> key_range;
    std::size_t end = 0; // one past the row's line end
    std::size_t i = 0;
    for (; i < data.size(); ++i) {
        const char c = data[i];
        if (csv && in_quotes) {
            if (c == spec_.escape && spec_.escape != spec_.quote && i + 1 < data.size() &&
                (data[i + 1] == spec_.quote || data[i + 1] == spec_.escape)) {
                ++i;
            } else if (c == spec_.quote) {
                if (spec_.escape == spec_.quote && i + 1 >= data.size() && !at_end) {
                    return 0; // a doubled quote or the closing one: the next byte decides
                }
                if (spec_.escape == spec_.quote && i + 1 < data.size() &&
                    data[i + 1] == spec_.quote) {
                    ++i;
                } else {
                    in_quotes = false;
                }
            }
            continue;
        }
        if (!csv && c == '\\') {
            if (i + 1 >= data.size()) {
                if (!at_end) {
                    return 0;
                }
                break;
            }
            ++i;
            continue;
        }
        if (csv && c == spec_.quote) {
            in_quotes = true;
            continue;
        }
        if (c == spec_.delimiter || c == '\n') {
            if (field == key_field_) {
                key_range = std::pair{field_start, i};
            }
            ++field;
            field_start = i + 1;
            if (c == '\n') {
                end = i + 1;
                break;
            }
        }
    }
    if (end == 0) {
        if (!at_end || (i >= data.size() && data.empty())) {
            return 0;
        }
        if (in_quotes) {
            bad = true;
            error_ = "COPY data ends inside a quoted CSV field";
            return 0;
        }
        // a last row without a line end
        if (field == key_field_) {
            key_range = std::pair{field_start, data.size()};
        }
        end = data.size();
    }
    if (!key_range) {
        bad = true;
        error_ = "COPY row " + std::to_string(rows_ + 1) + " has no field " +
                 std::to_string(key_field_ + 1) + " (the shard key)";
        return 0;
    }
    auto raw = data.substr(key_range->first, key_range->second - key_range->first);
    if (!raw.empty() && raw.back() == '\r' && key_range->second == end - 1) {
        raw.remove_suffix(1);
    }
    if (!csv) {
        key = raw == spec_.null_string ? std::nullopt : std::optional(unescape_text(raw));
    } else if (!raw.empty() && raw.front() == spec_.quote) {
        std::string value;
        for (std::size_t k = 1; k < raw.size(); ++k) {
            const char c = raw[k];
            if ((c == spec_.escape || c == spec_.quote) && k + 1 < raw.size() &&
                (raw[k + 1] == spec_.quote || (c == spec_.escape && raw[k + 1] == spec_.escape))) {
                value += raw[++k];
            } else if (c == spec_.quote) {
                continue; // the closing quote
            } else {
                value += c;
            }
        }
        key = value;
    } else {
        key = raw == spec_.null_string ? std::nullopt : std::optional(std::string(raw));
    }
    return end;
}

std::size_t CopySplitter::binary_row(std::string_view data, std::optional<std::string>& key,
                                     bool& bad) {
    auto be = [&](std::size_t at, std::size_t n) {
        std::uint64_t v = 0;
        for (std::size_t k = 0; k < n; ++k) {
            v = (v << 8) | static_cast<unsigned char>(data[at + k]);
        }
        return v;
    };
    if (data.size() < 2) {
        return 0;
    }
    const auto count = static_cast<std::int16_t>(be(0, 2));
    if (count == -1) {
        ended_ = true;
        return 2;
    }
    std::size_t at = 2;
    for (std::int16_t f = 0; f < count; ++f) {
        if (data.size() < at + 4) {
            return 0;
        }
        const auto length = static_cast<std::int32_t>(be(at, 4));
        at += 4;
        const std::size_t bytes = length < 0 ? 0 : static_cast<std::size_t>(length);
        if (data.size() < at + bytes) {
            return 0;
        }
        if (static_cast<std::size_t>(f) == key_field_ && length >= 0) {
            if (text_key_) {
                key = std::string(data.substr(at, bytes));
            } else if (bytes == 2 || bytes == 4 || bytes == 8) {
                const auto raw = be(at, bytes);
                const int shift = static_cast<int>(64 - 8 * bytes);
                const auto value = static_cast<std::int64_t>(raw << shift) >> shift;
                key = std::to_string(value);
            } else {
                bad = true;
                error_ = "COPY binary row " + std::to_string(rows_ + 1) + ": a shard key of " +
                         std::to_string(bytes) + " bytes is not an integer";
                return 0;
            }
        }
        at += bytes;
    }
    if (static_cast<std::size_t>(count) <= key_field_) {
        bad = true;
        error_ = "COPY binary row " + std::to_string(rows_ + 1) + " has no field " +
                 std::to_string(key_field_ + 1) + " (the shard key)";
        return 0;
    }
    return at;
}

bool CopySplitter::feed(std::string_view data, const OnPiece& on_piece) {
    if (!error_.empty()) {
        return false;
    }
    if (ended_) {
        return true; // after the end marker the server ignores the rest too
    }
    pending_.append(data);
    std::string_view rest(pending_);
    bool bad = false;
    if (!started_ && spec_.format == CopySpec::Format::binary) {
        constexpr std::string_view signature("PGCOPY\n\377\r\n\0", 11);
        if (rest.size() < 19) {
            return true;
        }
        if (rest.substr(0, 11) != signature) {
            error_ = "COPY binary data without the PGCOPY signature";
            return false;
        }
        std::uint32_t extension = 0;
        for (std::size_t k = 15; k < 19; ++k) {
            extension = (extension << 8) | static_cast<unsigned char>(rest[k]);
        }
        if (rest.size() < 19 + extension) {
            return true;
        }
        on_piece({rest.substr(0, 19 + extension), std::nullopt, true});
        rest.remove_prefix(19 + extension);
        started_ = true;
    }
    while (!rest.empty() && !ended_) {
        if (spec_.format != CopySpec::Format::binary &&
            (rest.starts_with("\\.\n") || rest.starts_with("\\.\r\n"))) {
            ended_ = true; // the end marker
            break;
        }
        std::optional<std::string> key;
        const auto length = spec_.format == CopySpec::Format::binary
                                ? binary_row(rest, key, bad)
                                : text_row(rest, false, key, bad);
        if (bad) {
            return false;
        }
        if (length == 0) {
            break;
        }
        const auto row = rest.substr(0, length);
        rest.remove_prefix(length);
        if (ended_) {
            break; // the binary trailer
        }
        if (!started_ && spec_.header) {
            on_piece({row, std::nullopt, true});
        } else {
            ++rows_;
            on_piece({row, std::move(key), false});
        }
        started_ = true;
    }
    pending_.erase(0, pending_.size() - rest.size());
    return true;
}

bool CopySplitter::finish(const OnPiece& on_piece) {
    if (!error_.empty()) {
        return false;
    }
    if (ended_ || pending_.empty()) {
        return true;
    }
    if (spec_.format == CopySpec::Format::binary) {
        error_ = "COPY binary data ends inside a row, or without its trailer";
        return false;
    }
    std::optional<std::string> key;
    bool bad = false;
    const auto length = text_row(pending_, true, key, bad);
    if (bad || length == 0) {
        if (error_.empty()) {
            error_ = "COPY data ends inside a row";
        }
        return false;
    }
    if (pending_ != "\\.") {
        if (!started_ && spec_.header) {
            on_piece({pending_, std::nullopt, true});
        } else {
            ++rows_;
            on_piece({pending_, std::move(key), false});
        }
    }
    pending_.clear();
    return true;
}

} // namespace shardgate::router
