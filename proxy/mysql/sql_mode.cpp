// The session's sql_mode as far as reading statements goes: backslash escapes in strings
// (off under NO_BACKSLASH_ESCAPES) and double quotes (identifiers under ANSI_QUOTES).
#include "client_session.hpp"
#include "worker.hpp"

namespace shardgate::proxy::mysql {

std::string ClientSession::server_sql_mode() {
    if (db_ == nullptr) {
        return {}; // no database selected yet
    }
    const auto& registry = worker_.read_router().registry();
    const auto* backends = registry.shard(database_, db_->default_shard());
    const auto view = registry.view();
    if (backends == nullptr || !view || backends->primary >= view->states.size()) {
        return {};
    }
    return view->states[backends->primary].engine.sql_mode;
}

std::optional<std::string> ClientSession::refresh_lex_mode() {
    const auto* assignment = settings_.assignment("sql_mode");
    std::string mode;
    if (assignment == nullptr) {
        mode = server_sql_mode();
    } else if (auto value = sql_mode_value(*assignment)) {
        mode = *value == "DEFAULT" ? server_sql_mode() : std::move(*value);
    } else if (auto evaluated = evaluate_sql_mode(*assignment, sql_mode_)) {
        // Recorded as the literal it produced, so a replay on another backend (which starts
        // from the server's default) sets the same mode.
        settings_.record("sql_mode", *evaluated);
        mode = std::move(*evaluated);
    } else {
        return std::string("not supported: this SET sql_mode expression; shardgate reads "
                           "statements by the mode (NO_BACKSLASH_ESCAPES, ANSI_QUOTES) and "
                           "follows literals, CONCAT(@@sql_mode, ...) and REPLACE(@@sql_mode, "
                           "...); set a literal list, e.g. SET sql_mode = "
                           "'STRICT_TRANS_TABLES,ANSI_QUOTES'");
    }
    lex_mode_ = parser::lex_mode_from_sql_mode(mode);
    sql_mode_ = std::move(mode);
    return std::nullopt;
}

} // namespace shardgate::proxy::mysql
