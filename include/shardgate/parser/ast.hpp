// Syntax tree produced by the X3 grammar. Positions are token indices (see LexedStatement).
#pragma once

#include "shardgate/parser/keyword.hpp"

#include <boost/optional.hpp>
#include <boost/spirit/home/x3/support/ast/variant.hpp>
#include <cstdint>
#include <string>
#include <vector>

namespace shardgate::parser::ast {

namespace x3 = boost::spirit::x3;

/// `a`, `a.b`, `a.b.c`: identifier parts, unquoted.
using QualifiedName = std::vector<std::string>;

/// A literal or placeholder; `token` indexes LexedStatement::tokens.
struct LiteralRef {
    std::uint32_t token = 0;
};

/// A bare keyword used as a value: TRUE, FALSE, DEFAULT, a verbatim ordinal number...
struct KeywordAtom {
    Keyword keyword = Keyword::none;
    std::uint32_t token = 0;
};

/// Column reference; `star` for `*` and `t.*`.
struct ColumnRef {
    QualifiedName name;
    bool star = false;
};

struct Expression;
struct FunctionCall;
struct CaseExpr;
struct ExpressionList;
struct SelectStatement;

using Primary = x3::variant<LiteralRef, KeywordAtom, ColumnRef, x3::forward_ast<FunctionCall>,
                            x3::forward_ast<CaseExpr>, x3::forward_ast<ExpressionList>,
                            x3::forward_ast<SelectStatement>>;

enum class PrefixOp : std::uint8_t { not_, minus, plus, bit_not, binary };

/// `[NOT] IN (list | subquery)`.
struct InPredicate {
    bool negated = false;
    Primary set;
};

/// `[NOT] BETWEEN [SYMMETRIC] low AND high` (SYMMETRIC: the bounds in either order).
struct BetweenPredicate {
    bool negated = false;
    bool symmetric = false;
    x3::forward_ast<Expression> low;
    x3::forward_ast<Expression> high;
};

/// `IS [NOT] NULL | TRUE | FALSE | UNKNOWN | DISTINCT FROM x`.
struct IsPredicate {
    bool negated = false;
    Keyword what = Keyword::null;
};

/// Postfix parts routing ignores: `::type`, `[i]`, `COLLATE x`.
struct IgnoredPostfix {};

using Postfix = x3::variant<IgnoredPostfix, InPredicate, BetweenPredicate, IsPredicate>;

/// Operand with its prefix and postfix operators.
struct Term {
    std::vector<PrefixOp> prefix;
    Primary primary;
    std::vector<Postfix> postfix;
};

enum class BinaryOp : std::uint8_t {
    or_,
    xor_,
    and_,
    eq,
    null_safe_eq,
    ne,
    lt,
    le,
    gt,
    ge,
    like,
    not_like,
    regexp,
    not_regexp,
    is_distinct,
    plus,
    minus,
    mul,
    div,
    mod,
    int_div,
    concat,
    bit_and,
    bit_or,
    bit_xor,
    shift,
    json,
    other
};

struct BinaryTail {
    BinaryOp op = BinaryOp::other;
    Term term;
};

/// A flat operator chain; precedence is resolved afterwards (see expression_tree.hpp).
struct Expression {
    Term first;
    std::vector<BinaryTail> rest;
};

struct ExpressionList : std::vector<Expression> {};

struct WhenClause {
    Expression condition;
    Expression result;
};

struct CaseExpr {
    boost::optional<Expression> subject;
    std::vector<WhenClause> whens;
    boost::optional<Expression> otherwise;
};

/// `name([DISTINCT] args...)` with an optional OVER clause; special forms (CAST, EXTRACT,
/// EXISTS, SUBSTRING ... FROM ...) are calls too.
struct FunctionCall {
    QualifiedName name;
    bool distinct = false;
    std::vector<Expression> args;
    bool window = false;
};

// ---- queries ----

/// One select-list entry; [begin, end) are the token indices of the expression.
struct SelectItem {
    std::uint32_t begin = 0;
    Expression expr;
    std::uint32_t end = 0;
    boost::optional<std::string> alias;
};

/// A table in FROM / JOIN, with token indices of its parts: the first token, one past the
/// name, where the alias would go (after PARTITION and FOR SYSTEM_TIME), where the index
/// hints and the like start (after the alias), and one past the reference's last token.
struct TableName {
    std::uint32_t token = 0;
    QualifiedName name;
    std::uint32_t name_end = 0;
    std::uint32_t alias_at = 0;
    boost::optional<std::string> alias;
    std::uint32_t tail_at = 0;
    std::uint32_t end = 0;
};

/// The table an INSERT or MERGE writes.
struct TargetTable {
    std::uint32_t token = 0;
    QualifiedName name;
    boost::optional<std::string> alias;
};

struct DerivedTable {
    x3::forward_ast<SelectStatement> select;
    boost::optional<std::string> alias;
};

struct TableFunction {
    x3::forward_ast<FunctionCall> call;
    boost::optional<std::string> alias;
};

struct FromItem;

using TableSource = x3::variant<TableName, DerivedTable, TableFunction, x3::forward_ast<FromItem>>;

enum class JoinKind : std::uint8_t { inner, left, right, full, cross, natural, comma };

struct Join {
    JoinKind kind = JoinKind::inner;
    TableSource source;
    boost::optional<Expression> on;
    std::vector<std::string> using_columns;
};

struct FromItem {
    TableSource source;
    std::vector<Join> joins;
};

enum class NullsOrder : std::uint8_t { unspecified, first, last };

struct OrderItem {
    std::uint32_t begin = 0;
    Expression expr;
    bool descending = false;
    NullsOrder nulls = NullsOrder::unspecified;
    std::uint32_t end = 0;
};

struct Limit {
    boost::optional<Expression> count;
    boost::optional<Expression> offset;
};

enum class LockMode : std::uint8_t { none, update, share };

struct QuerySpec {
    bool distinct = false;
    std::vector<SelectItem> items;
    bool into = false;
    std::vector<FromItem> from;
    boost::optional<Expression> where;
    std::vector<Expression> group_by;
    boost::optional<Expression> having;
};

/// `VALUES (..), (..)` used as a query.
struct ValuesQuery {
    std::vector<ExpressionList> rows;
    bool unused = false;
};

using QueryTerm = x3::variant<QuerySpec, ValuesQuery, x3::forward_ast<SelectStatement>>;

enum class SetOp : std::uint8_t { union_, union_all, intersect, except };

struct SetOpTail {
    SetOp op = SetOp::union_;
    QueryTerm term;
};

struct InsertStatement;
struct UpdateStatement;
struct DeleteStatement;

/// A WITH query: a SELECT, or (PostgreSQL) a data-modifying INSERT/UPDATE/DELETE.
using CteBody = x3::variant<x3::forward_ast<SelectStatement>, x3::forward_ast<InsertStatement>,
                            x3::forward_ast<UpdateStatement>, x3::forward_ast<DeleteStatement>>;

struct Cte {
    std::string name;
    CteBody body;
};

struct WithClause {
    bool recursive = false;
    std::vector<Cte> ctes;
};

struct SelectStatement {
    boost::optional<WithClause> with;
    QueryTerm first;
    std::vector<SetOpTail> rest;
    std::vector<OrderItem> order_by;
    Limit limit;
    LockMode lock = LockMode::none;
};

// ---- data modification ----

struct Assignment {
    ColumnRef column;
    Expression value;
};

/// `ON CONFLICT [(cols)] DO NOTHING | DO UPDATE SET ...`; `update` is empty for DO NOTHING.
struct OnConflict {
    std::vector<std::string> target;
    boost::optional<std::vector<Assignment>> update;
};

struct DefaultValues {};

using InsertSource = x3::variant<DefaultValues, std::vector<ExpressionList>,
                                 x3::forward_ast<SelectStatement>, std::vector<Assignment>>;

struct InsertStatement {
    boost::optional<WithClause> with;
    bool replace = false;
    TargetTable table;
    std::vector<std::string> columns;
    InsertSource source;
    std::vector<Assignment> on_duplicate;
    boost::optional<OnConflict> on_conflict;
    bool returning = false;
};

struct UpdateStatement {
    boost::optional<WithClause> with;
    std::vector<FromItem> tables;
    std::vector<Assignment> set;
    std::vector<FromItem> from;
    boost::optional<Expression> where;
    std::vector<OrderItem> order_by;
    Limit limit;
    bool returning = false;
};

struct DeleteStatement {
    boost::optional<WithClause> with;
    std::vector<QualifiedName> targets;
    std::vector<FromItem> from;
    std::vector<FromItem> using_tables;
    boost::optional<Expression> where;
    std::vector<OrderItem> order_by;
    Limit limit;
    bool returning = false;
};

// ---- transactions, session, DDL ----

enum class TransactionKind : std::uint8_t {
    begin,
    commit,
    rollback,
    savepoint,
    release,
    rollback_to,
    set_transaction,
    prepare_transaction,
    commit_prepared,
    rollback_prepared,
    xa
};

enum class AccessMode : std::uint8_t { unspecified, read_only, read_write };

struct TransactionStatement {
    TransactionKind kind = TransactionKind::begin;
    std::vector<AccessMode> modes;
    boost::optional<std::string> savepoint;
};

enum class SessionKind : std::uint8_t { set, show, use };

/// SET / SHOW / USE; `name` is the variable, the SHOW subject or the database.
struct SessionStatement {
    SessionKind kind = SessionKind::set;
    std::vector<QualifiedName> names;
};

enum class DdlKind : std::uint8_t {
    create_table,
    alter_table,
    drop_table,
    create_index,
    drop_index,
    truncate,
    comment,
    rename_table,
    other
};

/// DDL: its kind, the tables it names, and the query of CREATE TABLE/VIEW ... AS SELECT.
struct DdlStatement {
    DdlKind kind = DdlKind::other;
    std::vector<QualifiedName> tables;
    boost::optional<x3::forward_ast<SelectStatement>> query;
};

enum class MaintenanceKind : std::uint8_t {
    vacuum,
    analyze,
    cluster,
    reindex,
    refresh_view,
    checkpoint,
    optimize,
    check,
    checksum,
    repair,
    flush
};

/// VACUUM, ANALYZE, CLUSTER, REINDEX, REFRESH MATERIALIZED VIEW, CHECKPOINT (PG); ANALYZE,
/// OPTIMIZE, CHECK, CHECKSUM, REPAIR TABLE, FLUSH (MariaDB). `tables`: the tables named (none:
/// the whole database).
struct MaintenanceStatement {
    MaintenanceKind kind = MaintenanceKind::vacuum;
    std::vector<QualifiedName> tables;
};

enum class ExplainKind : std::uint8_t { none, explain, explain_analyze, describe };

using ExplainedStatement =
    x3::variant<SelectStatement, InsertStatement, UpdateStatement, DeleteStatement>;

/// `EXPLAIN [ANALYZE] [(options)] stmt`, MariaDB `ANALYZE stmt`, or `DESCRIBE t` (`table`).
struct ExplainStatement {
    ExplainKind kind = ExplainKind::explain;
    ExplainedStatement statement;
    QualifiedName table;
};

enum class UtilityKind : std::uint8_t {
    prepare,
    execute,
    deallocate,
    discard,
    do_block,
    do_expressions,
    call,
    lock_tables,
    unlock_tables,
    handler,
    listen,
    notify,
    unlisten,
    kill,
    load_data,
    copy_from
};

/// Prepared statements in SQL, DISCARD, DO, CALL, LOCK/UNLOCK TABLES, HANDLER, LISTEN/NOTIFY,
/// KILL, LOAD DATA. `names`: the prepared statement, procedure or channel; `tables`: the tables
/// locked or read by HANDLER; `statement`: PG `PREPARE name AS stmt`; `expressions`: MySQL DO,
/// CALL and EXECUTE arguments.
struct UtilityStatement {
    UtilityKind kind = UtilityKind::prepare;
    std::vector<QualifiedName> names;
    std::vector<QualifiedName> tables;
    boost::optional<ExplainedStatement> statement;
    std::vector<Expression> expressions;
};

/// PostgreSQL COPY: `COPY (query) TO ...` and `COPY t [(cols)] TO ...` read (`query`, or
/// `table`); `COPY t [(cols)] FROM ...` writes `table`. Options are skipped.
struct CopyStatement {
    QualifiedName table;
    boost::optional<x3::forward_ast<SelectStatement>> query;
    bool from = false;
};

enum class MergeActionKind : std::uint8_t { update, delete_, nothing, insert };

/// `THEN UPDATE SET .. | DELETE | DO NOTHING | INSERT [(cols)] VALUES (..) | DEFAULT VALUES`.
struct MergeAction {
    MergeActionKind kind = MergeActionKind::nothing;
    std::vector<Assignment> set;
    std::vector<std::string> columns;
    ExpressionList values;
};

/// PostgreSQL 15 `MERGE INTO target USING source ON cond WHEN [NOT] MATCHED [AND c] THEN ..`.
struct MergeStatement {
    boost::optional<WithClause> with;
    TargetTable target;
    std::vector<FromItem> source;
    Expression on;
    std::vector<Expression> conditions;
    std::vector<MergeAction> actions;
    /// A `WHEN NOT MATCHED BY SOURCE` clause acts on target rows the ON condition rejects.
    bool by_source = false;
    bool returning = false;
};

using Statement =
    x3::variant<SelectStatement, InsertStatement, UpdateStatement, DeleteStatement,
                TransactionStatement, SessionStatement, DdlStatement, MaintenanceStatement,
                ExplainStatement, UtilityStatement, CopyStatement, MergeStatement>;

} // namespace shardgate::parser::ast
