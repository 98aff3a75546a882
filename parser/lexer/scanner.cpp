// Character-level scanning: trivia, words, identifiers, strings, numbers, operators.
#include "scanner.hpp"

#include "shardgate/parser/limits.hpp"

#include <string>

namespace shardgate::parser::detail {
namespace {

bool is_ident_start(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}
bool is_ident_char(unsigned char c) {
    return is_ident_start(c) || (c >= '0' && c <= '9') || c == '$';
}
bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string_view trim_left(std::string_view s) {
    while (!s.empty() && is_space(s.front())) {
        s.remove_prefix(1);
    }
    return s;
}

constexpr std::string_view hint_prefix = "shardgate:";

char unescape(char c) {
    switch (c) {
    case '0':
        return '\0';
    case 'b':
        return '\b';
    case 'n':
        return '\n';
    case 'r':
        return '\r';
    case 't':
        return '\t';
    case 'Z':
        return '\x1a';
    default:
        return c;
    }
}

} // namespace

Scanner::Scanner(std::string_view sql, Dialect dialect, LexedStatement& out)
    : sql_(sql), dialect_(dialect), out_(out) {}

bool Scanner::error(std::size_t pos, std::string_view message) {
    error_ = Error{static_cast<std::uint32_t>(pos), std::string(message)};
    return false;
}

Status Scanner::run() {
    out_.tokens.reserve(sql_.size() / 3 + 2);
    if (!scan_all()) {
        return error_;
    }
    return {};
}

bool Scanner::scan_all() {
    if (sql_.size() > max_statement_bytes) {
        return error(max_statement_bytes, "statement longer than the 1 MiB limit");
    }
    for (;;) {
        if (!skip_trivia()) {
            return false;
        }
        if (pos_ >= sql_.size()) {
            break;
        }
        if (out_.tokens.size() >= max_tokens) {
            return error(pos_, "statement has too many tokens");
        }
        if (!scan_token()) {
            return false;
        }
    }
    push(TokenKind::end, sql_.size(), sql_.size());
    return true;
}

bool Scanner::skip_trivia() {
    while (pos_ < sql_.size()) {
        const char c = sql_[pos_];
        if (is_space(c)) {
            ++pos_;
        } else if (c == '/' && at(pos_ + 1, '*')) {
            if (!skip_block_comment()) {
                return false;
            }
        } else if (c == '-' && at(pos_ + 1, '-') &&
                   (dialect_ == Dialect::pg || pos_ + 2 >= sql_.size() ||
                    is_space(sql_[pos_ + 2]) || sql_[pos_ + 2] < ' ')) {
            skip_line_comment(pos_ + 2);
        } else if (c == '#' && dialect_ == Dialect::mysql) {
            skip_line_comment(pos_ + 1);
        } else {
            break;
        }
    }
    return true;
}

bool Scanner::skip_block_comment() {
    const std::size_t start = pos_;
    const std::size_t body = pos_ + 2;
    int nesting = 1;
    pos_ += 2;
    while (pos_ < sql_.size()) {
        if (sql_[pos_] == '*' && at(pos_ + 1, '/')) {
            pos_ += 2;
            if (--nesting == 0) {
                const std::string_view text = trim_left(sql_.substr(body, pos_ - 2 - body));
                if (text.starts_with(hint_prefix)) {
                    parse_hint_text(text.substr(hint_prefix.size()), out_.fingerprint.hints);
                }
                return true;
            }
        } else if (dialect_ == Dialect::pg && sql_[pos_] == '/' && at(pos_ + 1, '*')) {
            if (++nesting > max_nesting_depth) {
                return error(pos_, "comments nested too deeply");
            }
            pos_ += 2;
        } else {
            ++pos_;
        }
    }
    return error(start, "unterminated comment");
}

void Scanner::skip_line_comment(std::size_t body) {
    std::size_t end = sql_.find('\n', body);
    if (end == std::string_view::npos) {
        end = sql_.size();
    }
    const std::string_view text = trim_left(sql_.substr(body, end - body));
    if (text.starts_with(hint_prefix)) {
        parse_hint_text(text.substr(hint_prefix.size()), out_.fingerprint.hints);
    }
    pos_ = end;
}

bool Scanner::scan_token() {
    const std::size_t start = pos_;
    const char c = sql_[pos_];
    const char next = pos_ + 1 < sql_.size() ? sql_[pos_ + 1] : '\0';
    const bool backslashes = dialect_ == Dialect::mysql && out_.mode.backslash_escapes;
    if (c == '\'') {
        return scan_string(start, start, backslashes, LiteralKind::string);
    }
    if (c == '"') {
        return dialect_ == Dialect::mysql && !out_.mode.ansi_quotes
                   ? scan_string(start, start, backslashes, LiteralKind::string)
                   : scan_quoted_ident('"');
    }
    if (c == '`' && dialect_ == Dialect::mysql) {
        return scan_quoted_ident('`');
    }
    if ((c == 'x' || c == 'X' || c == 'b' || c == 'B') && next == '\'') {
        return scan_string(start, start + 1, false, LiteralKind::hex);
    }
    if ((c == 'n' || c == 'N') && next == '\'') {
        return scan_string(start, start + 1, backslashes, LiteralKind::string);
    }
    if ((c == 'e' || c == 'E') && next == '\'' && dialect_ == Dialect::pg) {
        return scan_string(start, start + 1, true, LiteralKind::string);
    }
    if (is_ident_start(static_cast<unsigned char>(c)) ||
        (c == '@' && dialect_ == Dialect::mysql &&
         (is_ident_start(static_cast<unsigned char>(next)) || next == '@'))) {
        return scan_word();
    }
    if (is_digit(c) || (c == '.' && is_digit(next))) {
        return scan_number(start);
    }
    if (c == '-' &&
        (is_digit(next) || (next == '.' && pos_ + 2 < sql_.size() && is_digit(sql_[pos_ + 2]))) &&
        !last_is_operand()) {
        ++pos_;
        return scan_number(start);
    }
    if ((c == '?' && dialect_ == Dialect::mysql) || (c == '$' && is_digit(next))) {
        return scan_placeholder();
    }
    if (c == '$' && dialect_ == Dialect::pg) {
        return scan_dollar_string();
    }
    return scan_operator();
}

bool Scanner::scan_word() {
    const std::size_t start = pos_;
    while (pos_ < sql_.size() && sql_[pos_] == '@') {
        ++pos_;
    }
    while (pos_ < sql_.size() &&
           (is_ident_char(static_cast<unsigned char>(sql_[pos_])) ||
            (sql_[pos_] == '.' && sql_[start] == '@' && pos_ + 1 < sql_.size() &&
             is_ident_start(static_cast<unsigned char>(sql_[pos_ + 1]))))) {
        ++pos_;
    }
    if (pos_ == start + 1 && sql_[start] == '@') {
        return error(start, "expected a variable name after '@'");
    }
    // MySQL character-set introducer: _utf8mb4'text' is just a string.
    if (dialect_ == Dialect::mysql && sql_[start] == '_' && at(pos_, '\'')) {
        return scan_string(start, pos_, out_.mode.backslash_escapes, LiteralKind::string);
    }
    const std::string_view word = sql_.substr(start, pos_ - start);
    const Keyword kw = sql_[start] == '@' ? Keyword::none : find_keyword(word);
    if (kw == Keyword::null && !out_.tokens.empty() && out_.tokens.back().keyword != Keyword::is &&
        !(out_.tokens.back().keyword == Keyword::not_ && out_.tokens.size() > 1 &&
          out_.tokens[out_.tokens.size() - 2].keyword == Keyword::is)) {
        push_literal(LiteralKind::null, start, pos_, {});
        return true;
    }
    track_keyword(kw);
    if (kw == Keyword::case_) {
        if (!open_nesting()) {
            return false;
        }
        ++case_depth_;
    } else if (kw == Keyword::end && case_depth_ > 0) {
        --case_depth_;
        --depth_;
    }
    push(TokenKind::word, start, pos_, kw);
    return true;
}

void Scanner::track_keyword(Keyword kw) {
    if (kw == Keyword::by && !out_.tokens.empty() &&
        (out_.tokens.back().keyword == Keyword::order ||
         out_.tokens.back().keyword == Keyword::group)) {
        ordinal_depth_ = depth_;
        return;
    }
    switch (kw) {
    case Keyword::limit:
    case Keyword::offset:
    case Keyword::having:
    case Keyword::for_:
    case Keyword::union_:
    case Keyword::intersect:
    case Keyword::except:
    case Keyword::window:
    case Keyword::fetch:
    case Keyword::select:
    case Keyword::from:
    case Keyword::where:
        if (depth_ <= ordinal_depth_) {
            ordinal_depth_ = -1;
        }
        break;
    default:
        break;
    }
}

bool Scanner::open_nesting() {
    if (++depth_ > max_nesting_depth) {
        return error(pos_, "nested more than 64 levels deep");
    }
    return true;
}

bool Scanner::scan_quoted_ident(char quote) {
    const std::size_t start = pos_++;
    while (pos_ < sql_.size()) {
        if (sql_[pos_] == quote) {
            if (at(pos_ + 1, quote)) {
                pos_ += 2;
                continue;
            }
            ++pos_;
            push(TokenKind::quoted_ident, start, pos_);
            return true;
        }
        ++pos_;
    }
    return error(start, "unterminated quoted identifier");
}

bool Scanner::scan_string(std::size_t start, std::size_t quote_pos, bool backslashes,
                          LiteralKind kind) {
    const char quote = sql_[quote_pos];
    std::string text;
    if (!out_.spare_texts.empty()) {
        text = std::move(out_.spare_texts.back());
        out_.spare_texts.pop_back();
        text.clear();
    }
    pos_ = quote_pos + 1;
    while (pos_ < sql_.size()) {
        const char c = sql_[pos_];
        if (c == '\\' && backslashes && pos_ + 1 < sql_.size()) {
            const char e = sql_[pos_ + 1];
            if (e == '%' || e == '_') {
                text += '\\';
            }
            text += unescape(e);
            pos_ += 2;
        } else if (c == quote) {
            if (at(pos_ + 1, quote)) {
                text += quote;
                pos_ += 2;
                continue;
            }
            ++pos_;
            push_literal(kind, start, pos_, std::move(text));
            return true;
        } else {
            text += c;
            ++pos_;
        }
    }
    return error(start, "unterminated string literal");
}

bool Scanner::scan_dollar_string() {
    const std::size_t start = pos_;
    std::size_t i = pos_ + 1;
    while (i < sql_.size() && sql_[i] != '$' &&
           is_ident_char(static_cast<unsigned char>(sql_[i])) && sql_[i] != '$') {
        ++i;
    }
    if (i >= sql_.size() || sql_[i] != '$') {
        return error(start, "unexpected character '$'");
    }
    const std::string_view tag = sql_.substr(start, i + 1 - start);
    const std::size_t close = sql_.find(tag, i + 1);
    if (close == std::string_view::npos) {
        return error(start, "unterminated dollar-quoted string");
    }
    pos_ = close + tag.size();
    push_literal(LiteralKind::string, start, pos_, std::string(sql_.substr(i + 1, close - i - 1)));
    return true;
}

bool Scanner::scan_number(std::size_t start) {
    if (sql_[pos_] == '0' && pos_ + 1 < sql_.size() &&
        (sql_[pos_ + 1] == 'x' || sql_[pos_ + 1] == 'X') && start == pos_) {
        pos_ += 2;
        while (pos_ < sql_.size() && std::isxdigit(static_cast<unsigned char>(sql_[pos_]))) {
            ++pos_;
        }
        push_literal(LiteralKind::hex, start, pos_,
                     std::string(sql_.substr(start + 2, pos_ - start - 2)));
        return true;
    }
    bool decimal = false;
    while (pos_ < sql_.size() && is_digit(sql_[pos_])) {
        ++pos_;
    }
    if (at(pos_, '.') && !at(pos_ + 1, '.')) {
        decimal = true;
        ++pos_;
        while (pos_ < sql_.size() && is_digit(sql_[pos_])) {
            ++pos_;
        }
    }
    if (pos_ < sql_.size() && (sql_[pos_] == 'e' || sql_[pos_] == 'E')) {
        std::size_t i = pos_ + 1;
        if (at(i, '+') || at(i, '-')) {
            ++i;
        }
        if (i < sql_.size() && is_digit(sql_[i])) {
            decimal = true;
            pos_ = i;
            while (pos_ < sql_.size() && is_digit(sql_[pos_])) {
                ++pos_;
            }
        }
    }
    if (!decimal && keeps_ordinal()) {
        push(TokenKind::number, start, pos_);
        return true;
    }
    push_literal(decimal ? LiteralKind::decimal : LiteralKind::integer, start, pos_,
                 std::string(sql_.substr(start, pos_ - start)));
    return true;
}

bool Scanner::scan_placeholder() {
    const std::size_t start = pos_;
    if (sql_[pos_] == '?') {
        ++pos_;
        push_literal(LiteralKind::placeholder, start, pos_, {}, next_param_++);
        return true;
    }
    ++pos_;
    std::uint32_t n = 0;
    while (pos_ < sql_.size() && is_digit(sql_[pos_])) {
        n = n * 10 + static_cast<std::uint32_t>(sql_[pos_] - '0');
        if (n > 65535) {
            return error(start, "placeholder number out of range");
        }
        ++pos_;
    }
    if (n == 0) {
        return error(start, "placeholders are numbered from $1");
    }
    push_literal(LiteralKind::placeholder, start, pos_, {}, n - 1);
    return true;
}

bool Scanner::keeps_ordinal() const {
    if (ordinal_depth_ != depth_ || out_.tokens.empty()) {
        return false;
    }
    const Token& last = out_.tokens.back();
    return last.keyword == Keyword::by || last.op == Op::comma;
}

bool Scanner::last_is_operand() const {
    if (out_.tokens.empty()) {
        return false;
    }
    const Token& last = out_.tokens.back();
    switch (last.kind) {
    case TokenKind::literal:
    case TokenKind::number:
    case TokenKind::quoted_ident:
        return true;
    case TokenKind::op:
        return last.op == Op::rparen || last.op == Op::rbracket;
    case TokenKind::word:
        return last.keyword == Keyword::none || !keyword_flags(last.keyword).reserved ||
               last.keyword == Keyword::end || last.keyword == Keyword::true_ ||
               last.keyword == Keyword::false_;
    default:
        return false;
    }
}

void Scanner::push(TokenKind kind, std::size_t start, std::size_t end, Keyword kw, Op op) {
    Token t;
    t.kind = kind;
    t.keyword = kw;
    t.op = op;
    t.offset = static_cast<std::uint32_t>(start);
    t.length = static_cast<std::uint32_t>(end - start);
    out_.tokens.push_back(t);
}

void Scanner::push_literal(LiteralKind kind, std::size_t start, std::size_t end, std::string text,
                           std::uint32_t param) {
    Literal& lit = out_.fingerprint.literals.emplace_back();
    lit.kind = kind;
    lit.param = param;
    lit.offset = static_cast<std::uint32_t>(start);
    lit.text = std::move(text);
    push(TokenKind::literal, start, end);
    out_.tokens.back().literal = static_cast<std::int32_t>(out_.fingerprint.literals.size() - 1);
}

} // namespace shardgate::parser::detail
