// Turning planner output into a target (shard + role), with the MySQL frontend's refusals:
// cross-shard plans, a second shard in a transaction, session state on another shard.
#include "client_session.hpp"
#include "worker.hpp"

#include <fmt/format.h>

namespace shardgate::proxy::mysql {

namespace {

/// MySQL error number for a planner rejection's SQLSTATE.
std::uint16_t error_code_for(const std::string& sqlstate) {
    if (sqlstate == "0A000") {
        return 1235; // ER_NOT_SUPPORTED_YET
    }
    if (sqlstate == "42000" || sqlstate == "42601") {
        return 1064; // ER_PARSE_ERROR
    }
    return 1105; // ER_UNKNOWN_ERROR
}

} // namespace

std::optional<ClientSession::Target> ClientSession::check_plan(const router::Plan& plan,
                                                               Failure& failure) {
    switch (plan.kind) {
    case router::PlanKind::route:
        if (plan.shards.size() == 1) {
            return Target{plan.shards.front(),
                          plan.role == router::Role::primary || txn_ != Txn::none || !autocommit_,
                          plan.max_lag_ms, plan.key_hash};
        }
        break;
    case router::PlanKind::session:
        return Target{db_->default_shard(), true};
    case router::PlanKind::reject: {
        ++worker_.stats().rejected_by_plan;
        const auto sqlstate = plan.sqlstate.empty() ? std::string("42000") : plan.sqlstate;
        failure = {error_code_for(sqlstate), sqlstate, plan.reason};
        return std::nullopt;
    }
    default:
        break;
    }
    ++worker_.stats().rejected_cross_shard;
    failure = {1235, "0A000",
               fmt::format("not supported yet: this statement needs {} shards ({}): {} plans are "
                           "not executed by shardgate yet",
                           plan.shards.size(), fmt::join(plan.shard_names, ", "),
                           router::plan_kind_name(plan.kind))};
    return std::nullopt;
}

std::optional<ClientSession::Target>
ClientSession::place(const router::Plan& plan, const StatementEffects& effects, Failure& failure) {
    auto target = check_plan(plan, failure);
    if (!target) {
        return std::nullopt;
    }
    if (pinned_shard_ && plan.tables.empty()) {
        target->shard = *pinned_shard_; // table-less statements follow the held backend
    }
    if (txn_ != Txn::none && pinned_shard_ && *pinned_shard_ != target->shard) {
        // Every path (text query, prepared execute, field list) comes through here, so no
        // statement of an open transaction can reach a second shard.
        ++worker_.stats().rejected_cross_shard_txn;
        failure = {1235, "0A000",
                   fmt::format("transaction already on shard {}; this statement needs shard {}: "
                               "cross-shard transactions need two-phase commit, not supported "
                               "yet",
                               db_->shards()[*pinned_shard_].name,
                               db_->shards()[target->shard].name)};
        return std::nullopt;
    }
    if (effects.pins() || effects.reads_state()) {
        target->primary = true;
        if (effects.pins() && state_pinned_ && *pinned_shard_ != target->shard) {
            ++worker_.stats().rejected_state_elsewhere;
            failure = {1235, "0A000",
                       fmt::format("this session already keeps state (user variables, temporary "
                                   "tables, locks) on shard {}; a statement that keeps state on "
                                   "shard {} too is not supported",
                                   db_->shards()[*pinned_shard_].name,
                                   db_->shards()[target->shard].name)};
            return std::nullopt;
        }
        if (effects.reads_state() && pinned_shard_ && *pinned_shard_ != target->shard) {
            ++worker_.stats().rejected_state_elsewhere;
            failure = {1235, "0A000",
                       fmt::format("this statement uses session state (user variables, "
                                   "LAST_INSERT_ID(), FOUND_ROWS()) kept on shard {}, but it "
                                   "needs shard {}: not supported",
                                   db_->shards()[*pinned_shard_].name,
                                   db_->shards()[target->shard].name)};
            return std::nullopt;
        }
    }
    if (state_pinned_ && pinned_shard_ && *pinned_shard_ == target->shard) {
        target->primary = true;
    }
    return target;
}

std::optional<ClientSession::Target>
ClientSession::merge_targets(const std::vector<Target>& targets, Failure& failure) {
    Target merged = targets.front();
    for (const auto& target : targets) {
        if (target.shard != merged.shard) {
            ++worker_.stats().rejected_cross_shard;
            failure = {1235, "0A000",
                       fmt::format("not supported yet: these statements need different shards "
                                   "({} and {}); send them separately",
                                   db_->shards()[merged.shard].name,
                                   db_->shards()[target.shard].name)};
            return std::nullopt;
        }
        merged.primary = merged.primary || target.primary;
        if (target.key_hash != merged.key_hash) {
            merged.key_hash.reset(); // statements on different keys: no one key to hash
        }
        if (target.max_lag_ms && (!merged.max_lag_ms || *target.max_lag_ms < *merged.max_lag_ms)) {
            merged.max_lag_ms = target.max_lag_ms;
        }
    }
    return merged; // each target passed place(), which refuses a second shard in a transaction
}

} // namespace shardgate::proxy::mysql
