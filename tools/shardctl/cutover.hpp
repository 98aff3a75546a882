// The cutover barrier as a step other commands run (shardctl cutover, shardctl reshard
// cutover|rollback): pause writes in a scope on every proxy sharing the map in etcd (or on a
// list of proxies through their admin APIs), run a check while they are paused, switch them
// all to a new map, resume. docs/admin.md.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace shardctl {

struct Barrier {
    std::string etcd = "127.0.0.1:2379";
    std::string prefix = "/shardgate";
    std::string database;
    std::string table; ///< "" : every table of the database
    unsigned deadline_ms = 3000;
    unsigned drain_ms = 200;
    std::string map_text; ///< the new map (validated by the caller)
    /// Primaries whose writes go elsewhere: (from, to, to's shard) as "host:port" texts. The
    /// proxies open connections to `to` while writes are paused (docs/admin.md).
    std::vector<std::array<std::string, 3>> warm;
    /// Runs once every proxy is paused and drained, before the switch; false (with `why`)
    /// rolls the barrier back. For resharding: wait until change capture applied everything.
    std::function<bool(std::string& why)> before_switch;
    /// Runs once every proxy runs the new map, before writes resume (resharding: which shard
    /// shows the moved rows). A failure is reported; the barrier still resumes.
    std::function<void()> after_switch;
    /// Proxies reached through their admin APIs instead of etcd (their maps come from files):
    /// each one is paused with `POST /pause` (a fencing pause: only a resume ends it, a write
    /// waits at most deadline_ms and then fails, retryable), switched with `POST /map`,
    /// resumed with `POST /resume`. Empty: the etcd barrier.
    std::vector<std::string> admins;
    std::string token;
};

struct BarrierOutcome {
    bool switched = false;
    double paused_ms = 0;
    double switched_ms = 0;
    double resumed_ms = 0;
    /// When proxies failed to switch: the epoch the old map runs again under.
    std::optional<unsigned long long> rolled_back_epoch;
};

/// `map_text` with its top-level `epoch:` set to `epoch` (the old map again under a newer one).
std::string with_epoch(const std::string& map_text, std::uint64_t epoch);

/// Runs the barrier's before_switch check (precondition: it is set); on an exception, `undo`
/// (the proxies go on under the old map) and the exception goes on.
bool run_before_switch(const Barrier& barrier, std::string& why, const std::function<void()>& undo);
/// Runs the barrier's after_switch step, reporting (not throwing) its failure.
void run_after_switch(const Barrier& barrier);

/// Milliseconds since `start`.
double ms_since(std::chrono::steady_clock::time_point start);

/// Runs the barrier (printing each step); switched when every proxy runs the new map.
BarrierOutcome run_barrier(const Barrier& barrier);
/// The barrier through the proxies' admin APIs (run_barrier calls it when `admins` is set).
BarrierOutcome run_admin_barrier(const Barrier& barrier);

/// The epoch each admin URL's proxy runs (GET /map; `token` else $SHARDGATE_ADMIN_TOKEN);
/// throws when one cannot be asked.
std::map<std::string, std::uint64_t> admin_epochs(const std::vector<std::string>& admins,
                                                  const std::string& token);
/// Ends an admin barrier a controller left behind: when `map_text` is given, installs it on the
/// proxies that do not run its epoch yet; then resumes every fencing pause (`fence_ms`) of
/// `database` / `table` on each proxy. Throws when a proxy cannot be reached or refuses the
/// map (nothing is resumed then: the writes stay fenced until this succeeds).
void end_admin_barrier(const std::vector<std::string>& admins, const std::string& token,
                       const std::string& database, const std::string& table,
                       const std::optional<std::string>& map_text);

/// Ends a barrier a controller left behind by writing its outcome, `phase` "resume" or
/// "abort" (proxies install the newest map first, then follow it). False when none is open.
bool end_barrier(const std::string& etcd, const std::string& prefix, const std::string& phase);

/// A fault-injection point for tests: a shardctl whose environment has SHARDCTL_FAILPOINT set
/// to `point` is killed (SIGKILL) here, as a controller dying at that instant would be; set to
/// `point:error`, an exception is thrown here (a step that failed).
void failpoint(const char* point);

} // namespace shardctl
