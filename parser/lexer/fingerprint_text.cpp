// Builds the fingerprint text from tokens: slots, IN-list folding and canonical spacing.
#include "scanner.hpp"

namespace shardgate::parser::detail {
namespace {

bool glues_left(const Token& token, const Token* previous) {
    switch (token.op) {
    case Op::comma:
    case Op::rparen:
    case Op::rbracket:
    case Op::dot:
    case Op::cast:
        return true;
    case Op::lparen:
        return previous != nullptr &&
               ((previous->kind == TokenKind::word && previous->keyword == Keyword::none) ||
                previous->kind == TokenKind::quoted_ident);
    default:
        return false;
    }
}

bool glues_right(const Token& token) {
    return token.op == Op::lparen || token.op == Op::lbracket || token.op == Op::dot ||
           token.op == Op::cast;
}

// A string literal that names a sequence or a notification channel (the first argument of
// nextval/currval/setval/pg_notify) places the statement like a table name does, so it stays
// in the text: statements on different sequences must not share a cached plan.
bool names_object(const LexedStatement& lexed, std::size_t i) {
    if (i < 2 || lexed.tokens[i - 1].op != Op::lparen) {
        return false;
    }
    const Token& fn = lexed.tokens[i - 2];
    if (fn.kind != TokenKind::word || fn.keyword != Keyword::none ||
        lexed.fingerprint.literals[lexed.tokens[i].literal].kind != LiteralKind::string) {
        return false;
    }
    const std::string_view name = lexed.text(fn);
    auto is = [&](std::string_view word) {
        if (name.size() != word.size()) {
            return false;
        }
        for (std::size_t k = 0; k < word.size(); ++k) {
            const char c = name[k];
            if ((c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c) != word[k]) {
                return false;
            }
        }
        return true;
    };
    return is("nextval") || is("currval") || is("setval") || is("pg_notify");
}

// Index of the ')' closing a list of only literals that starts at `open`, or 0 if none.
std::size_t literal_list_end(const std::vector<Token>& tokens, std::size_t open) {
    std::size_t i = open + 1;
    for (;;) {
        if (tokens[i].kind != TokenKind::literal) {
            return 0;
        }
        ++i;
        if (tokens[i].op == Op::rparen) {
            return i;
        }
        if (tokens[i].op != Op::comma) {
            return 0;
        }
        ++i;
    }
}

class TextBuilder {
public:
    explicit TextBuilder(LexedStatement& lexed) : lexed_(lexed), fp_(lexed.fingerprint) {}

    void run() {
        auto& tokens = lexed_.tokens;
        const std::size_t last = tokens.size() - 1;
        fp_.text.reserve(lexed_.sql.size());
        for (std::size_t i = 0; i < last; ++i) {
            Token& t = tokens[i];
            if (t.op == Op::semicolon && i + 1 == last) {
                break;
            }
            if (t.keyword == Keyword::in && tokens[i + 1].op == Op::lparen) {
                emit(t, keyword_text(t.keyword));
                if (const std::size_t close = literal_list_end(tokens, i + 1)) {
                    fold_list(i + 1, close);
                    i = close;
                }
                continue;
            }
            if (t.kind == TokenKind::literal && names_object(lexed_, i)) {
                emit(t, lexed_.text(t));
            } else if (t.kind == TokenKind::literal) {
                t.slot = static_cast<std::int32_t>(fp_.slots.size());
                fp_.slots.push_back(Slot{static_cast<std::uint32_t>(t.literal), 1, false});
                emit(t, "?");
            } else if (t.kind == TokenKind::word && t.keyword != Keyword::none) {
                emit(t, keyword_text(t.keyword));
            } else {
                emit(t, lexed_.text(t));
            }
        }
        fp_.hash = fingerprint_hash(fp_.text);
    }

private:
    void fold_list(std::size_t open, std::size_t close) {
        auto& tokens = lexed_.tokens;
        const auto slot = static_cast<std::int32_t>(fp_.slots.size());
        const auto first = static_cast<std::uint32_t>(tokens[open + 1].literal);
        std::uint32_t count = 0;
        for (std::size_t j = open + 1; j < close; j += 2) {
            tokens[j].slot = slot;
            ++count;
        }
        fp_.slots.push_back(Slot{first, count, true});
        emit(tokens[open], "(?+)");
        previous_ = &tokens[close];
    }

    void emit(const Token& token, std::string_view text) {
        if (previous_ != nullptr && !glues_right(*previous_) && !glues_left(token, previous_)) {
            fp_.text += ' ';
        }
        fp_.text += text;
        previous_ = &token;
    }

    LexedStatement& lexed_;
    Fingerprint& fp_;
    const Token* previous_ = nullptr;
};

} // namespace

void build_fingerprint(LexedStatement& lexed) {
    TextBuilder(lexed).run();
}

} // namespace shardgate::parser::detail
