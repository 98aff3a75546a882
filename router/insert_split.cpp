// Cutting a multi-row INSERT into one INSERT per shard (see insert_split.hpp).
#include "shardgate/router/insert_split.hpp"

#include "shardgate/parser/lexer.hpp"

#include <algorithm>
#include <string>

namespace shardgate::router {

namespace {

using parser::Op;
using parser::Token;
using parser::TokenKind;

/// Byte ranges of the VALUES rows: each row from its `(` to one past its `)`.
struct RowRange {
    std::uint32_t begin = 0;
    std::uint32_t end = 0;
};

bool is_op(const Token& token, Op op) {
    return token.kind == TokenKind::op && token.op == op;
}

bool is_values_word(const parser::LexedStatement& lexed, const Token& token) {
    if (token.kind != TokenKind::word) {
        return false;
    }
    if (token.keyword == parser::Keyword::values) {
        return true;
    }
    if (lexed.dialect != parser::Dialect::mysql || token.length != 5) {
        return false; // MySQL also spells it VALUE
    }
    std::string word(lexed.text(token));
    std::transform(word.begin(), word.end(), word.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return word == "value";
}

/// The rows after the first top-level VALUES, or nullopt when there is none.
std::optional<std::vector<RowRange>> find_rows(const parser::LexedStatement& lexed) {
    const auto& tokens = lexed.tokens;
    int depth = 0;
    std::size_t i = 0;
    for (; i < tokens.size() && tokens[i].kind != TokenKind::end; ++i) {
        const auto& token = tokens[i];
        if (is_op(token, Op::lparen)) {
            ++depth;
        } else if (is_op(token, Op::rparen)) {
            --depth;
        } else if (depth == 0 && is_values_word(lexed, token)) {
            break;
        }
    }
    if (i >= tokens.size() || tokens[i].kind == TokenKind::end) {
        return std::nullopt;
    }
    std::vector<RowRange> rows;
    ++i;
    for (;;) {
        if (i >= tokens.size() || !is_op(tokens[i], Op::lparen)) {
            return std::nullopt;
        }
        RowRange row{tokens[i].offset, 0};
        depth = 0;
        for (; i < tokens.size() && tokens[i].kind != TokenKind::end; ++i) {
            if (is_op(tokens[i], Op::lparen)) {
                ++depth;
            } else if (is_op(tokens[i], Op::rparen) && --depth == 0) {
                break;
            }
        }
        if (i >= tokens.size() || tokens[i].kind == TokenKind::end) {
            return std::nullopt; // unbalanced
        }
        row.end = tokens[i].offset + tokens[i].length;
        rows.push_back(row);
        ++i;
        if (i + 1 < tokens.size() && is_op(tokens[i], Op::comma) &&
            is_op(tokens[i + 1], Op::lparen)) {
            ++i;
            continue;
        }
        return rows;
    }
}

/// Appends sql[begin, end) to `out`, renumbering the placeholders in it (when `renumber`):
/// each client parameter gets the next number the first time this piece uses it.
void append_text(const parser::LexedStatement& lexed, std::uint32_t begin, std::uint32_t end,
                 bool renumber, ShardInsert& out) {
    if (!renumber) {
        out.sql.append(lexed.sql.substr(begin, end - begin));
        return;
    }
    auto at = begin;
    for (const auto& token : lexed.tokens) {
        if (token.kind != TokenKind::literal || token.offset < begin || token.offset >= end) {
            continue;
        }
        const auto& literal = lexed.fingerprint.literals[static_cast<std::size_t>(token.literal)];
        if (literal.kind != parser::LiteralKind::placeholder) {
            continue;
        }
        out.sql.append(lexed.sql.substr(at, token.offset - at));
        auto found = std::find(out.params.begin(), out.params.end(), literal.param);
        if (found == out.params.end()) {
            out.params.push_back(literal.param);
            found = out.params.end() - 1;
        }
        out.sql += '$';
        out.sql += std::to_string(found - out.params.begin() + 1);
        at = token.offset + token.length;
    }
    out.sql.append(lexed.sql.substr(at, end - at));
}

} // namespace

std::optional<std::vector<ShardInsert>> split_insert(std::string_view sql, parser::Dialect dialect,
                                                     parser::LexMode mode,
                                                     const std::vector<std::uint32_t>& row_pieces,
                                                     std::uint32_t pieces, bool renumber) {
    parser::LexedStatement lexed;
    if (!parser::lex(sql, dialect, lexed, mode)) {
        return std::nullopt;
    }
    const auto rows = find_rows(lexed);
    if (!rows || rows->size() != row_pieces.size() || rows->empty()) {
        return std::nullopt;
    }
    const auto head_end = rows->front().begin;
    const auto tail_begin = rows->back().end;
    std::vector<ShardInsert> out(pieces);
    for (std::uint32_t row = 0; row < rows->size(); ++row) {
        if (row_pieces[row] >= pieces) {
            return std::nullopt;
        }
        out[row_pieces[row]].rows.push_back(row);
    }
    for (auto& piece : out) {
        if (piece.rows.empty()) {
            continue;
        }
        append_text(lexed, 0, head_end, renumber, piece);
        bool first = true;
        for (const auto row : piece.rows) {
            if (!first) {
                piece.sql += ", ";
            }
            first = false;
            append_text(lexed, (*rows)[row].begin, (*rows)[row].end, renumber, piece);
        }
        append_text(lexed, tail_begin, static_cast<std::uint32_t>(sql.size()), renumber, piece);
    }
    return out;
}

} // namespace shardgate::router
