// Turning planner output into a target (shard + role), with the proxy's own refusals.
#include "client_session.hpp"
#include "worker.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace shardgate::proxy::pg {

std::optional<ClientSession::Target>
ClientSession::check_plan(const router::Plan& plan, std::string& sqlstate, std::string& message) {
    switch (plan.kind) {
    case router::PlanKind::route:
        if (plan.shards.size() == 1) {
            Target target{plan.shards.front(),
                          plan.role == router::Role::primary || txn_ != Txn::none, plan.is_write,
                          plan.max_lag_ms};
            target.key_hash = plan.key_hash;
            return target;
        }
        break;
    case router::PlanKind::reject:
        ++worker_.stats().rejected_by_plan;
        sqlstate = plan.sqlstate.empty() ? "42000" : plan.sqlstate;
        message = plan.reason;
        return std::nullopt;
    default:
        break;
    }
    ++worker_.stats().rejected_cross_shard;
    sqlstate = "0A000";
    message = fmt::format("not supported yet: this statement needs {} shards ({}): {} plans are "
                          "not executed by shardgate yet",
                          plan.shards.size(), fmt::join(plan.shard_names, ", "),
                          router::plan_kind_name(plan.kind));
    return std::nullopt;
}

std::optional<ClientSession::Target>
ClientSession::merge_targets(const std::vector<Target>& targets, std::string& message) {
    Target merged = targets.front();
    for (const auto& target : targets) {
        if (target.shard != merged.shard) {
            ++worker_.stats().rejected_cross_shard;
            message =
                fmt::format("not supported yet: these statements need different shards "
                            "({} and {}); send them separately",
                            db_->shards()[merged.shard].name, db_->shards()[target.shard].name);
            return std::nullopt;
        }
        merged.primary = merged.primary || target.primary;
        merged.write = merged.write || target.write;
        if (target.key_hash != merged.key_hash) {
            merged.key_hash.reset(); // statements on different keys: no one key to hash
        }
        if (target.max_lag_ms) {
            merged.max_lag_ms =
                std::min(merged.max_lag_ms.value_or(*target.max_lag_ms), *target.max_lag_ms);
        }
    }
    if (txn_ == Txn::active && pinned_shard_ && *pinned_shard_ != merged.shard) {
        ++worker_.stats().rejected_cross_shard_txn;
        message = fmt::format("transaction already on shard {}; this statement needs shard {}: "
                              "cross-shard transactions need two-phase commit, not supported "
                              "yet",
                              db_->shards()[*pinned_shard_].name, db_->shards()[merged.shard].name);
        return std::nullopt;
    }
    return merged;
}

} // namespace shardgate::proxy::pg
