// The monitor: one probing thread per backend (health, heartbeat, engine view on its own
// schedule) and one thread that publishes their states.
#include "shardgate/monitor/monitor.hpp"

#include "prober.hpp"
#include "shardgate/monitor/sql_error.hpp"

#include <algorithm>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <utility>

namespace shardgate::monitor {
namespace {

using Clock = std::chrono::steady_clock;

std::int64_t local_us() {
    return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now().time_since_epoch())
        .count();
}

/// Per shard: the primary's clock relative to our steady clock, and its WAL position. Written
/// by the primary's probing thread, read by the replicas', under ShardClocks' mutex.
struct ShardClock {
    std::optional<std::int64_t> offset_us; ///< primary clock = local_us() + offset_us
    std::optional<std::int64_t> wal_lsn;
    std::int64_t seq = 0;
};

/// Every shard's clock, created when the shard's first backend is probed.
class ShardClocks {
public:
    ShardClock get(const BackendSpec& spec) {
        std::lock_guard lock(mutex_);
        return clocks_[key(spec)];
    }
    template <class Change> void update(const BackendSpec& spec, Change&& change) {
        std::lock_guard lock(mutex_);
        change(clocks_[key(spec)]);
    }

private:
    static std::string key(const BackendSpec& spec) {
        return std::string(engine_name(spec.engine)) + "/" + spec.shard;
    }

    std::mutex mutex_;
    std::map<std::string, ShardClock> clocks_;
};

/// One backend's probing: its connection and what is known about it. Runs on its own
/// thread, so a backend that hangs (accepts TCP, never answers) delays only itself.
class BackendLoop {
public:
    BackendLoop(const BackendSpec& spec, const MonitorOptions& options, ShardClocks& clocks)
        : options_(options), clocks_(clocks) {
        prober_ = spec.engine == Engine::postgresql
                      ? make_pg_prober(spec, options.connect_timeout)
                      : make_mysql_prober(spec, options.connect_timeout);
        state_.spec = spec;
        state_.spec.password.clear();
    }

    const BackendState& state() const { return state_; }

    /// The steps due at `now`; returns when the next one is due. While health probes fail, or
    /// once another step lost its connection, only health probes run: the other steps would
    /// each wait out their own timeout on a server that stopped answering, delaying the
    /// verdict. A server's error in a step (a missing privilege) stops nothing.
    Clock::time_point step(Clock::time_point now) {
        if (now >= next_health_) {
            next_health_ = now + options_.health_interval;
            health_probe();
        }
        const auto answering = [&] {
            return !step_failed_ && state_.consecutive_failures == 0 &&
                   state_.health != Health::down;
        };
        if (now >= next_heartbeat_) {
            // Replay positions refresh with the heartbeat so causal reads return to a
            // replica within one heartbeat interval of its catching up.
            next_heartbeat_ = now + options_.heartbeat_interval;
            if (answering()) {
                if (state_.spec.role == Role::primary) {
                    write_heartbeat();
                } else {
                    read_heartbeat();
                }
            }
            if (answering()) {
                read_engine_view();
            }
            next_position_ = now + options_.position_interval;
        }
        if (state_.spec.role == Role::replica && options_.position_interval.count() > 0 &&
            now >= next_position_) {
            next_position_ = now + options_.position_interval;
            if (answering() && state_.health == Health::up) {
                step_failed_ = Outcome::connection_failed ==
                               attempt([&] { prober_->read_position(state_.engine); });
            }
        }
        if (step_failed_) {
            // Whether the server still answers is for the health probe to say, now.
            step_failed_ = false;
            next_health_ = Clock::now();
        }
        auto next = std::min(next_health_, next_heartbeat_);
        if (state_.spec.role == Role::replica && options_.position_interval.count() > 0) {
            next = std::min(next, next_position_);
        }
        return next;
    }

private:
    void health_probe() {
        // Connect first so the recorded latency is one query round trip, not a login.
        std::chrono::microseconds elapsed{};
        const auto began = Clock::now();
        const bool ok = attempt([&] {
                            prober_->connect();
                            const auto started = Clock::now();
                            prober_->probe();
                            elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
                                Clock::now() - started);
                        }) == Outcome::ok;
        if (ok) {
            state_.probe_latency_us = static_cast<std::uint32_t>(elapsed.count());
        }
        // A refused login or connection fails at once; a probe that waited out its timeout met
        // a server (or network) that holds the connection without answering.
        state_.unresponsive = !ok && Clock::now() - began >= options_.connect_timeout * 9 / 10;
        record_probe(ok);
    }

    /// How a step ended: done, the server refused the statement (the connection is kept), or
    /// the connection failed, was lost or timed out (it is closed).
    enum class Outcome { ok, refused, connection_failed };

    /// Runs one step; an error is recorded as last_error.
    template <class Step> Outcome attempt(Step&& step) {
        try {
            step();
            return Outcome::ok;
        } catch (const SqlError& error) {
            state_.last_error = error.what();
            if (!error.connection()) {
                return Outcome::refused;
            }
        } catch (const std::exception& error) {
            state_.last_error = error.what();
        } catch (...) {
            state_.last_error = "unknown error";
        }
        prober_->disconnect();
        return Outcome::connection_failed;
    }

    void record_probe(bool ok) {
        state_.consecutive_failures = ok ? 0 : state_.consecutive_failures + 1;
        state_.consecutive_successes = ok ? state_.consecutive_successes + 1 : 0;
        if (ok) {
            state_.last_error.clear();
        }
        if (state_.health == Health::unknown) {
            state_.health = ok ? Health::up : Health::down;
        } else if (state_.consecutive_successes >= options_.threshold) {
            state_.health = Health::up;
        } else if (state_.consecutive_failures >= options_.threshold) {
            state_.health = Health::down;
        }
    }

    void write_heartbeat() {
        const std::int64_t seq = clocks_.get(state_.spec).seq + 1;
        step_failed_ = Outcome::connection_failed == attempt([&] {
                           const std::int64_t before = local_us();
                           const std::int64_t primary_now = prober_->server_clock_us();
                           const std::int64_t after = local_us();
                           prober_->write_heartbeat(options_.proxy_id, seq, primary_now);
                           clocks_.update(state_.spec, [&](ShardClock& clock) {
                               clock.offset_us = primary_now - (before + after) / 2;
                               clock.seq = seq;
                           });
                           state_.heartbeat_seq = seq;
                           forget_old_heartbeats(primary_now);
                       });
    }

    /// Now and then, the rows of proxies that stopped writing long ago (retired proxy ids).
    void forget_old_heartbeats(std::int64_t primary_now_us) {
        const auto retention = options_.heartbeat_retention;
        const auto now = std::chrono::steady_clock::now();
        if (retention.count() <= 0 || now < next_forget_) {
            return;
        }
        next_forget_ = now + std::clamp<std::chrono::steady_clock::duration>(
                                 retention / 2, std::chrono::seconds(1), std::chrono::minutes(10));
        try {
            prober_->forget_heartbeats(
                primary_now_us -
                std::chrono::duration_cast<std::chrono::microseconds>(retention).count());
        } catch (const SqlError& e) {
            if (e.connection()) {
                throw;
            }
            // A login without DELETE on the table: the rows stay (as before), heartbeats go on.
        }
    }

    void read_heartbeat() {
        std::optional<Heartbeat> beat;
        const auto outcome = attempt([&] { beat = prober_->read_heartbeat(options_.proxy_id); });
        step_failed_ = outcome == Outcome::connection_failed;
        if (outcome != Outcome::ok || !beat) {
            state_.heartbeat_lag_ms.reset();
            return;
        }
        const auto clock = clocks_.get(state_.spec);
        if (!clock.offset_us) {
            state_.heartbeat_lag_ms.reset();
            return;
        }
        const std::int64_t primary_now = local_us() + *clock.offset_us;
        state_.heartbeat_seq = beat->seq;
        state_.heartbeat_lag_ms = std::max<std::int64_t>(0, primary_now - beat->ts_us) / 1000;
        state_.heartbeat_measured_at = std::chrono::steady_clock::now();
    }

    void read_engine_view() {
        EngineView view;
        const auto outcome = attempt([&] { view = prober_->engine_view(); });
        step_failed_ = outcome == Outcome::connection_failed;
        if (outcome != Outcome::ok) {
            return;
        }
        if (state_.spec.role == Role::primary) {
            clocks_.update(state_.spec, [&](ShardClock& clock) { clock.wal_lsn = view.wal_lsn; });
        } else if (const auto primary_lsn = clocks_.get(state_.spec).wal_lsn;
                   primary_lsn && view.wal_lsn) {
            view.replay_lag_bytes = std::max<std::int64_t>(0, *primary_lsn - *view.wal_lsn);
        }
        state_.replication_stopped =
            state_.spec.role == Role::replica && !(view.io_running && view.sql_running);
        if (view.status_stalled_s) {
            state_.last_error = "SHOW SLAVE STATUS has waited " +
                                std::to_string(*view.status_stalled_s) +
                                " s on the server (its replication threads hold their locks, "
                                "e.g. the I/O thread waiting for disk space); replication "
                                "counted as stopped until it answers";
        }
        state_.engine = std::move(view);
    }

    const MonitorOptions& options_;
    ShardClocks& clocks_;
    std::unique_ptr<Prober> prober_;
    BackendState state_;
    Clock::time_point next_health_{};
    Clock::time_point next_heartbeat_{};
    Clock::time_point next_position_{};
    bool step_failed_ = false; ///< a heartbeat, engine view or position step lost the connection
    std::chrono::steady_clock::time_point next_forget_{}; ///< forget_old_heartbeats
};

} // namespace

/// The probing state of every backend (one BackendLoop each, made when its thread starts)
/// and the shard clocks they share.
class Monitor::Loops {
public:
    ShardClocks clocks;
    std::vector<std::unique_ptr<BackendLoop>> loops;
};

Monitor::Monitor(std::vector<BackendSpec> backends, MonitorOptions options)
    : backends_(std::move(backends)), retired_(backends_.size(), false),
      options_(std::move(options)), loops_(std::make_unique<Loops>()) {
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
        changed_ = false;
    }
    thread_ = std::thread([this] { run(); });
}

void Monitor::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    changed_cv_.notify_all();
    if (thread_.joinable()) {
        thread_.join();
    }
}

std::vector<BackendState> Monitor::snapshot() const {
    std::lock_guard lock(mutex_);
    return published_;
}

std::size_t Monitor::add(BackendSpec spec) {
    std::lock_guard lock(mutex_);
    const auto index = backends_.size();
    BackendState& state = published_.emplace_back();
    state.spec = spec;
    state.spec.password.clear();
    backends_.push_back(std::move(spec));
    retired_.push_back(false);
    if (running_) {
        launch(index);
    }
    return index;
}

void Monitor::retire(std::size_t index) {
    {
        std::lock_guard lock(mutex_);
        if (index >= retired_.size()) {
            return;
        }
        retired_[index] = true;
    }
    wake_.notify_all();
}

void Monitor::launch(std::size_t index) {
    auto& loops = loops_->loops;
    if (loops.size() <= index) {
        loops.resize(index + 1);
    }
    loops[index] = std::make_unique<BackendLoop>(backends_[index], options_, loops_->clocks);
    probing_.emplace_back([this, index] { probe_backend(index); });
}

void Monitor::run() {
    // One probing thread per backend; this thread publishes what they find, one publication
    // at a time, coalescing steps that finish together.
    std::unique_lock lock(mutex_);
    running_ = true;
    for (std::size_t i = 0; i < backends_.size(); ++i) {
        if (!retired_[i]) {
            launch(i);
        }
    }
    while (!stopping_) {
        changed_cv_.wait(lock, [this] { return stopping_ || changed_; });
        if (stopping_) {
            break;
        }
        changed_ = false;
        std::vector<BackendState> states = published_;
        lock.unlock();
        if (options_.on_publish) {
            options_.on_publish(states);
        }
        lock.lock();
    }
    running_ = false;
    auto probing = std::move(probing_);
    probing_.clear();
    lock.unlock();
    for (std::thread& thread : probing) {
        thread.join();
    }
    lock.lock();
    loops_->loops.clear();
}

void Monitor::probe_backend(std::size_t index) {
    std::unique_lock lock(mutex_);
    BackendLoop& loop = *loops_->loops[index];
    while (!stopping_ && !retired_[index]) {
        lock.unlock();
        const auto next = loop.step(Clock::now());
        lock.lock();
        published_[index] = loop.state();
        changed_ = true;
        changed_cv_.notify_one();
        wake_.wait_until(lock, next, [this, index] { return stopping_ || retired_[index]; });
    }
    if (retired_[index]) {
        loops_->loops[index].reset(); // its connection closes now, not at stop()
    }
}

} // namespace shardgate::monitor
