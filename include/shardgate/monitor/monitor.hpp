// The health and lag monitor: one control-plane thread probing every backend.
#pragma once

#include "shardgate/monitor/backend.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
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
    /// Consecutive failures to mark a backend down, and successes to mark it up again.
    std::uint32_t threshold = 3;
    /// Connect timeout; also bounds each statement (libpq and Connector/C round to seconds,
    /// at least 1 s; libpq uses at least 2 s for connecting).
    std::chrono::milliseconds connect_timeout{2000};
    /// Called on the monitor thread after every round with the new states (construction
    /// order); lets owners republish them without polling. Must not throw.
    std::function<void(const std::vector<BackendState>&)> on_publish;
};

/// Probes health, writes heartbeats on primaries and reads them on replicas, on its own
/// thread. start()/stop() are called by one owner thread; snapshot() is safe from any
/// thread. All I/O errors are caught on the monitor thread and become failed probes.
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
    /// A copy of every backend's state, in construction order.
    std::vector<BackendState> snapshot() const;

    const MonitorOptions& options() const { return options_; }

private:
    void run();

    std::vector<BackendSpec> backends_;
    MonitorOptions options_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::vector<BackendState> published_;
    std::thread thread_;
};

} // namespace shardgate::monitor
