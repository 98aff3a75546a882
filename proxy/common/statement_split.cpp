// Statement splitting over the parser's lexer, and leading-keyword reading.
#include "common/statement_split.hpp"

#include "shardgate/parser/lexer.hpp"

#include <algorithm>
#include <cctype>

namespace shardgate::proxy {
namespace {

bool blank(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        const char c = text[i];
        if (std::isspace(static_cast<unsigned char>(c)) || c == ';') {
            ++i;
        } else if (text.substr(i, 2) == "--") {
            const auto end = text.find('\n', i);
            i = end == std::string_view::npos ? text.size() : end + 1;
        } else if (text.substr(i, 2) == "/*") {
            const auto end = text.find("*/", i + 2);
            i = end == std::string_view::npos ? text.size() : end + 2;
        } else {
            return false;
        }
    }
    return true;
}

/// True when no ';' in `sql` can be inside a quoted string, identifier or comment, so the
/// semicolons alone cut it (pgbench-style "SELECT ... WHERE aid = 1;").
bool plain_text(std::string_view sql) {
    return sql.find_first_of("'\"$\\") == std::string_view::npos &&
           sql.find("--") == std::string_view::npos && sql.find("/*") == std::string_view::npos;
}

void split_plain(std::string_view sql, std::vector<std::string_view>& out) {
    std::size_t start = 0;
    for (;;) {
        const auto stop = sql.find(';', start);
        const auto piece =
            sql.substr(start, stop == std::string_view::npos ? sql.npos : stop - start);
        if (!blank(piece)) {
            out.push_back(piece);
        }
        if (stop == std::string_view::npos) {
            return;
        }
        start = stop + 1;
    }
}

} // namespace

std::vector<std::string_view> split_statements(std::string_view sql, parser::Dialect dialect,
                                               parser::LexMode mode) {
    std::vector<std::string_view> out;
    if (plain_text(sql)) { // the common case: no lexing needed
        split_plain(sql, out);
        return out;
    }
    thread_local parser::LexedStatement lexed;
    if (!parser::lex(sql, dialect, lexed, mode)) {
        if (!blank(sql)) {
            out.push_back(sql);
        }
        return out;
    }
    std::size_t start = 0;
    for (const auto& token : lexed.tokens) {
        const bool cut = token.kind == parser::TokenKind::end ||
                         (token.kind == parser::TokenKind::op && token.op == parser::Op::semicolon);
        if (!cut) {
            continue;
        }
        const std::size_t stop = token.kind == parser::TokenKind::end ? sql.size() : token.offset;
        const auto piece = sql.substr(start, stop - start);
        if (!blank(piece)) {
            out.push_back(piece);
        }
        start = stop + 1;
        if (token.kind == parser::TokenKind::end) {
            break;
        }
    }
    return out;
}

std::vector<std::string> leading_words(std::string_view sql, std::size_t count) {
    std::vector<std::string> words;
    std::size_t i = 0;
    while (i < sql.size() && words.size() < count) {
        const char c = sql[i];
        if (std::isspace(static_cast<unsigned char>(c))) {
            ++i;
        } else if (sql.substr(i, 2) == "--") {
            const auto end = sql.find('\n', i);
            i = end == std::string_view::npos ? sql.size() : end + 1;
        } else if (sql.substr(i, 2) == "/*") {
            const auto end = sql.find("*/", i + 2);
            i = end == std::string_view::npos ? sql.size() : end + 2;
        } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
            std::string word;
            while (i < sql.size() && (std::isalnum(static_cast<unsigned char>(sql[i])) ||
                                      sql[i] == '_' || sql[i] == '.')) {
                word.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(sql[i]))));
                ++i;
            }
            words.push_back(std::move(word));
        } else {
            break;
        }
    }
    return words;
}

bool mentions(std::string_view text, std::string_view word) {
    const auto same = [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) == static_cast<unsigned char>(b);
    };
    return std::search(text.begin(), text.end(), word.begin(), word.end(), same) != text.end();
}

} // namespace shardgate::proxy
