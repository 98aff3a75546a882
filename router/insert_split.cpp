// Cutting a multi-row INSERT into one INSERT per shard (see insert_split.hpp).
#include "shardgate/router/insert_split.hpp"

#include "shardgate/parser/lexer.hpp"

#include <algorithm>
#include <cctype>
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

/// The column name as an identifier of `dialect`: plain when it is lower-case letters, digits
/// and underscores (as PostgreSQL folds unquoted names), quoted otherwise.
std::string identifier(std::string_view column, parser::Dialect dialect) {
    const bool plain = !column.empty() && !std::isdigit(static_cast<unsigned char>(column[0])) &&
                       std::all_of(column.begin(), column.end(), [](char c) {
                           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
                       });
    if (plain) {
        return std::string(column);
    }
    const char quote = dialect == parser::Dialect::mysql ? '`' : '"';
    std::string out(1, quote);
    for (const char c : column) {
        out += c;
        if (c == quote) {
            out += quote;
        }
    }
    out += quote;
    return out;
}

/// One text insertion (or replacement of [at, at + length)) into the statement.
struct Edit {
    std::uint32_t at = 0;
    std::uint32_t length = 0;
    std::string text;
};

std::string apply(std::string_view sql, std::vector<Edit> edits) {
    std::sort(edits.begin(), edits.end(), [](const Edit& a, const Edit& b) { return a.at < b.at; });
    std::string out;
    std::uint32_t at = 0;
    for (const auto& edit : edits) {
        out.append(sql.substr(at, edit.at - at));
        out += edit.text;
        at = edit.at + edit.length;
    }
    out.append(sql.substr(at));
    return out;
}

/// The index of the token that starts at byte `offset`, or tokens.size().
std::size_t token_at(const parser::LexedStatement& lexed, std::uint32_t offset) {
    for (std::size_t i = 0; i < lexed.tokens.size(); ++i) {
        if (lexed.tokens[i].offset == offset && lexed.tokens[i].kind != TokenKind::end) {
            return i;
        }
    }
    return lexed.tokens.size();
}

/// INSERT ... DEFAULT VALUES becomes INSERT ... (column) VALUES (id).
std::optional<std::string> fill_default_values(const parser::LexedStatement& lexed,
                                               std::string_view column, std::int64_t id) {
    const auto& tokens = lexed.tokens;
    for (std::size_t i = 0; i + 1 < tokens.size(); ++i) {
        if (tokens[i].kind == TokenKind::word && tokens[i].keyword == parser::Keyword::default_ &&
            is_values_word(lexed, tokens[i + 1])) {
            const auto end = tokens[i + 1].offset + tokens[i + 1].length;
            std::string text(1, '(');
            text += identifier(column, lexed.dialect);
            text += ") VALUES (";
            text += std::to_string(id);
            text += ')';
            return apply(lexed.sql, {{tokens[i].offset, end - tokens[i].offset, std::move(text)}});
        }
    }
    return std::nullopt;
}

} // namespace

std::optional<std::string> fill_keys(std::string_view sql, parser::Dialect dialect,
                                     parser::LexMode mode, std::string_view column,
                                     std::int32_t column_index,
                                     const std::vector<std::int64_t>& ids) {
    parser::LexedStatement lexed;
    if (!parser::lex(sql, dialect, lexed, mode)) {
        return std::nullopt;
    }
    const auto rows = find_rows(lexed);
    if (!rows) {
        if (column_index >= 0 || ids.size() != 1) {
            return std::nullopt;
        }
        return fill_default_values(lexed, column, ids[0]);
    }
    const auto& tokens = lexed.tokens;
    std::vector<Edit> edits;
    std::size_t next = 0;
    if (column_index < 0) {
        // The column list is the parenthesised group right before VALUES.
        const auto first_row = token_at(lexed, rows->front().begin);
        if (first_row < 2 || !is_op(tokens[first_row - 2], Op::rparen)) {
            return std::nullopt;
        }
        std::size_t open = first_row - 2;
        for (int depth = 0; open > 0; --open) {
            depth += is_op(tokens[open], Op::rparen) ? 1 : is_op(tokens[open], Op::lparen) ? -1 : 0;
            if (depth == 0) {
                break;
            }
        }
        if (!is_op(tokens[open], Op::lparen)) {
            return std::nullopt;
        }
        const bool empty_list = is_op(tokens[open + 1], Op::rparen);
        edits.push_back(
            {tokens[open].offset + 1, 0, identifier(column, dialect) + (empty_list ? "" : ", ")});
        for (const auto& row : *rows) {
            if (next >= ids.size()) {
                return std::nullopt;
            }
            const auto at = token_at(lexed, row.begin);
            const bool empty_row = at + 1 < tokens.size() && is_op(tokens[at + 1], Op::rparen);
            edits.push_back(
                {row.begin + 1, 0, std::to_string(ids[next++]) + (empty_row ? "" : ", ")});
        }
    } else {
        // Each row's item number column_index, where it is the word DEFAULT.
        for (const auto& row : *rows) {
            int depth = 0;
            std::int32_t item = 0;
            std::vector<std::size_t> in_item;
            for (auto i = token_at(lexed, row.begin);
                 i < tokens.size() && tokens[i].offset < row.end; ++i) {
                const auto& token = tokens[i];
                if (is_op(token, Op::lparen) && ++depth == 1) {
                    continue;
                }
                if (is_op(token, Op::rparen) && --depth == 0) {
                    break;
                }
                if (depth == 1 && is_op(token, Op::comma)) {
                    ++item;
                    continue;
                }
                if (item == column_index) {
                    in_item.push_back(i);
                }
            }
            if (in_item.size() == 1 && tokens[in_item[0]].kind == TokenKind::word &&
                tokens[in_item[0]].keyword == parser::Keyword::default_) {
                if (next >= ids.size()) {
                    return std::nullopt;
                }
                const auto& token = tokens[in_item[0]];
                edits.push_back({token.offset, token.length, std::to_string(ids[next++])});
            }
        }
    }
    if (next != ids.size()) {
        return std::nullopt;
    }
    return apply(sql, std::move(edits));
}

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
