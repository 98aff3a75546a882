// Byte spans of a scatter read's table references, for ownership filters (see merge.hpp).
#include "shardgate/parser/lexer.hpp"
#include "shardgate/parser/parser.hpp"
#include "shardgate/router/merge.hpp"

namespace shardgate::router {

std::optional<std::vector<parser::TableSpan>>
table_spans(const Plan& plan, std::string_view sql, parser::Dialect dialect, parser::LexMode mode) {
    if (plan.table_uses == nullptr) {
        return std::nullopt;
    }
    parser::LexedStatement lexed;
    if (!parser::lex(sql, dialect, lexed, mode)) {
        return std::nullopt;
    }
    const auto parsed = parser::parse(lexed);
    if (!parsed) {
        return std::nullopt;
    }
    const auto& uses = *plan.table_uses;
    std::vector<parser::TableSpan> spans;
    for (const auto& ref : parsed->facts.tables) {
        if (ref.cte_reference) {
            continue;
        }
        // the plan's uses come from the same references, in the same order (analyze.cpp)
        const auto& shown = ref.alias.empty() ? ref.name : ref.alias;
        if (spans.size() == uses.size() || uses[spans.size()].qualifier != shown) {
            return std::nullopt;
        }
        spans.push_back(ref.span);
    }
    if (spans.size() != uses.size()) {
        return std::nullopt;
    }
    return spans;
}

} // namespace shardgate::router
