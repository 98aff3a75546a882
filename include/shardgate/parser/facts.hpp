// Routing facts: what the planner needs to know about a statement, extracted from the AST.
#pragma once

#include "shardgate/parser/ast.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace shardgate::parser {

enum class StatementKind : std::uint8_t {
    select,
    insert,
    replace,
    update,
    delete_,
    transaction,
    set,
    show,
    use,
    ddl,
    maintenance,
    utility,
    merge
};

/// A column as written: `qualifier` is the table name or alias before the dot ("" if none).
struct ColumnName {
    std::string qualifier;
    std::string name;

    bool empty() const { return name.empty(); }
};

/// A value in the statement. For literals and placeholders `literal` indexes
/// Fingerprint::literals and `slot` the fingerprint slot (stable across statements with the
/// same fingerprint: cached plans should store slots).
struct ValueRef {
    enum class Kind : std::uint8_t { literal, column, default_value, expression };
    Kind kind = Kind::expression;
    std::int32_t literal = -1;
    std::int32_t slot = -1;
    ColumnName column;

    bool is_literal() const { return kind == Kind::literal; }
};

enum class CompareOp : std::uint8_t { eq, lt, le, gt, ge, in, between };

/// `column OP values`: one value for eq/lt/le/gt/ge, all items for IN, low and high for
/// BETWEEN. A literal on the left is moved to the right (with the operator mirrored).
/// `list_slot` is the slot of a folded IN list, -1 otherwise.
struct Comparison {
    ColumnName column;
    CompareOp op = CompareOp::eq;
    std::vector<ValueRef> values;
    std::int32_t list_slot = -1;
};

/// A node of a predicate tree. `opaque` stands for anything else (NOT, <>, LIKE, functions,
/// subqueries...): under AND it can be ignored, under OR it makes the OR unusable.
struct PredicateNode {
    enum class Kind : std::uint8_t { and_, or_, comparison, opaque };
    Kind kind = Kind::opaque;
    std::vector<std::uint32_t> children;
    Comparison comparison;
};

/// A query block: the statement itself, a subquery, a CTE body, a UNION branch or a derived
/// table. Its WHERE predicate (index into StatementFacts::predicates) or -1.
struct Scope {
    enum class Kind : std::uint8_t { statement, subquery, cte, union_branch, derived_table };
    Kind kind = Kind::statement;
    std::int32_t parent = -1;
    std::int32_t where = -1;
    /// The block aggregates, groups, de-duplicates, limits or windows its rows (also through a
    /// parenthesised query it consists of): run on several shards it would need its own merge.
    bool shapes_rows = false;
    /// It aggregates without GROUP BY, so it returns a row wherever it runs.
    bool always_one_row = false;
    /// The statement the block runs: select, or the DML of the statement (scope 0) or of a
    /// data-modifying WITH query (PostgreSQL `WITH d AS (DELETE ... RETURNING *) ...`).
    StatementKind writes = StatementKind::select;
};

/// A table named in the statement, in order of appearance.
/// Where a table named in FROM / JOIN is written in the statement, as byte offsets of its
/// text: the reference is [begin, end), its name (with PARTITION / FOR SYSTEM_TIME) [begin,
/// alias_at), then its alias, and what follows that (index hints) [tail_at, end). end == 0:
/// not known (tables named elsewhere).
struct TableSpan {
    std::uint32_t begin = 0;
    std::uint32_t alias_at = 0;
    std::uint32_t tail_at = 0;
    std::uint32_t end = 0;
};

struct TableRef {
    std::string schema;
    std::string name;
    std::string alias;
    std::int32_t scope = 0;
    /// Names a WITH query, not a real table.
    bool cte_reference = false;
    /// Written by the statement (INSERT/UPDATE/DELETE target, DDL subject).
    bool target = false;
    /// How it is joined to the tables before it, and its ON predicate (-1 if none).
    ast::JoinKind join = ast::JoinKind::comma;
    std::int32_t on_predicate = -1;
    /// `JOIN t USING (a, b)`: the columns it is joined on (NATURAL JOIN: `join` is natural).
    std::vector<std::string> using_columns;
    TableSpan span;
};

/// A select-list aggregate. `complex`: an aggregate without a cross-shard merge, or one
/// inside an expression.
enum class Aggregate : std::uint8_t { none, count, sum, min, max, avg, bool_and, bool_or, complex };

struct SelectItemFacts {
    std::string text;
    std::string alias;
    Aggregate aggregate = Aggregate::none;
    bool distinct = false;
    bool star = false;
    ColumnName column;
    /// An aggregate of one plain column (`sum(t.x)`: its `argument`) or COUNT(*)
    /// (`argument_star`); both empty for other arguments.
    ColumnName argument;
    bool argument_star = false;
};

/// An operand of a HAVING condition: an aggregate of a plain column or COUNT(*), a column, a
/// literal or placeholder, or anything else (`other`: the condition cannot be evaluated).
struct HavingOperand {
    enum class Kind : std::uint8_t { aggregate, column, literal, other };
    Kind kind = Kind::other;
    Aggregate function = Aggregate::none;
    bool distinct = false;
    bool star = false; ///< COUNT(*)
    ColumnName column; ///< the aggregate's argument, or the column
    ValueRef value;    ///< a literal
};

/// A node of a HAVING condition: AND/OR/NOT over comparisons of two operands and
/// `IS [NOT] NULL` tests; `other` for anything else.
struct HavingNode {
    enum class Kind : std::uint8_t { and_, or_, not_, compare, is_null, other };
    enum class Compare : std::uint8_t { eq, ne, lt, le, gt, ge };
    Kind kind = Kind::other;
    std::vector<std::uint32_t> children;
    Compare compare = Compare::eq;
    bool negated = false; ///< IS NOT NULL
    HavingOperand lhs;
    HavingOperand rhs;
};

/// An ORDER BY or GROUP BY key; `output` is the 0-based select-list position it matches
/// (by alias, column or ordinal), -1 if none.
struct SortKey {
    std::string text;
    ColumnName column;
    std::int32_t output = -1;
    bool descending = false;
    ast::NullsOrder nulls = ast::NullsOrder::unspecified;
};

struct SelectFacts {
    bool distinct = false;
    std::vector<SelectItemFacts> items;
    std::vector<SortKey> order_by;
    std::vector<SortKey> group_by;
    bool having = false;
    /// The HAVING condition; its root is the last node.
    std::vector<HavingNode> having_nodes;
    bool window = false;
    bool set_operation = false;
    /// The set operators of a top-level UNION/INTERSECT/EXCEPT, left to right.
    std::vector<ast::SetOp> set_ops;
    std::optional<ValueRef> limit;
    std::optional<ValueRef> offset;
};

struct AssignmentFacts {
    ColumnName column;
    ValueRef value;
};

struct InsertFacts {
    std::vector<std::string> columns;
    /// One entry per VALUES row (or the SET list of MySQL's INSERT ... SET).
    std::vector<std::vector<ValueRef>> rows;
    bool from_select = false;
    /// INSERT ... SELECT: the plain column of each select-list item (empty for expressions).
    std::vector<ColumnName> select_columns;
    bool default_values = false;
    std::vector<AssignmentFacts> on_duplicate_update;
    bool on_conflict = false;
    std::vector<std::string> on_conflict_target;
    std::vector<AssignmentFacts> on_conflict_update;
};

struct TransactionFacts {
    ast::TransactionKind kind = ast::TransactionKind::begin;
    ast::AccessMode access = ast::AccessMode::unspecified;
    std::string savepoint;
};

struct StatementFacts {
    StatementKind kind = StatementKind::select;
    bool is_write = false;
    ast::LockMode lock = ast::LockMode::none;
    bool returning = false;
    /// Tables in order of appearance, all scopes.
    std::vector<TableRef> tables;
    /// scopes[0] is the statement; its `where` is the top-level WHERE.
    std::vector<Scope> scopes;
    std::vector<PredicateNode> predicates;
    SelectFacts select;
    InsertFacts insert;
    /// UPDATE SET list.
    std::vector<AssignmentFacts> assignments;
    /// UPDATE/DELETE ORDER BY ... LIMIT (MySQL) use `select.order_by` / `select.limit`.
    TransactionFacts transaction;
    /// SET variables, SHOW (empty), USE database.
    std::vector<std::string> session_names;
    ast::DdlKind ddl = ast::DdlKind::other;
    /// EXPLAIN [ANALYZE] or DESCRIBE: `kind`, tables and predicates are the explained
    /// statement's (a select of the table for DESCRIBE), and so is `is_write`.
    ast::ExplainKind explain = ast::ExplainKind::none;
    /// For StatementKind::utility: which statement (names are in `session_names`).
    ast::UtilityKind utility = ast::UtilityKind::prepare;
    /// For StatementKind::maintenance: which command.
    ast::MaintenanceKind maintenance = ast::MaintenanceKind::vacuum;
    /// `COPY (query) TO` / `COPY t TO`: the facts are the query's (a select of `t`).
    bool copy_to = false;
    /// A WITH query inserts, updates or deletes (its tables are targets in its scope).
    bool modifying_cte = false;
    /// Sequences the statement advances or reads (nextval/currval/setval, MariaDB NEXT VALUE
    /// FOR / PREVIOUS VALUE FOR / lastval), named as the server resolves them (PostgreSQL
    /// 'Name' text folded like an identifier, "schema.name" when qualified); "" when the name
    /// is not a constant. Their name literals stay in the fingerprint text.
    std::vector<std::string> sequences;
    /// Reads what only the session that advanced a sequence has (currval, lastval, PREVIOUS
    /// VALUE FOR): a replica's session never has it, so the primary must run it.
    bool reads_session_sequence = false;
    /// Advances a sequence (nextval, MariaDB NEXT VALUE FOR): sets what currval() reads.
    bool advances_sequence = false;
    /// Leaves state on the server session that outlives the transaction (what a pooled
    /// connection would carry to its next client): "a temporary object" (CREATE TEMP ... or
    /// CREATE ... pg_temp.name without ON COMMIT DROP, SELECT ... INTO TEMP or INTO
    /// pg_temp.name), "an advisory lock" (pg_advisory_lock & co, not the _xact_ ones),
    /// "a session setting" (set_config(..., is_local) unless is_local is TRUE). Empty: none.
    /// (Static text.)
    std::string_view session_state;
    /// set_config(..., is_local) whose is_local is a literal or placeholder: its fingerprint
    /// slot, whose value of each statement decides ("a session setting" unless it reads as
    /// true); -1 otherwise.
    std::int32_t session_state_slot = -1;
    /// Calls set_config() (any scope, any setting): the proxy cannot see which setting it
    /// changes from the plan alone (the name is a value), so it looks when it matters.
    bool calls_set_config = false;
    /// Channels of pg_notify(channel, payload) calls, exact; "" when not a constant.
    std::vector<std::string> channels;
    /// Number of placeholders (highest $n, or count of `?`).
    std::uint32_t parameter_count = 0;

    /// Top-level WHERE predicate or nullptr.
    const PredicateNode* where() const {
        return scopes.empty() || scopes[0].where < 0 ? nullptr : &predicates[scopes[0].where];
    }
    /// True if `column` (name, case-insensitive) is assigned by UPDATE SET or ON DUPLICATE
    /// KEY UPDATE / ON CONFLICT DO UPDATE.
    bool assigns_column(std::string_view column) const;
};

} // namespace shardgate::parser
