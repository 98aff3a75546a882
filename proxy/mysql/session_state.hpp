// What a MySQL statement does to session state, read from its text without a full parse:
// which effects pin the client to its backend connection (user variables, temporary tables,
// locks, LAST_INSERT_ID(), FOUND_ROWS(), ...), and the session variables SET assigns, kept
// for replay on the next backend connection. Pure functions; unit tested.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace shardgate::proxy::mysql {

/// Effects of a statement on session state that live only on the backend connection.
struct StatementEffects {
    bool user_variable = false;      ///< @name outside quotes
    bool temporary_table = false;    ///< CREATE/DROP TEMPORARY TABLE
    bool named_lock = false;         ///< GET_LOCK / RELEASE_LOCK / IS_USED_LOCK ...
    bool table_lock = false;         ///< LOCK TABLES / UNLOCK TABLES / FLUSH ... WITH READ LOCK
    bool last_insert_id = false;     ///< LAST_INSERT_ID(), @@identity, @@last_insert_id
    bool last_insert_id_set = false; ///< LAST_INSERT_ID(expr): sets the value
    bool found_rows = false;         ///< FOUND_ROWS() / SQL_CALC_FOUND_ROWS / ROW_COUNT()
    bool calc_found_rows = false;    ///< SQL_CALC_FOUND_ROWS: sets FOUND_ROWS()
    bool reads_row_counts = false;   ///< FOUND_ROWS() / ROW_COUNT(): read the last statement's
    bool reads_found_rows = false;   ///< FOUND_ROWS(): reads the last SELECT's
    bool reads_sequence = false;     ///< LASTVAL(s) / PREVIOUS VALUE FOR s
    bool advances_sequence = false;  ///< NEXTVAL(s) / NEXT VALUE FOR s
    bool sql_prepared = false;       ///< PREPARE / EXECUTE / DEALLOCATE (SQL level), HANDLER
    bool local_infile = false;       ///< LOAD DATA LOCAL INFILE / LOAD XML LOCAL
    /// CALL: the procedure's body is not visible here and may leave temporary tables,
    /// variables or locks behind.
    bool procedure_call = false;

    /// The statement leaves state on its backend connection: keep the client there.
    bool pins() const {
        return user_variable || temporary_table || named_lock || table_lock || sql_prepared ||
               procedure_call;
    }
    /// The statement reads state an earlier statement left on a backend connection.
    bool reads_state() const { return user_variable || last_insert_id || found_rows; }
};

StatementEffects scan_effects(std::string_view sql);

/// For `SELECT FOUND_ROWS()` with nothing else but an optional alias (`[AS] name`) and a
/// trailing `;`: the column's name as the server would give it. Nullopt for anything else.
std::optional<std::string> found_rows_label(std::string_view sql);

/// What a SET statement is, for the proxy.
enum class SetKind {
    session,  ///< only session system variables / NAMES / CHARACTER SET: tracked and replayed
    pinning,  ///< user variables, SET TRANSACTION, STATEMENT ... FOR, values from @vars: pin
    global,   ///< SET GLOBAL / @@global.: run on the default shard, not tracked
    password, ///< SET PASSWORD / ROLE / DEFAULT ROLE: refused
};

/// Session variables set by the client, in the order first set; replayed as one SET.
class SessionSettings {
public:
    /// Classifies a SET statement; for `session` the assignments are recorded.
    SetKind apply(std::string_view set_statement);
    /// Records `name = value` (e.g. from session_track_system_variables in an OK packet).
    void record(std::string_view name, std::string_view value);
    void clear() {
        entries_.clear();
        zone_unknown_ = false;
    }
    bool empty() const { return entries_.empty(); }
    /// "SET a = 1, NAMES utf8mb4, ..." (empty when nothing is set).
    std::string replay_sql() const;
    /// The recorded assignment of `key` ("sql_mode = 'ANSI'"), or nullptr.
    const std::string* assignment(std::string_view key) const;
    /// Whether the session's time_zone is UTC: not set, or set to '+00:00', 'UTC' and the
    /// like, or DEFAULT (the servers' global zone, which must be UTC: see shardmaps.md,
    /// "time"); false for another zone, SYSTEM (the host's zone, not checked), a value
    /// shardgate does not read (an expression) or after zone_unknown().
    bool utc_time_zone() const;
    /// A statement changed time_zone in a way not recorded here (SET time_zone = @v, a SET
    /// shardgate runs without reading): not UTC until time_zone is recorded again.
    void zone_unknown() { zone_unknown_ = true; }

private:
    void put(std::string key, std::string assignment);

    std::vector<std::pair<std::string, std::string>> entries_;
    bool zone_unknown_ = false;
};

/// The value a `sql_mode = value` assignment gives: the literal's text, "DEFAULT" for the
/// server's default, or nullopt for an expression shardgate does not evaluate.
std::optional<std::string> sql_mode_value(std::string_view assignment);

/// The value of a `sql_mode = expression` assignment built from the session's current mode
/// (`current`) by the forms drivers send: `CONCAT(@@sql_mode, ',X')` (Connector/J),
/// `REPLACE(@@sql_mode, 'X', '')`, string literals, nested; nullopt for anything else.
std::optional<std::string> evaluate_sql_mode(std::string_view assignment, std::string_view current);

/// Classification of a SET statement without recording anything.
SetKind classify_set(std::string_view set_statement,
                     std::vector<std::pair<std::string, std::string>>* assignments = nullptr);

} // namespace shardgate::proxy::mysql
