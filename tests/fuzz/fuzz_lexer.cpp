// libFuzzer target: lexer and fingerprint. First byte picks the dialect.
#include "shardgate/parser/lexer.hpp"

#include <cstdint>
#include <cstdlib>

using namespace shardgate::parser;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    const Dialect dialect = (data[0] & 1) ? Dialect::pg : Dialect::mysql;
    const std::string_view sql(reinterpret_cast<const char*>(data + 1), size - 1);
    LexedStatement lexed;
    if (!lex(sql, dialect, lexed)) {
        return 0;
    }
    // Invariants: tokens lie inside the text, slots cover the literals exactly once, except
    // a literal kept in the text because it names an object (nextval('s')), which has none.
    std::size_t covered = 0;
    std::size_t kept = 0;
    for (const Slot& slot : lexed.fingerprint.slots) {
        if (slot.first + slot.count > lexed.fingerprint.literals.size()) {
            std::abort();
        }
        covered += slot.count;
    }
    for (const Token& t : lexed.tokens) {
        kept += t.kind == TokenKind::literal && t.slot < 0 ? 1 : 0;
    }
    if (covered + kept != lexed.fingerprint.literals.size() ||
        lexed.tokens.back().kind != TokenKind::end) {
        std::abort();
    }
    for (const Token& t : lexed.tokens) {
        if (t.offset + t.length > sql.size()) {
            std::abort();
        }
    }
    return 0;
}
