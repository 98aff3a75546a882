// The monitor thread: health rounds, heartbeat rounds and engine views, then a snapshot.
#include "shardgate/monitor/monitor.hpp"

#include "prober.hpp"

#include <algorithm>
#include <exception>
#include <map>
#include <memory>
#include <utility>

namespace shardgate::monitor {
namespace {

using Clock = std::chrono::steady_clock;

std::int64_t local_us() {
    return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now().time_since_epoch())
        .count();
}

/// One watched backend: its connection and what is known about it.
struct Watched {
    std::unique_ptr<Prober> prober;
    BackendState state;
};

/// Per shard: the primary's clock relative to our steady clock, and its WAL position.
struct ShardClock {
    std::optional<std::int64_t> offset_us; ///< primary clock = local_us() + offset_us
    std::optional<std::int64_t> wal_lsn;
    std::int64_t seq = 0;
};

/// The monitor thread's own data; never shared, so it needs no lock.
class Worker {
public:
    Worker(const std::vector<BackendSpec>& backends, const MonitorOptions& options)
        : options_(options) {
        for (const BackendSpec& spec : backends) {
            Watched& watched = watched_.emplace_back();
            watched.prober = spec.engine == Engine::postgresql
                                 ? make_pg_prober(spec, options.connect_timeout)
                                 : make_mysql_prober(spec, options.connect_timeout);
            watched.state.spec = spec;
            watched.state.spec.password.clear();
        }
    }

    void health_round() {
        for (Watched& watched : watched_) {
            // Connect first so the recorded latency is one query round trip, not a login.
            std::chrono::microseconds elapsed{};
            const bool ok = attempt(watched, [&] {
                watched.prober->connect();
                const auto started = Clock::now();
                watched.prober->probe();
                elapsed =
                    std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started);
            });
            if (ok) {
                watched.state.probe_latency_us = static_cast<std::uint32_t>(elapsed.count());
            }
            record_probe(watched.state, ok);
        }
    }

    void heartbeat_round() {
        for_each_live(Role::primary, [&](Watched& watched) { write_heartbeat(watched); });
        for_each_live(Role::replica, [&](Watched& watched) { read_heartbeat(watched); });
    }

    void engine_round() {
        for_each_live(Role::primary, [&](Watched& watched) { read_engine_view(watched); });
        for_each_live(Role::replica, [&](Watched& watched) { read_engine_view(watched); });
    }

    std::vector<BackendState> states() const {
        std::vector<BackendState> states;
        states.reserve(watched_.size());
        for (const Watched& watched : watched_) {
            states.push_back(watched.state);
        }
        return states;
    }

private:
    /// Runs one step; any exception becomes a recorded error and a closed connection.
    template <class Step> bool attempt(Watched& watched, Step&& step) {
        try {
            step();
            return true;
        } catch (const std::exception& error) {
            watched.state.last_error = error.what();
        } catch (...) {
            watched.state.last_error = "unknown error";
        }
        watched.prober->disconnect();
        return false;
    }

    template <class Step> void for_each_live(Role role, Step&& step) {
        for (Watched& watched : watched_) {
            if (watched.state.spec.role == role && watched.state.health != Health::down) {
                step(watched);
            }
        }
    }

    void record_probe(BackendState& state, bool ok) {
        state.consecutive_failures = ok ? 0 : state.consecutive_failures + 1;
        state.consecutive_successes = ok ? state.consecutive_successes + 1 : 0;
        if (ok) {
            state.last_error.clear();
        }
        if (state.health == Health::unknown) {
            state.health = ok ? Health::up : Health::down;
        } else if (state.consecutive_successes >= options_.threshold) {
            state.health = Health::up;
        } else if (state.consecutive_failures >= options_.threshold) {
            state.health = Health::down;
        }
    }

    void write_heartbeat(Watched& watched) {
        ShardClock& clock = clock_of(watched.state.spec);
        const std::int64_t seq = clock.seq + 1;
        attempt(watched, [&] {
            const std::int64_t before = local_us();
            const std::int64_t primary_now = watched.prober->server_clock_us();
            const std::int64_t after = local_us();
            watched.prober->write_heartbeat(options_.proxy_id, seq, primary_now);
            clock.offset_us = primary_now - (before + after) / 2;
            clock.seq = seq;
            watched.state.heartbeat_seq = seq;
        });
    }

    void read_heartbeat(Watched& watched) {
        const ShardClock& clock = clock_of(watched.state.spec);
        std::optional<Heartbeat> beat;
        if (!attempt(watched, [&] { beat = watched.prober->read_heartbeat(options_.proxy_id); }) ||
            !beat || !clock.offset_us) {
            watched.state.heartbeat_lag_ms.reset();
            return;
        }
        const std::int64_t primary_now = local_us() + *clock.offset_us;
        watched.state.heartbeat_seq = beat->seq;
        watched.state.heartbeat_lag_ms =
            std::max<std::int64_t>(0, primary_now - beat->ts_us) / 1000;
    }

    void read_engine_view(Watched& watched) {
        ShardClock& clock = clock_of(watched.state.spec);
        EngineView view;
        if (!attempt(watched, [&] { view = watched.prober->engine_view(); })) {
            return;
        }
        if (watched.state.spec.role == Role::primary) {
            clock.wal_lsn = view.wal_lsn;
        } else if (clock.wal_lsn && view.wal_lsn) {
            view.replay_lag_bytes = std::max<std::int64_t>(0, *clock.wal_lsn - *view.wal_lsn);
        }
        watched.state.replication_stopped =
            watched.state.spec.role == Role::replica && !(view.io_running && view.sql_running);
        watched.state.engine = std::move(view);
    }

    ShardClock& clock_of(const BackendSpec& spec) {
        return clocks_[std::string(engine_name(spec.engine)) + "/" + spec.shard];
    }

    MonitorOptions options_;
    std::vector<Watched> watched_;
    std::map<std::string, ShardClock> clocks_;
};

} // namespace

Monitor::Monitor(std::vector<BackendSpec> backends, MonitorOptions options)
    : backends_(std::move(backends)), options_(std::move(options)) {
    for (const BackendSpec& spec : backends_) {
        BackendState& state = published_.emplace_back();
        state.spec = spec;
        state.spec.password.clear();
    }
}

Monitor::~Monitor() {
    stop();
}

void Monitor::start() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = false;
    }
    thread_ = std::thread([this] { run(); });
}

void Monitor::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) {
        thread_.join();
    }
}

std::vector<BackendState> Monitor::snapshot() const {
    std::lock_guard lock(mutex_);
    return published_;
}

void Monitor::run() {
    Worker worker(backends_, options_);
    auto next_health = Clock::now();
    auto next_heartbeat = next_health;
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        lock.unlock();
        const auto now = Clock::now();
        if (now >= next_health) {
            next_health = now + options_.health_interval;
            worker.health_round();
        }
        if (now >= next_heartbeat) {
            // Replay positions refresh with the heartbeat so causal reads return to a
            // replica within one heartbeat interval of its catching up.
            next_heartbeat = now + options_.heartbeat_interval;
            worker.heartbeat_round();
            worker.engine_round();
        }
        std::vector<BackendState> states = worker.states();
        if (options_.on_publish) {
            options_.on_publish(states);
        }
        lock.lock();
        published_ = std::move(states);
        wake_.wait_until(lock, std::min(next_health, next_heartbeat), [this] { return stopping_; });
    }
}

} // namespace shardgate::monitor
