// The cutover barrier as a step other commands run (shardctl cutover, shardctl reshard
// cutover|rollback): pause writes in a scope on every proxy sharing the map in etcd, run a
// check while they are paused, switch them all to a new map, resume. docs/admin.md.
#pragma once

#include <array>
#include <functional>
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
};

struct BarrierOutcome {
    bool switched = false;
    double paused_ms = 0;
    double switched_ms = 0;
    double resumed_ms = 0;
    /// When proxies failed to switch: the epoch the old map runs again under.
    std::optional<unsigned long long> rolled_back_epoch;
};

/// Runs the barrier (printing each step); switched when every proxy runs the new map.
BarrierOutcome run_barrier(const Barrier& barrier);

/// Ends a barrier a controller left behind by writing its outcome, `phase` "resume" or
/// "abort" (proxies install the newest map first, then follow it). False when none is open.
bool end_barrier(const std::string& etcd, const std::string& prefix, const std::string& phase);

/// A fault-injection point for tests: a shardctl whose environment has SHARDCTL_FAILPOINT set
/// to `point` is killed (SIGKILL) here, as a controller dying at that instant would be.
void failpoint(const char* point);

} // namespace shardctl
