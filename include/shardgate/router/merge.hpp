// Cross-shard merges: pure code over protocol-neutral rows. The data planes decode backend rows
// into Row (each value in its protocol's text form), run them through a MergeProgram built from
// the plan's MergeSpec and the result's columns, and re-encode what comes out.
#pragma once

#include "shardgate/parser/dialect.hpp"
#include "shardgate/result.hpp"
#include "shardgate/router/merge_budget.hpp"
#include "shardgate/router/plan.hpp"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace shardgate::router {

/// How a column's text values compare. Only sort keys, group keys and aggregate inputs are
/// ever read; other columns travel as opaque bytes.
enum class ValueKind : std::uint8_t {
    integer,       ///< optional sign and digits (any length)
    decimal,       ///< exact decimal text: compared and added digit by digit, never as double
    floating,      ///< IEEE double text (also NaN, Infinity)
    binary,        ///< compared byte by byte: C/POSIX/C.UTF-8 text, binary strings, uuid
    binary_padded, ///< byte order, trailing spaces ignored (MariaDB *_bin collations)
    folded,        ///< case-insensitive ASCII (MariaDB *_general_ci / *_unicode_ci on ASCII text)
    temporal,      ///< ISO date/time text without a zone: byte order is time order
    boolean,       ///< PostgreSQL 'f' < 't', MySQL 0 < 1
    /// Binary format: a 2, 4 or 8-byte big-endian signed integer (PostgreSQL int2/int4/int8,
    /// date, time, timestamp, timestamptz).
    be_integer,
    be_float,   ///< binary format: a 4 or 8-byte big-endian IEEE float (float4, float8)
    be_numeric, ///< binary format: PostgreSQL numeric (base-10000 digits, weight, sign, scale)
    opaque,     ///< cannot be compared by shardgate (a key of this kind is refused)
};

std::string_view value_kind_name(ValueKind kind);

/// One result column as the data plane describes it.
struct MergeColumn {
    std::string name;
    ValueKind kind = ValueKind::opaque;
    /// The engine's type id (PostgreSQL type OID, MySQL column type); shards must agree.
    std::uint32_t type = 0;
    /// What to say when a key of this column cannot be compared (e.g. "collation
    /// latin1_swedish_ci"); empty when `kind` says enough.
    std::string kind_detail{};
    /// The table column it reads (MySQL: schema, table, column of the column definition);
    /// empty for expressions. A plane may look up the column's own collation by it.
    std::string schema{};
    std::string table{};
    std::string column{};
    /// Digits after the point the engine declares for the column (MySQL `decimals`); -1 when
    /// it does not say.
    int scale = -1;
};

/// A value as the protocol sends it in text form; nullopt is SQL NULL.
using Cell = std::optional<std::string>;
using Row = std::vector<Cell>;

/// <0, 0, >0 for two non-NULL values of `kind`. Folded text with a non-ASCII byte compares
/// bytewise on the bytes that differ; MergeProgram refuses such values (see check_value).
int compare_values(ValueKind kind, std::string_view a, std::string_view b);

/// Exact sum of two integer or decimal texts ("12.50" + "-3" = "9.50").
std::string add_decimal(std::string_view a, std::string_view b);

/// PostgreSQL's binary numeric as decimal text ("NaN", "Infinity", "-Infinity" for the
/// specials), and back (scale: the digits after the point); nullopt when malformed.
std::optional<std::string> numeric_binary_to_text(std::string_view bytes);
std::string numeric_text_to_binary(std::string_view text);

/// A refusal of a merge: a message for the client, SQLSTATE 0A000 unless said otherwise.
struct MergeRefusal {
    std::string message;
    std::string sqlstate = "0A000";
};

/// The engine whose semantics a merge reproduces (NULL order, what ORDER BY means).
enum class MergeEngine : std::uint8_t { postgresql, mysql };

/// One ORDER BY / GROUP BY key resolved to a column.
struct ResolvedKey {
    std::size_t column = 0;
    ValueKind kind = ValueKind::opaque;
    bool descending = false;
    bool nulls_first = false;
};

/// One sort key of a row, decoded once: numbers as numbers, the rest as a view of the text.
struct SortValue {
    enum class Form : std::uint8_t { null, integer, floating, text };
    Form form = Form::null;
    std::int64_t integer = 0;
    double floating = 0;
    std::string_view text{};
};

/// Row order of an ORDER BY: the comparison a k-way merge and a final sort use.
class RowOrder {
public:
    RowOrder() = default;
    explicit RowOrder(std::vector<ResolvedKey> keys) : keys_(std::move(keys)) {}

    bool empty() const { return keys_.empty(); }
    const std::vector<ResolvedKey>& keys() const { return keys_; }
    /// True when `a` comes strictly before `b`.
    bool before(const Row& a, const Row& b) const;
    /// The sort keys of `row` (views into it: the row must stay where it is while they are
    /// used), for a merge that compares each row several times.
    void decode(const Row& row, std::vector<SortValue>& out) const;
    /// before() over decoded keys.
    bool before(const std::vector<SortValue>& a, const std::vector<SortValue>& b) const {
        return before(a.data(), b.data());
    }
    /// before() over keys().size() decoded keys each.
    bool before(const SortValue* a, const SortValue* b) const;
    /// decode() into keys().size() values at `out`.
    void decode(const Row& row, SortValue* out) const;

private:
    std::vector<ResolvedKey> keys_;
};

/// The k-way selection of an ordered merge: which stream's head row comes next, with each
/// head's keys decoded once and a tournament tree (log2(streams) comparisons per row). Ties go
/// to the lower stream index, so the merge is stable.
class StreamMerge {
public:
    StreamMerge(const RowOrder& order, std::size_t streams);
    /// Stream `stream`'s head is now `row`, or nullptr when the stream ended. The row must stay
    /// where it is until the stream's next set().
    void set(std::size_t stream, const Row* row);
    /// The stream whose head comes next; nullopt when every stream ended.
    std::optional<std::size_t> next() const;

private:
    int winner(int a, int b) const;

    const RowOrder& order_;
    std::size_t width_ = 0;        ///< keys per row
    bool one_integer_key_ = false; ///< the common case, compared inline
    bool descending_ = false;
    std::size_t leaves_ = 1;
    std::vector<int> tree_;       ///< tree_[1] the overall winner; leaves at [leaves_, 2 * leaves_)
    std::vector<SortValue> keys_; ///< width_ decoded keys per stream, stream after stream
};

/// One aggregate column of a merge.
struct ResolvedAggregate {
    std::size_t column = 0;
    parser::Aggregate function = parser::Aggregate::none;
    ValueKind kind = ValueKind::opaque;
    bool distinct = false; ///< of DISTINCT values: see MergeProgram::distinct_column
};

/// GROUP BY / aggregate / DISTINCT merge: per-shard partial results combined by key. Memory
/// is bounded: past `max_groups` groups add() fails with a clear message.
class GroupMerge {
public:
    GroupMerge() = default;
    /// Holds at most `max_groups` groups of together about `max_bytes` (keys and values), and
    /// with `shared` only while the process's merges together stay within its limit (the
    /// bytes are reserved there as groups are added and given back when the merge ends).
    GroupMerge(std::vector<ResolvedKey> keys, std::vector<ResolvedAggregate> aggregates,
               std::size_t max_groups, bool whole_result,
               std::size_t max_bytes = std::numeric_limits<std::size_t>::max(),
               MergeBudget* shared = nullptr);
    ~GroupMerge();
    GroupMerge(const GroupMerge&) = delete;
    GroupMerge& operator=(const GroupMerge&) = delete;

    /// Adds one shard's row (a partial group). Fails past either bound or on a value
    /// shardgate cannot combine.
    Status<MergeRefusal> add(Row row);
    /// The combined rows, in no particular order (first-seen order of their keys).
    std::vector<Row> take();

private:
    std::string key_of(const Row& row) const;
    Status<MergeRefusal> combine(Row& into, Row& from) const;

    std::vector<ResolvedKey> keys_;
    std::vector<ResolvedAggregate> aggregates_;
    std::size_t max_groups_ = 0;
    std::size_t max_bytes_ = 0;
    std::size_t bytes_ = 0;
    MergeBudget* shared_ = nullptr; ///< holds bytes_ of this merge until it ends
    bool whole_result_ = false;     ///< aggregates without GROUP BY: exactly one row
    std::unordered_map<std::string, std::size_t> index_;
    std::vector<Row> rows_;
};

/// Everything a scatter's results need to become one answer.
struct MergeProgram {
    enum class Shape : std::uint8_t {
        concat,  ///< rows as they come
        ordered, ///< k-way merge of per-shard sorted streams
        grouped, ///< GroupMerge, then sorted by `order` when there is one
    };
    Shape shape = Shape::concat;
    RowOrder order;
    std::vector<ResolvedKey> group_keys;
    std::vector<ResolvedAggregate> aggregates;
    bool whole_result = false;
    std::optional<std::uint64_t> limit;
    std::uint64_t offset = 0;
    /// Sort columns shardgate added at the end of the select list (shard_statement): the
    /// client sees the first columns.size() - hidden columns.
    std::size_t hidden = 0;
    /// AVG columns: computed after the merge from the hidden SUM and COUNT columns.
    struct Average {
        std::size_t output = 0;
        std::size_t sum = 0;
        std::size_t count = 0;
        ValueKind kind = ValueKind::decimal; ///< the output column's
        int scale = -1;                      ///< MySQL: the output column's decimals
        ValueKind sum_kind = ValueKind::decimal;
        ValueKind count_kind = ValueKind::integer;
    };
    std::vector<Average> averages;
    /// HAVING, evaluated on each merged group (passes_having): the condition's nodes with
    /// their operands placed in the row (root last).
    struct HavingTerm {
        bool literal = false;
        std::optional<std::string> text; ///< a literal's value (nullopt: NULL)
        std::size_t column = 0;
        ValueKind kind = ValueKind::opaque;
    };
    struct HavingStep {
        parser::HavingNode::Kind kind = parser::HavingNode::Kind::other;
        parser::HavingNode::Compare compare = parser::HavingNode::Compare::eq;
        bool negated = false;
        bool numeric = false; ///< compared as numbers
        std::vector<std::uint32_t> children;
        HavingTerm lhs;
        HavingTerm rhs;
    };
    std::vector<HavingStep> having;
    /// Aggregates of DISTINCT values (COUNT/SUM/AVG(DISTINCT x)): the shards group by x too and
    /// return it in this (hidden) column. The merge first combines rows per group and x (the
    /// shards' values for one x are equal: distinct_aggregates keep one), so each x counts
    /// once, then per group with `aggregates`.
    std::optional<std::size_t> distinct_column;
    std::vector<ResolvedKey> distinct_keys;
    std::vector<ResolvedAggregate> distinct_aggregates;
    MergeEngine engine = MergeEngine::postgresql;
};

/// The one row an aggregate without GROUP BY answers when no shard had a row to aggregate
/// (possible only with distinct_column): COUNTs 0, the rest NULL.
Row empty_aggregate_row(const MergeProgram& program, std::size_t columns);

/// Whether a merged group satisfies the statement's HAVING (true without one). SQL logic: a
/// comparison with NULL is unknown, and unknown does not pass.
bool passes_having(const MergeProgram& program, const Row& row);

/// Replaces each AVG column of a merged row with SUM / COUNT of its hidden columns, in the
/// engine's result type and scale (PostgreSQL numeric division scale; MySQL DECIMAL with the
/// column's decimals), rounding half away from zero.
Status<MergeRefusal> finish_averages(const MergeProgram& program, Row& row);

/// `dividend` / `divisor` (decimal texts, divisor a positive integer) with `scale` digits after
/// the point, rounded half away from zero.
std::string divide_decimal(std::string_view dividend, std::string_view divisor, int scale);

/// The result scale PostgreSQL's numeric division picks for `dividend` / `divisor`.
int postgres_division_scale(std::string_view dividend, std::string_view divisor);

/// An ownership filter: what one shard's statement of a cross-shard read carries, while a
/// resharding workflow moves rows of a table it reads, to hide the rows the shard holds
/// without owning them. `condition` ("" : none) is ANDed to the top-level WHERE (added when
/// there is none; it needs `plan.merge.filter_at`, owned_rows_placeable); each replacement
/// puts `text` (a derived table that filters the table) in place of the table reference at
/// bytes [begin, end) of the statement, in any query block.
struct OwnershipFilter {
    struct Replacement {
        std::uint32_t begin = 0;
        std::uint32_t end = 0;
        std::string text;
    };
    std::string condition;
    std::vector<Replacement> replacements;

    bool empty() const { return condition.empty() && replacements.empty(); }
};

/// Where a table a scatter read reads is written in its statement, and the name the
/// statement reads it by (its alias, else its name), unquoted.
struct TableText {
    parser::TableSpan span;
    std::string name;
};

/// The tables `plan` (a scatter read) reads, in the order of plan.table_uses, found by parsing
/// `sql` (the plan's statement, tokenised as `mode` says) again: plans are cached by
/// fingerprint, so they keep no byte offsets. nullopt when the statement parses differently;
/// a span is not known (end 0) for a table named outside FROM / JOIN.
std::optional<std::vector<TableText>> table_texts(const Plan& plan, std::string_view sql,
                                                  parser::Dialect dialect, parser::LexMode mode);

/// Whether an expression shard_statement copies into the select list (a hidden sort key, an
/// AVG or HAVING aggregate's argument, a DISTINCT argument) contains `word`, ignoring ASCII
/// case: an ownership filter's replacements do not reach those copies.
bool copies_text_naming(const Plan& plan, std::string_view word);

/// The statement each shard runs for `plan` when it differs from the client's: with an OFFSET
/// m (and LIMIT n), every shard must return its first n + m rows and shardgate skips m after
/// the merge, so OFFSET becomes 0 and LIMIT n + m; ORDER BY keys that are not selected columns
/// are added at the end of the select list (`AS sg_hidden_N`), for the merge to sort by and
/// to strip from the client's rows. `sql` is the statement the plan was made from. nullopt:
/// run `sql` unchanged (or the merge refuses the statement).
/// `filter`: what one shard's statement carries to hide rows it holds without owning them
/// (OwnershipFilter); when it cannot be placed the statement is "" (refused by the server)
/// rather than run unfiltered.
std::optional<std::string> shard_statement(const Plan& plan, std::string_view sql,
                                           const OwnershipFilter& filter = {});
/// shard_statement with an ownership filter of a `condition` alone.
std::optional<std::string> shard_statement(const Plan& plan, std::string_view sql,
                                           std::string_view condition);
/// The plan has a place for shard_statement's `filter`: a plain SELECT (not a set operation).
inline bool owned_rows_placeable(const Plan& plan) {
    return plan.merge.filter_at.has_value();
}
/// How many columns shard_statement adds at the end of the select list.
std::size_t hidden_columns(const Plan& plan);

/// Builds the merge of `plan` over `columns` (the shards' agreed result columns), or says
/// why shardgate cannot reproduce what one database would answer.
Result<MergeProgram, MergeRefusal>
prepare_merge(const Plan& plan, const std::vector<MergeColumn>& columns, MergeEngine engine);

/// A value of a key or aggregate column that shardgate cannot compare exactly (non-ASCII
/// text under a folded collation): the refusal, else nullopt.
std::optional<MergeRefusal> check_value(const MergeColumn& column, const Cell& value);

/// The per-shard columns disagree (schema drift): the message naming both shards, else
/// nullopt. `shards` names the legs in the order of `columns`.
std::optional<std::string> column_drift(const std::vector<std::vector<MergeColumn>>& columns,
                                        const std::vector<std::string>& shards);

} // namespace shardgate::router
