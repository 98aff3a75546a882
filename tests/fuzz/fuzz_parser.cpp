// libFuzzer target: full parse (lexer, X3 grammar, facts). The first byte picks the dialect
// (bit 0) and, for MySQL, the sql_mode's NO_BACKSLASH_ESCAPES (bit 1) and ANSI_QUOTES (bit 2).
#include "shardgate/parser/lexer.hpp"
#include "shardgate/parser/parser.hpp"

#include <cstdint>
#include <cstdlib>

using namespace shardgate::parser;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    const Dialect dialect = (data[0] & 1) ? Dialect::pg : Dialect::mysql;
    LexMode mode;
    mode.backslash_escapes = (data[0] & 2) == 0;
    mode.ansi_quotes = (data[0] & 4) != 0;
    const std::string_view sql(reinterpret_cast<const char*>(data + 1), size - 1);
    LexedStatement lexed;
    if (!lex(sql, dialect, lexed, mode)) {
        return 0;
    }
    auto result = parse(lexed);
    if (!result) {
        if (result.error().position > sql.size()) {
            std::abort();
        }
        return 0;
    }
    // Every literal reference in the facts must point into the literal list.
    const auto literal_count = static_cast<std::int32_t>(result->fingerprint.literals.size());
    for (const PredicateNode& node : result->facts.predicates) {
        for (const ValueRef& v : node.comparison.values) {
            if (v.literal >= literal_count) {
                std::abort();
            }
        }
    }
    return 0;
}
