// A routing plan: where one statement runs and what a cross-shard merge would need.
#pragma once

#include "shardgate/parser/facts.hpp"
#include "shardgate/shardmaps/shard.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace shardgate::router {

/// What kind of plan: run on one shard, several with a merge, every shard of a table, not at
/// all (with the reason), or in the session itself (transaction control, SET, USE).
enum class PlanKind : std::uint8_t { route, scatter, broadcast, reject, session };

/// Which server of a shard runs the statement.
enum class Role : std::uint8_t { primary, replica };

/// What a statement does to the session, read from its leading words when it is planned, so a
/// data plane acts on it without reading the SQL text again. `other`: only routed.
enum class Verb : std::uint8_t {
    other,
    begin,             ///< BEGIN [WORK | TRANSACTION ...]
    start_transaction, ///< START TRANSACTION ...
    commit,            ///< COMMIT, END (PostgreSQL)
    rollback,          ///< ROLLBACK, ABORT (PostgreSQL)
    rollback_to,       ///< ROLLBACK [WORK | TRANSACTION] TO [SAVEPOINT] name
    savepoint,         ///< SAVEPOINT name
    release,           ///< RELEASE [SAVEPOINT] name
    two_phase,         ///< PREPARE TRANSACTION, COMMIT/ROLLBACK PREPARED, XA ...
    set,               ///< SET ... (every form; the session's settings tracker reads it)
    reset,             ///< RESET name | ALL (PostgreSQL)
    discard,           ///< DISCARD ... (PostgreSQL)
    use,               ///< USE database
    prepare,           ///< SQL-level PREPARE name ...
    execute,           ///< SQL-level EXECUTE name ...
    deallocate,        ///< SQL-level DEALLOCATE ...
    listen,            ///< LISTEN channel (PostgreSQL)
    unlisten,          ///< UNLISTEN channel | * (PostgreSQL)
    copy,              ///< COPY ... (PostgreSQL)
    kill,              ///< KILL ... (MySQL)
    describe,          ///< DESCRIBE / DESC table (MySQL)
};

std::string_view plan_kind_name(PlanKind kind);
std::string_view role_name(Role role);
std::string_view verb_name(Verb verb);

/// Transaction control that ends the transaction: COMMIT, ROLLBACK (not ROLLBACK TO).
inline bool ends_transaction(Verb verb) {
    return verb == Verb::commit || verb == Verb::rollback;
}
/// SQL-level prepared statements: PREPARE, EXECUTE, DEALLOCATE.
inline bool is_sql_prepared(Verb verb) {
    return verb == Verb::prepare || verb == Verb::execute || verb == Verb::deallocate;
}
/// A statement that changes the session's settings: SET, RESET.
inline bool changes_settings(Verb verb) {
    return verb == Verb::set || verb == Verb::reset;
}

/// One ORDER BY key of a scatter merge: 0-based select-list column (or -1 when the key is not
/// in the select list, which a merge cannot sort by), direction and NULL placement.
struct MergeKey {
    std::string text;
    std::int32_t output = -1;
    bool descending = false;
    parser::ast::NullsOrder nulls = parser::ast::NullsOrder::unspecified;
};

/// One select-list aggregate a merge must combine (COUNT and SUM add, MIN/MAX compare, AVG
/// needs SUM and COUNT from each shard).
struct MergeAggregate {
    std::int32_t output = 0;
    parser::Aggregate function = parser::Aggregate::none;
    bool distinct = false;
    /// AVG: its argument as written, for the shards' SUM and COUNT of it.
    std::string argument{};
    /// The argument when it is a plain column (its name) or `*` (COUNT(*)): how a HAVING
    /// condition finds the aggregate in the select list.
    std::string argument_column{};
    bool argument_star = false;
};

/// The value of one literal of a HAVING condition, bound per statement.
struct HavingValue {
    bool known = false;              ///< false: a parameter shardgate was not given
    std::optional<std::string> text; ///< nullopt: NULL
};

/// What a scatter needs to combine per-shard results into one.
struct MergeSpec {
    std::vector<MergeKey> order_by;
    std::vector<MergeKey> group_by;
    std::vector<MergeAggregate> aggregates;
    bool distinct = false;
    /// LIMIT / OFFSET values when shardgate can read them (literals, bound parameters);
    /// `has_limit` / `has_offset` say whether the clause is there at all.
    std::optional<std::uint64_t> limit;
    std::optional<std::uint64_t> offset;
    bool has_limit = false;
    bool has_offset = false;
    /// Byte offsets in the statement of LIMIT / OFFSET values written as integer literals
    /// (not parameters): where the shard statement is rewritten for an OFFSET.
    std::optional<std::uint32_t> limit_at;
    std::optional<std::uint32_t> offset_at;
    /// The select list has `*` (ORDER BY keys are then found by name in the result).
    bool select_star = false;
    /// Byte offset of the top-level FROM of a plain SELECT: where hidden sort columns go.
    std::optional<std::uint32_t> select_end;
    /// A multi-row INSERT whose rows belong to several shards: split the rows per shard;
    /// `insert_row_shards[i]` is VALUES row i's index in Plan::shards (bound per statement).
    bool split_insert_rows = false;
    std::vector<std::uint32_t> insert_row_shards;
    /// COPY ... FROM STDIN into a sharded table (Plan::tables[0]): the data plane cuts the
    /// client's rows per shard by their key field (router/copy_split.hpp).
    bool split_copy_rows = false;
    /// HAVING or window functions: shards would compute them over partial data.
    bool having = false;
    bool window = false;
    /// The HAVING condition (root last), evaluated by shardgate after the merge; the values of
    /// its literals, two per node (left and right operand); the clause's byte range in this
    /// statement (`HAVING ...` up to the next clause), which the shards do not run.
    std::vector<parser::HavingNode> having_nodes;
    std::vector<HavingValue> having_values;
    std::optional<std::uint32_t> having_begin;
    std::optional<std::uint32_t> having_end;
    /// Where the top-level GROUP BY list ends, and where the clauses after WHERE start (HAVING,
    /// ORDER BY, LIMIT, ... or the end): where an aggregate of DISTINCT values adds its
    /// argument to the shards' grouping. This statement's byte offsets.
    std::optional<std::uint32_t> group_by_end;
    std::optional<std::uint32_t> clauses_at;
    /// A plain SELECT: just after its top-level WHERE keyword (nullopt: no WHERE), and where its
    /// FROM ... WHERE part ends (also with ROLLUP): where an ownership filter goes
    /// (shard_statement's `filter`). This statement's byte offsets.
    std::optional<std::uint32_t> where_at;
    std::optional<std::uint32_t> filter_at;

    bool empty() const {
        return order_by.empty() && group_by.empty() && aggregates.empty() && !distinct && !limit &&
               !offset && !has_limit && !has_offset && !split_insert_rows && !split_copy_rows &&
               !having && !window;
    }
};

/// Keys shardgate generates (a table's `id` setting, docs/global-ids.md): an INSERT whose rows
/// do not give the key (the column is not listed, or a row says DEFAULT), or `SELECT
/// nextval('seq')` of the counter (`next_value`). The data plane takes `count` ids from the
/// counter on `counter_shard` and, for an INSERT, routes the statement rewritten with them
/// (router/key_fill.hpp).
struct GeneratedKeys {
    std::string table;
    std::string column;   ///< the key column
    std::string sequence; ///< the counter's name
    shardmaps::ShardId counter_shard = 0;
    std::uint32_t block = 100;
    std::int64_t start = 1;
    /// The key's place in the INSERT's column list; -1 when the list does not name it.
    std::int32_t column_index = -1;
    std::uint32_t count = 0; ///< ids the statement needs
    bool next_value = false;
    /// next_value: the answer's column name (the select item's alias, if any).
    std::string label;
};

/// An UPDATE that gives rows a shard key of another shard (the database's `shard_key_updates:
/// move`): on each shard of Plan::shards the rows are updated, read, deleted and inserted on
/// `shard` (common/key_move), inside one distributed transaction.
struct KeyMove {
    std::string table;
    std::string column;
    std::string key;       ///< the new key value, as text
    bool text_key = false; ///< quote it as a string (text and time keys)
    shardmaps::ShardId shard = 0;
    std::string shard_name;
    /// Written after the key in the statements that find the moved rows again, so that it
    /// reads as the column stores it ("::timestamptz(0)": PostgreSQL rounds to the column's
    /// fractional digits); empty when the text reads alike.
    std::string key_cast;
};

/// A table as a statement reads it: its name as the map spells it (as written when the map does
/// not list it), the name its columns are qualified with there (its alias, else its name as
/// written), and whether the top-level query block reads it (its FROM list and joins; not a
/// subquery, derived table or WITH query).
struct TableUse {
    std::string table;
    std::string qualifier;
    bool top = false;
};

/// The outcome of routing one statement. Plain data; printable with describe().
struct Plan {
    PlanKind kind = PlanKind::reject;
    Role role = Role::primary;
    std::string database;
    /// Shards that run the statement, ascending ids, with their names.
    std::vector<shardmaps::ShardId> shards;
    std::vector<std::string> shard_names;
    /// Tables the statement names (CTE names excluded), in order of appearance.
    std::vector<std::string> tables;
    /// A scatter read (SELECT): each place it reads a table (shared with the cached plan, so
    /// no copy per statement); null for other plans.
    std::shared_ptr<const std::vector<TableUse>> table_uses;
    /// Why this plan: for reject the error for the client, otherwise an explanation.
    std::string reason;
    /// SQLSTATE for a reject (0A000 not supported, 42000 syntax, 22023 bad key, ...).
    std::string sqlstate;
    MergeSpec merge;
    /// The statement's digest and whether the plan came from the plan cache.
    std::string fingerprint;
    bool cached = false;
    /// Facts the proxies need besides the target.
    parser::StatementKind statement = parser::StatementKind::select;
    Verb verb = Verb::other;
    bool is_write = false;
    /// The statement returns rows of what it wrote (RETURNING).
    bool returning = false;
    /// A write of a reference table: every shard holds the same rows, so the statement's
    /// count (rows written, RETURNING rows) is one shard's.
    bool copies = false;
    /// The statement reads the value the session's last nextval() left on its backend
    /// connection: currval(), lastval(), MariaDB's PREVIOUS VALUE FOR / LASTVAL().
    bool reads_sequence_state = false;
    /// ... and one it advances itself first (nextval(), NEXT VALUE FOR) may read it.
    bool advances_sequence = false;
    /// What the statement leaves on the server session past its transaction (a temporary
    /// table, an advisory lock, a session setting through set_config()); empty: nothing.
    std::string_view session_state;
    /// Calls set_config() (see StatementFacts::calls_set_config).
    bool calls_set_config = false;
    /// Hint `max_lag_ms=N`.
    std::optional<std::uint32_t> max_lag_ms;
    /// Hint `cache_ttl_ms=N`: the answer may come from (and go to) the result cache.
    std::optional<std::uint32_t> cache_ttl_ms;
    /// Single-shard plans whose shard was decided by shard-key values (`key = v`,
    /// `key IN (...)`): a hash of those values for the `hash` balancing policy. It is the
    /// placement function of the canonical key, `keyspace_id(canonical text)`, for one value
    /// (several values: their hashes sorted and mixed), so equal keys hash equally whether
    /// they came as literals or parameters, from either protocol. Empty otherwise (no key,
    /// ranges, vertical tables, hints, scatter plans). Bound per statement, never cached.
    std::optional<std::uint64_t> key_hash;
    /// Set (with kind reject, so a path that cannot generate keys refuses the statement): the
    /// statement needs keys shardgate generates.
    std::optional<GeneratedKeys> generated_keys;
    /// Set (with kind reject, so a path that cannot move rows refuses the statement): the
    /// UPDATE moves rows to another shard.
    std::optional<KeyMove> key_move;
};

/// A few lines for people, as `shardctl route` prints them.
std::string describe(const Plan& plan);

} // namespace shardgate::router
