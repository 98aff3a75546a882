// Operator and punctuation scanning, longest match first.
#include "scanner.hpp"

#include <array>
#include <span>

namespace shardgate::parser::detail {
namespace {

struct OpSpelling {
    std::string_view text;
    Op op;
    bool pg_only;
};

// Longest spellings first so that a prefix never shadows a longer operator.
constexpr std::array multi_char_ops{
    OpSpelling{"<=>", Op::null_safe_eq, false},
    OpSpelling{"->>", Op::arrow_text, false},
    OpSpelling{"#>>", Op::json_path_text, true},
    OpSpelling{"!~*", Op::not_tilde, true},
    OpSpelling{"<->", Op::other, true},
    OpSpelling{"<>", Op::ne, false},
    OpSpelling{"!=", Op::ne, false},
    OpSpelling{"<=", Op::le, false},
    OpSpelling{">=", Op::ge, false},
    OpSpelling{"<<", Op::shift_left, false},
    OpSpelling{">>", Op::shift_right, false},
    OpSpelling{"||", Op::concat, false},
    OpSpelling{"&&", Op::logical_and, false},
    OpSpelling{"::", Op::cast, true},
    OpSpelling{":=", Op::assign, false},
    OpSpelling{"->", Op::arrow, false},
    OpSpelling{"#>", Op::json_path, true},
    OpSpelling{"@>", Op::contains, true},
    OpSpelling{"<@", Op::contained, true},
    OpSpelling{"~*", Op::tilde, true},
    OpSpelling{"!~", Op::not_tilde, true},
    OpSpelling{"?|", Op::json_has, true},
    OpSpelling{"?&", Op::json_has, true},
    OpSpelling{"@@", Op::other, true},
    OpSpelling{"@?", Op::other, true},
    OpSpelling{"#-", Op::other, true},
};

// Which characters start a multi-character spelling: the others ( `(`, `)`, `,`, `.`, `=`,
// ... the most frequent ones) skip the list.
constexpr auto starts_multi_char_op = [] {
    std::array<bool, 256> starts{};
    for (const OpSpelling& s : multi_char_ops) {
        starts[static_cast<unsigned char>(s.text[0])] = true;
    }
    return starts;
}();

Op single_char_op(char c, Dialect dialect) {
    switch (c) {
    case '(':
        return Op::lparen;
    case ')':
        return Op::rparen;
    case ',':
        return Op::comma;
    case '.':
        return Op::dot;
    case ';':
        return Op::semicolon;
    case '[':
        return Op::lbracket;
    case ']':
        return Op::rbracket;
    case '*':
        return Op::star;
    case '+':
        return Op::plus;
    case '-':
        return Op::minus;
    case '/':
        return Op::slash;
    case '%':
        return Op::percent;
    case '=':
        return Op::eq;
    case '<':
        return Op::lt;
    case '>':
        return Op::gt;
    case ':':
        return Op::colon;
    case '&':
        return Op::ampersand;
    case '|':
        return Op::pipe;
    case '^':
        return Op::caret;
    case '~':
        return Op::tilde;
    case '!':
        return Op::bang;
    case '@':
        return Op::other;
    case '?':
        return dialect == Dialect::pg ? Op::json_has : Op::none;
    case '#':
        return dialect == Dialect::pg ? Op::other : Op::none;
    default:
        return Op::none;
    }
}

// Character compare: most positions fail on the first byte, so no memcmp call.
bool matches_at(std::string_view sql, std::size_t pos, std::string_view text) {
    if (pos + text.size() > sql.size()) {
        return false;
    }
    for (std::size_t i = 1; i < text.size(); ++i) {
        if (sql[pos + i] != text[i]) {
            return false;
        }
    }
    return true;
}

} // namespace

bool Scanner::scan_operator() {
    const std::size_t start = pos_;
    const bool multi = starts_multi_char_op[static_cast<unsigned char>(sql_[pos_])];
    for (const OpSpelling& s : multi ? std::span(multi_char_ops) : std::span<const OpSpelling>()) {
        if (s.pg_only && dialect_ != Dialect::pg) {
            continue;
        }
        if (s.text[0] != sql_[pos_] || !matches_at(sql_, pos_, s.text)) {
            continue;
        }
        Op op = s.op;
        if (dialect_ == Dialect::mysql && op == Op::concat) {
            op = Op::logical_or;
        }
        if (dialect_ == Dialect::pg && op == Op::logical_and) {
            op = Op::other;
        }
        pos_ += s.text.size();
        push(TokenKind::op, start, pos_, Keyword::none, op);
        return true;
    }
    const Op op = single_char_op(sql_[pos_], dialect_);
    if (op == Op::none) {
        return error(pos_, "unexpected character");
    }
    if (op == Op::lparen || op == Op::lbracket) {
        if (!open_nesting()) {
            return false;
        }
    } else if ((op == Op::rparen || op == Op::rbracket) && depth_ > 0) {
        --depth_;
        if (ordinal_depth_ > depth_) {
            ordinal_depth_ = -1;
        }
    }
    ++pos_;
    push(TokenKind::op, start, pos_, Keyword::none, op);
    return true;
}

} // namespace shardgate::parser::detail
