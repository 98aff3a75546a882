// Reading PREPARE/EXECUTE/DEALLOCATE with the parser's lexer.
#include "utility_statements.hpp"

#include "shardgate/parser/lexer.hpp"

#include <algorithm>

namespace shardgate::proxy::pg {
namespace {

using parser::Op;
using parser::TokenKind;

struct Cursor {
    parser::LexedStatement lexed;
    std::size_t at = 0;

    const parser::Token& token() const { return lexed.tokens[at]; }
    bool end() const { return token().kind == TokenKind::end; }
    std::string word() const {
        if (token().kind != TokenKind::word) {
            return "";
        }
        std::string text(lexed.text(token()));
        std::transform(text.begin(), text.end(), text.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        return text;
    }
    bool is_op(Op op) const { return token().kind == TokenKind::op && token().op == op; }
    bool is_name() const {
        return token().kind == TokenKind::word || token().kind == TokenKind::quoted_ident;
    }
    /// A possibly qualified name as written; empty if none here.
    std::string qualified_name() {
        if (!is_name()) {
            return "";
        }
        const auto start = token().offset;
        auto stop = start + token().length;
        ++at;
        while (is_op(Op::dot) && lexed.tokens[at + 1].kind != TokenKind::end) {
            ++at;
            stop = token().offset + token().length;
            ++at;
        }
        return std::string(lexed.sql.substr(start, stop - start));
    }
    /// Skips a parenthesised group starting here; returns its text (with parens).
    std::string group() {
        if (!is_op(Op::lparen)) {
            return "";
        }
        const auto start = token().offset;
        int depth = 0;
        for (; !end(); ++at) {
            if (is_op(Op::lparen)) {
                ++depth;
            } else if (is_op(Op::rparen) && --depth == 0) {
                const auto stop = token().offset + 1;
                ++at;
                return std::string(lexed.sql.substr(start, stop - start));
            }
        }
        return std::string(lexed.sql.substr(start));
    }
};

/// Unquoted names fold to lower case, as in PostgreSQL.
std::string fold(std::string name) {
    if (!name.empty() && name.front() != '"') {
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    }
    return name;
}

bool lex(std::string_view sql, Cursor& cursor) {
    return static_cast<bool>(parser::lex(sql, parser::Dialect::pg, cursor.lexed));
}

} // namespace

std::optional<SqlPrepare> parse_sql_prepare(std::string_view sql) {
    Cursor c;
    if (!lex(sql, c) || c.word() != "prepare") {
        return std::nullopt;
    }
    ++c.at;
    SqlPrepare out;
    out.name = fold(c.qualified_name());
    if (out.name.empty()) {
        return std::nullopt;
    }
    out.types = c.group();
    if (c.word() != "as") {
        return std::nullopt;
    }
    ++c.at;
    if (c.end()) {
        return std::nullopt;
    }
    out.body = std::string(sql.substr(c.token().offset));
    return out;
}

std::optional<SqlExecute> parse_sql_execute(std::string_view sql) {
    Cursor c;
    if (!lex(sql, c) || c.word() != "execute") {
        return std::nullopt;
    }
    ++c.at;
    SqlExecute out;
    out.name = fold(c.qualified_name());
    if (out.name.empty()) {
        return std::nullopt;
    }
    if (!c.is_op(Op::lparen)) {
        return c.end() ? std::optional(out) : std::nullopt;
    }
    const auto start = c.at;
    out.args = c.group();
    bool known = true;
    std::optional<std::string> value;
    int items = 0;
    for (auto i = start + 1; i < c.at; ++i) {
        const auto& t = c.lexed.tokens[i];
        const bool separator =
            t.kind == TokenKind::op && (t.op == Op::comma || (t.op == Op::rparen && i + 1 == c.at));
        if (separator) {
            if (!known || items != 1) {
                break;
            }
            out.values.push_back(value);
            items = 0;
            value.reset();
            continue;
        }
        ++items;
        if (t.kind == TokenKind::literal && t.literal >= 0) {
            const auto& literal = c.lexed.fingerprint.literals[t.literal];
            if (literal.kind == parser::LiteralKind::null) {
                value.reset();
            } else {
                value = literal.text;
            }
        } else {
            known = false;
        }
    }
    return c.end() ? std::optional(out) : std::nullopt;
}

std::optional<std::string> parse_sql_deallocate(std::string_view sql) {
    Cursor c;
    if (!lex(sql, c) || c.word() != "deallocate") {
        return std::nullopt;
    }
    ++c.at;
    if (c.word() == "prepare") {
        ++c.at;
    }
    if (c.word() == "all") {
        return std::string();
    }
    auto name = fold(c.qualified_name());
    if (name.empty()) {
        return std::nullopt;
    }
    return name;
}

} // namespace shardgate::proxy::pg
