// Write pauses: the primitive a cutover uses. `POST /pause` with a scope (a logical database, a
// table group — a table and the tables co-located with it — or a keyspace range of a table
// group) and a deadline: new writes in scope wait (they do not fail) until `POST /resume` or
// the deadline; reads go on. A transaction that began before the pause may go on writing in
// scope for `drain_ms`; after that its writes in scope get a retryable error (40001) so the
// pause drains. A pause is drained once no writer that began before it (an open transaction,
// or an autocommit write still running, that wrote in its scope) is left: only then may a
// cutover switch maps. Counters: writes that waited, the longest wait, drain errors.
// Process-wide; thread-safe; every write takes a short lock (to be counted as a writer the
// moment it is allowed), and one more when its transaction or statement ends. docs/admin.md.
#pragma once

#include "shardgate/router/plan.hpp"
#include "shardgate/shardmaps/database.hpp"
#include "shardgate/shardmaps/shard_map.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <unordered_map>
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

struct PauseCheck {
    PauseVerdict verdict = PauseVerdict::go;
    /// How long a write may wait in all (the smallest limit of the pauses it waits for);
    /// past it, it fails with a retryable error instead of being written. nullopt: until
    /// the pauses end.
    std::optional<std::chrono::milliseconds> max_wait;
};

class WritePauses {
public:
    using Clock = std::chrono::steady_clock;

    /// Pauses writes in `scope` until resume() or `deadline` from now; transactions begun
    /// before now may write in scope for `drain` more. With `max_wait`, a write that waited
    /// that long fails (retryable) instead of going on: a cutover whose outcome is unknown
    /// must not let writes through under the old map (fencing). Its id.
    std::uint64_t pause(PauseScope scope, std::chrono::milliseconds deadline,
                        std::chrono::milliseconds drain,
                        std::optional<std::chrono::milliseconds> max_wait = std::nullopt);
    /// Ends pause `id` (0: every pause); false when there was none.
    bool resume(std::uint64_t id);

    /// Cheap: whether any pause is active.
    bool active() const { return active_.load(std::memory_order_acquire) > 0; }

    /// A write of `plan` in `db` by writer `token` (0: none yet), whose transaction (or
    /// autocommit statement) began at `began`: the verdict of the active pauses, and when it
    /// is go, the write recorded in the same step (under the same lock, so a pause that starts
    /// later counts it): `token` is set when it was 0. Only a transaction that already wrote in
    /// a pause's scope before the pause may go on writing there, for the drain time; any
    /// other write in scope waits.
    PauseCheck enter(const router::Plan& plan, const shardmaps::Database& db, std::uint64_t& token,
                     Clock::time_point began, bool in_transaction);
    /// A writer (an open transaction, or an autocommit write while it runs) that began at
    /// `began` writes `tables` of logical database `database`: records them under `token`
    /// (0: a new writer). Returns the token.
    std::uint64_t wrote(std::uint64_t token, const std::string& database, Clock::time_point began,
                        const std::vector<std::string>& tables);
    /// The writer ended (commit, rollback, statement done, session gone).
    void writer_ended(std::uint64_t token);
    /// Whether pause `id` is drained: no writer that began before it wrote in its scope
    /// (`db`: the pause's logical database, for table groups). False for an unknown id.
    bool drained(std::uint64_t id, const shardmaps::Database& db) const;
    /// Writers that began before pause `id` and wrote in its scope.
    std::size_t undrained(std::uint64_t id, const shardmaps::Database& db) const;
    /// A write waited `waited` and went on.
    void waited(std::chrono::microseconds waited);
    void drain_failed();

    /// {"active": [{id, database, table, keyspace, remaining_ms, open_writers}],
    /// "writes_waited", "longest_wait_ms", "drain_errors", "writers"}. `open_writers`: writers
    /// begun before the pause that wrote in its database (0: drained), when `map` is given.
    nlohmann::json status(const shardmaps::ShardMap* map = nullptr) const;

private:
    struct Pause {
        std::uint64_t id = 0;
        PauseScope scope;
        Clock::time_point started;
        Clock::time_point deadline;
        Clock::time_point drain_until;
        std::optional<std::chrono::milliseconds> max_wait;
    };
    struct Writer {
        std::string database;
        Clock::time_point began;
        std::vector<std::string> tables;
    };
    /// Whether writing `tables` (keys hashing to `key_hash`, when known) falls in `scope`.
    static bool covers(const PauseScope& scope, const std::vector<std::string>& tables,
                       std::optional<std::uint64_t> key_hash, const shardmaps::Database& db);
    std::size_t undrained_locked(const Pause& pause, const shardmaps::Database& db) const;
    std::uint64_t wrote_locked(std::uint64_t token, const std::string& database,
                               Clock::time_point began, const std::vector<std::string>& tables);
    void expire(Clock::time_point now) const; // caller holds mutex_

    mutable std::mutex mutex_;
    mutable std::vector<Pause> pauses_;
    mutable std::atomic<int> active_{0};
    /// Pause ids start at a random number in each process, so that a proxy restarted during a
    /// cutover does not hand out the id the controller holds (POST /map?pause=ID).
    static std::uint64_t first_id();
    std::uint64_t next_id_ = first_id();
    std::unordered_map<std::uint64_t, Writer> writers_; ///< by token: found in O(1) per write
    std::uint64_t next_writer_ = 1;
    std::uint64_t writes_waited_ = 0;
    std::uint64_t drain_errors_ = 0;
    std::chrono::microseconds longest_wait_{0};
};

} // namespace shardgate::proxy
