// The daemon's backend list, its monitor, and lock-free publication of health views.
#include "shardgate/proxy/backend_registry.hpp"

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

} // namespace

std::pair<std::string, std::string> monitor_login(const Config& config) {
    if (!config.monitor_user.empty()) {
        return {config.monitor_user, config.monitor_password};
    }
    if (!config.backend_user.empty()) {
        return {config.backend_user, config.backend_password};
    }
    for (const auto& user : config.users) {
        if (user.password.rfind("SCRAM-SHA-256$", 0) != 0 && user.password.rfind("md5", 0) != 0) {
            return {user.name, user.password};
        }
    }
    return {"", ""};
}

std::uint64_t BackendRegistry::balance_id(const shardmaps::Database& db, shardmaps::ShardId shard,
                                          const shardmaps::Endpoint& endpoint) const {
    auto id = shardmaps::keyspace_id(endpoint.to_string());
    // The same endpoint listed twice in one shard still needs two identities.
    auto taken = [&](std::uint64_t candidate) {
        return std::any_of(backends_.begin(), backends_.end(), [&](const BackendInfo& b) {
            return b.database == db.name() && b.shard == shard && b.balance_id == candidate;
        });
    };
    while (taken(id)) {
        id = shardmaps::keyspace_id(std::to_string(id));
    }
    return id;
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

std::vector<std::string> BackendRegistry::install_map(shardmaps::ShardMapPtr map) {
    const std::lock_guard lock(maps_mutex_);
    const auto& running = *maps_.back();
    std::vector<std::string> refusals;
    if (map->epoch() <= running.epoch()) {
        refusals.push_back("epoch " + std::to_string(map->epoch()) +
                           " is not greater than the running epoch " +
                           std::to_string(running.epoch()) + ": epochs only move forward");
    }
    for (auto& change : shardmaps::topology_changes(running, *map)) {
        refusals.push_back(std::move(change) +
                           " (not supported yet in a live reload: restart shardgate)");
    }
    if (!refusals.empty()) {
        return refusals;
    }
    maps_.push_back(map);
    current_.store(map.get(), std::memory_order_release);
    epoch_.store(map->epoch(), std::memory_order_release);
    return {};
}

BackendRegistry::BackendRegistry(shardmaps::ShardMapPtr map, const Config& config)
    : map_(std::move(map)), maps_{map_}, current_(map_.get()), epoch_(map_->epoch()) {
    const auto [user, password] = monitor_login(config);
    std::vector<monitor::BackendSpec> specs;
    auto add = [&](const shardmaps::Database& db, shardmaps::ShardId id, monitor::Role role,
                   const shardmaps::Endpoint& endpoint, std::uint32_t weight) {
        const auto index = static_cast<BackendIndex>(backends_.size());
        backends_.push_back(BackendInfo{index, db.engine(), db.name(), id, db.shard(id).name, role,
                                        endpoint, weight, balance_id(db, id, endpoint)});
        specs.push_back(monitor::BackendSpec{monitor_engine(db.engine()), db.shard(id).name, role,
                                             endpoint.host, endpoint.port, user, password,
                                             db.name()});
        return index;
    };
    for (const auto& db : map_->databases()) {
        std::vector<ShardBackends> shards;
        for (shardmaps::ShardId id = 0; id < db.shards().size(); ++id) {
            const auto& shard = db.shard(id);
            ShardBackends entry;
            entry.primary =
                add(db, id, monitor::Role::primary, shard.primary, shard.reads.primary_weight);
            for (const auto& replica : shard.replicas) {
                entry.replicas.push_back(
                    add(db, id, monitor::Role::replica, replica.endpoint, replica.weight));
            }
            shards.push_back(std::move(entry));
        }
        shards_.emplace_back(db.name(), std::move(shards));
    }
    monitor_options_.proxy_id =
        config.proxy_id.empty() ? default_proxy_id(config) : config.proxy_id;
    monitor_options_.health_interval = std::chrono::milliseconds(config.health_interval_ms);
    monitor_options_.heartbeat_interval = std::chrono::milliseconds(config.heartbeat_interval_ms);
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
    spdlog::info("monitor: watching {} backends as proxy id {}", backends_.size(),
                 monitor_options_.proxy_id);
}

void BackendRegistry::stop() {
    if (monitor_) {
        monitor_->stop();
    }
}

const ShardBackends* BackendRegistry::shard(std::string_view database,
                                            shardmaps::ShardId shard) const {
    for (const auto& [name, shards] : shards_) {
        if (name == database) {
            return shard < shards.size() ? &shards[shard] : nullptr;
        }
    }
    return nullptr;
}

void BackendRegistry::publish(const std::vector<monitor::BackendState>& states) {
    auto next = std::make_shared<HealthView>();
    next->version = version_.load(std::memory_order_relaxed) + 1;
    next->states = states;
    view_.store(std::move(next), std::memory_order_release);
    version_.fetch_add(1, std::memory_order_release);
    { std::lock_guard lock(first_mutex_); }
    first_round_.notify_all();
}

} // namespace shardgate::proxy
