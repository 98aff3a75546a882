// The session's sql_mode as far as reading statements goes: backslash escapes in strings
// (off under NO_BACKSLASH_ESCAPES) and double quotes (identifiers under ANSI_QUOTES).
#include "client_session.hpp"
#include "worker.hpp"

namespace shardgate::proxy::mysql {

parser::LexMode ClientSession::server_lex_mode() {
    if (db_ == nullptr) {
        return {}; // no database selected yet
    }
    const auto& registry = worker_.read_router().registry();
    const auto* backends = registry.shard(database_, db_->default_shard());
    const auto view = registry.view();
    if (backends == nullptr || !view || backends->primary >= view->states.size()) {
        return {};
    }
    return parser::lex_mode_from_sql_mode(view->states[backends->primary].engine.sql_mode);
}

std::optional<std::string> ClientSession::refresh_lex_mode() {
    const auto* assignment = settings_.assignment("sql_mode");
    if (assignment == nullptr) {
        lex_mode_ = server_lex_mode();
        return std::nullopt;
    }
    const auto value = sql_mode_value(*assignment);
    if (!value) {
        return std::string("not supported: SET sql_mode to an expression; shardgate reads "
                           "statements by the mode (NO_BACKSLASH_ESCAPES, ANSI_QUOTES), so set a "
                           "literal list, e.g. SET sql_mode = 'STRICT_TRANS_TABLES,ANSI_QUOTES'");
    }
    lex_mode_ = *value == "DEFAULT" ? server_lex_mode() : parser::lex_mode_from_sql_mode(*value);
    return std::nullopt;
}

} // namespace shardgate::proxy::mysql
