// The engine-neutral session core (see session_core.hpp).
#include "common/session_core.hpp"

#include "common/replica_wait.hpp"
#include "common/two_phase.hpp"
#include "shardgate/proxy/log_format.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <fmt/ranges.h>

namespace shardgate::proxy {

const char* to_string(SessionState state) {
    switch (state) {
    case SessionState::handshake:
        return "handshake";
    case SessionState::authenticating:
        return "authenticating";
    case SessionState::idle:
        return "idle";
    case SessionState::routing:
        return "routing";
    case SessionState::waiting_backend:
        return "waiting_backend";
    case SessionState::forwarding:
        return "forwarding";
    case SessionState::closed:
        return "closed";
    }
    return "?";
}

void SessionCore::use(const shardmaps::Database* database, std::string name) {
    if (database != db_) {
        freshness_.clear(); // marks are per shard of one database
    }
    db_ = database;
    database_ = std::move(name);
}

const std::string& SessionCore::shard_name(shardmaps::ShardId shard) const {
    return db_->shard(shard).name;
}

Refusable<Target> SessionCore::target_for(const router::Plan& plan, bool primary) {
    switch (plan.kind) {
    case router::PlanKind::route:
        if (plan.statement == parser::StatementKind::show && txn_ != Txn::none && pinned_shard_) {
            // (a setting reads alike on every backend of the session: the block's shard, not
            // the default shard the block would otherwise have to join)
            return Target{*pinned_shard_, true, false, std::nullopt, std::nullopt};
        }
        if (plan.shards.size() == 1) {
            return Target{plan.shards.front(),
                          primary || plan.role == router::Role::primary || txn_ != Txn::none,
                          plan.is_write, plan.max_lag_ms, plan.key_hash};
        }
        break;
    case router::PlanKind::reject:
        ++stats_.rejected_by_plan;
        return Refusal{plan.sqlstate.empty() ? "42000" : plan.sqlstate, plan.reason};
    default:
        break;
    }
    ++stats_.rejected_cross_shard;
    return Refusal{"0A000", fmt::format("not supported yet: this statement needs {} shards ({}): "
                                        "{} plans are not executed by shardgate yet",
                                        plan.shards.size(), fmt::join(plan.shard_names, ", "),
                                        router::plan_kind_name(plan.kind))};
}

Refusable<std::vector<Target>> SessionCore::every_shard(const router::Plan& plan, bool runs,
                                                        std::string_view what,
                                                        std::string_view subject,
                                                        const Target& each, bool in_transaction) {
    if (!runs) {
        auto refused = target_for(plan, false);
        return refused ? Refusal{"0A000", fmt::format("internal: not {}", what)} : refused.error();
    }
    if (txn_ != Txn::none && !in_transaction) {
        ++stats_.rejected_cross_shard;
        return Refusal{"0A000",
                       fmt::format("not supported yet: {} {} shards ({}) inside a transaction; "
                                   "run it outside the transaction",
                                   subject, plan.shards.size(), fmt::join(plan.shard_names, ", "))};
    }
    std::vector<Target> targets;
    for (const auto shard : plan.shards) {
        targets.push_back(each);
        targets.back().shard = shard;
    }
    return targets;
}

Refusable<std::vector<Target>> SessionCore::scatter_targets(const router::Plan& plan,
                                                            bool in_transaction) {
    const bool read = plan.kind == router::PlanKind::scatter && !plan.is_write &&
                      plan.statement == parser::StatementKind::select;
    const bool primary = plan.role == router::Role::primary || txn_ != Txn::none;
    return every_shard(plan, read, "a cross-shard read", "a statement that needs",
                       Target{0, primary, false, plan.max_lag_ms, std::nullopt}, in_transaction);
}

Refusable<std::vector<Target>> SessionCore::broadcast_targets(const router::Plan& plan) {
    const bool ddl =
        plan.kind == router::PlanKind::broadcast && plan.statement == parser::StatementKind::ddl;
    return every_shard(plan, ddl, "a broadcast DDL statement", "DDL that runs on",
                       Target{0, true, true, std::nullopt, std::nullopt});
}

Refusable<Target> SessionCore::merge(const std::vector<Target>& targets) {
    Target merged = targets.front();
    for (const auto& target : targets) {
        if (target.shard != merged.shard) {
            ++stats_.rejected_cross_shard;
            return Refusal{"0A000",
                           fmt::format("not supported yet: these statements need "
                                       "different shards ({} and {}); send them "
                                       "separately",
                                       shard_name(merged.shard), shard_name(target.shard))};
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
    if (auto refusal = second_shard(merged.shard)) {
        return std::move(*refusal);
    }
    return merged;
}

std::optional<Refusal> SessionCore::second_shard(shardmaps::ShardId shard) {
    if (txn_ == Txn::none || !pinned_shard_ || *pinned_shard_ == shard) {
        return std::nullopt;
    }
    const auto joined = std::find(txn_shards_.begin(), txn_shards_.end(), shard);
    if (joined != txn_shards_.end()) {
        return std::nullopt; // already a participant: the plane switches to its connection
    }
    std::string why;
    if (db_->settings().cross_shard_transactions == shardmaps::CrossShardTransactions::reject) {
        why = fmt::format("database {} sets cross_shard_transactions: reject", database_);
    } else if (savepoint_) {
        why = "the transaction set a savepoint (a ROLLBACK TO would undo one shard only)";
    } else {
        const auto& first = txn_shards_.empty() ? *pinned_shard_ : txn_shards_.front();
        if (!participant_gid("x", shard_name(first), shard_name(shard))) {
            why = "shard names in a distributed transaction must be 1 to 20 of [A-Za-z0-9_-]";
        }
    }
    if (why.empty()) {
        return std::nullopt;
    }
    ++stats_.rejected_cross_shard_txn;
    return Refusal{"0A000", fmt::format("transaction already on shard {}; this statement needs "
                                        "shard {}, and {}",
                                        shard_name(*pinned_shard_), shard_name(shard), why)};
}

const std::string& SessionCore::txn_id() {
    if (txn_id_.empty()) {
        txn_id_ = next_txn_id();
    }
    return txn_id_;
}

void SessionCore::begin(std::string sql) {
    txn_ = Txn::deferred;
    begin_sql_ = std::move(sql);
    txn_wrote_ = false;
}

PauseCheck SessionCore::enter_write(const router::Plan& plan,
                                    std::chrono::steady_clock::time_point began,
                                    bool in_transaction) {
    if (db_ == nullptr) {
        return {};
    }
    return pauses_.enter(plan, *db_, writer_, began, in_transaction);
}

void SessionCore::writer_done() {
    if (writer_ != 0) {
        pauses_.writer_ended(writer_);
        writer_ = 0;
    }
}

void SessionCore::end_transaction() {
    writer_done();
    txn_ = Txn::none;
    txn_wrote_ = false;
    txn_shards_.clear();
    txn_id_.clear();
    savepoint_ = false;
}

void SessionCore::pin(shardmaps::ShardId shard, BackendIndex backend) {
    pinned_shard_ = shard;
    pinned_backend_ = backend;
    if (txn_ != Txn::none &&
        std::find(txn_shards_.begin(), txn_shards_.end(), shard) == txn_shards_.end()) {
        txn_shards_.push_back(shard);
    }
}

void SessionCore::unpin() {
    pinned_shard_.reset();
    pinned_backend_.reset();
}

boost::asio::awaitable<RouteChoice> SessionCore::choose(const Target& target,
                                                        std::span<const BackendIndex> failed) {
    // Whatever the caller asked for, a transaction only ever starts on a primary.
    const bool primary = target.primary || txn_ == Txn::deferred;
    RouteChoice choice;
    if (primary) {
        choice = router_.route_write(database_, target.shard, failed);
    } else {
        const ReadRequest request{database_,
                                  target.shard,
                                  target.max_lag_ms,
                                  target.key_hash,
                                  freshness_.last_write(target.shard),
                                  failed};
        if (failed.empty()) {
            co_await wait_for_replica(router_, request);
        }
        choice = router_.route_read(request);
    }
    if (choice.ok()) {
        const bool replica = choice.info->role == monitor::Role::replica;
        ++(replica ? stats_.routed_replica : stats_.routed_primary);
        if (!primary && !replica) {
            ++stats_.replica_fallback_to_primary;
        }
    }
    co_return choice;
}

void SessionCore::committed(shardmaps::ShardId shard, WriteMark mark) {
    router_.committed(database_, shard, mark);
    freshness_.wrote(shard, std::move(mark));
}

void SessionCore::digest_began(const router::Plan& plan) {
    wrote_before_ = request_wrote_; // (the statement's own write comes after its reads)
    request_wrote_ = request_wrote_ || plan.is_write;
    ++statements_;
    // A request of very many statements is digested by its first 64 (bounded bookkeeping).
    if (pending_digests_.size() >= 64) {
        return;
    }
    PendingDigest pending;
    pending.kind = plan.kind;
    if (digests_ != nullptr && !plan.fingerprint.empty()) {
        pending.hash = statement_digest(plan);
        std::uint64_t mask = 0;
        for (const auto shard : plan.shards) {
            mask |= shard < 64 ? std::uint64_t{1} << shard : 0;
        }
        pending.slot = digests_->enter(pending.hash, plan.fingerprint, plan.database,
                                       router::plan_kind_name(plan.kind), mask);
    }
    pending.began = std::chrono::steady_clock::now();
    pending_digests_.push_back(pending);
}

std::uint64_t statement_digest(const router::Plan& plan) {
    // one digest per fingerprint and logical database (the same text in two databases is two)
    return std::hash<std::string_view>{}(plan.fingerprint) ^
           (std::hash<std::string_view>{}(plan.database) * 0x9e3779b97f4a7c15ull);
}

void SessionCore::digest_ended(bool committed) {
    release_scatter(); // the request's cross-shard slot, if it took one
    if (committed) {
        request_wrote_ = wrote_before_ = false;
    }
    if (txn_ == Txn::none && committed) {
        release_written(); // its writes were answered (a transaction's: at its end)
    }
    const bool failed = digest_failed_;
    const auto rows = digest_rows_;
    digest_failed_ = false;
    digest_rows_ = 0;
    if (pending_digests_.empty()) {
        return;
    }
    const auto now = std::chrono::steady_clock::now();
    const auto unix_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
    for (std::size_t i = 0; i < pending_digests_.size(); ++i) {
        const auto& one = pending_digests_[i];
        const bool last = i + 1 == pending_digests_.size();
        const auto us = std::chrono::duration_cast<std::chrono::microseconds>(now - one.began);
        const auto micros = static_cast<std::uint64_t>(us.count());
        stats_.statement_latency[static_cast<std::size_t>(one.kind)].observe(micros);
        if (!one.slot) {
            continue;
        }
        if (slow_us_ != 0 && micros >= slow_us_) {
            log_slow(one, micros, last && failed, last ? rows : 0);
        }
        digests_->finish(*one.slot, one.hash, micros, last && failed, last ? rows : 0, unix_ms);
    }
    pending_digests_.clear();
}

void SessionCore::log_slow(const PendingDigest& statement, std::uint64_t us, bool failed,
                           std::uint64_t rows) const {
    nlohmann::json fields;
    if (owner_ != nullptr) {
        const auto client = owner_->describe();
        fields["client"] = {{"protocol", client.protocol},
                            {"id", client.id},
                            {"user", client.user},
                            {"address", client.address}};
    }
    const auto* digest = digests_->find(*statement.slot, statement.hash);
    fields["database"] = database_;
    fields["fingerprint"] = digest ? digest->fingerprint : std::string();
    fields["plan_kind"] = digest ? digest->plan_kind : std::string();
    auto shards = nlohmann::json::array();
    for (std::size_t id = 0; digest && db_ && id < db_->shards().size() && id < 64; ++id) {
        if ((digest->shard_mask >> id & 1) != 0) {
            shards.push_back(db_->shards()[id].name);
        }
    }
    fields["shards"] = std::move(shards);
    fields["duration_ms"] = static_cast<double>(us) / 1000.0;
    fields["rows"] = rows;
    fields["failed"] = failed;
    log_event(spdlog::level::warn, "slow_statement", std::move(fields));
}

std::optional<Refusal> SessionCore::sequence_state_refusal(bool reads, bool advances,
                                                           bool connections_kept) const {
    // (a statement that advances a sequence itself reads its own value; one that only
    // writes, such as an INSERT of currval(), does not make the value its own)
    if (!reads || advances || connections_kept || wrote_before_ ||
        (txn_ != Txn::none && txn_wrote_)) {
        return std::nullopt;
    }
    ++stats_.rejected_sequence_state;
    return Refusal{"0A000",
                   "not supported with transaction pooling: currval() / lastval() / PREVIOUS "
                   "VALUE FOR read what nextval() left on a backend connection, and this "
                   "session's earlier statements ran on a pooled connection that other clients "
                   "use too (their value could come back). Use INSERT ... RETURNING, read it in "
                   "the same transaction or request as the write, or set pool_mode: session"};
}

} // namespace shardgate::proxy
