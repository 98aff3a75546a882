// The cached, value-free half of a plan: what analysis of a statement's facts decided, with
// shard-key values left as fingerprint slots so that a plan-cache hit only binds values.
#pragma once

#include "shardgate/parser/facts.hpp"
#include "shardgate/parser/literal.hpp"
#include "shardgate/router/plan.hpp"
#include "shardgate/shardmaps/table.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace shardgate::router {

/// A comparison on a table's shard key; `slots` are fingerprint slots (a folded IN list is one
/// slot holding many literals), -1 where the value is not a literal (unknown when bound).
struct KeyTerm {
    parser::CompareOp op = parser::CompareOp::eq;
    std::vector<std::int32_t> slots;
};

/// A node of a key expression: `all` means "no restriction" (every shard of the table).
struct KeyNode {
    enum class Kind : std::uint8_t { all, and_, or_, term };
    Kind kind = Kind::all;
    std::vector<std::uint32_t> children;
    KeyTerm term;
};

/// What a statement's predicates say about one sharded table's key; nodes[root] is the top.
struct KeyExpr {
    std::vector<KeyNode> nodes;
    std::int32_t root = -1; ///< -1: unrestricted

    bool unrestricted() const { return root < 0; }
};

/// Sharded tables whose keys are tied by equality joins, with the combined key expression;
/// `table` is any member (they share one scheme).
struct KeyGroup {
    const shardmaps::Table* table = nullptr;
    std::string names;
    KeyExpr expr;
};

/// One branch of a top-level UNION / INTERSECT / EXCEPT, placed on its own. A branch with
/// sharded tables is `keyed` by its groups; one with vertical tables only is fixed to their
/// shard; one with reference tables or no table at all can run anywhere (`fixed_shards` empty).
struct BranchTemplate {
    std::vector<KeyGroup> groups;
    std::vector<shardmaps::ShardId> fixed_shards;
    std::optional<shardmaps::ShardId> must_be_on;
    std::string must_be_on_table;
    /// Aggregates, groups, de-duplicates or limits: cannot itself span shards.
    bool shapes_rows = false;
    /// Aggregates without GROUP BY: returns a row on every shard it runs on.
    bool always_one_row = false;

    bool keyed() const { return !groups.empty(); }
};

/// How the branches of a set operation combine, as far as a scatter is concerned.
enum class SetCombine : std::uint8_t { union_all, union_distinct, other };

/// The value-free plan.
struct PlanTemplate {
    /// fixed: `fixed_shards` decided now; keyed: evaluate `groups`; insert_rows: locate each
    /// row's key slot in `insert_table`.
    /// branches: place each of `branches` and combine (route to a common shard or scatter).
    /// generated_keys: the statement needs keys shardgate generates (`generated_keys`).
    enum class Target : std::uint8_t { fixed, keyed, insert_rows, branches, generated_keys };

    PlanKind kind = PlanKind::route; ///< reject/session final; fixed targets route/broadcast
    Target target = Target::fixed;
    bool primary_only = false; ///< writes, locking reads, DDL
    std::vector<shardmaps::ShardId> fixed_shards;
    std::vector<KeyGroup> groups;
    /// A vertical table joined with sharded ones: the keyed result must be this shard.
    std::optional<shardmaps::ShardId> must_be_on;
    std::string must_be_on_table;
    const shardmaps::Table* insert_table = nullptr;
    std::vector<std::int32_t> insert_key_slots;
    std::vector<BranchTemplate> branches;
    SetCombine combine = SetCombine::other;
    /// Shards holding every table of the statement: the only ones a branch scatter may use.
    std::vector<shardmaps::ShardId> common_shards;
    /// Non-empty: the statement must run on one shard, else reject with this reason.
    std::string single_shard_reason;
    MergeSpec merge;
    std::int32_t limit_slot = -1;
    std::int32_t offset_slot = -1;
    std::string reason;
    std::string sqlstate;
    std::vector<std::string> tables;
    std::shared_ptr<const std::vector<TableUse>> table_uses; ///< (given to scatter reads only)
    parser::StatementKind statement = parser::StatementKind::select;
    Verb verb = Verb::other;
    bool is_write = false;
    bool returning = false;
    bool copies = false;
    bool reads_sequence_state = false;
    bool advances_sequence = false;
    std::string_view session_state;
    /// When set_config's is_local decides session_state: its fingerprint slot (else < 0).
    std::int32_t session_state_slot = -1;
    bool calls_set_config = false;
    std::optional<GeneratedKeys> generated_keys;
    /// An UPDATE that assigns `key_move_table`'s shard key the value of slot `key_move_slot`
    /// (shard_key_updates: move): bound to a KeyMove when the value is on another shard.
    const shardmaps::Table* key_move_table = nullptr;
    std::int32_t key_move_slot = -1;
    /// The casts written on the slots' literals (parser::slot_casts; empty: none).
    std::vector<parser::LiteralCast> slot_casts;
};

} // namespace shardgate::router
