// Write pauses (see write_pause.hpp).
#include "shardgate/proxy/write_pause.hpp"

#include <algorithm>
#include <random>

namespace shardgate::proxy {

std::uint64_t WritePauses::first_id() {
    std::random_device random;
    return 1 + (std::uint64_t{random()} % 1'000'000'000);
}

std::uint64_t WritePauses::pause(PauseScope scope, std::chrono::milliseconds deadline,
                                 std::chrono::milliseconds drain,
                                 std::optional<std::chrono::milliseconds> max_wait) {
    const std::lock_guard lock(mutex_);
    const auto now = Clock::now();
    expire(now);
    pauses_.push_back({next_id_, std::move(scope), now, now + deadline, now + drain, max_wait});
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

bool WritePauses::covers(const PauseScope& scope, const std::vector<std::string>& tables,
                         std::optional<std::uint64_t> key_hash, const shardmaps::Database& db) {
    if (scope.database != db.name()) {
        return false;
    }
    if (scope.table.empty()) {
        return true;
    }
    // The table group: the paused table and every table that shares its scheme.
    const auto* paused = db.find_table(scope.table);
    for (const auto& name : tables) {
        const auto* table = db.find_table(name);
        const bool same =
            table == paused || (table != nullptr && paused != nullptr &&
                                table->scheme() != nullptr && table->scheme() == paused->scheme());
        if (!same) {
            continue;
        }
        if (!scope.keyspace || !key_hash) {
            return true; // no keyspace range, or keys unknown: the whole group
        }
        const auto [first, last] = *scope.keyspace;
        if (*key_hash >= first && *key_hash <= last) {
            return true;
        }
    }
    return false;
}

std::uint64_t WritePauses::wrote(std::uint64_t token, const std::string& database,
                                 Clock::time_point began, const std::vector<std::string>& tables) {
    const std::lock_guard lock(mutex_);
    return wrote_locked(token, database, began, tables);
}

std::uint64_t WritePauses::wrote_locked(std::uint64_t token, const std::string& database,
                                        Clock::time_point began,
                                        const std::vector<std::string>& tables) {
    if (const auto found = writers_.find(token); found != writers_.end()) {
        auto& known = found->second.tables;
        for (const auto& table : tables) {
            if (std::find(known.begin(), known.end(), table) == known.end()) {
                known.push_back(table);
            }
        }
        return token;
    }
    writers_.emplace(next_writer_, Writer{database, began, tables});
    return next_writer_++;
}

PauseCheck WritePauses::enter(const router::Plan& plan, const shardmaps::Database& db,
                              std::uint64_t& token, Clock::time_point began, bool in_transaction) {
    const std::lock_guard lock(mutex_);
    PauseCheck result;
    if (!pauses_.empty()) {
        const auto now = Clock::now();
        expire(now);
        const Writer* writer = nullptr;
        if (const auto found = writers_.find(token); in_transaction && found != writers_.end()) {
            writer = &found->second;
        }
        for (const auto& pause : pauses_) {
            if (!covers(pause.scope, plan.tables, plan.key_hash, db)) {
                continue;
            }
            // A transaction that wrote in the scope before the pause may finish, up to the
            // drain time: the pause is not drained until it ends.
            if (writer != nullptr && writer->began < pause.started &&
                covers(pause.scope, writer->tables, std::nullopt, db)) {
                if (now >= pause.drain_until) {
                    return {PauseVerdict::drain_error, std::nullopt};
                }
                continue;
            }
            result.verdict = PauseVerdict::wait;
            if (pause.max_wait && (!result.max_wait || *pause.max_wait < *result.max_wait)) {
                result.max_wait = pause.max_wait;
            }
        }
    }
    if (result.verdict == PauseVerdict::go) {
        token = wrote_locked(token, db.name(), began, plan.tables);
    }
    return result;
}

void WritePauses::writer_ended(std::uint64_t token) {
    if (token == 0) {
        return;
    }
    const std::lock_guard lock(mutex_);
    writers_.erase(token);
}

std::size_t WritePauses::undrained_locked(const Pause& pause, const shardmaps::Database& db) const {
    std::size_t count = 0;
    for (const auto& [id, writer] : writers_) {
        if (writer.began < pause.started && writer.database == pause.scope.database &&
            covers(pause.scope, writer.tables, std::nullopt, db)) {
            ++count;
        }
    }
    return count;
}

std::size_t WritePauses::undrained(std::uint64_t id, const shardmaps::Database& db) const {
    const std::lock_guard lock(mutex_);
    for (const auto& pause : pauses_) {
        if (pause.id == id) {
            return undrained_locked(pause, db);
        }
    }
    return 0;
}

bool WritePauses::drained(std::uint64_t id, const shardmaps::Database& db) const {
    const std::lock_guard lock(mutex_);
    for (const auto& pause : pauses_) {
        if (pause.id == id) {
            return undrained_locked(pause, db) == 0;
        }
    }
    return false;
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

nlohmann::json WritePauses::status(const shardmaps::ShardMap* map) const {
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
        if (pause.max_wait) { // a fencing pause: writes fail after this wait
            one["fence_ms"] = pause.max_wait->count();
        }
        if (const auto* db = map ? map->find_database(pause.scope.database) : nullptr) {
            one["open_writers"] = undrained_locked(pause, *db);
        }
        active.push_back(std::move(one));
    }
    return {{"active", std::move(active)},
            {"writes_waited", writes_waited_},
            {"longest_wait_ms", static_cast<double>(longest_wait_.count()) / 1000.0},
            {"drain_errors", drain_errors_},
            {"writers", writers_.size()}};
}

} // namespace shardgate::proxy
