// Turning planner output into a target through the session core, with the MySQL frontend's
// own refusal: a statement that keeps or reads session state on another shard.
#include "client_session.hpp"
#include "worker.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace shardgate::proxy::mysql {

std::uint16_t ClientSession::error_code_for(const std::string& sqlstate) {
    if (sqlstate == "0A000") {
        return 1235; // ER_NOT_SUPPORTED_YET
    }
    if (sqlstate == "42000" || sqlstate == "42601") {
        return 1064; // ER_PARSE_ERROR
    }
    if (sqlstate == "53200") {
        return 1041; // ER_OUT_OF_RESOURCES
    }
    return 1105; // ER_UNKNOWN_ERROR
}

void ClientSession::send_refusal(const Refusal& refusal) {
    send_err(error_code_for(refusal.sqlstate), refusal.sqlstate, refusal.message);
}

Refusable<Target> ClientSession::place(const router::Plan& plan, const StatementEffects& effects) {
    if (plan.kind == router::PlanKind::session) {
        return Target{db_->default_shard(), true};
    }
    if (auto refusal = core_.sequence_state_refusal(plan, false)) {
        return std::move(*refusal);
    }
    auto placed = core_.target_for(plan, !autocommit_);
    if (!placed) {
        return placed;
    }
    Target target = *placed;
    if (holds_state() && plan.tables.empty() && effects.reads_state()) {
        target.shard = state_shard_; // where the state it reads is kept
    } else if (core_.pinned_shard() && plan.tables.empty()) {
        target.shard = *core_.pinned_shard(); // table-less statements follow the held backend
    } else if (effects.last_insert_id && plan.tables.empty() && insert_shard_ &&
               *insert_shard_ < db_->shards().size()) {
        target.shard = *insert_shard_; // (any shard could answer it: restore_insert_id)
    }
    // Every path (text query, prepared execute, field list) comes through here, so no
    // statement of an open transaction can reach a second shard.
    if (auto refusal = core_.second_shard(target.shard)) {
        return std::move(*refusal);
    }
    if (auto refusal = distributed_refusal(plan.verb, plan.statement)) {
        return Refusal{"0A000", std::move(*refusal)};
    }
    // A transaction of a session with state reaches no new shard (a statement that writes
    // several shards may have spread it already: it may go back to those). With autocommit
    // off every statement opens one: a statement for another shard would leave it open on a
    // connection that goes back to the pool.
    const auto& reached = core_.txn_shards();
    if ((core_.txn() != Txn::none || !autocommit_) && holds_state() &&
        target.shard != state_shard_ &&
        std::find(reached.begin(), reached.end(), target.shard) == reached.end()) {
        ++worker_.stats().rejected_state_elsewhere;
        return Refusal{"0A000",
                       fmt::format("this session keeps state (user variables, temporary tables, "
                                   "locks, an open cursor) on shard {}; its transaction cannot "
                                   "reach shard {} too",
                                   core_.shard_name(state_shard_), core_.shard_name(target.shard))};
    }
    // Where the state a statement reads is kept: the state's connection, else the one the
    // transaction holds.
    const auto holder = holds_state() ? std::optional(state_shard_) : core_.pinned_shard();
    if (effects.pins() || effects.reads_state()) {
        target.primary = true;
        if (effects.pins() && holds_state() && state_shard_ != target.shard) {
            ++worker_.stats().rejected_state_elsewhere;
            return Refusal{"0A000",
                           fmt::format("this session already keeps state (user variables, "
                                       "temporary tables, locks) on shard {}; a statement that "
                                       "keeps state on shard {} too is not supported",
                                       core_.shard_name(state_shard_),
                                       core_.shard_name(target.shard))};
        }
        if (effects.reads_state() && holder && *holder != target.shard) {
            ++worker_.stats().rejected_state_elsewhere;
            return Refusal{"0A000",
                           fmt::format("this statement uses session state (user variables, "
                                       "LAST_INSERT_ID(), FOUND_ROWS()) kept on shard {}, but it "
                                       "needs shard {}: not supported",
                                       core_.shard_name(*holder), core_.shard_name(target.shard))};
        }
    }
    if (state_pinned_ && state_shard_ == target.shard) {
        target.primary = true;
    }
    if (auto refusal = row_counts_refusal(effects, target.shard)) {
        ++worker_.stats().rejected_state_elsewhere;
        return std::move(*refusal);
    }
    return target;
}

} // namespace shardgate::proxy::mysql
