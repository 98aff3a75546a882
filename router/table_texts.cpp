// Where a scatter read's tables are written in its statement, for ownership filters (see
// merge.hpp).
#include "router/names.hpp"
#include "shardgate/parser/lexer.hpp"
#include "shardgate/parser/parser.hpp"
#include "shardgate/router/merge.hpp"

namespace shardgate::router {

std::optional<std::vector<TableText>> table_texts(const Plan& plan, std::string_view sql,
                                                  parser::Dialect dialect, parser::LexMode mode) {
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
    std::vector<TableText> texts;
    for (const auto& ref : parsed->facts.tables) {
        if (ref.cte_reference) {
            continue;
        }
        // The plan's uses come from the same references, in the same order (analyze.cpp);
        // statements of one fingerprint may spell an alias in another case.
        const auto& name = ref.alias.empty() ? ref.name : ref.alias;
        if (texts.size() == uses.size() ||
            !equal_ignoring_case(uses[texts.size()].qualifier, name)) {
            return std::nullopt;
        }
        texts.push_back({ref.span, name});
    }
    if (texts.size() != uses.size()) {
        return std::nullopt;
    }
    return texts;
}

} // namespace shardgate::router
