// parse(): lex, run the X3 grammar over the tokens within the work budget, extract facts.
#include "facts/builder.hpp"
#include "grammar/rules.hpp"
#include "shardgate/parser/limits.hpp"
#include "shardgate/parser/parser.hpp"

namespace shardgate::parser {
namespace {

Error syntax_error(const LexedStatement& lexed, const grammar::ParseState& state) {
    const Token& at = *state.furthest;
    if (state.steps_left == 0) {
        return Error{at.offset, "statement too complex to parse"};
    }
    if (at.kind == TokenKind::end) {
        return Error{at.offset, "syntax error at end of statement"};
    }
    std::string near(lexed.text(at).substr(0, 40));
    return Error{at.offset, "syntax error at or near \"" + near + "\""};
}

} // namespace

Result<ParsedStatement> parse(const LexedStatement& lexed) {
    grammar::ParseState& state = grammar::parse_state();
    state.lexed = &lexed;
    state.steps_left = lexed.tokens.size() * parse_steps_per_token + 4096;
    const Token* first = lexed.tokens.data();
    const Token* const last = first + lexed.tokens.size() - 1;
    state.furthest = first;
    ParsedStatement out;
    const bool ok = grammar::x3::parse(first, last, grammar::statement, out.ast);
    if (!ok || first != last) {
        if (first > state.furthest) {
            state.furthest = first;
        }
        Error e = syntax_error(lexed, state);
        state.lexed = nullptr;
        return e;
    }
    state.lexed = nullptr;
    out.fingerprint = lexed.fingerprint;
    detail::FactsBuilder(lexed, out.facts).build(out.ast);
    return out;
}

Result<ParsedStatement> parse(std::string_view sql, Dialect dialect) {
    LexedStatement lexed;
    if (Status s = lex(sql, dialect, lexed); !s) {
        return s.error();
    }
    return parse(lexed);
}

} // namespace shardgate::parser
