// The cached, value-free half of a plan: what analysis of a statement's facts decided, with
// shard-key values left as fingerprint slots so that a plan-cache hit only binds values.
#pragma once

#include "shardgate/parser/facts.hpp"
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

/// The value-free plan.
struct PlanTemplate {
    /// fixed: `fixed_shards` decided now; keyed: evaluate `groups`; insert_rows: locate each
    /// row's key slot in `insert_table`.
    enum class Target : std::uint8_t { fixed, keyed, insert_rows };

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
    MergeSpec merge;
    std::int32_t limit_slot = -1;
    std::int32_t offset_slot = -1;
    std::string reason;
    std::string sqlstate;
    std::vector<std::string> tables;
    parser::StatementKind statement = parser::StatementKind::select;
    bool is_write = false;
};

} // namespace shardgate::router
