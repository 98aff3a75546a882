// Write pauses: the primitive a cutover uses. `POST /pause` with a scope (a logical database, a
// table group — a table and the tables co-located with it — or a keyspace range of a table
// group) and a deadline: new writes in scope wait (they do not fail) until `POST /resume` or
// the deadline; reads go on. A transaction that began before the pause may go on writing in
// scope for `drain_ms`; after that its writes in scope get a retryable error (40001) so the
// pause drains. Counters: writes that waited, the longest wait, drain errors. Process-wide;
// thread-safe; the data path pays one atomic load when no pause is active. docs/admin.md.
#pragma once

#include "shardgate/router/plan.hpp"
#include "shardgate/shardmaps/database.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace shardgate::proxy {

struct PauseScope {
    std::string database;
    std::string table; ///< empty: every table of the database
    /// Keyspace ids [first, last] of the table group (hash and consistent_hash tables):
    /// statements whose key hashes into it; nullopt: the whole group.
    std::optional<std::pair<std::uint64_t, std::uint64_t>> keyspace;
};

/// What a write must do now under the active pauses.
enum class PauseVerdict : std::uint8_t { go, wait, drain_error };

class WritePauses {
public:
    using Clock = std::chrono::steady_clock;

    /// Pauses writes in `scope` until resume() or `deadline` from now; transactions begun
    /// before now may write in scope for `drain` more. Its id.
    std::uint64_t pause(PauseScope scope, std::chrono::milliseconds deadline,
                        std::chrono::milliseconds drain);
    /// Ends pause `id` (0: every pause); false when there was none.
    bool resume(std::uint64_t id);

    /// Cheap: whether any pause is active.
    bool active() const { return active_.load(std::memory_order_acquire) > 0; }
    /// The verdict for a write of `plan` in logical database `db`, by a transaction that
    /// began at `txn_began` (nullopt: none open).
    PauseVerdict check(const router::Plan& plan, const shardmaps::Database& db,
                       std::optional<Clock::time_point> txn_began) const;
    /// A write waited `waited` and went on.
    void waited(std::chrono::microseconds waited);
    void drain_failed();

    /// {"active": [{id, database, table, keyspace, remaining_ms}], "writes_waited",
    /// "longest_wait_ms", "drain_errors"}.
    nlohmann::json status() const;

private:
    struct Pause {
        std::uint64_t id = 0;
        PauseScope scope;
        Clock::time_point started;
        Clock::time_point deadline;
        Clock::time_point drain_until;
    };
    bool covers(const Pause& pause, const router::Plan& plan, const shardmaps::Database& db) const;
    void expire(Clock::time_point now) const; // caller holds mutex_

    mutable std::mutex mutex_;
    mutable std::vector<Pause> pauses_;
    mutable std::atomic<int> active_{0};
    std::uint64_t next_id_ = 1;
    std::uint64_t writes_waited_ = 0;
    std::uint64_t drain_errors_ = 0;
    std::chrono::microseconds longest_wait_{0};
};

} // namespace shardgate::proxy
