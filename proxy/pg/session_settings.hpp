// Session state a client sets with SET/RESET (and startup parameters): recorded by the
// session and replayed on whichever pooled backend connection serves it next.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace shardgate::proxy::pg {

/// Ordered name -> SET statement text. Compared by text to decide whether a backend needs a
/// replay (see BackendConnection::applied_settings).
class SessionSettings {
public:
    /// What apply() made of a SET/RESET statement.
    struct Outcome {
        std::string tag;   ///< CommandComplete tag to answer with: "SET" or "RESET"
        std::string error; ///< non-empty: answer 0A000 with this message instead
    };

    /// Records `SET [SESSION] name {TO|=} value`, `SET TIME ZONE value`, `RESET name`,
    /// `RESET ALL`. SET LOCAL and SET TRANSACTION outside a transaction have no effect
    /// (as in PostgreSQL, which only warns). `SET SESSION CHARACTERISTICS AS TRANSACTION`
    /// is recorded as the default_transaction_* parameters; a search_path that does not
    /// search `public` first is refused (routing assumes unqualified tables are there).
    Outcome apply(std::string_view sql);
    /// Records a startup parameter (client_encoding, DateStyle, application_name, ...).
    void set_parameter(std::string_view name, std::string_view value);
    void clear() {
        statements_.clear();
        utc_ = true;
    }

    /// "RESET ALL; SET ...; SET ..." — the text that brings a backend to this state.
    std::string replay_sql() const;
    /// Whether dates print in ISO order (the session did not set another DateStyle), so
    /// their text sorts like their values.
    bool iso_dates() const;
    /// Whether the session's TimeZone is UTC (by name or offset; not set, DEFAULT or LOCAL:
    /// the servers' default, which shardgate announces as UTC).
    bool utc_time_zone() const { return utc_; }
    /// Identity of the current state, for comparison with what a backend has applied.
    const std::map<std::string, std::string>& statements() const { return statements_; }

private:
    Outcome apply_characteristics(std::string_view sql);
    /// Recomputes utc_ after the timezone entry may have changed.
    void zone_changed();
    /// Whether a recorded `SET timezone ...` / `SET TIME ZONE ...` names UTC (comments cut).
    static bool reads_utc(const std::string& statement);

    std::map<std::string, std::string> statements_;
    bool utc_ = true;
};

} // namespace shardgate::proxy::pg
