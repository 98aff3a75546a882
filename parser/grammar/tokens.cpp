// Token primitives that need more than a comparison, and the per-thread parse state.
#include "tokens.hpp"

namespace shardgate::parser::grammar {

ParseState& parse_state() {
    thread_local ParseState state;
    return state;
}

bool IdentToken::accepts(const Token& t) const {
    if (t.kind == TokenKind::quoted_ident) {
        return use != IdentUse::string;
    }
    if (use == IdentUse::string) {
        return t.kind == TokenKind::literal &&
               parse_state().lexed->fingerprint.literals[t.literal].kind == LiteralKind::string;
    }
    if (t.kind != TokenKind::word) {
        return false;
    }
    if (t.keyword == Keyword::none) {
        return true;
    }
    const KeywordFlags flags = keyword_flags(t.keyword);
    switch (use) {
    case IdentUse::alias:
        return !flags.no_alias;
    case IdentUse::function:
        return !flags.reserved || flags.function_name;
    default:
        return !flags.reserved;
    }
}

bool WordToken::accepts(const Token& t) const {
    if (t.kind != TokenKind::word || t.length != text.size()) {
        return false;
    }
    const std::string_view sql = parse_state().lexed->sql.substr(t.offset, t.length);
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = sql[i];
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c + 32);
        }
        if (c != text[i]) {
            return false;
        }
    }
    return true;
}

bool BalancedParser::skip_balanced(Iterator& first) {
    if (!step(first) || first->op != Op::lparen) {
        return false;
    }
    Iterator it = first + 1;
    int depth = 1;
    while (it->kind != TokenKind::end) {
        if (!step(it)) {
            return false;
        }
        if (it->op == Op::lparen) {
            ++depth;
        } else if (it->op == Op::rparen && --depth == 0) {
            first = it + 1;
            return true;
        }
        ++it;
    }
    return false;
}

bool RestParser::skip_rest(Iterator& first) {
    int depth = 0;
    while (first->kind != TokenKind::end) {
        if (!step(first)) {
            return false;
        }
        if (first->op == Op::lparen) {
            ++depth;
        } else if (first->op == Op::rparen) {
            if (depth == 0) {
                return true;
            }
            --depth;
        } else if (first->op == Op::semicolon && depth == 0) {
            return true;
        }
        ++first;
    }
    return true;
}

} // namespace shardgate::parser::grammar
