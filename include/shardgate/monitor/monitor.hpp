// The health and lag monitor: control-plane threads probing every backend, one per backend.
#pragma once

#include "shardgate/monitor/backend.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace shardgate::monitor {

/// Monitor settings; defaults follow issue 7.
struct MonitorOptions {
    /// Heartbeat row key on every primary; unique per proxy so proxies never conflict.
    std::string proxy_id = "shardgate";
    std::chrono::milliseconds health_interval{500};
    std::chrono::milliseconds heartbeat_interval{100};
    /// How often each replica's replay position (PostgreSQL replay LSN, MariaDB
    /// gtid_slave_pos) is read on its own, between heartbeats: read-your-writes reads wait
    /// for the position to pass a commit, so this bounds how stale that knowledge is.
    /// Zero: only with the heartbeat.
    std::chrono::milliseconds position_interval{5};
    /// Heartbeat rows (of any proxy id) not written for this long are deleted by the primaries'
    /// threads, checked every half of it (at most every 10 minutes); zero: never.
    std::chrono::seconds heartbeat_retention{86400};
    /// Consecutive failures to mark a backend down, and successes to mark it up again.
    std::uint32_t threshold = 3;
    /// Connect timeout; also bounds each statement (libpq and Connector/C round to seconds,
    /// at least 1 s; libpq uses at least 2 s for connecting).
    std::chrono::milliseconds connect_timeout{2000};
    /// Called on the monitor's publishing thread (one call at a time) after probing steps
    /// with the new states (construction order); steps that finish together are published
    /// once. Lets owners republish them without polling. Must not throw.
    std::function<void(const std::vector<BackendState>&)> on_publish;
};

/// Probes health, writes heartbeats on primaries and reads them on replicas: one thread per
/// backend, each with its own connection and timeouts, so a backend that hangs delays only
/// its own probes; one more thread publishes the states. start()/stop() are called by one
/// owner thread; snapshot() is safe from any thread. All I/O errors are caught on the
/// probing threads and become failed probes.
class Monitor {
public:
    Monitor(std::vector<BackendSpec> backends, MonitorOptions options);
    ~Monitor();
    Monitor(const Monitor&) = delete;
    Monitor& operator=(const Monitor&) = delete;

    /// Starts the monitor thread. Precondition: not running.
    void start();
    /// Asks the thread to finish its current step and joins it. Idempotent.
    void stop();
    /// A copy of every backend's state, in construction (then addition) order.
    std::vector<BackendState> snapshot() const;
    /// Starts watching one more backend (a live map added it); its position in snapshot().
    /// Safe from any thread, running or not.
    std::size_t add(BackendSpec spec);
    /// Stops probing backend `index` (a live map dropped it); its state stays in place, as
    /// last seen, so positions never shift. Safe from any thread.
    void retire(std::size_t index);

    const MonitorOptions& options() const { return options_; }

private:
    class Loops;
    /// The publishing thread: starts one probing thread per backend, publishes their states.
    void run();
    /// Starts backend `index`'s probing thread; caller holds mutex_.
    void launch(std::size_t index);
    /// One backend's probing thread: runs its loop's steps on schedule until stop() or
    /// retire().
    void probe_backend(std::size_t index);

    std::vector<BackendSpec> backends_;
    std::vector<bool> retired_;
    MonitorOptions options_;
    std::unique_ptr<Loops> loops_; ///< probing state per backend, and the shard clocks
    std::vector<std::thread> probing_;
    bool running_ = false;
    mutable std::mutex mutex_;
    std::condition_variable wake_;       ///< probing threads: stop
    std::condition_variable changed_cv_; ///< publishing thread: a state changed, or stop
    bool stopping_ = false;
    bool changed_ = false;
    std::vector<BackendState> published_;
    std::thread thread_;
};

} // namespace shardgate::monitor
