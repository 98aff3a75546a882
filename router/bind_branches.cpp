// Binding a set operation (UNION [ALL], INTERSECT, EXCEPT): every branch is placed by its own
// tables; branches on one shard route there, branches on several shards scatter when running
// the whole statement on each shard and combining the results gives the right answer.
#include "router/bind_support.hpp"

namespace shardgate::router::detail {
namespace {

/// Where one branch's rows are: `shards` empty and `anywhere` for a branch without sharded
/// or vertical tables; `nowhere` when its key conditions match no row.
struct BranchReach {
    ShardSet shards;
    bool anywhere = false;
    bool nowhere = false;
};

std::string shard_list(const shardmaps::Database& db, const ShardSet& shards) {
    std::string out;
    for (auto id : shards.ids()) {
        out += (out.empty() ? "" : ", ") + db.shard(id).name;
    }
    return out;
}

std::string branch_label(std::size_t i) {
    return "branch " + std::to_string(i + 1);
}

/// Why a scatter of the branches would give a wrong answer, or "" if it is sound.
std::string scatter_problem(const PlanTemplate& t, const std::vector<BranchReach>& reaches,
                            const ShardSet& total, const shardmaps::Database& db) {
    if (t.combine == SetCombine::other) {
        return "INTERSECT, EXCEPT and mixed set operators cannot be answered shard by shard, and "
               "the branches are on different shards (" +
               shard_list(db, total) + "); keep every branch on one shard";
    }
    for (std::size_t i = 0; i < reaches.size(); ++i) {
        const auto& branch = t.branches[i];
        const auto& reach = reaches[i];
        if (branch.always_one_row && !reach.nowhere) {
            return branch_label(i) +
                   " of the set operation aggregates without GROUP BY, so every shard would "
                   "return a row for it; keep all branches on one shard";
        }
        if (branch.shapes_rows && reach.shards.size() > 1) {
            return branch_label(i) +
                   " of the set operation aggregates, groups, removes duplicates or limits rows "
                   "on several shards, which a merge of whole results cannot combine";
        }
        if (reach.anywhere && t.combine == SetCombine::union_all) {
            return branch_label(i) +
                   " of the UNION ALL reads no sharded table, so every shard would return its "
                   "rows; use UNION or keep all branches on one shard";
        }
    }
    ShardSet outside = total;
    outside.intersect(ShardSet(t.common_shards));
    if (outside != total) {
        return "the branches of the set operation are on shards " + shard_list(db, total) +
               ", but not every table of the statement is on all of them; cross-shard set "
               "operations need every table on every shard they run on";
    }
    return {};
}

} // namespace

void bind_branches(Plan& plan, const PlanTemplate& t, const shardmaps::Database& db,
                   const parser::Fingerprint& fp, const RouteContext& context) {
    std::vector<BranchReach> reaches;
    ShardSet total;
    KeyHashes keys = KeyHashes::none();
    for (const auto& branch : t.branches) {
        BranchReach reach;
        if (branch.keyed()) {
            auto groups = reach_of_groups(branch.groups, fp, t.slot_casts, context);
            if (!groups.error.empty()) {
                return rejected(plan, groups.sqlstate, groups.error);
            }
            if (branch.must_be_on &&
                (groups.shards.size() != 1 || groups.shards.ids()[0] != *branch.must_be_on)) {
                return rejected(plan, "0A000",
                                must_be_on_error(db, *branch.must_be_on, branch.must_be_on_table,
                                                 branch.groups[0].names));
            }
            reach.nowhere = groups.shards.empty();
            reach.shards = std::move(groups.shards);
            keys.unite(groups.keys);
        } else if (!branch.fixed_shards.empty()) {
            reach.shards = ShardSet(branch.fixed_shards);
        } else {
            reach.anywhere = true;
        }
        total.unite(reach.shards);
        reaches.push_back(std::move(reach));
    }
    const ShardSet common(t.common_shards);
    if (total.size() <= 1) {
        ShardSet here = total;
        if (here.empty()) {
            here = ShardSet::single(common.empty() ? db.default_shard() : common.ids()[0]);
        }
        ShardSet inside = here;
        inside.intersect(common);
        if (inside != here) {
            return rejected(plan, "0A000",
                            "the tables of the set operation are not all on shard " +
                                shard_list(db, here) +
                                "; cross-shard set operations need every table on every shard "
                                "they run on");
        }
        plan.kind = PlanKind::route;
        plan.merge = {};
        plan.reason += ": every branch is on shard " + shard_list(db, here);
        if (!keys.is_any()) {
            plan.key_hash = keys.combined();
        }
        set_shards(plan, db, here.ids());
        return;
    }
    if (auto problem = scatter_problem(t, reaches, total, db); !problem.empty()) {
        return rejected(plan, "0A000", problem);
    }
    plan.kind = PlanKind::scatter;
    plan.reason += ": branches on shards " + shard_list(db, total) +
                   "; every one of them runs the whole statement and the results are " +
                   (t.combine == SetCombine::union_all ? "concatenated"
                                                       : "merged without "
                                                         "duplicates");
    plan.merge.limit = slot_number(fp, t.limit_slot, context);
    plan.merge.offset = slot_number(fp, t.offset_slot, context);
    plan.merge.limit_at = slot_literal_at(fp, t.limit_slot);
    plan.merge.offset_at = slot_literal_at(fp, t.offset_slot);
    set_shards(plan, db, total.ids());
    return;
}

} // namespace shardgate::router::detail
