// Maps operator tokens to AST operators.
#include "operators.hpp"

namespace shardgate::parser::grammar {
namespace {

using ast::BinaryOp;

bool is_kw(const Token& t, Keyword k) {
    return t.kind == TokenKind::word && t.keyword == k;
}

bool is_word(const Token& t, std::string_view lower_text) {
    return WordToken(lower_text).accepts(t);
}

// `AT TIME ZONE zone` (PG, also harmless in MySQL) and PG's `OPERATOR(schema.op)`: operators
// routing does not look into.
std::size_t word_op(Iterator it, BinaryOp& op) {
    if (is_word(it[0], "at") && is_word(it[1], "time") && is_word(it[2], "zone")) {
        op = BinaryOp::other;
        return 3;
    }
    if (is_word(it[0], "operator") && it[1].kind == TokenKind::op && it[1].op == Op::lparen) {
        Iterator end = it + 1;
        if (!BalancedParser::skip_balanced(end)) {
            return 0;
        }
        op = BinaryOp::other;
        return static_cast<std::size_t>(end - it);
    }
    return 0;
}

BinaryOp arithmetic(Op op) {
    switch (op) {
    case Op::plus:
        return BinaryOp::plus;
    case Op::minus:
        return BinaryOp::minus;
    case Op::star:
        return BinaryOp::mul;
    case Op::slash:
        return BinaryOp::div;
    case Op::percent:
        return BinaryOp::mod;
    case Op::concat:
        return BinaryOp::concat;
    case Op::ampersand:
        return BinaryOp::bit_and;
    case Op::pipe:
        return BinaryOp::bit_or;
    case Op::caret:
        return BinaryOp::bit_xor;
    case Op::shift_left:
    case Op::shift_right:
        return BinaryOp::shift;
    case Op::arrow:
    case Op::arrow_text:
    case Op::json_path:
    case Op::json_path_text:
    case Op::contains:
    case Op::contained:
    case Op::json_has:
        return BinaryOp::json;
    default:
        return BinaryOp::other;
    }
}

BinaryOp comparison(Op op) {
    switch (op) {
    case Op::eq:
        return BinaryOp::eq;
    case Op::null_safe_eq:
        return BinaryOp::null_safe_eq;
    case Op::ne:
        return BinaryOp::ne;
    case Op::lt:
        return BinaryOp::lt;
    case Op::le:
        return BinaryOp::le;
    case Op::gt:
        return BinaryOp::gt;
    case Op::ge:
        return BinaryOp::ge;
    case Op::tilde:
        return BinaryOp::regexp;
    case Op::not_tilde:
        return BinaryOp::not_regexp;
    case Op::logical_or:
        return BinaryOp::or_;
    case Op::logical_and:
        return BinaryOp::and_;
    case Op::assign:
    case Op::other:
        return BinaryOp::other;
    default:
        return BinaryOp::json;
    }
}

std::size_t keyword_op(Iterator it, BinaryOp& op) {
    switch (it->keyword) {
    case Keyword::or_:
        op = BinaryOp::or_;
        return 1;
    case Keyword::xor_:
        op = BinaryOp::xor_;
        return 1;
    case Keyword::and_:
        op = BinaryOp::and_;
        return 1;
    case Keyword::like:
    case Keyword::ilike:
        op = BinaryOp::like;
        return 1;
    case Keyword::regexp:
    case Keyword::rlike:
        op = BinaryOp::regexp;
        return 1;
    case Keyword::escape:
        op = BinaryOp::other;
        return 1;
    case Keyword::similar:
        op = BinaryOp::like;
        return is_kw(it[1], Keyword::to) ? 2 : 0;
    case Keyword::not_: {
        const Token& next = it[1];
        if (is_kw(next, Keyword::like) || is_kw(next, Keyword::ilike)) {
            op = BinaryOp::not_like;
            return 2;
        }
        if (is_kw(next, Keyword::regexp) || is_kw(next, Keyword::rlike)) {
            op = BinaryOp::not_regexp;
            return 2;
        }
        if (is_kw(next, Keyword::similar) && is_kw(it[2], Keyword::to)) {
            op = BinaryOp::not_like;
            return 3;
        }
        return 0;
    }
    case Keyword::is: {
        const std::size_t n = is_kw(it[1], Keyword::not_) ? 2 : 1;
        if (is_kw(it[n], Keyword::distinct) && is_kw(it[n + 1], Keyword::from)) {
            op = BinaryOp::is_distinct;
            return n + 2;
        }
        return 0;
    }
    case Keyword::div:
        op = BinaryOp::int_div;
        return 1;
    case Keyword::mod:
        op = BinaryOp::mod;
        return 1;
    default:
        return 0;
    }
}

} // namespace

std::size_t read_binary_op(Iterator it, bool arithmetic_only, BinaryOp& op) {
    if (it->kind == TokenKind::op) {
        op = arithmetic(it->op);
        if (op == BinaryOp::other) {
            if (arithmetic_only) {
                return 0;
            }
            op = comparison(it->op);
            if (op == BinaryOp::json) {
                return 0;
            }
        }
        return 1;
    }
    if (it->kind != TokenKind::word) {
        return 0;
    }
    std::size_t n = keyword_op(it, op);
    if (n == 0 && it->keyword == Keyword::none) {
        n = word_op(it, op);
        if (n != 0 && arithmetic_only) {
            return 0;
        }
    }
    if (n == 0 || !arithmetic_only) {
        return n;
    }
    return (op == BinaryOp::int_div || op == BinaryOp::mod) ? n : 0;
}

std::size_t read_prefix_op(Iterator it, ast::PrefixOp& op) {
    if (it->kind == TokenKind::word && it->keyword == Keyword::not_) {
        op = ast::PrefixOp::not_;
        return 1;
    }
    // MySQL `BINARY expr` (a binary-string cast); the next token must start an operand.
    if (parse_state().lexed->dialect == Dialect::mysql && is_word(it[0], "binary") &&
        (it[1].kind == TokenKind::literal || it[1].kind == TokenKind::word ||
         it[1].kind == TokenKind::quoted_ident || it[1].op == Op::lparen)) {
        op = ast::PrefixOp::binary;
        return 1;
    }
    if (it->kind != TokenKind::op) {
        return 0;
    }
    switch (it->op) {
    case Op::bang:
        op = ast::PrefixOp::not_;
        return 1;
    case Op::minus:
        op = ast::PrefixOp::minus;
        return 1;
    case Op::plus:
        op = ast::PrefixOp::plus;
        return 1;
    case Op::tilde:
        op = ast::PrefixOp::bit_not;
        return 1;
    default:
        return 0;
    }
}

} // namespace shardgate::parser::grammar
