// Internal: helpers shared by the binding of keyed, insert and set-operation templates.
#pragma once

#include "router/key_hashes.hpp"
#include "router/plan_template.hpp"
#include "router/shard_set.hpp"
#include "shardgate/parser/fingerprint.hpp"
#include "shardgate/router/planner.hpp"
#include "shardgate/shardmaps/database.hpp"

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace shardgate::router::detail {

/// Where a set of key groups puts a statement (or one branch of it); `error` non-empty (with
/// its SQLSTATE) when it cannot be placed.
struct GroupsReach {
    ShardSet shards;
    KeyHashes keys = KeyHashes::none();
    std::string sqlstate;
    std::string error;
};

/// One group decides; several groups not joined on the key must agree on one shard.
/// `casts`: the template's slot_casts.
GroupsReach reach_of_groups(const std::vector<KeyGroup>& groups, const parser::Fingerprint& fp,
                            std::span<const parser::LiteralCast> casts,
                            const RouteContext& context);

/// The reason of a reject: a vertical table's shard is not where the sharded rows are.
std::string must_be_on_error(const shardmaps::Database& db, ShardId shard, const std::string& table,
                             const std::string& sharded);

/// A LIMIT/OFFSET slot's value when it is a known non-negative integer.
/// The byte offset of slot `slot`'s literal when it is an integer literal (not a parameter).
std::optional<std::uint32_t> slot_literal_at(const parser::Fingerprint& fp, std::int32_t slot);
/// The values of a HAVING condition's literals, two per node (see MergeSpec::having_values).
std::vector<HavingValue> having_values(const parser::Fingerprint& fp,
                                       const std::vector<parser::HavingNode>& nodes,
                                       const RouteContext& context);
std::optional<std::uint64_t> slot_number(const parser::Fingerprint& fp, std::int32_t slot,
                                         const RouteContext& context);

/// Sets the plan's shards and their names, reusing the plan's storage.
void set_shards(Plan& plan, const shardmaps::Database& db, std::span<const ShardId> shards);
void rejected(Plan& plan, std::string sqlstate, std::string reason);

/// Set operations (bind_branches.cpp): each branch placed, then one shard or a scatter.
void bind_branches(Plan& plan, const PlanTemplate& t, const shardmaps::Database& db,
                   const parser::Fingerprint& fp, const RouteContext& context);

} // namespace shardgate::router::detail
