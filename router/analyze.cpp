// Analysis of statement facts against a database of the shard map (see docs/routing.md).
#include "router/analyze.hpp"

#include "router/names.hpp"
#include "router/shard_set.hpp"

#include <algorithm>
#include <cctype>
#include <deque>
#include <map>
#include <numeric>

namespace shardgate::router {
namespace {

using parser::StatementKind;
using shardmaps::Table;
using shardmaps::TableKind;

PlanTemplate reject(PlanTemplate t, std::string sqlstate, std::string reason) {
    t.kind = PlanKind::reject;
    t.sqlstate = std::move(sqlstate);
    t.reason = std::move(reason);
    return t;
}

PlanTemplate fixed(PlanTemplate t, PlanKind kind, std::vector<shardmaps::ShardId> shards,
                   std::string reason) {
    t.kind = kind;
    t.target = PlanTemplate::Target::fixed;
    t.fixed_shards = std::move(shards);
    t.reason = std::move(reason);
    return t;
}

/// A write to a reference table: every shard holds the same rows.
PlanTemplate copies(PlanTemplate t) {
    t.copies = true;
    return t;
}

/// Appends b's nodes to a and returns a AND b.
KeyExpr and_exprs(KeyExpr a, const KeyExpr& b) {
    if (b.unrestricted()) {
        return a;
    }
    const auto offset = static_cast<std::uint32_t>(a.nodes.size());
    for (auto node : b.nodes) {
        for (auto& child : node.children) {
            child += offset;
        }
        a.nodes.push_back(std::move(node));
    }
    const auto b_root = static_cast<std::uint32_t>(b.root) + offset;
    if (a.unrestricted()) {
        a.root = static_cast<std::int32_t>(b_root);
        return a;
    }
    KeyNode both{KeyNode::Kind::and_, {static_cast<std::uint32_t>(a.root), b_root}, {}};
    a.nodes.push_back(std::move(both));
    a.root = static_cast<std::int32_t>(a.nodes.size() - 1);
    return a;
}

/// One table of the statement with its placement.
struct Placed {
    std::size_t index; // into facts.tables
    const parser::TableRef* ref;
    const Table* table;

    /// The table as the statement names it (the map's placement of an unnamed table has no
    /// name of its own).
    const std::string& name() const { return ref->name; }
};

std::string table_label(const parser::TableRef& ref) {
    return ref.schema.empty() ? ref.name : ref.schema + "." + ref.name;
}

/// A value or the reject plan that replaces it.
template <typename T> class Outcome {
public:
    static Outcome ok(T value) { return Outcome(std::move(value), {}); }
    static Outcome fail(PlanTemplate reject) { return Outcome({}, std::move(reject)); }

    explicit operator bool() const { return !failed_; }
    T& operator*() { return value_; }
    PlanTemplate& error() { return reject_; }

private:
    Outcome(T value, std::optional<PlanTemplate> reject)
        : value_(std::move(value)), failed_(reject.has_value()),
          reject_(reject ? std::move(*reject) : PlanTemplate{}) {}

    T value_;
    bool failed_;
    PlanTemplate reject_;
};

std::string shard_name(const shardmaps::Database& db, shardmaps::ShardId id) {
    return db.shard(id).name;
}

/// "avg(price * qty) AS a" -> "price * qty": the text between the first '(' and its ')'.
std::string call_argument(std::string_view text) {
    const auto open = text.find('(');
    if (open == std::string_view::npos) {
        return "";
    }
    int depth = 0;
    for (auto i = open; i < text.size(); ++i) {
        if (text[i] == '(') {
            ++depth;
        } else if (text[i] == ')' && --depth == 0) {
            return std::string(text.substr(open + 1, i - open - 1));
        }
    }
    return "";
}

class Analyzer {
public:
    Analyzer(const shardmaps::ShardMap& map, const shardmaps::Database& db,
             const parser::StatementFacts& facts)
        : map_(map), db_(db), facts_(facts), names_(db) {
        base_.statement = facts.kind;
        base_.is_write = facts.is_write;
        base_.returning = facts.returning;
        base_.reads_sequence_state = facts.reads_session_sequence;
        base_.advances_sequence = facts.advances_sequence;
        base_.session_state = facts.session_state;
        base_.session_state_slot = facts.session_state_slot;
        base_.calls_set_config = facts.calls_set_config;
        base_.primary_only = facts.is_write || facts.lock != parser::ast::LockMode::none ||
                             facts.kind == StatementKind::ddl || facts.reads_session_sequence;
        std::vector<TableUse> uses;
        for (const auto& ref : facts.tables) {
            if (!ref.cte_reference) {
                add_unique(base_.tables, table_label(ref));
                const auto name = names_.map_name(ref);
                const auto* table = db_.find_table(name);
                uses.push_back({table != nullptr ? table->name() : name,
                                ref.alias.empty() ? ref.name : ref.alias, ref.scope == 0});
            }
        }
        base_.table_uses = std::make_shared<const std::vector<TableUse>>(std::move(uses));
    }

    PlanTemplate run() {
        if (facts_.copy_to) {
            auto t = plan_statement();
            t.reason = "COPY ... TO of a query: " + t.reason;
            return t;
        }
        if (facts_.explain == parser::ast::ExplainKind::none) {
            return plan_statement();
        }
        if (facts_.explain == parser::ast::ExplainKind::describe) {
            return plan_describe();
        }
        return explained(plan_statement());
    }

private:
    PlanTemplate plan_statement() {
        switch (facts_.kind) {
        case StatementKind::transaction:
            if (is_two_phase(facts_.transaction.kind)) {
                return reject(base_, "0A000",
                              "two-phase commit statements (PREPARE TRANSACTION, COMMIT/ROLLBACK "
                              "PREPARED, XA) are not supported: shardgate coordinates two-phase "
                              "commit itself");
            }
            return session("transaction control: applies to the shard(s) the transaction "
                           "touches");
        case StatementKind::set:
            return session("session setting: kept by the session and applied to every "
                           "backend that serves it");
        case StatementKind::use:
            return session("switches the session's logical database");
        case StatementKind::show:
            return fixed(base_, PlanKind::route, {db_.default_shard()},
                         "SHOW runs on the default shard");
        default:
            break;
        }
        if (auto problem = check_databases()) {
            return *problem;
        }
        place_tables();
        if (auto problem = check_unknown_objects()) {
            return *problem;
        }
        if (auto counter = plan_generated_sequence()) {
            return *counter;
        }
        if (facts_.kind == StatementKind::ddl) {
            return plan_ddl();
        }
        if (facts_.kind == StatementKind::maintenance) {
            return plan_maintenance();
        }
        if (facts_.kind == StatementKind::utility) {
            return plan_utility();
        }
        if (facts_.modifying_cte) {
            return plan_modifying_cte();
        }
        if (facts_.kind == StatementKind::merge) {
            return plan_merge();
        }
        if (facts_.kind == StatementKind::insert || facts_.kind == StatementKind::replace) {
            if (auto insert = plan_insert()) {
                return *insert;
            }
        }
        if (facts_.kind == StatementKind::select && facts_.select.set_operation) {
            if (auto set = plan_set_operation()) {
                return *set;
            }
        }
        return plan_tables();
    }

    /// A data-modifying WITH query and the statement around it run as one statement, so
    /// every part must be on one shard: the tables are placed together (the rows an INSERT
    /// ... SELECT adds are placed by the co-located key column they copy).
    PlanTemplate plan_modifying_cte() {
        base_.primary_only = true;
        const std::string must =
            "a statement with a data-modifying WITH query runs as one statement, so all of its "
            "parts must be on one shard";
        std::vector<Placed> rest;
        for (const auto& p : placed_) {
            const auto writes = facts_.scopes[p.ref->scope].writes;
            const bool inserts = p.ref->target && (writes == StatementKind::insert ||
                                                   writes == StatementKind::replace);
            if (p.ref->target && p.table->kind() == TableKind::reference) {
                return reject(base_, "0A000",
                              must + "; it writes reference table " + p.name() +
                                  ", which is on every shard");
            }
            if (inserts && p.table->kind() == TableKind::horizontal) {
                if (auto problem = copied_key_problem(p)) {
                    return reject(base_, "0A000", must + "; " + *problem);
                }
                continue; // its rows are where the rows they are copied from are
            }
            rest.push_back(p);
        }
        placed_ = std::move(rest);
        return on_one_shard(plan_tables(), must,
                            ", and its conditions place it on several shards (or none "
                            "restricts a sharded table's key)",
                            "data-modifying WITH query, on one shard: ");
    }

    /// `t` (the statement's tables planned) required to run on one shard: `must` says why,
    /// `several` is added to it when the values place the statement on several, `label`
    /// prefixes the plan's reason.
    PlanTemplate on_one_shard(PlanTemplate t, const std::string& must, const std::string& several,
                              const std::string& label) const {
        if (t.kind != PlanKind::reject && t.target == PlanTemplate::Target::fixed &&
            t.fixed_shards.size() > 1) {
            return reject(base_, "0A000", must + "; " + t.reason);
        }
        t.single_shard_reason = must + several;
        if (t.kind != PlanKind::reject) {
            t.reason = label + t.reason;
        }
        return t;
    }

    /// `INSERT INTO p (key, ...) SELECT <key of a co-located table>, ... FROM ...` runs where
    /// the rows it copies are, when its conditions place them on one shard: co-located keys
    /// place the new rows there too. Anything else would put rows on the wrong shard: refused.
    PlanTemplate plan_insert_select(const Placed& target) {
        const std::string must = "INSERT ... SELECT into sharded table " + target.name() +
                                 " runs on one shard only, where the rows it copies are";
        if (facts_.assigns_column(target.table->key().column)) {
            return reject(base_, "0A000",
                          "the statement would change shard key " + target.name() + "." +
                              target.table->key().column + key_move_refusal());
        }
        if (auto problem = copied_key_problem(target)) {
            return reject(base_, "0A000", must + "; " + *problem);
        }
        std::vector<Placed> rest;
        for (const auto& p : placed_) {
            if (&p != &target) {
                rest.push_back(p);
            }
        }
        placed_ = std::move(rest);
        // The SELECT side is placed like a read (on the primary: the statement writes).
        base_.is_write = false;
        auto t = plan_tables();
        base_.is_write = true;
        t.is_write = true;
        t.primary_only = true;
        return on_one_shard(std::move(t), must,
                            ", and its conditions place them on several shards (or none "
                            "restricts the key); add a shard-key condition",
                            "INSERT ... SELECT, on one shard: ");
    }

    /// Why the rows `INSERT INTO p ... SELECT` adds may not belong where the statement runs,
    /// or nullopt: the key column must copy the key column of a table co-located with p (the
    /// statement runs where those rows are, and co-located keys place rows alike).
    std::optional<std::string> copied_key_problem(const Placed& p) const {
        const auto& key = p.table->key().column;
        const auto& insert = facts_.insert;
        const std::string fix = "INSERT INTO " + p.name() + " (" + key +
                                ", ...) SELECT <key column of a co-located table>, ...";
        if (p.ref->scope != 0 || !insert.from_select) {
            return "an INSERT into sharded table " + p.name() +
                   " within it is only placed in the form " + fix;
        }
        for (std::size_t i = 0; i < insert.columns.size(); ++i) {
            if (!names_.same_column(insert.columns[i], key) || i >= insert.select_columns.size()) {
                continue;
            }
            for (const auto& other : placed_) {
                if (&other != &p && other.table->kind() == TableKind::horizontal &&
                    other.table->shared_scheme() == p.table->shared_scheme() &&
                    names_.same_column(insert.select_columns[i].name, other.table->key().column)) {
                    return std::nullopt;
                }
            }
        }
        return "the rows inserted into sharded table " + p.name() +
               " must take its shard key from the key column of a co-located table: " + fix;
    }

    /// MERGE writes its target: placed like an UPDATE of it by the ON condition on its key
    /// (with the source joined as usual); its INSERT action must give the key as a literal or
    /// parameter on the same shard, and cannot read a sharded source (rows that do not match
    /// would be inserted from every shard's source rows).
    PlanTemplate plan_merge() {
        const Placed* target = insert_target();
        if (target == nullptr) {
            return reject(base_, "42601", "MERGE without a target table");
        }
        const Table& table = *target->table;
        if (table.kind() == TableKind::reference) {
            for (const auto& p : placed_) {
                if (p.table->kind() != TableKind::reference) {
                    return reject(base_, "0A000",
                                  "MERGE into reference table " + table.name() +
                                      " from a table that is not a reference table is not "
                                      "supported");
                }
            }
            return copies(fixed(base_, PlanKind::broadcast, table.shards(),
                                "write to reference table " + table.name() + ": every shard"));
        }
        if (table.kind() == TableKind::vertical || facts_.insert.rows.empty()) {
            return plan_merge_keyed(table);
        }
        const auto& key = table.key().column;
        for (const auto& p : placed_) {
            if (&p != target && p.table->kind() == TableKind::horizontal) {
                return reject(base_, "0A000",
                              "MERGE ... WHEN NOT MATCHED THEN INSERT into sharded table " +
                                  table.name() + " cannot read sharded table " + p.name() +
                                  ": its rows that match nothing are on every shard");
            }
        }
        std::int32_t slot = -2;
        for (std::size_t i = 0; i < facts_.insert.columns.size(); ++i) {
            const auto& row = facts_.insert.rows[0];
            if (names_.same_column(facts_.insert.columns[i], key) && i < row.size() &&
                row[i].is_literal()) {
                slot = row[i].slot;
            }
        }
        if (slot == -2) {
            return reject(base_, "0A000",
                          "MERGE ... THEN INSERT into sharded table " + table.name() +
                              " must name its shard key '" + key +
                              "' in the column list with a literal or parameter value");
        }
        auto t = plan_merge_keyed(table);
        if (t.kind == PlanKind::reject || t.target != PlanTemplate::Target::keyed) {
            return t;
        }
        KeyGroup inserted;
        inserted.table = &table;
        inserted.names = table.name() + " (inserted row)";
        inserted.expr.nodes.push_back(
            KeyNode{KeyNode::Kind::term, {}, {parser::CompareOp::eq, {slot}}});
        inserted.expr.root = 0;
        t.groups.push_back(std::move(inserted));
        return t;
    }

    PlanTemplate plan_merge_keyed(const Table& table) {
        auto t = plan_tables();
        if (t.kind == PlanKind::reject) {
            return t;
        }
        if (table.kind() != TableKind::horizontal) {
            t.reason = "MERGE: " + t.reason;
            return t;
        }
        for (const auto& group : t.groups) {
            if (group.table->shared_scheme() == table.shared_scheme() &&
                group.expr.unrestricted()) {
                return reject(base_, "0A000",
                              "MERGE into sharded table " + table.name() +
                                  " needs a condition on its shard key '" + table.key().column +
                                  "' in ON (e.g. ON t." + table.key().column +
                                  " = 42 AND ...): without one it would touch every shard");
            }
        }
        t.reason = "MERGE: " + t.reason;
        return t;
    }

    /// The top-level UNION/INTERSECT/EXCEPT branch a scope belongs to, or -1.
    std::int32_t top_branch(std::int32_t scope) const {
        while (scope > 0) {
            const auto& s = facts_.scopes[scope];
            if (s.kind == parser::Scope::Kind::union_branch && s.parent == 0) {
                return scope;
            }
            scope = s.parent;
        }
        return -1;
    }

    static SetCombine combine_of(const std::vector<parser::ast::SetOp>& ops) {
        using parser::ast::SetOp;
        bool all = true, distinct = true;
        for (auto op : ops) {
            all = all && op == SetOp::union_all;
            distinct = distinct && op == SetOp::union_;
        }
        return all ? SetCombine::union_all
                   : (distinct ? SetCombine::union_distinct : SetCombine::other);
    }

    /// A top-level set operation: each branch is placed by its own tables (bind decides
    /// between one shard and a scatter). nullopt when a table is outside every branch (a WITH
    /// query the branches share), which is planned like any other statement.
    std::optional<PlanTemplate> plan_set_operation() {
        ShardSet common(database_shards());
        for (const auto& p : placed_) {
            if (top_branch(p.ref->scope) < 0) {
                return std::nullopt;
            }
            common.intersect(ShardSet(p.table->shards()));
        }
        auto t = base_;
        t.target = PlanTemplate::Target::branches;
        t.combine = combine_of(facts_.select.set_ops);
        t.common_shards = common.vector();
        for (std::int32_t s = 1; s < static_cast<std::int32_t>(facts_.scopes.size()); ++s) {
            if (top_branch(s) != s) {
                continue;
            }
            auto branch = place_branch(s);
            if (!branch) {
                return branch.error();
            }
            t.branches.push_back(std::move(*branch));
        }
        for (const auto& key : facts_.select.order_by) {
            t.merge.order_by.push_back({key.text, key.output, key.descending, key.nulls});
        }
        t.merge.distinct = t.combine == SetCombine::union_distinct;
        fill_limit(t);
        t.reason = "set operation placed branch by branch";
        return t;
    }

    /// One branch's placement, or the reject that says why it cannot be placed.
    Outcome<BranchTemplate> place_branch(std::int32_t scope) const {
        std::vector<const Placed*> vertical, horizontal;
        ShardSet vertical_shards;
        for (const auto& p : placed_) {
            if (top_branch(p.ref->scope) != scope) {
                continue;
            }
            if (p.table->kind() == TableKind::vertical) {
                vertical.push_back(&p);
                vertical_shards.insert(p.table->shard());
            } else if (p.table->kind() == TableKind::horizontal) {
                horizontal.push_back(&p);
            }
        }
        BranchTemplate branch;
        branch.shapes_rows = facts_.scopes[scope].shapes_rows;
        branch.always_one_row = facts_.scopes[scope].always_one_row;
        if (vertical_shards.size() > 1) {
            return Outcome<BranchTemplate>::fail(
                reject(base_, "0A000",
                       "tables on different shards in one statement (" + names(vertical) +
                           "); cross-shard joins are not supported"));
        }
        for (auto* p : horizontal) {
            if (p->table->shared_scheme() != horizontal[0]->table->shared_scheme()) {
                return Outcome<BranchTemplate>::fail(
                    reject(base_, "0A000",
                           horizontal[0]->table->name() + " and " + p->table->name() +
                               " are not co-located (different placement); a statement "
                               "joining them would span shards"));
            }
        }
        if (!horizontal.empty()) {
            branch.groups = key_groups(horizontal);
            if (!vertical.empty()) {
                branch.must_be_on = vertical_shards.ids()[0];
                branch.must_be_on_table = vertical[0]->name();
            }
        } else if (!vertical.empty()) {
            branch.fixed_shards = vertical_shards.vector();
        }
        return Outcome<BranchTemplate>::ok(std::move(branch));
    }

    /// EXPLAIN is planned as the statement it explains; only EXPLAIN ANALYZE runs it, so a
    /// plain EXPLAIN of a write neither writes nor needs the primary.
    PlanTemplate explained(PlanTemplate t) const {
        const bool analyze = facts_.explain == parser::ast::ExplainKind::explain_analyze;
        if (!analyze) {
            t.is_write = false;
            t.primary_only = facts_.lock != parser::ast::LockMode::none;
        }
        t.reason =
            std::string(analyze ? "EXPLAIN ANALYZE" : "EXPLAIN") + " of a statement: " + t.reason;
        return t;
    }

    /// DESCRIBE t: a table has the same structure on every shard that holds it.
    PlanTemplate plan_describe() {
        if (auto problem = check_databases()) {
            return *problem;
        }
        place_tables();
        base_.is_write = false;
        base_.primary_only = false;
        if (placed_.empty()) {
            return reject(base_, "42601", "DESCRIBE needs a table name");
        }
        const auto shard = placed_[0].table->shards().front();
        return fixed(base_, PlanKind::route, {shard},
                     "DESCRIBE " + placed_[0].name() +
                         ": every shard holding it has the same "
                         "structure; shard " +
                         shard_name(db_, shard) + " answers");
    }

    static void add_unique(std::vector<std::string>& names, const std::string& name) {
        for (const auto& n : names) {
            if (n == name) {
                return;
            }
        }
        names.push_back(name);
    }

    PlanTemplate session(std::string reason) {
        auto t = base_;
        t.kind = PlanKind::session;
        t.reason = std::move(reason);
        return t;
    }

    /// A schema-qualified table naming another logical database of the map mixes databases.
    std::optional<PlanTemplate> check_databases() {
        for (const auto& ref : facts_.tables) {
            if (ref.schema.empty() || ref.cte_reference ||
                names_.same_table(ref.schema, db_.name())) {
                continue;
            }
            const bool other_database = map_.find_database(ref.schema) != nullptr;
            const bool mysql = db_.engine() == shardmaps::Engine::mysql;
            if (other_database || mysql) {
                return reject(base_, "0A000",
                              "statement mixes databases: " + table_label(ref) +
                                  " is not in database '" + db_.name() +
                                  "'; run one statement per logical database");
            }
        }
        return std::nullopt;
    }

    /// Places every table, then the sequences and notification channels the statement uses
    /// as if they were vertical tables on their shards (docs/shardmaps.md, "Sequences and
    /// channels"). A table the map does not list but a sequence it places (MariaDB sequences
    /// are tables; CREATE/DROP SEQUENCE name one) is placed as that sequence.
    void place_tables() {
        for (std::size_t i = 0; i < facts_.tables.size(); ++i) {
            const auto& ref = facts_.tables[i];
            if (ref.cte_reference) {
                continue;
            }
            const auto name = names_.map_name(ref);
            const Table* table = db_.find_table(name);
            if (table == nullptr) {
                table = db_.find_sequence(name);
            }
            placed_.push_back({i, &ref, table != nullptr ? table : &db_.placement(name)});
        }
        for (const auto& sequence : facts_.sequences) {
            if (sequence.empty()) {
                unknown_object_ = db_.sequences().empty() ? unknown_object_ : "sequence";
                continue;
            }
            const auto& ref = object_ref(sequence);
            if (const Table* placement = db_.find_sequence(names_.map_name(ref))) {
                placed_.push_back({placed_.size() + facts_.tables.size(), &ref, placement});
                labels_.back().name = "sequence " + sequence;
            }
        }
        for (const auto& channel : facts_.channels) {
            if (channel.empty()) {
                unknown_object_ = db_.channels().empty() ? unknown_object_ : "channel";
                continue;
            }
            channel_tables_.push_back(Table::vertical(channel, db_.channel_shard(channel)));
            auto& ref = object_ref(channel);
            ref.name = "channel " + channel;
            placed_.push_back(
                {placed_.size() + facts_.tables.size(), &ref, &channel_tables_.back()});
        }
    }

    /// A table reference for a sequence or channel name ("schema.name" or "name").
    parser::TableRef& object_ref(const std::string& name) {
        parser::TableRef ref;
        const auto dot = name.rfind('.');
        ref.name = dot == std::string::npos ? name : name.substr(dot + 1);
        ref.schema = dot == std::string::npos ? std::string() : name.substr(0, dot);
        labels_.push_back(std::move(ref));
        return labels_.back();
    }

    /// The statement names a sequence or channel by an expression while the map places such
    /// objects on particular shards: which shard must run it is unknown.
    std::optional<PlanTemplate> check_unknown_objects() {
        if (unknown_object_.empty()) {
            return std::nullopt;
        }
        return reject(base_, "0A000",
                      "the " + unknown_object_ + " name is not a constant, and the map places " +
                          unknown_object_ +
                          "s on particular shards: shardgate cannot tell which shard must run "
                          "the statement; name the " +
                          unknown_object_ + " literally");
    }

    /// Shards the statement's sequences and channels pin it to (empty: none does).
    ShardSet object_shards() const {
        ShardSet shards;
        for (const auto& p : placed_) {
            if (p.index >= facts_.tables.size()) {
                shards.insert(p.table->shard());
            }
        }
        return shards;
    }

    std::vector<shardmaps::ShardId> union_shards() const {
        ShardSet all;
        for (const auto& p : placed_) {
            all.unite(ShardSet(p.table->shards()));
        }
        return all.vector();
    }

    PlanTemplate plan_ddl() {
        if (placed_.empty() && facts_.ddl == parser::ast::DdlKind::drop_index) {
            return fixed(base_, PlanKind::broadcast, database_shards(),
                         "DROP INDEX without its table: every shard of the database (the "
                         "index may belong to a sharded table; use IF EXISTS for an index that "
                         "is not on every shard)");
        }
        if (placed_.empty()) {
            return fixed(base_, PlanKind::route, {db_.default_shard()},
                         "DDL without a table runs on the default shard");
        }
        bool all_vertical = true;
        for (const auto& p : placed_) {
            all_vertical = all_vertical && p.table->kind() == TableKind::vertical;
        }
        auto shards = union_shards();
        if (all_vertical && shards.size() == 1) {
            return fixed(base_, PlanKind::route, shards,
                         "DDL on " + placed_[0].name() + ", which lives on shard " +
                             shard_name(db_, shards[0]));
        }
        if (all_vertical) {
            return reject(base_, "0A000",
                          "DDL names tables on different shards; run one statement per table");
        }
        if (placed_.size() > 1) {
            for (const auto& p : placed_) {
                if (ShardSet(p.table->shards()) != ShardSet(shards)) {
                    return reject(base_, "0A000",
                                  "DDL names tables placed on different shard sets; run one "
                                  "statement per table");
                }
            }
        }
        return fixed(base_, PlanKind::broadcast, shards,
                     "DDL on " + std::string(shardmaps::table_kind_name(placed_[0].table->kind())) +
                         " table " + placed_[0].name() + ": runs on every shard");
    }

    static std::string maintenance_name(parser::ast::MaintenanceKind kind) {
        using K = parser::ast::MaintenanceKind;
        switch (kind) {
        case K::vacuum:
            return "VACUUM";
        case K::analyze:
            return "ANALYZE";
        case K::cluster:
            return "CLUSTER";
        case K::reindex:
            return "REINDEX";
        case K::refresh_view:
            return "REFRESH MATERIALIZED VIEW";
        case K::checkpoint:
            return "CHECKPOINT";
        case K::optimize:
            return "OPTIMIZE TABLE";
        case K::check:
            return "CHECK TABLE";
        case K::checksum:
            return "CHECKSUM TABLE";
        case K::repair:
            return "REPAIR TABLE";
        case K::flush:
            return "FLUSH";
        }
        return "maintenance";
    }

    static bool is_two_phase(parser::ast::TransactionKind kind) {
        using K = parser::ast::TransactionKind;
        return kind == K::prepare_transaction || kind == K::commit_prepared ||
               kind == K::rollback_prepared || kind == K::xa;
    }

    /// Code shardgate cannot see into (DO blocks, procedures) follows the unparsable policy.
    PlanTemplate opaque_code(const std::string& what) {
        base_.primary_only = true;
        if (db_.settings().unparsable == shardmaps::UnparsablePolicy::default_shard) {
            return fixed(base_, PlanKind::route, {db_.default_shard()},
                         what + " may touch any table; sent to the default shard " +
                             shard_name(db_, db_.default_shard()) +
                             " by the database's unparsable policy");
        }
        return reject(base_, "0A000",
                      what + " is not routed: shardgate cannot see which tables it touches; "
                             "run it with a /* shardgate: shard=NAME */ hint");
    }

    PlanTemplate plan_utility() {
        using K = parser::ast::UtilityKind;
        const bool mysql = db_.engine() == shardmaps::Engine::mysql;
        switch (facts_.utility) {
        case K::prepare:
        case K::execute:
        case K::deallocate:
            if (mysql) {
                return reject(base_, "0A000",
                              "SQL-level PREPARE/EXECUTE/DEALLOCATE is not supported through "
                              "shardgate yet; use the protocol's prepared statements");
            }
            return session("SQL-level prepared statement: kept by the session");
        case K::discard:
            return session("DISCARD: resets the session's state");
        case K::unlock_tables:
            return session("UNLOCK TABLES: releases the table locks the session holds");
        case K::do_block:
            return opaque_code("a DO block");
        case K::call:
            return opaque_code("CALL of a procedure");
        case K::do_expressions:
            base_.primary_only = true;
            return plan_tables();
        case K::lock_tables:
            base_.primary_only = true;
            return plan_where_tables_are("LOCK TABLE");
        case K::handler:
            base_.primary_only = true;
            return plan_where_tables_are("HANDLER");
        case K::listen:
        case K::unlisten:
        case K::notify:
            base_.primary_only = true;
            return plan_channel();
        case K::kill:
            return reject(base_, "0A000",
                          "KILL is not supported through shardgate: server connection ids differ "
                          "per server and are not the client's");
        case K::load_data:
            return reject(base_, "0A000",
                          "LOAD DATA is not supported through shardgate: rows must be placed by "
                          "their shard key; load them with INSERT statements");
        case K::copy_from:
            base_.primary_only = true;
            for (const auto& p : placed_) {
                if (p.table->kind() == TableKind::horizontal) {
                    // The data plane cuts the rows per shard by their key field.
                    auto t = fixed(base_, PlanKind::scatter, p.table->shards(),
                                   "COPY FROM into sharded table " + p.name() +
                                       ": rows cut per shard by " + p.table->key().column);
                    t.merge.split_copy_rows = true;
                    return t;
                }
            }
            return plan_where_tables_are("COPY FROM");
        }
        return reject(base_, "42601", "statement not understood");
    }

    /// LISTEN/UNLISTEN/NOTIFY run on the channel's shard, where its listeners and notifiers
    /// meet: the map's `channels` entry, else the default shard.
    PlanTemplate plan_channel() {
        if (facts_.session_names.empty() || facts_.session_names[0] == "*") {
            ShardSet shards;
            shards.insert(db_.default_shard());
            for (const auto& [channel, shard] : db_.channels()) {
                shards.insert(shard);
            }
            if (shards.size() > 1) {
                return reject(base_, "0A000",
                              "UNLISTEN * would have to reach every shard that holds a channel "
                              "of the map; UNLISTEN each channel by name");
            }
            return fixed(base_, PlanKind::route, {db_.default_shard()},
                         "notification channels live on the default shard");
        }
        const auto& channel = facts_.session_names[0];
        const auto shard = db_.channel_shard(channel);
        const bool mapped = db_.channels().find(channel) != db_.channels().end();
        return fixed(base_, PlanKind::route, {shard},
                     "channel " + channel + " lives on shard " + shard_name(db_, shard) +
                         (mapped ? " (the map's channels)" : " (the default shard)") +
                         ", where its listeners and notifiers meet");
    }

    /// Maintenance runs where the named tables are (every shard of a sharded or reference
    /// table); without a table, on every shard of the database.
    PlanTemplate plan_maintenance() {
        return plan_where_tables_are(maintenance_name(facts_.maintenance));
    }

    PlanTemplate plan_where_tables_are(const std::string& what) {
        if (placed_.empty()) {
            return fixed(base_, PlanKind::broadcast, database_shards(),
                         what + " without a table: every shard of the database");
        }
        auto shards = union_shards();
        for (const auto& p : placed_) {
            if (ShardSet(p.table->shards()) != ShardSet(shards)) {
                return reject(base_, "0A000",
                              what + " names tables placed on different shards; run one "
                                     "statement per table");
            }
        }
        const auto& first = *placed_[0].table;
        if (first.kind() == TableKind::vertical) {
            return fixed(base_, PlanKind::route, shards,
                         what + " of " + placed_[0].name() + ", which lives on shard " +
                             shard_name(db_, shards[0]));
        }
        return fixed(base_, PlanKind::broadcast, shards,
                     what + " of " + std::string(shardmaps::table_kind_name(first.kind())) +
                         " table " + placed_[0].name() + ": every shard of the table");
    }

    std::vector<shardmaps::ShardId> database_shards() const {
        std::vector<shardmaps::ShardId> ids;
        for (std::size_t i = 0; i < db_.shards().size(); ++i) {
            ids.push_back(static_cast<shardmaps::ShardId>(i));
        }
        return ids;
    }

    const Placed* insert_target() const {
        for (const auto& p : placed_) {
            if (p.ref->target) {
                return &p;
            }
        }
        return placed_.empty() ? nullptr : &placed_[0];
    }

    /// INSERT/REPLACE into a sharded table: locate each row. nullopt: plan like a query.
    std::optional<PlanTemplate> plan_insert() {
        const Placed* target = insert_target();
        if (target == nullptr) {
            return reject(base_, "42601", "INSERT without a target table");
        }
        const Table& table = *target->table;
        const ShardSet objects = object_shards();
        if (table.kind() == TableKind::reference) {
            if (!objects.empty()) {
                return reject(base_, "0A000",
                              "write to reference table " + table.name() +
                                  " runs on every shard, but a sequence or channel it uses lives "
                                  "on shard " +
                                  shard_name(db_, objects.ids()[0]) +
                                  " only; fetch the value first, then write it");
            }
            if (facts_.insert.from_select && placed_.size() > 1) {
                return reject(base_, "0A000",
                              "INSERT ... SELECT into reference table " + table.name() +
                                  " is not supported yet");
            }
            return copies(fixed(base_, PlanKind::broadcast, table.shards(),
                                "write to reference table " + table.name() + ": every shard"));
        }
        if (table.kind() == TableKind::vertical) {
            return std::nullopt; // like a query: every table must be on that one shard
        }
        const auto& key = table.key().column;
        if (facts_.insert.from_select) {
            return plan_insert_select(*target);
        }
        if (facts_.assigns_column(key)) {
            return reject(base_, "0A000",
                          "the statement would change shard key " + table.name() + "." + key +
                              "; delete the row and insert it with the new key instead");
        }
        std::int32_t column = -1;
        for (std::size_t i = 0; i < facts_.insert.columns.size(); ++i) {
            if (names_.same_column(facts_.insert.columns[i], key)) {
                column = static_cast<std::int32_t>(i);
            }
        }
        const auto* generation = table.key_generation();
        if (column < 0 && generation == nullptr) {
            return reject(
                base_, "0A000",
                "INSERT into sharded table " + table.name() + " must name its shard key column '" +
                    key + "' in the column list, e.g. INSERT INTO " + table.name() + " (" + key +
                    ", ...) VALUES (...), or the map must generate it (id: "
                    "sequence)");
        }
        const bool listed = !facts_.insert.columns.empty() || facts_.insert.default_values ||
                            std::all_of(facts_.insert.rows.begin(), facts_.insert.rows.end(),
                                        [](const auto& row) { return row.empty(); });
        if (column < 0 && !listed) {
            return reject(base_, "0A000",
                          "INSERT into sharded table " + table.name() +
                              " without a column list: shardgate generates its key '" + key +
                              "' only for an INSERT that names its columns, e.g. INSERT INTO " +
                              table.name() + " (name, ...) VALUES (...)");
        }
        auto t = base_;
        t.target = PlanTemplate::Target::insert_rows;
        t.insert_table = &table;
        if (objects.size() > 1) {
            return reject(base_, "0A000",
                          "the sequences and channels of this statement live on different "
                          "shards; one statement runs on one shard");
        }
        if (!objects.empty()) {
            t.must_be_on = objects.ids()[0];
            for (const auto& p : placed_) {
                if (p.index >= facts_.tables.size()) {
                    t.must_be_on_table = p.name();
                }
            }
        }
        std::uint32_t generate = facts_.insert.default_values ? 1 : 0;
        for (const auto& row : facts_.insert.rows) {
            const auto* value =
                static_cast<std::size_t>(column) < row.size() ? &row[column] : nullptr;
            if (generation != nullptr &&
                (column < 0 ||
                 (value != nullptr && value->kind == parser::ValueRef::Kind::default_value))) {
                ++generate;
                continue;
            }
            if (value == nullptr || !value->is_literal()) {
                return reject(
                    base_, "0A000",
                    "the shard key '" + key + "' of " + table.name() +
                        " must be a literal or a parameter in every row" +
                        (generation != nullptr ? " (or DEFAULT: shardgate generates it)" : ""));
            }
            t.insert_key_slots.push_back(row[column].slot);
        }
        if (generate > 0 && generation != nullptr) {
            t.target = PlanTemplate::Target::generated_keys;
            t.insert_key_slots.clear();
            t.generated_keys = generated_keys(table, column, generate, false);
            t.reason = "not supported yet: shardgate generates the key of " + table.name() +
                       " (id: sequence) for a simple or prepared INSERT ... VALUES of its own, "
                       "not in this request";
            return t;
        }
        if (t.insert_key_slots.empty()) {
            return reject(base_, "0A000",
                          "INSERT into sharded table " + table.name() +
                              " needs VALUES rows naming the shard key");
        }
        t.reason = "rows of " + table.name() + " by " + key;
        return t;
    }

    GeneratedKeys generated_keys(const Table& table, std::int32_t column, std::uint32_t count,
                                 bool next_value) const {
        const auto& generation = *table.key_generation();
        return GeneratedKeys{table.name(),
                             table.key().column,
                             generation.sequence,
                             db_.id_counter_shard(generation.sequence),
                             generation.block,
                             generation.start,
                             column,
                             count,
                             next_value,
                             {}};
    }

    /// A statement naming the counter of a generated key (a table's `id` setting): `SELECT
    /// nextval('s')` (MariaDB: `SELECT NEXT VALUE FOR s`, `SELECT NEXTVAL(s)`) on its own is
    /// answered by shardgate from the counter; anything else using it is refused, since the
    /// shards' own sequences of that name would hand out ids that collide.
    std::optional<PlanTemplate> plan_generated_sequence() {
        for (const auto& name : facts_.sequences) {
            const Table* table = db_.find_generated(names_.map_name(object_ref(name)));
            if (table == nullptr) {
                continue;
            }
            std::string item;
            if (facts_.select.items.size() == 1) {
                item = facts_.select.items[0].text;
                std::transform(item.begin(), item.end(), item.begin(),
                               [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
            }
            const bool alone = facts_.kind == StatementKind::select && facts_.tables.empty() &&
                               facts_.sequences.size() == 1 && facts_.predicates.empty() &&
                               !facts_.select.limit && facts_.select.group_by.empty() &&
                               (item.starts_with("nextval") || item.starts_with("next value"));
            if (!alone) {
                return reject(base_, "0A000",
                              "sequence " + name +
                                  " is the counter shardgate generates the key "
                                  "of " +
                                  table->name() +
                                  " from (id: sequence): use SELECT "
                                  "nextval('" +
                                  name + "') on its own, or insert without the key");
            }
            auto t = base_;
            t.primary_only = true;
            t.target = PlanTemplate::Target::generated_keys;
            t.generated_keys = generated_keys(*table, -1, 1, true);
            const auto& alias = facts_.select.items[0].alias;
            t.generated_keys->label = !alias.empty() ? alias
                                      : db_.engine() == shardmaps::Engine::postgresql
                                          ? std::string("nextval")
                                          : facts_.select.items[0].text;
            t.reason = "not supported yet: shardgate answers nextval('" + name +
                       "') (the generated key of " + table->name() +
                       ") in a simple query or a prepared statement of its own";
            return t;
        }
        return std::nullopt;
    }

    /// The slot of the new key value of an UPDATE that may move rows between shards
    /// (shard_key_updates: move): a single-table UPDATE setting the key to a literal or a
    /// parameter, without RETURNING, ORDER BY or LIMIT. -1 otherwise.
    std::int32_t key_move_slot(const Placed& p, std::size_t sharded_tables) const {
        if (db_.settings().shard_key_updates != shardmaps::ShardKeyUpdates::move ||
            facts_.kind != StatementKind::update || sharded_tables != 1 || placed_.size() != 1 ||
            facts_.returning || facts_.select.limit || !facts_.select.order_by.empty()) {
            return -1;
        }
        std::int32_t slot = -1;
        for (const auto& a : facts_.assignments) {
            if (names_.same_column(a.column.name, p.table->key().column)) {
                if (!a.value.is_literal() || slot >= 0) {
                    return -1;
                }
                slot = a.value.slot;
            }
        }
        return slot;
    }

    std::string key_move_refusal() const {
        if (db_.settings().shard_key_updates != shardmaps::ShardKeyUpdates::move) {
            return "; delete the row and insert it with the new key instead, or set the "
                   "database's shard_key_updates: move";
        }
        return "; shardgate moves rows only for an UPDATE of one table that sets the key to a "
               "value (a literal or a parameter), without RETURNING, ORDER BY or LIMIT";
    }

    /// Whether the unqualified column `name` can only mean `p`'s key: no other sharded table
    /// of the same scope has a key column of that name.
    bool sole_key_owner(const Placed& p) const {
        for (const auto& other : placed_) {
            if (&other == &p || other.ref->scope != p.ref->scope ||
                other.table->kind() != TableKind::horizontal || using_joined(p, other)) {
                continue; // a column USING joins is one column: either table's key
            }
            if (names_.same_column(other.table->key().column, p.table->key().column)) {
                return false;
            }
        }
        return true;
    }

    /// The predicates that restrict p's rows: its scope's WHERE and the ON clauses that
    /// filter it (inner joins filter every table, LEFT JOIN only the joined table).
    KeyExpr expr_for(const Placed& p) const {
        const auto& key = p.table->key().column;
        const bool sole = sole_key_owner(p);
        KeyExpr expr;
        const auto scope = p.ref->scope;
        if (scope >= 0 && static_cast<std::size_t>(scope) < facts_.scopes.size()) {
            expr = key_expr_for(facts_, facts_.scopes[scope].where, *p.ref, key, sole, names_);
        }
        for (const auto& other : facts_.tables) {
            if (other.scope != scope || other.on_predicate < 0) {
                continue;
            }
            const bool owner = &other == p.ref;
            const bool filters = other.join == parser::ast::JoinKind::inner ||
                                 (owner && other.join == parser::ast::JoinKind::left);
            if (filters) {
                expr = and_exprs(std::move(expr), key_expr_for(facts_, other.on_predicate, *p.ref,
                                                               key, sole, names_));
            }
        }
        return expr;
    }

    /// Whether a comparison `a = b` between two columns joins p's key to q's key.
    bool joins_keys(const parser::Comparison& c, const Placed& p, const Placed& q) const {
        if (c.op != parser::CompareOp::eq || c.values.size() != 1 ||
            c.values[0].kind != parser::ValueRef::Kind::column) {
            return false;
        }
        const auto& left = c.column;
        const auto& right = c.values[0].column;
        return (is_key_of(left, p) && is_key_of(right, q)) ||
               (is_key_of(left, q) && is_key_of(right, p));
    }

    bool is_key_of(const parser::ColumnName& column, const Placed& p) const {
        if (!names_.same_column(column.name, p.table->key().column)) {
            return false;
        }
        if (column.qualifier.empty()) {
            return sole_key_owner(p);
        }
        const auto& ref = *p.ref;
        return names_.same_table(column.qualifier, ref.alias.empty() ? ref.name : ref.alias);
    }

    /// Whether the later of p and q is joined to the tables before it by `USING (key)` or
    /// NATURAL JOIN, both keys having the same name: the join is the key equality.
    bool using_joined(const Placed& p, const Placed& q) const {
        if (p.ref->scope != q.ref->scope ||
            !names_.same_column(p.table->key().column, q.table->key().column)) {
            return false;
        }
        const auto& later = p.index > q.index ? *p.ref : *q.ref;
        if (later.join == parser::ast::JoinKind::natural) {
            return true;
        }
        for (const auto& column : later.using_columns) {
            if (names_.same_column(column, p.table->key().column)) {
                return true;
            }
        }
        return false;
    }

    /// Top-level AND conjuncts (and ON clauses) that are key equalities between p and q, or a
    /// USING / NATURAL join on the key.
    bool key_joined(const Placed& p, const Placed& q) const {
        if (using_joined(p, q)) {
            return true;
        }
        std::vector<std::int32_t> roots;
        for (const auto& scope : facts_.scopes) {
            roots.push_back(scope.where);
        }
        for (const auto& ref : facts_.tables) {
            roots.push_back(ref.on_predicate);
        }
        for (auto root : roots) {
            if (conjunct_joins(root, p, q)) {
                return true;
            }
        }
        return false;
    }

    bool conjunct_joins(std::int32_t index, const Placed& p, const Placed& q) const {
        if (index < 0 || static_cast<std::size_t>(index) >= facts_.predicates.size()) {
            return false;
        }
        const auto& node = facts_.predicates[index];
        if (node.kind == parser::PredicateNode::Kind::comparison) {
            return joins_keys(node.comparison, p, q);
        }
        if (node.kind == parser::PredicateNode::Kind::and_) {
            for (auto child : node.children) {
                if (conjunct_joins(static_cast<std::int32_t>(child), p, q)) {
                    return true;
                }
            }
        }
        return false;
    }

    PlanTemplate plan_tables() {
        std::vector<const Placed*> vertical, reference, horizontal;
        for (const auto& p : placed_) {
            switch (p.table->kind()) {
            case TableKind::vertical:
                vertical.push_back(&p);
                break;
            case TableKind::reference:
                reference.push_back(&p);
                break;
            case TableKind::horizontal:
                horizontal.push_back(&p);
                break;
            }
        }
        if (placed_.empty()) {
            return fixed(base_, PlanKind::route, {db_.default_shard()},
                         "no table: runs on the default shard");
        }
        ShardSet vertical_shards;
        for (auto* p : vertical) {
            vertical_shards.insert(p->table->shard());
        }
        if (vertical_shards.size() > 1) {
            return reject(base_, "0A000",
                          "tables on different shards in one statement (" + names(vertical) +
                              "); cross-shard joins are not supported");
        }
        if (horizontal.empty()) {
            return plan_unsharded(vertical, reference, vertical_shards);
        }
        return plan_sharded(vertical, horizontal, vertical_shards);
    }

    static std::string names(const std::vector<const Placed*>& tables) {
        std::string out;
        for (auto* p : tables) {
            out += (out.empty() ? "" : ", ") + p->name();
        }
        return out;
    }

    PlanTemplate plan_unsharded(const std::vector<const Placed*>& vertical,
                                const std::vector<const Placed*>& reference,
                                const ShardSet& vertical_shards) {
        if (!vertical.empty()) {
            const auto shard = vertical_shards.ids()[0];
            for (auto* p : reference) {
                if (p->ref->target) {
                    return reject(base_, "0A000",
                                  "write to reference table " + p->name() +
                                      " must run on every shard, but it uses " +
                                      vertical[0]->name() + ", which lives on shard " +
                                      shard_name(db_, shard) + " only");
                }
            }
            return fixed(base_, PlanKind::route, {shard},
                         vertical[0]->name() + " lives on shard " + shard_name(db_, shard) +
                             (reference.empty() ? "" : "; reference tables are on every shard"));
        }
        const Table& table = *reference[0]->table;
        if (base_.is_write) {
            return copies(fixed(base_, PlanKind::broadcast, table.shards(),
                                "write to reference table " + table.name() + ": every shard"));
        }
        return fixed(base_, PlanKind::route, {table.shards().front()},
                     "reference table " + table.name() + ": any shard has every row");
    }

    PlanTemplate plan_sharded(const std::vector<const Placed*>& vertical,
                              const std::vector<const Placed*>& horizontal,
                              const ShardSet& vertical_shards) {
        const auto& scheme = horizontal[0]->table->shared_scheme();
        const Table* move_table = nullptr;
        std::int32_t move_slot = -1;
        for (auto* p : horizontal) {
            if (p->table->shared_scheme() != scheme) {
                return reject(base_, "0A000",
                              horizontal[0]->table->name() + " and " + p->table->name() +
                                  " are not co-located (different placement); a statement "
                                  "joining them would span shards");
            }
            if (p->ref->target && facts_.assigns_column(p->table->key().column)) {
                move_slot = key_move_slot(*p, horizontal.size());
                if (move_slot < 0) {
                    return reject(base_, "0A000",
                                  "the statement would change shard key " + p->table->name() + "." +
                                      p->table->key().column + key_move_refusal());
                }
                move_table = p->table;
            }
        }
        auto t = base_;
        t.key_move_table = move_table;
        t.key_move_slot = move_slot;
        t.target = PlanTemplate::Target::keyed;
        t.groups = key_groups(horizontal);
        if (!vertical.empty()) {
            t.must_be_on = vertical_shards.ids()[0];
            t.must_be_on_table = vertical[0]->name();
        }
        if (base_.is_write && t.groups.size() == 1 && t.groups[0].expr.unrestricted()) {
            const auto& table = *t.groups[0].table;
            if (db_.settings().keyless_writes == shardmaps::KeylessWritePolicy::broadcast) {
                if (facts_.select.limit) {
                    return reject(base_, "0A000",
                                  "not supported yet: UPDATE / DELETE with LIMIT on several "
                                  "shards (each shard would apply its own LIMIT); add a "
                                  "shard-key condition");
                }
                return fixed(base_, PlanKind::broadcast, table.shards(),
                             "write to sharded table " + table.name() +
                                 " without a shard-key condition: every shard (the database's "
                                 "keyless_writes policy is broadcast)");
            }
            return reject(base_, "0A000",
                          "write to sharded table " + table.name() +
                              " without a condition on "
                              "its shard key '" +
                              table.key().column + "' would touch every shard; add WHERE " +
                              table.key().column +
                              " = ..., a /* shardgate: shard=NAME */ hint, or the database "
                              "setting keyless_writes: broadcast");
        }
        fill_merge(t);
        t.reason = "by shard key of " + t.groups[0].names;
        return t;
    }

    /// Connected components of sharded tables under key-equality joins.
    std::vector<KeyGroup> key_groups(const std::vector<const Placed*>& horizontal) const {
        std::vector<std::size_t> parent(horizontal.size());
        std::iota(parent.begin(), parent.end(), 0);
        auto find = [&](std::size_t i) {
            while (parent[i] != i) {
                i = parent[i] = parent[parent[i]];
            }
            return i;
        };
        for (std::size_t i = 0; i < horizontal.size(); ++i) {
            for (std::size_t j = i + 1; j < horizontal.size(); ++j) {
                if (key_joined(*horizontal[i], *horizontal[j])) {
                    parent[find(i)] = find(j);
                }
            }
        }
        std::map<std::size_t, KeyGroup> groups;
        for (std::size_t i = 0; i < horizontal.size(); ++i) {
            auto& group = groups[find(i)];
            group.table = horizontal[i]->table;
            group.names += (group.names.empty() ? "" : ", ") + horizontal[i]->table->name();
            group.expr = and_exprs(std::move(group.expr), expr_for(*horizontal[i]));
        }
        std::vector<KeyGroup> result;
        for (auto& [root, group] : groups) {
            result.push_back(std::move(group));
        }
        return result;
    }

    void fill_merge(PlanTemplate& t) const {
        const auto& select = facts_.select;
        auto& merge = t.merge;
        for (const auto& key : select.order_by) {
            merge.order_by.push_back({key.text, key.output, key.descending, key.nulls});
        }
        for (const auto& key : select.group_by) {
            merge.group_by.push_back({key.text, key.output, key.descending, key.nulls});
        }
        for (std::size_t i = 0; i < select.items.size(); ++i) {
            const auto& item = select.items[i];
            if (item.aggregate != parser::Aggregate::none) {
                merge.aggregates.push_back(
                    {static_cast<std::int32_t>(i), item.aggregate, item.distinct,
                     item.aggregate == parser::Aggregate::avg || item.distinct
                         ? call_argument(item.text)
                         : "",
                     item.argument.name, item.argument_star});
            }
        }
        merge.distinct = select.distinct;
        merge.having = select.having;
        merge.having_nodes = select.having_nodes;
        for (const auto& item : select.items) {
            merge.select_star = merge.select_star || item.star;
        }
        merge.window = select.window;
        fill_limit(t);
    }

    void fill_limit(PlanTemplate& t) const {
        const auto& select = facts_.select;
        t.merge.has_limit = select.limit.has_value();
        t.merge.has_offset = select.offset.has_value();
        if (select.limit && select.limit->is_literal()) {
            t.limit_slot = select.limit->slot;
        }
        if (select.offset && select.offset->is_literal()) {
            t.offset_slot = select.offset->slot;
        }
    }

    const shardmaps::ShardMap& map_;
    const shardmaps::Database& db_;
    const parser::StatementFacts& facts_;
    NameRules names_;
    PlanTemplate base_;
    std::vector<Placed> placed_;
    /// Sequence and channel references (deques: Placed points into them).
    std::deque<parser::TableRef> labels_;
    std::deque<Table> channel_tables_;
    /// "sequence" or "channel" when one is named by a non-constant while the map places them.
    std::string unknown_object_;
};

} // namespace

PlanTemplate analyze(const shardmaps::ShardMap& map, const shardmaps::Database& database,
                     const parser::StatementFacts& facts) {
    return Analyzer(map, database, facts).run();
}

PlanTemplate analyze_unparsable(const shardmaps::Database& database, const parser::Error& error) {
    PlanTemplate t;
    t.primary_only = true;
    const auto where = "at byte " + std::to_string(error.position) + ": " + error.message;
    if (database.settings().unparsable == shardmaps::UnparsablePolicy::default_shard) {
        return fixed(std::move(t), PlanKind::route, {database.default_shard()},
                     "not understood (" + where + "); sent to the default shard " +
                         database.shard(database.default_shard()).name +
                         " by the database's unparsable policy");
    }
    return reject(std::move(t), "42601",
                  "shardgate cannot route this statement: syntax not understood " + where);
}

} // namespace shardgate::router
