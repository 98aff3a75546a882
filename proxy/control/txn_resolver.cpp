// The proxy's resolver thread (see txn_resolver.hpp and docs/cross-shard-writes.md).
#include "shardgate/proxy/txn_resolver.hpp"

#include "shardgate/proxy/backend_registry.hpp"
#include "shardgate/txn/resolver.hpp"

#include <algorithm>
#include <memory>
#include <spdlog/spdlog.h>
#include <vector>

namespace shardgate::proxy {

namespace {

/// Decisions are kept this long after their transaction ended everywhere.
constexpr std::chrono::seconds decision_retention{3600};
/// How often old decisions are looked for.
constexpr std::chrono::seconds forget_every{600};

} // namespace

TxnResolver::TxnResolver(const BackendRegistry& registry, const Config& config)
    : registry_(registry), interval_(config.txn_resolve_interval_ms),
      timeout_(std::max(config.connect_timeout_ms, 1000u)) {
    std::tie(user_, password_) = monitor_login(config);
    tls_ = monitor_tls(config);
}

TxnResolver::~TxnResolver() {
    stop();
}

void TxnResolver::start() {
    if (interval_.count() == 0 || thread_.joinable()) {
        return;
    }
    thread_ = std::thread([this] { run(); });
}

void TxnResolver::stop() {
    {
        const std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) {
        thread_.join();
    }
}

void TxnResolver::run() {
    Resolvers resolvers;
    std::uint64_t epoch = 0;
    auto next_forget = std::chrono::steady_clock::now() + forget_every;
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            if (wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
                return;
            }
        }
        if (const auto running = registry_.map_epoch(); running != epoch || resolvers.empty()) {
            // A new map: its shards and servers (a participant first seen now waits one more
            // interval, as at the start).
            epoch = running;
            const auto map = registry_.map_of(running);
            resolvers.clear();
            for (const auto& db : map->databases()) {
                resolvers.emplace_back(db.name(),
                                       std::make_unique<txn::Resolver>(
                                           txn::primaries(db, user_, password_, tls_), timeout_,
                                           txn::replicas(db, user_, password_, tls_)));
            }
        }
        try {
            round(resolvers, next_forget);
        } catch (const std::exception& error) {
            // A server's answer the resolver did not expect must not end the process (an
            // exception leaving this thread would): this round ends, the next one starts over
            // with new connections.
            spdlog::error("resolver: a round failed: {}", error.what());
            resolvers.clear();
            ++round_failures_;
        }
    }
}

void TxnResolver::round(Resolvers& resolvers, std::chrono::steady_clock::time_point& next_forget) {
    std::uint64_t in_doubt = 0;
    std::uint64_t left = 0;
    std::uint64_t errors = 0;
    for (auto& [name, resolver] : resolvers) {
        std::vector<std::string> scan_errors;
        // A participant seen one interval ago is not one whose commit is running now.
        const auto done = resolver->resolve(interval_, &scan_errors);
        errors += scan_errors.size();
        for (const auto& error : scan_errors) {
            spdlog::warn("resolver: database {}: {}", name, error);
        }
        for (const auto& resolution : done) {
            ++in_doubt;
            const auto& p = resolution.prepared;
            if (!resolution.done()) {
                ++left;
                spdlog::warn("resolver: database {}: {} on shard {} {}", name, p.gid, p.shard,
                             resolution.action);
                continue;
            }
            spdlog::info("resolver: database {}: {} on shard {} {} (decision {}, prepared "
                         "for {:.1f} s)",
                         name, p.gid, p.shard, resolution.action, p.decision, p.seen_seconds);
            ++(resolution.action == "committed" ? committed_ : rolled_back_);
            const auto ms = static_cast<std::uint64_t>(p.seen_seconds * 1000.0);
            resolution_ms_total_ += ms;
            auto max = resolution_ms_max_.load();
            while (ms > max && !resolution_ms_max_.compare_exchange_weak(max, ms)) {
            }
        }
    }
    std::uint64_t orphans_left = 0;
    for (auto& [name, resolver] : resolvers) {
        std::vector<std::string> replica_errors;
        for (const auto& resolution : resolver->end_replica_orphans(interval_, &replica_errors)) {
            const auto& p = resolution.prepared;
            if (!resolution.done()) {
                ++orphans_left;
                spdlog::warn("resolver: database {}: {} on {}: its primary no longer holds "
                             "it; {}",
                             name, p.gid, p.shard, resolution.action);
                continue;
            }
            ++replica_orphans_;
            // Decision commit: the primary lost a committed change in its crash.
            spdlog::warn("resolver: database {}: {} on {} {}: its primary lost it after "
                         "logging its XA PREPARE (decision {}), and replication would wait "
                         "for its locks forever",
                         name, p.gid, p.shard, resolution.action, p.decision);
        }
        for (const auto& error : replica_errors) {
            spdlog::warn("resolver: database {}: {}", name, error);
        }
    }
    replica_orphans_left_ = orphans_left;
    if (std::chrono::steady_clock::now() >= next_forget) {
        next_forget = std::chrono::steady_clock::now() + forget_every;
        for (auto& [name, resolver] : resolvers) {
            forgotten_ += resolver->forget(decision_retention);
        }
    }
    in_doubt_ = in_doubt;
    left_ = left;
    errors_ = errors;
    ++runs_;
}

void TxnResolver::add_usage(UsageReport& report) const {
    auto& c = report.counters;
    c["two_phase_resolver_runs"] = runs_.load();
    c["two_phase_resolved_commits"] = committed_.load();
    c["two_phase_resolved_aborts"] = rolled_back_.load();
    c["two_phase_in_doubt"] = in_doubt_.load();
    c["two_phase_unresolved"] = left_.load();
    c["two_phase_resolver_shard_errors"] = errors_.load();
    c["two_phase_decisions_forgotten"] = forgotten_.load();
    c["two_phase_replica_orphans_rolled_back"] = replica_orphans_.load();
    c["two_phase_replica_orphans_left"] = replica_orphans_left_.load();
    c["two_phase_resolution_ms_total"] = resolution_ms_total_.load();
    c["two_phase_resolution_ms_max"] = resolution_ms_max_.load();
    c["two_phase_resolver_round_failures"] = round_failures_.load();
}

} // namespace shardgate::proxy
