// What every data-plane worker thread is: one io_context and its thread, the worker's
// counters, backend pool and read router, a planner per logical database, and the client
// sessions it runs (closed on stop, counted per state for admin /status). A plane's Worker
// derives from it and adds its protocol's registries (cancel keys, connection ids, ...).
// Nothing here is shared between workers.
#pragma once

#include "common/down_watch.hpp"
#include "common/plane_usage.hpp"
#include "common/scatter.hpp"
#include "common/session_core.hpp"
#include "shardgate/parser/dialect.hpp"
#include "shardgate/proxy/backend_registry.hpp"
#include "shardgate/proxy/config.hpp"
#include "shardgate/proxy/net/wire_io.hpp"
#include "shardgate/proxy/read_router.hpp"
#include "shardgate/proxy/status_report.hpp"
#include "shardgate/router/planner.hpp"
#include "shardgate/shardmaps/shard_map.hpp"

#include <algorithm>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <spdlog/spdlog.h>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace shardgate::proxy {

/// Plans lent to the requests a worker is handling: a session holds one only while it handles
/// a request (an idle client costs no plan, 872 bytes), and the plans' strings and vectors are
/// reused from request to request (routing allocates nothing once they have grown).
class PlanPool {
public:
    /// Returns its plan to the pool when it ends.
    class Lease {
    public:
        Lease(PlanPool& pool, std::unique_ptr<router::Plan> plan)
            : pool_(&pool), plan_(std::move(plan)) {}
        Lease(Lease&& other) noexcept = default;
        Lease& operator=(Lease&&) = delete;
        Lease(const Lease&) = delete;
        ~Lease() {
            if (plan_) {
                pool_->give_back(std::move(plan_));
            }
        }
        router::Plan& operator*() const { return *plan_; }

    private:
        PlanPool* pool_;
        std::unique_ptr<router::Plan> plan_;
    };

    Lease borrow() {
        if (free_.empty()) {
            return Lease(*this, std::make_unique<router::Plan>());
        }
        auto plan = std::move(free_.back());
        free_.pop_back();
        return Lease(*this, std::move(plan));
    }

private:
    /// Kept up to a bound (each at the size its strings grew to): a burst of concurrent
    /// requests leaves at most that many behind.
    static constexpr std::size_t kept = 256;

    void give_back(std::unique_ptr<router::Plan> plan) {
        if (free_.size() < kept) {
            free_.push_back(std::move(plan));
        }
    }

    std::vector<std::unique_ptr<router::Plan>> free_;
};

/// `Pool` is a BackendPool built from (io_context&, PoolStats&, const Config&,
/// const BackendRegistry&).
template <class Stats, class Pool> class WorkerBase {
public:
    WorkerBase(unsigned index, const Config& config, shardmaps::ShardMapPtr map,
               const BackendRegistry& registry, parser::Dialect dialect)
        : index_(index), map_(map), registry_(registry), dialect_(dialect),
          guard_(asio::make_work_guard(io_)), digests_(config.digests_max),
          slow_statement_ms_(config.slow_statement_ms),
          pool_(io_, stats_, config, registry), scatter_limits_{config.scatter_max_shards_in_flight,
                                                                config.scatter_max_buffered_bytes,
                                                                config.scatter_max_groups,
                                                                &registry.merge_budget()},
          read_router_(registry, [this](const BackendInfo& backend) {
              return pool_.counts(backend.endpoint).in_use;
          }) {}
    WorkerBase(const WorkerBase&) = delete;
    WorkerBase& operator=(const WorkerBase&) = delete;
    ~WorkerBase() { join(); }

    void start() {
        watch_health();
        thread_ = std::thread([this] { io_.run(); });
    }
    /// Thread-safe: closes every session and pooled connection, then stops the loop.
    void stop() {
        asio::post(io_, [this] {
            for (auto* session : live_) {
                session->close();
            }
            pool_.close_all();
            health_timer_.cancel();
            guard_.reset();
            io_.stop();
        });
    }
    void join() {
        if (thread_.joinable()) {
            thread_.join();
        }
    }

    // Worker-thread only:
    asio::io_context& io() { return io_; }
    unsigned index() const { return index_; }
    Stats& stats() { return stats_; }
    const Stats& stats() const { return stats_; }
    DigestTable& digests() { return digests_; }
    unsigned slow_statement_ms() const { return slow_statement_ms_; }
    Pool& pool() { return pool_; }
    /// Per-statement limits of cross-shard reads, from the config.
    const ScatterLimits& scatter_limits() const { return scatter_limits_; }
    /// Which backend of a shard serves a statement (health, lag, balancing, read-your-writes).
    ReadRouter& read_router() { return read_router_; }
    /// The plan a request routes its statements into, lent for the request.
    PlanPool::Lease borrow_plan() { return plans_.borrow(); }
    /// The planner of a logical database under the map of `epoch` (the running map when
    /// that epoch is unknown), created on first use; null if not in the map. Planners (and
    /// their plan caches) of the three newest epochs asked for are kept; a caller holds its
    /// planner across suspensions through the shared pointer.
    std::shared_ptr<router::Planner> planner(const std::string& database, std::uint64_t epoch) {
        for (auto& [known, planners] : planners_) {
            if (known == epoch) {
                if (auto it = planners.find(database); it != planners.end()) {
                    return it->second;
                }
            }
        }
        auto map = registry_.map_of(epoch);
        if (map->find_database(database) == nullptr) {
            return nullptr;
        }
        auto at = std::find_if(planners_.begin(), planners_.end(),
                               [&](const auto& one) { return one.first == map->epoch(); });
        if (at == planners_.end()) {
            if (planners_.size() >= 3) {
                planners_.erase(std::min_element(
                    planners_.begin(), planners_.end(),
                    [](const auto& a, const auto& b) { return a.first < b.first; }));
            }
            planners_.emplace_back(map->epoch(), Planners{});
            at = planners_.end() - 1;
        }
        auto planner = std::make_shared<router::Planner>(map, database, dialect_);
        at->second.emplace(database, planner);
        return planner;
    }
    /// A session runs on this worker from its accept (`track`) to its end (`forget`).
    void track(TrackedSession* session) {
        ++stats_.clients_accepted;
        live_.insert(session);
    }
    void forget(TrackedSession* session) { live_.erase(session); }

protected:
    /// Thread-safe: starts a `Session` (built from `self`, the plane's worker, and the
    /// socket) on this worker for an accepted client socket created on io().
    template <class Session, class Derived> void adopt_session(Derived& self, tcp::socket socket) {
        asio::post(io_, [this, &self, socket = std::move(socket)]() mutable {
            auto session = std::make_shared<Session>(self, std::move(socket));
            track(session.get());
            session->start();
        });
    }

    /// Adds the per-backend usage of `engine`, the counters under `prefix` and the sessions
    /// per state under `plane` to `report`.
    void add_usage_to(UsageReport& report, shardmaps::Engine engine, const std::string& prefix,
                      const std::string& plane) const {
        add_plane_usage(
            report, registry_, engine, read_router_,
            [this](const shardmaps::Endpoint& endpoint) { return pool_.counts(endpoint); },
            stats_.values(), prefix);
        add_session_states(report, plane, live_,
                           [](const TrackedSession* session) -> std::optional<SessionState> {
                               return session->state();
                           });
        report.pool_wait[plane].add(stats_.pool_wait);
        report.workers.push_back({plane, 0, live_.size(), 0}); // (WorkerGroup: index, wait)
        for (const auto kind :
             {router::PlanKind::route, router::PlanKind::scatter, router::PlanKind::broadcast,
              router::PlanKind::reject, router::PlanKind::session}) {
            report.statement_latency[plane][std::string(router::plan_kind_name(kind))].add(
                stats_.statement_latency[static_cast<std::size_t>(kind)]);
        }
        if (report.want_digests || report.reset_digests) {
            digests_.merge_into(report.digests);
            report.digest_evictions += digests_.evictions();
            if (report.reset_digests) {
                digests_.clear();
            }
        }
        if (report.want_clients) {
            for (const auto* session : live_) {
                report.clients.push_back(session->describe());
            }
        }
    }

public:
    /// Worker-thread only: closes the session whose ClientRow::id is `id` (admin KILL).
    bool close_client(std::uint64_t id) {
        for (auto* session : live_) {
            if (session->describe().id == id) {
                session->close();
                return true;
            }
        }
        return false;
    }

protected:
    /// The live sessions, in no order.
    const std::unordered_set<TrackedSession*>& sessions() const { return live_; }

private:
    /// Every 100 ms: the connections to a backend the monitor has just called down are cut.
    void watch_health() {
        health_timer_.expires_after(std::chrono::milliseconds(100));
        health_timer_.async_wait([this](boost::system::error_code ec) {
            if (ec) {
                return;
            }
            for (const auto& down : down_watch_.newly_down(registry_)) {
                if (const auto cut = pool_.cut(down.endpoint, down.reason); cut > 0) {
                    spdlog::warn("worker {}: cut {} connection(s) in use to shard {} ({}): {}",
                                 index_, cut, down.shard, down.endpoint.to_string(), down.reason);
                }
            }
            watch_health();
        });
    }

    unsigned index_;
    shardmaps::ShardMapPtr map_;
    const BackendRegistry& registry_;
    parser::Dialect dialect_;
    /// Before io_: a suspended request's lease (in its coroutine frame, destroyed with io_)
    /// gives its plan back to a pool that still exists.
    PlanPool plans_;
    /// Run by this worker's thread alone (concurrency hint 1: no waking of other threads when
    /// handlers queue up; other threads may still post to it).
    asio::io_context io_{1};
    asio::executor_work_guard<asio::io_context::executor_type> guard_;
    std::thread thread_;
    Stats stats_;
    /// Query digests; mutable: the admin's reset clears them on this thread while collecting.
    mutable DigestTable digests_;
    unsigned slow_statement_ms_;
    Pool pool_;
    ScatterLimits scatter_limits_;
    ReadRouter read_router_;
    using Planners = std::unordered_map<std::string, std::shared_ptr<router::Planner>>;
    std::vector<std::pair<std::uint64_t, Planners>> planners_; ///< by map epoch
    std::unordered_set<TrackedSession*> live_;
    DownWatch down_watch_;
    asio::steady_timer health_timer_{io_};
};

} // namespace shardgate::proxy
