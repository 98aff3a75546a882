// Per-worker read routing: health view -> candidates -> balancer, with read-your-writes,
// primary fallback and local suspicion of backends that just failed.
#include "shardgate/proxy/read_router.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <limits>

namespace shardgate::proxy {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::string_view unavailable_sqlstate = "08006"; // connection_failure
constexpr std::uint16_t unavailable_mysql_errno = 1105;    // ER_UNKNOWN_ERROR

RouteChoice error(std::string_view sqlstate, std::uint16_t mysql_errno, std::string message) {
    RouteChoice choice;
    choice.kind = RouteChoice::Kind::error;
    choice.sqlstate = std::string(sqlstate);
    choice.mysql_errno = mysql_errno;
    choice.message = std::move(message);
    return choice;
}

bool contains(std::span<const BackendIndex> list, BackendIndex backend) {
    return std::find(list.begin(), list.end(), backend) != list.end();
}

} // namespace

ReadRouter::ReadRouter(const BackendRegistry& registry, ConnectionCounter in_use)
    : registry_(registry), in_use_(std::move(in_use)), view_(registry.view()),
      view_version_(registry.published_version()), counters_(registry.backends().size()),
      suspect_until_(registry.backends().size()),
      suspicion_(registry.monitor_options().health_interval *
                 std::max<std::uint32_t>(1, registry.monitor_options().threshold)) {}

const HealthView& ReadRouter::view() {
    const auto version = registry_.published_version();
    if (version != view_version_) {
        view_ = registry_.view();
        view_version_ = version;
    }
    return *view_;
}

router::Balancer& ReadRouter::balancer(std::string_view database, shardmaps::ShardId shard,
                                       const shardmaps::ReadRouting& reads) {
    auto it = std::find_if(balancers_.begin(), balancers_.end(),
                           [&](const auto& entry) { return entry.first == database; });
    if (it == balancers_.end()) {
        balancers_.emplace_back(std::string(database),
                                std::vector<std::unique_ptr<router::Balancer>>{});
        it = std::prev(balancers_.end());
    }
    auto& shards = it->second;
    if (shards.size() <= shard) {
        shards.resize(shard + 1);
    }
    const auto& current = shards[shard];
    const bool changed =
        current && (current->options().policy != reads.balance ||
                    current->options().max_replica_lag_ms != reads.max_replica_lag_ms ||
                    current->options().fallback != reads.fallback);
    if (!current || changed) { // a new map may change the policy
        shards[shard] = std::make_unique<router::Balancer>(
            registry_.map().find_database(database)->shard(shard).name,
            router::BalancerOptions{reads.balance, reads.max_replica_lag_ms, reads.fallback});
    }
    return *shards[shard];
}

BackendCounters& ReadRouter::counters_of(BackendIndex backend) {
    if (counters_.size() <= backend) {
        counters_.resize(backend + 1); // a live map added backends
    }
    return counters_[backend];
}

bool ReadRouter::suspected(BackendIndex backend, Clock::time_point now) const {
    return backend < suspect_until_.size() && now < suspect_until_[backend];
}

bool ReadRouter::caught_up(const monitor::BackendState& state, const WriteMark& mark) const {
    if (mark.lsn) {
        return state.engine.wal_lsn && *state.engine.wal_lsn >= *mark.lsn;
    }
    if (!mark.gtid.empty()) {
        return gtid_covered(state.engine.gtid_slave_pos, mark.gtid);
    }
    return false; // position unknown: only the primary is safe
}

router::Candidate ReadRouter::candidate(const BackendInfo& info, const monitor::BackendState& state,
                                        bool count_connections, Clock::time_point now) const {
    router::Candidate c;
    c.id = info.balance_id;
    c.weight = info.weight;
    c.is_primary = info.role == monitor::Role::primary;
    c.healthy =
        c.is_primary ? state.health != monitor::Health::down : state.health == monitor::Health::up;
    if (const auto lag = state.lag_bound_at(now)) {
        c.lag_ms = static_cast<std::uint32_t>(
            std::min<std::int64_t>(*lag, std::numeric_limits<std::uint32_t>::max()));
    }
    c.probe_latency_us = state.probe_latency_us.value_or(std::numeric_limits<std::uint32_t>::max());
    c.active_connections = count_connections && in_use_ ? in_use_(info) : 0;
    return c;
}

RouteChoice ReadRouter::chosen(BackendIndex backend, RouteChoice::Reason reason, bool read) {
    RouteChoice choice;
    choice.backend = backend;
    choice.reason = reason;
    choice.info = &registry_.backends()[backend];
    auto& counters = counters_of(backend);
    ++(read ? counters.reads : counters.writes);
    return choice;
}

const WriteMark* ReadRouter::effective_mark(const ReadRequest& request,
                                            const shardmaps::ReadRouting& reads,
                                            const ShardBackends& backends,
                                            std::optional<WriteMark>& storage) const {
    const auto* mark = request.last_write;
    if (reads.read_your_writes == shardmaps::ReadYourWrites::proxy &&
        !(mark && !mark->lsn && mark->gtid.empty())) {
        // The session's own write is covered by the watermark (it advanced it), unless
        // its position is unknown: then the session's mark keeps it on the primary.
        storage = backends.commits->mark();
        mark = storage ? &*storage : nullptr;
    }
    return mark;
}

std::chrono::milliseconds ReadRouter::replica_wait(const ReadRequest& request) {
    const auto* backends = registry_.shard(request.database, request.shard);
    const auto* db = registry_.map().find_database(request.database);
    if (backends == nullptr || db == nullptr) {
        return {};
    }
    const auto& reads = db->shard(request.shard).reads;
    if ((reads.read_your_writes != shardmaps::ReadYourWrites::causal &&
         reads.read_your_writes != shardmaps::ReadYourWrites::proxy) ||
        reads.read_your_writes_wait_ms == 0) {
        return {};
    }
    std::optional<WriteMark> storage;
    const auto* mark = effective_mark(request, reads, *backends, storage);
    if (mark == nullptr || (!mark->lsn && mark->gtid.empty())) {
        return {}; // nothing to wait for, or a position no replica can be seen to reach
    }
    const auto& health = view();
    const auto now = Clock::now();
    bool behind = false;
    for (const auto index : backends->replicas) {
        const auto& state = health.states[index];
        if (state.health != monitor::Health::up || suspected(index, now) ||
            contains(request.exclude, index)) {
            continue;
        }
        const auto lag = state.lag_bound_at(now);
        const auto bound = std::min<std::uint32_t>(reads.max_replica_lag_ms,
                                                   request.max_lag_ms.value_or(UINT32_MAX));
        if (!lag || *lag > bound) {
            continue; // would not get the read anyway
        }
        if (caught_up(state, *mark)) {
            return {}; // a replica can serve it now
        }
        behind = true;
    }
    return behind ? std::chrono::milliseconds(reads.read_your_writes_wait_ms)
                  : std::chrono::milliseconds{};
}

RouteChoice ReadRouter::route_read(const ReadRequest& request) {
    const auto* backends = registry_.shard(request.database, request.shard);
    const auto* db = registry_.map().find_database(request.database);
    if (backends == nullptr || db == nullptr) {
        return error("3D000", 1049, fmt::format("unknown database {}", request.database));
    }
    const auto& reads = db->shard(request.shard).reads;
    const auto& health = view();
    const auto now = Clock::now();
    std::optional<WriteMark> proxy_mark;
    const auto* mark = effective_mark(request, reads, *backends, proxy_mark);
    const bool proxy_wide = reads.read_your_writes == shardmaps::ReadYourWrites::proxy;
    if (mark && reads.read_your_writes == shardmaps::ReadYourWrites::window &&
        now - mark->at < std::chrono::milliseconds(reads.read_your_writes_window_ms)) {
        ++stats_.reads_read_your_writes_primary;
        auto choice = route_write(request.database, request.shard, request.exclude);
        if (choice.ok()) {
            choice.reason = RouteChoice::Reason::read_your_writes;
            --counters_of(choice.backend).writes;
            ++counters_of(choice.backend).reads;
        }
        return choice;
    }
    const bool causal =
        mark && (proxy_wide || reads.read_your_writes == shardmaps::ReadYourWrites::causal);
    candidates_.clear();
    positions_.clear();
    bool held_back_by_causal = false;
    const bool count_connections =
        reads.balance == shardmaps::BalancePolicy::least_connections ||
        reads.balance == shardmaps::BalancePolicy::weighted_least_connections;
    // With the primary down, replicas hold the newest data there is: lag is moot (their
    // heartbeat lag only grows because no heartbeat is written).
    const bool primary_gone = health.states[backends->primary].health == monitor::Health::down ||
                              suspected(backends->primary, now) ||
                              contains(request.exclude, backends->primary);
    if (primary_gone) {
        ++stats_.reads_primary_gone;
    }
    auto add = [&](BackendIndex index) {
        const auto& info = registry_.backends()[index];
        auto c = candidate(info, health.states[index], count_connections, now);
        if (contains(request.exclude, index) || suspected(index, now)) {
            c.healthy = false;
        }
        if (primary_gone && !c.is_primary && c.healthy) {
            c.lag_ms = 0; // nothing newer is readable anywhere while the primary is gone
        }
        if (causal && !c.is_primary && c.healthy && !caught_up(health.states[index], *mark)) {
            c.healthy = false;
            held_back_by_causal = true;
        }
        candidates_.push_back(c);
        positions_.push_back(index);
    };
    for (const auto index : backends->replicas) {
        add(index);
    }
    if (reads.primary_weight > 0) {
        add(backends->primary);
    }
    auto& shard_balancer = balancer(request.database, request.shard, reads);
    const auto pick =
        shard_balancer.pick(candidates_, router::PickRequest{request.max_lag_ms, request.key_hash});
    switch (pick.kind) {
    case router::Pick::Kind::candidate: {
        const auto index = positions_[pick.position];
        ++stats_.reads_balanced;
        return chosen(index, RouteChoice::Reason::balanced, true);
    }
    case router::Pick::Kind::error:
        if (!held_back_by_causal) {
            ++stats_.reads_lag_errors;
            return error(pick.sqlstate, router::lag_error_mysql_errno, pick.message);
        }
        break;
    case router::Pick::Kind::use_primary:
        break;
    }
    auto choice = route_write(request.database, request.shard, request.exclude);
    if (choice.ok()) {
        ++(held_back_by_causal ? stats_.reads_read_your_writes_primary
                               : stats_.reads_fallback_primary);
        choice.reason = held_back_by_causal ? RouteChoice::Reason::read_your_writes
                                            : RouteChoice::Reason::fallback;
        --counters_of(choice.backend).writes;
        ++counters_of(choice.backend).reads;
    }
    return choice;
}

void ReadRouter::committed(std::string_view database, shardmaps::ShardId shard,
                           const WriteMark& mark) {
    if (const auto* backends = registry_.shard(database, shard)) {
        backends->commits->advance(mark);
    }
}

RouteChoice ReadRouter::route_write(std::string_view database, shardmaps::ShardId shard,
                                    std::span<const BackendIndex> exclude) {
    const auto* backends = registry_.shard(database, shard);
    if (backends == nullptr) {
        return error("3D000", 1049, fmt::format("unknown database {}", database));
    }
    // A primary the monitor holds down is still tried: a refused connection fails within
    // milliseconds, a silent host within connect_timeout_ms, and writes resume the moment it
    // is back instead of K health intervals later.
    if (contains(exclude, backends->primary)) {
        ++stats_.writes_primary_down;
        const auto& info = registry_.backends()[backends->primary];
        const auto& state = view().states[backends->primary];
        std::string reason = state.last_error_line();
        if (reason.empty()) {
            reason = "connection failed";
        }
        return error(unavailable_sqlstate, unavailable_mysql_errno,
                     fmt::format("shard {}: no backend left for this statement: primary {} "
                                 "failed ({})",
                                 info.shard_name, info.endpoint.to_string(), reason));
    }
    return chosen(backends->primary, RouteChoice::Reason::write, false);
}

void ReadRouter::failed(BackendIndex backend) {
    ++counters_of(backend).failures;
    ++stats_.backends_suspected;
    if (suspect_until_.size() <= backend) {
        suspect_until_.resize(backend + 1);
    }
    suspect_until_[backend] = Clock::now() + suspicion_;
}

std::optional<std::int64_t> ReadRouter::replay_lsn(BackendIndex backend) {
    return view().states[backend].engine.wal_lsn;
}

} // namespace shardgate::proxy
