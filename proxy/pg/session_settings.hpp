// Session state a client sets with SET/RESET (and startup parameters): recorded by the
// session and replayed on whichever pooled backend connection serves it next.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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
    /// `in_transaction`: run inside a transaction block, where SET LOCAL of the time zone
    /// counts until the block ends, and what a session SET records is undone if it rolls back
    /// (transaction_ended).
    Outcome apply(std::string_view sql, bool in_transaction = false);
    /// A statement called set_config() (StatementFacts::calls_set_config). When its text or
    /// one of its parameters mentions "zone" (TimeZone), the zone is unknown from now on: until
    /// the transaction block ends (`session_scope` false: is_local true) or until the session
    /// sets or resets it by name. `implicit_block`: the statements up to the next
    /// transaction_ended() are one transaction without a BEGIN (an extended-protocol batch).
    void set_config_called(std::string_view text,
                           std::span<const std::optional<std::string>> params, bool session_scope,
                           bool in_transaction, bool implicit_block = false);
    /// The transaction block ended: SET LOCAL's zone ends; a rollback undoes what the block's
    /// session SETs recorded (as the server undoes them).
    void transaction_ended(bool rolled_back);
    /// A savepoint statement of the current transaction block (`sql`: its text): SAVEPOINT
    /// takes a snapshot of the settings under its name; ROLLBACK TO restores the latest one of
    /// that name, as the server undoes what was SET (SET LOCAL too) after it, and keeps it;
    /// RELEASE forgets it and those taken after it. A ROLLBACK TO whose name was not seen
    /// makes the zone unknown until the block ends.
    void savepoint(std::string_view sql);
    void rollback_to(std::string_view sql);
    void release(std::string_view sql);
    /// The zone is unknown until the transaction block ends (a Query whose statements changed
    /// it in ways not recorded here left the session in a block).
    void local_zone_unknown();
    /// Records a startup parameter (client_encoding, DateStyle, application_name, ...).
    void set_parameter(std::string_view name, std::string_view value);
    void clear() {
        statements_.clear();
        utc_ = true;
        zone_unknown_ = false;
        local_zone_utc_.reset();
        local_.clear();
        before_.reset();
        savepoints_.clear();
    }

    /// "RESET ALL; SET ...; SET ..." — the text that brings a backend to this state.
    std::string replay_sql() const;
    /// Whether dates print in ISO order (the session did not set another DateStyle), so
    /// their text sorts like their values.
    bool iso_dates() const;
    /// Whether the session's TimeZone is UTC (by name or offset; not set, DEFAULT or LOCAL:
    /// the servers' default, which shardgate announces as UTC); false when set_config()
    /// changed it to a value shardgate did not read.
    bool utc_time_zone() const {
        return local_zone_utc_ ? *local_zone_utc_ : utc_ && !zone_unknown_;
    }
    /// "SET LOCAL ...; SET TRANSACTION ..." of the current transaction block ("" when none): run
    /// after the BEGIN on each backend the block starts on (it may have been answered before one
    /// was chosen, or be needed again on a shard the block joins).
    std::string local_sql() const;
    /// Identity of the current state, for comparison with what a backend has applied.
    const std::map<std::string, std::string>& statements() const { return statements_; }

private:
    Outcome apply_characteristics(std::string_view sql);
    /// Recomputes utc_ after the timezone entry may have changed.
    void zone_changed();
    /// Whether a recorded `SET timezone ...` / `SET TIME ZONE ...` names UTC (comments cut).
    static bool reads_utc(const std::string& statement);

    /// What a rollback of the current transaction block restores.
    struct Before {
        std::map<std::string, std::string> statements;
        bool zone_unknown = false;
    };
    /// Taken at the first change inside a transaction block.
    void remember_before();
    /// Everything a ROLLBACK TO SAVEPOINT restores.
    struct Snapshot {
        std::map<std::string, std::string> statements;
        bool zone_unknown = false;
        std::optional<bool> local_zone_utc;
        std::vector<std::pair<std::string, std::string>> local;
    };
    /// The index of the latest savepoint named as in `sql`'s last word, or npos.
    std::size_t find_savepoint(std::string_view sql) const;
    /// Forgets the SET LOCALs of `name` (a session-level SET of it replaces them).
    void drop_local(const std::string& name);

    std::map<std::string, std::string> statements_;
    bool utc_ = true;
    /// set_config() changed the zone for the session (until SET/RESET of the zone).
    bool zone_unknown_ = false;
    /// The zone until the transaction block ends (SET LOCAL, set_config(..., true)): UTC or
    /// not (unknown counts as not).
    std::optional<bool> local_zone_utc_;
    std::optional<Before> before_;
    /// The SET LOCAL / SET TRANSACTION statements of the current transaction block, in order,
    /// with the parameter each sets ("timezone", "transaction", ...).
    std::vector<std::pair<std::string, std::string>> local_;
    /// The savepoints of the current transaction block, oldest first, by name; at most
    /// max_savepoints (a client that sets one per statement, as pgjdbc's autosave does).
    std::vector<std::pair<std::string, Snapshot>> savepoints_;
    static constexpr std::size_t max_savepoints = 256;
};

} // namespace shardgate::proxy::pg
