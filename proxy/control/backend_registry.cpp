// The daemon's backend list, its monitor, and lock-free publication of health views.
#include "shardgate/proxy/backend_registry.hpp"

#include "shardgate/proxy/owned_rows.hpp"
#include "shardgate/shardmaps/keyspace_id.hpp"
#include "shardgate/shardmaps/map_diff.hpp"

#include <algorithm>
#include <spdlog/spdlog.h>

namespace shardgate::proxy {
namespace {

monitor::Engine monitor_engine(shardmaps::Engine engine) {
    return engine == shardmaps::Engine::postgresql ? monitor::Engine::postgresql
                                                   : monitor::Engine::mysql;
}

bool ready(const HealthView& view) {
    for (const auto& state : view.states) {
        if (state.health == monitor::Health::unknown) {
            return false;
        }
        if (state.spec.role == monitor::Role::replica && state.health == monitor::Health::up &&
            !state.replication_stopped && !state.heartbeat_lag_ms) {
            return false;
        }
    }
    return true;
}

/// The balancer's identity of `endpoint` in `shard` of `db`: a hash of its text, made unique
/// among the live backends of the shard.
std::uint64_t balance_id(const std::vector<BackendInfo>& backends, const shardmaps::Database& db,
                         shardmaps::ShardId shard, const shardmaps::Endpoint& endpoint) {
    auto id = shardmaps::keyspace_id(endpoint.to_string());
    // The same endpoint listed twice in one shard still needs two identities.
    auto taken = [&](std::uint64_t candidate) {
        return std::any_of(backends.begin(), backends.end(), [&](const BackendInfo& b) {
            return !b.retired && b.database == db.name() && b.shard == shard &&
                   b.balance_id == candidate;
        });
    };
    while (taken(id)) {
        id = shardmaps::keyspace_id(std::to_string(id));
    }
    return id;
}

} // namespace

std::pair<std::string, std::string> monitor_login(const Config& config) {
    if (!config.monitor_user.empty()) {
        return {config.monitor_user, config.monitor_password};
    }
    if (!config.backend_user.empty()) {
        return {config.backend_user, config.backend_password};
    }
    for (const auto& user : config.users) {
        // a certificate user may carry no password; a hash is no password to log in with
        if (!user.password.empty() && !is_password_hash(user.password)) {
            return {user.name, user.password};
        }
    }
    return {"", ""};
}

std::string default_proxy_id(const Config& config) {
    return "proxy-" + config.postgres_listen.host + "-" +
           std::to_string(config.postgres_listen.port);
}

shardmaps::ShardMapPtr BackendRegistry::map_of(std::uint64_t epoch) const {
    const std::lock_guard lock(maps_mutex_);
    for (auto it = maps_.rbegin(); it != maps_.rend(); ++it) {
        if ((*it)->epoch() == epoch) {
            return *it;
        }
    }
    return maps_.back();
}

std::unique_ptr<Topology> BackendRegistry::build(const shardmaps::ShardMap& map,
                                                 const Topology* previous,
                                                 std::vector<monitor::BackendSpec>& added) const {
    auto next = std::make_unique<Topology>();
    std::vector<bool> kept;
    if (previous != nullptr) {
        next->backends = previous->backends;
        kept.assign(previous->backends.size(), false);
    }
    // A backend listed before keeps its index (and its balancer identity, its pool and its
    // monitor thread) when the same database, shard, role and endpoint are listed again.
    auto add = [&](const shardmaps::Database& db, shardmaps::ShardId id, monitor::Role role,
                   const shardmaps::Endpoint& endpoint, std::uint32_t weight) {
        const auto& name = db.shard(id).name;
        for (std::size_t i = 0; i < kept.size(); ++i) {
            auto& old = next->backends[i];
            if (!kept[i] && !old.retired && old.database == db.name() && old.shard_name == name &&
                old.role == role && old.endpoint == endpoint) {
                kept[i] = true;
                old.shard = id;
                old.weight = weight;
                return old.index;
            }
        }
        const auto index = static_cast<BackendIndex>(next->backends.size());
        next->backends.push_back(BackendInfo{index, db.engine(), db.name(), id, name, role,
                                             endpoint, weight,
                                             balance_id(next->backends, db, id, endpoint)});
        added.push_back(monitor::BackendSpec{monitor_engine(db.engine()), name, role, endpoint.host,
                                             endpoint.port, monitor_user_, monitor_password_,
                                             db.name(), monitor_tls_});
        return index;
    };
    for (const auto& db : map.databases()) {
        std::vector<ShardBackends> shards;
        for (shardmaps::ShardId id = 0; id < db.shards().size(); ++id) {
            const auto& shard = db.shard(id);
            ShardBackends entry;
            if (previous != nullptr) {
                for (const auto& [name, old_shards] : previous->shards) {
                    if (name == db.name() && id < old_shards.size()) {
                        entry.commits = old_shards[id].commits; // the same shard goes on
                    }
                }
            }
            entry.primary =
                add(db, id, monitor::Role::primary, shard.primary, shard.reads.primary_weight);
            for (const auto& replica : shard.replicas) {
                entry.replicas.push_back(
                    add(db, id, monitor::Role::replica, replica.endpoint, replica.weight));
            }
            shards.push_back(std::move(entry));
        }
        next->shards.emplace_back(db.name(), std::move(shards));
    }
    for (std::size_t i = 0; i < kept.size(); ++i) {
        if (!kept[i]) {
            next->backends[i].retired = true;
        }
    }
    return next;
}

std::vector<std::string> BackendRegistry::install_map(shardmaps::ShardMapPtr map) {
    const std::lock_guard lock(maps_mutex_);
    const auto& running = *maps_.back();
    std::vector<std::string> refusals;
    if (map->epoch() <= running.epoch()) {
        refusals.push_back("epoch " + std::to_string(map->epoch()) +
                           " is not greater than the running epoch " +
                           std::to_string(running.epoch()) + ": epochs only move forward");
    }
    for (auto& change : shardmaps::live_refusals(running, *map)) {
        refusals.push_back(std::move(change) +
                           " (not possible in a live reload: restart shardgate)");
    }
    if (!refusals.empty()) {
        return refusals;
    }
    const auto& before = topology();
    std::vector<monitor::BackendSpec> added;
    auto next = build(*map, &before, added);
    for (auto& spec : added) {
        spdlog::info("shardgate: map epoch {} adds {}", map->epoch(), monitor::describe(spec));
        monitor_->add(std::move(spec));
    }
    for (std::size_t i = 0; i < before.backends.size(); ++i) {
        if (next->backends[i].retired && !before.backends[i].retired) {
            const auto& info = next->backends[i];
            spdlog::info("shardgate: map epoch {} drops {} {} {}", map->epoch(), info.shard_name,
                         info.role == monitor::Role::primary ? "primary" : "replica",
                         info.endpoint.to_string());
            monitor_->retire(i);
        }
    }
    if (!added.empty()) {
        // Views cover every backend a session can be routed to before the topology is seen.
        publish(monitor_->snapshot());
    }
    topology_.store(next.get(), std::memory_order_release);
    topologies_.push_back(std::move(next));
    maps_.push_back(map);
    current_.store(map.get(), std::memory_order_release);
    epoch_.store(map->epoch(), std::memory_order_release);
    return {};
}

BackendRegistry::BackendRegistry(shardmaps::ShardMapPtr map, const Config& config)
    : map_(std::move(map)), maps_{map_}, current_(map_.get()), epoch_(map_->epoch()),
      limits_(config.rate_limits), cache_(config.result_cache_bytes),
      merge_budget_(config.scatter_max_buffered_bytes_total),
      client_buffers_(config.client_max_buffered_bytes_total) {
    std::tie(monitor_user_, monitor_password_) = monitor_login(config);
    monitor_tls_ = monitor_tls(config);
    shadow_ = std::make_unique<ShadowReads>(
        monitor_tls_, std::chrono::milliseconds(std::max(config.connect_timeout_ms, 1000u)),
        [this] { return map_of(map_epoch()); },
        [this](const shardmaps::ShardMap& planned, const router::Plan& plan, std::string_view sql,
               std::string& why) {
            // (a shadow read plans and runs `sql` in a session of the default sql_mode)
            const auto split = split_tables();
            return split && split->contains(plan.database)
                       ? owned_rows(*split, planned, plan, sql, parser::LexMode{}, why)
                       : std::optional<std::vector<router::OwnershipFilter>>(
                             std::vector<router::OwnershipFilter>{});
        });
    std::vector<monitor::BackendSpec> specs;
    auto first = build(*map_, nullptr, specs);
    topology_.store(first.get());
    topologies_.push_back(std::move(first));
    monitor_options_.proxy_id =
        config.proxy_id.empty() ? default_proxy_id(config) : config.proxy_id;
    monitor_options_.health_interval = std::chrono::milliseconds(config.health_interval_ms);
    monitor_options_.heartbeat_interval = std::chrono::milliseconds(config.heartbeat_interval_ms);
    monitor_options_.heartbeat_retention = std::chrono::seconds(config.heartbeat_retention_s);
    monitor_options_.position_interval =
        std::chrono::milliseconds(config.replica_position_interval_ms);
    monitor_options_.threshold = config.health_threshold;
    monitor_options_.connect_timeout = std::chrono::milliseconds(config.connect_timeout_ms);
    monitor_options_.on_publish = [this](const std::vector<monitor::BackendState>& states) {
        publish(states);
    };
    auto initial = std::make_shared<HealthView>();
    for (const auto& spec : specs) {
        auto& state = initial->states.emplace_back();
        state.spec = spec;
        state.spec.password.clear();
    }
    view_.store(std::move(initial));
    monitor_ = std::make_unique<monitor::Monitor>(std::move(specs), monitor_options_);
}

BackendRegistry::~BackendRegistry() {
    // First: the shadow thread reads the split tables and maps (members destroyed before it).
    shadow_.reset();
    stop();
}

void BackendRegistry::start(std::chrono::milliseconds wait) {
    monitor_->start();
    std::unique_lock lock(first_mutex_);
    const bool done = first_round_.wait_for(lock, wait, [this] { return ready(*view()); });
    if (!done) {
        spdlog::warn("monitor: not every backend measured within {} ms; starting anyway",
                     wait.count());
    }
    spdlog::info("monitor: watching {} backends as proxy id {}", backends().size(),
                 monitor_options_.proxy_id);
}

void BackendRegistry::stop() {
    if (monitor_) {
        monitor_->stop();
    }
}

const ShardBackends* BackendRegistry::shard(std::string_view database,
                                            shardmaps::ShardId shard) const {
    for (const auto& [name, shards] : topology().shards) {
        if (name == database) {
            return shard < shards.size() ? &shards[shard] : nullptr;
        }
    }
    return nullptr;
}

void BackendRegistry::publish(const std::vector<monitor::BackendState>& states) {
    const std::lock_guard lock(publish_mutex_);
    auto next = std::make_shared<HealthView>();
    next->version = version_.load(std::memory_order_relaxed) + 1;
    next->states = states;
    // A round that started before a live map added backends: keep the added ones' states,
    // so a view never covers fewer backends than a published topology.
    const auto previous = view();
    for (auto i = states.size(); i < previous->states.size(); ++i) {
        next->states.push_back(previous->states[i]);
    }
    view_.store(std::move(next), std::memory_order_release);
    version_.fetch_add(1, std::memory_order_release);
    { std::lock_guard lock(first_mutex_); }
    first_round_.notify_all();
}

} // namespace shardgate::proxy
