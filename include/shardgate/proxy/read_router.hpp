// Which backend of a shard serves a statement: the engine-agnostic read routing both data
// planes (PostgreSQL and MySQL) use. Combines the monitor's health view, the shard's
// read_routing settings, one router::Balancer per shard, read-your-writes and local
// suspicion of backends that just failed.
#pragma once

#include "shardgate/proxy/backend_registry.hpp"
#include "shardgate/proxy/read_freshness.hpp"
#include "shardgate/router/balancer.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace shardgate::proxy {

/// One read to place.
struct ReadRequest {
    std::string_view database;
    shardmaps::ShardId shard = 0;
    /// Hint `/* shardgate: max_lag_ms=N */` (tightens the shard's bound for this read).
    std::optional<std::uint32_t> max_lag_ms;
    /// Hash of the shard-key value, for the hash policy (round robin without it).
    std::optional<std::uint64_t> key_hash;
    /// The session's last write on this shard (read-your-writes), or nullptr.
    const WriteMark* last_write = nullptr;
    /// Backends that already failed this statement (a retry must go elsewhere).
    std::span<const BackendIndex> exclude;
};

/// Where a statement goes, or why it cannot run.
struct RouteChoice {
    enum class Kind { backend, error };
    /// Why this backend: balanced over replicas, primary fallback, read-your-writes, write.
    enum class Reason { balanced, fallback, read_your_writes, write };
    Kind kind = Kind::backend;
    Reason reason = Reason::balanced;
    BackendIndex backend = 0;
    const BackendInfo* info = nullptr; ///< endpoint, role, shard name (Kind::backend)
    /// Kind::error: PostgreSQL SQLSTATE, MySQL errno (SQLSTATE HY000) and the message.
    std::string sqlstate;
    std::uint16_t mysql_errno = 0;
    std::string message;

    bool ok() const { return kind == Kind::backend; }
};

/// Worker-local counters per backend (summed by the admin endpoint).
struct BackendCounters {
    std::uint64_t reads = 0;    ///< reads routed here
    std::uint64_t writes = 0;   ///< statements routed here as primary work
    std::uint64_t failures = 0; ///< reported through failed()
};

/// Worker-local counters of routing decisions.
struct ReadRouterStats {
    std::uint64_t reads_balanced = 0;
    std::uint64_t reads_fallback_primary = 0;
    std::uint64_t reads_read_your_writes_primary = 0;
    std::uint64_t reads_lag_errors = 0;
    std::uint64_t writes_primary_down = 0;
    std::uint64_t reads_primary_gone = 0; ///< reads placed while the primary was down
    /// Read-your-writes reads held for a replica, and of those the ones it caught up for.
    std::uint64_t replica_waits = 0;
    std::uint64_t replica_waits_caught_up = 0;

    std::uint64_t backends_suspected = 0;
};

/// Owned by one worker thread (not thread-safe; no locks). Reads the registry's published
/// health view at most once per call, and only when its version changed.
class ReadRouter {
public:
    /// Connections this worker has checked out to a backend right now (least-connections).
    using ConnectionCounter = std::function<std::uint32_t(const BackendInfo&)>;

    ReadRouter(const BackendRegistry& registry, ConnectionCounter in_use);

    /// A backend for a read, by the shard's policy; error when none qualifies and the
    /// shard's fallback is `error`, or when every backend was excluded.
    RouteChoice route_read(const ReadRequest& request);
    /// The shard's primary for writes and transactions (also when the monitor holds it down:
    /// connecting then fails fast and names the shard); error only when it is excluded.
    RouteChoice route_write(std::string_view database, shardmaps::ShardId shard,
                            std::span<const BackendIndex> exclude = {});
    /// Reports that a statement could not use `backend` (connect failed, connection lost
    /// before any result). The backend gets no further picks from this worker for
    /// threshold x health_interval, by which time the monitor has judged it.
    void failed(BackendIndex backend);
    /// How long a read-your-writes read should wait for a replica before going to the
    /// primary: the shard's read_your_writes_wait_ms when every replica that could serve
    /// it (healthy, within its lag bound) has yet to replay the commit it must see; zero
    /// when one already has, when none could, or when the mode does not wait. Callers ask
    /// again after short sleeps (the monitor refreshes replay positions every few ms).
    std::chrono::milliseconds replica_wait(const ReadRequest& request);
    void note_replica_wait_started() { ++stats_.replica_waits; }
    void note_replica_wait_ended(bool caught_up) { stats_.replica_waits_caught_up += caught_up; }
    /// A session's write transaction on `shard` ended at `mark`: advances the shard's
    /// proxy-wide commit watermark (any thread).
    void committed(std::string_view database, shardmaps::ShardId shard, const WriteMark& mark);

    /// Replay position of a replica as last published (PostgreSQL replay LSN), or nullopt.
    std::optional<std::int64_t> replay_lsn(BackendIndex backend);

    std::span<const BackendCounters> counters() const { return counters_; }
    const ReadRouterStats& stats() const { return stats_; }
    const BackendRegistry& registry() const { return registry_; }

private:
    const HealthView& view();
    router::Balancer& balancer(std::string_view database, shardmaps::ShardId shard,
                               const shardmaps::ReadRouting& reads);
    bool suspected(BackendIndex backend, std::chrono::steady_clock::time_point now) const;
    bool caught_up(const monitor::BackendState& state, const WriteMark& mark) const;
    /// The position a read must see: the session's mark, or the shard's proxy-wide
    /// watermark (kept in `storage`) in `proxy` mode.
    const WriteMark* effective_mark(const ReadRequest& request, const shardmaps::ReadRouting& reads,
                                    const ShardBackends& backends,
                                    std::optional<WriteMark>& storage) const;
    router::Candidate candidate(const BackendInfo& info, const monitor::BackendState& state,
                                bool count_connections,
                                std::chrono::steady_clock::time_point now) const;
    RouteChoice chosen(BackendIndex backend, RouteChoice::Reason reason, bool read);
    BackendCounters& counters_of(BackendIndex backend);

    const BackendRegistry& registry_;
    ConnectionCounter in_use_;
    std::shared_ptr<const HealthView> view_;
    std::uint64_t view_version_ = 0;
    std::vector<std::pair<std::string, std::vector<std::unique_ptr<router::Balancer>>>> balancers_;
    std::vector<BackendCounters> counters_;
    std::vector<std::chrono::steady_clock::time_point> suspect_until_;
    std::chrono::milliseconds suspicion_;
    ReadRouterStats stats_;
    std::vector<router::Candidate> candidates_;
    std::vector<BackendIndex> positions_;
};

} // namespace shardgate::proxy
