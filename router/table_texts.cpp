// Where a scatter read's tables are written in its statement, for ownership filters (see
// merge.hpp).
#include "shardgate/parser/lexer.hpp"
#include "shardgate/parser/parser.hpp"
#include "shardgate/router/merge.hpp"

#include <algorithm>
#include <cctype>

namespace shardgate::router {

namespace {

bool same_ignoring_case(std::string_view a, std::string_view b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) ==
               std::tolower(static_cast<unsigned char>(y));
    });
}

} // namespace

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
            !same_ignoring_case(uses[texts.size()].qualifier, name)) {
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
