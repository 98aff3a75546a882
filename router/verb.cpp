// Session verbs: the leading words of a statement, read once from the planner's tokens.
#include "router/verb.hpp"

#include <array>
#include <cctype>

namespace shardgate::router {

namespace {

using parser::Dialect;
using parser::TokenKind;

/// The first `N` words of the statement, lower case; "" past the first non-word token.
template <std::size_t N> std::array<std::string, N> leading(const parser::LexedStatement& lexed) {
    std::array<std::string, N> words;
    for (std::size_t i = 0; i < N && i < lexed.tokens.size(); ++i) {
        const auto& token = lexed.tokens[i];
        if (token.kind != TokenKind::word) {
            break;
        }
        for (const char c : lexed.text(token)) {
            words[i].push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
        }
    }
    return words;
}

/// ROLLBACK [WORK | TRANSACTION] TO ...: the word after the optional noise word.
Verb rollback_verb(const std::string& second, const std::string& third) {
    const bool noise = second == "work" || second == "transaction";
    if (second == "prepared") {
        return Verb::two_phase;
    }
    return (noise ? third : second) == "to" ? Verb::rollback_to : Verb::rollback;
}

} // namespace

Verb verb_of(const parser::LexedStatement& lexed) {
    const auto words = leading<3>(lexed);
    const auto& first = words[0];
    const auto& second = words[1];
    const bool pg = lexed.dialect == Dialect::pg;
    if (first == "begin") {
        return Verb::begin;
    }
    if (first == "start") {
        return second == "transaction" ? Verb::start_transaction : Verb::other;
    }
    if (first == "commit" || (pg && first == "end")) {
        return second == "prepared" ? Verb::two_phase : Verb::commit;
    }
    if (first == "rollback" || (pg && first == "abort")) {
        return rollback_verb(second, words[2]);
    }
    if (first == "savepoint") {
        return Verb::savepoint;
    }
    if (first == "release") {
        return Verb::release;
    }
    if (first == "xa") {
        return Verb::two_phase;
    }
    if (first == "set") {
        return Verb::set;
    }
    if (first == "use") {
        return Verb::use;
    }
    if (first == "prepare") {
        return second == "transaction" ? Verb::two_phase : Verb::prepare;
    }
    if (first == "execute") {
        return Verb::execute;
    }
    if (first == "deallocate") {
        return Verb::deallocate;
    }
    if (pg) {
        if (first == "reset") {
            return Verb::reset;
        }
        if (first == "discard") {
            return Verb::discard;
        }
        if (first == "listen") {
            return Verb::listen;
        }
        if (first == "unlisten") {
            return Verb::unlisten;
        }
        if (first == "copy") {
            return Verb::copy;
        }
        return Verb::other;
    }
    if (first == "kill") {
        return Verb::kill;
    }
    if (first == "describe" || first == "desc") {
        return Verb::describe;
    }
    return Verb::other;
}

} // namespace shardgate::router
