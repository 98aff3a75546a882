// Write pauses (see write_pause.hpp).
#include "shardgate/proxy/write_pause.hpp"

#include <algorithm>

namespace shardgate::proxy {

std::uint64_t WritePauses::pause(PauseScope scope, std::chrono::milliseconds deadline,
                                 std::chrono::milliseconds drain) {
    const std::lock_guard lock(mutex_);
    const auto now = Clock::now();
    expire(now);
    pauses_.push_back({next_id_, std::move(scope), now, now + deadline, now + drain});
    active_.store(static_cast<int>(pauses_.size()), std::memory_order_release);
    return next_id_++;
}

bool WritePauses::resume(std::uint64_t id) {
    const std::lock_guard lock(mutex_);
    const auto before = pauses_.size();
    std::erase_if(pauses_, [id](const Pause& pause) { return id == 0 || pause.id == id; });
    active_.store(static_cast<int>(pauses_.size()), std::memory_order_release);
    return pauses_.size() != before;
}

void WritePauses::expire(Clock::time_point now) const {
    std::erase_if(pauses_, [now](const Pause& pause) { return now >= pause.deadline; });
    active_.store(static_cast<int>(pauses_.size()), std::memory_order_release);
}

bool WritePauses::covers(const Pause& pause, const router::Plan& plan,
                         const shardmaps::Database& db) const {
    const auto& scope = pause.scope;
    if (scope.database != db.name()) {
        return false;
    }
    if (scope.table.empty()) {
        return true;
    }
    // The table group: the paused table and every table that shares its scheme.
    const auto* paused = db.find_table(scope.table);
    for (const auto& name : plan.tables) {
        const auto* table = db.find_table(name);
        const bool same =
            table == paused || (table != nullptr && paused != nullptr &&
                                table->scheme() != nullptr && table->scheme() == paused->scheme());
        if (!same) {
            continue;
        }
        if (!scope.keyspace || !plan.key_hash) {
            return true; // no keyspace range, or keys unknown: the whole group
        }
        const auto [first, last] = *scope.keyspace;
        if (*plan.key_hash >= first && *plan.key_hash <= last) {
            return true;
        }
    }
    return false;
}

PauseVerdict WritePauses::check(const router::Plan& plan, const shardmaps::Database& db,
                                std::optional<Clock::time_point> txn_began) const {
    const std::lock_guard lock(mutex_);
    const auto now = Clock::now();
    expire(now);
    auto verdict = PauseVerdict::go;
    for (const auto& pause : pauses_) {
        if (!covers(pause, plan, db)) {
            continue;
        }
        if (txn_began && *txn_began < pause.started) {
            // In flight when the pause began: it may finish, up to the drain time.
            if (now >= pause.drain_until) {
                return PauseVerdict::drain_error;
            }
            continue;
        }
        verdict = PauseVerdict::wait;
    }
    return verdict;
}

void WritePauses::waited(std::chrono::microseconds waited) {
    const std::lock_guard lock(mutex_);
    ++writes_waited_;
    longest_wait_ = std::max(longest_wait_, waited);
}

void WritePauses::drain_failed() {
    const std::lock_guard lock(mutex_);
    ++drain_errors_;
}

nlohmann::json WritePauses::status() const {
    const std::lock_guard lock(mutex_);
    const auto now = Clock::now();
    expire(now);
    nlohmann::json active = nlohmann::json::array();
    for (const auto& pause : pauses_) {
        nlohmann::json one{
            {"id", pause.id},
            {"database", pause.scope.database},
            {"table", pause.scope.table},
            {"remaining_ms",
             std::chrono::duration_cast<std::chrono::milliseconds>(pause.deadline - now).count()}};
        if (pause.scope.keyspace) {
            one["keyspace"] = {pause.scope.keyspace->first, pause.scope.keyspace->second};
        }
        active.push_back(std::move(one));
    }
    return {{"active", std::move(active)},
            {"writes_waited", writes_waited_},
            {"longest_wait_ms", static_cast<double>(longest_wait_.count()) / 1000.0},
            {"drain_errors", drain_errors_}};
}

} // namespace shardgate::proxy
