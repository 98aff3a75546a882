// Every backend of the shard map, the monitor watching them, and the latest health view,
// published for worker threads without locks on the data path.
#pragma once

#include "shardgate/monitor/monitor.hpp"
#include "shardgate/proxy/client_limit.hpp"
#include "shardgate/proxy/config.hpp"
#include "shardgate/proxy/rate_limits.hpp"
#include "shardgate/proxy/read_freshness.hpp"
#include "shardgate/proxy/result_cache.hpp"
#include "shardgate/proxy/shadow_reads.hpp"
#include "shardgate/proxy/write_pause.hpp"
#include "shardgate/router/merge_budget.hpp"
#include "shardgate/shardmaps/shard_map.hpp"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace shardgate::proxy {

/// Position of a backend in BackendRegistry::backends(); stable for the registry's life.
using BackendIndex = std::uint32_t;

/// One server of one shard of one logical database.
struct BackendInfo {
    BackendIndex index = 0;
    shardmaps::Engine engine = shardmaps::Engine::postgresql;
    std::string database;
    shardmaps::ShardId shard = 0;
    std::string shard_name;
    monitor::Role role = monitor::Role::primary;
    shardmaps::Endpoint endpoint;
    std::uint32_t weight =
        1; ///< replica weight from the map (primary: read_routing.primary_weight)
    /// Identity for the balancer (hash policy, weighted round robin): a hash of the endpoint
    /// text as written in the map, so it survives map edits and restarts (a replica leaving
    /// the map moves only its own keys), made unique within the shard.
    std::uint64_t balance_id = 0;
    /// A live map dropped it: in no shard's list any more, kept so indexes never shift.
    bool retired = false;
};

/// The backends of one shard.
struct ShardBackends {
    BackendIndex primary = 0;
    std::vector<BackendIndex> replicas;
    /// Newest commit acknowledged on this shard by any session (read_your_writes: proxy).
    std::shared_ptr<CommitWatermark> commits = std::make_shared<CommitWatermark>();
};

/// The servers of one installed map: every backend ever listed (BackendIndex order, retired
/// ones kept) and, per logical database, its shards. Immutable once published.
struct Topology {
    std::vector<BackendInfo> backends;
    /// database name -> shards in ShardId order.
    std::vector<std::pair<std::string, std::vector<ShardBackends>>> shards;
};

/// What the monitor knew at one moment, indexed by BackendIndex. Immutable once published.
struct HealthView {
    std::uint64_t version = 0;
    std::vector<monitor::BackendState> states;
};

/// The login of shardgate's own connections to the backends (monitor, resolver):
/// monitor_user, else backend_user, else the first user with a plain password.
std::pair<std::string, std::string> monitor_login(const Config& config);
/// The TLS of those connections (backend_tls, backend_tls_ca).
inline monitor::ClientTls monitor_tls(const Config& config) {
    return {config.backend_tls, config.backend_tls_ca};
}

/// Owned by the daemon (one per process, shared by the PostgreSQL and MySQL data planes).
/// Construction and start()/stop() happen on the main thread; backends(), shard(),
/// published_version() and view() are safe from any thread.
class BackendRegistry {
public:
    /// Lists every backend of every database in `map` (map order: per shard the primary,
    /// then its replicas) and prepares a monitor for them with the config's monitor settings.
    BackendRegistry(shardmaps::ShardMapPtr map, const Config& config);
    ~BackendRegistry();
    BackendRegistry(const BackendRegistry&) = delete;
    BackendRegistry& operator=(const BackendRegistry&) = delete;

    /// Starts the monitor and waits (at most `wait`) until every backend was probed once and
    /// every live replica has a measured lag, so the first reads can use replicas.
    void start(std::chrono::milliseconds wait);
    void stop();

    /// The running map: the newest installed. Every installed map is kept for the process's
    /// life, so references into any of them stay valid (a reload costs a few KiB).
    const shardmaps::ShardMap& map() const { return *current_.load(std::memory_order_acquire); }
    /// The active write pauses (admin POST /pause); shared by every session.
    WritePauses& pauses() const { return pauses_; }
    /// Rate limits and cross-shard slots (config rate_limits); shared by every session.
    RateLimiter& limits() const { return limits_; }
    /// The result cache (config result_cache_bytes); shared by every session.
    ResultCache& cache() const { return cache_; }
    /// The bytes every cross-shard grouped merge of the process may hold together (config
    /// scatter_max_buffered_bytes_total); shared by every session.
    router::MergeBudget& merge_budget() const { return merge_budget_; }
    /// The bytes the client messages being received may take together, counting those larger
    /// than a pooled read buffer (config client_max_buffered_bytes_total; the same kind of
    /// budget as the merges'); shared by every session of both frontends.
    router::MergeBudget& client_buffers() const { return client_buffers_; }
    /// The client connections of both frontends (config max_client_connections, set at
    /// start by the server); shared by every session.
    ClientLimit& client_limit() const { return client_limit_; }
    /// Shadow reads of a resharding workflow (admin POST /shadow, etcd); shared by every
    /// session.
    ShadowReads& shadow() const { return *shadow_; }
    /// A table of a MariaDB database whose rows are on two shards while a resharding workflow
    /// moves key ranges of it (there is no row-level security to hide the copies): the
    /// workflow's maps, before and after the move. A cross-shard read of it hides, per shard,
    /// the rows that shard holds without owning them (owned_rows.hpp).
    struct SplitTable {
        std::string workflow;
        shardmaps::ShardMapPtr from_map;
        shardmaps::ShardMapPtr to_map;
        std::string why; ///< non-empty: the maps are unknown, cross-shard reads are refused
        bool operator==(const SplitTable&) const = default;
    };
    /// `database` -> table -> one entry per workflow moving it (from etcd's workflows or the
    /// ones POSTed to the admin API).
    using SplitTables = std::map<std::string, std::map<std::string, std::vector<SplitTable>>>;
    /// Publishes `tables`, unless they equal the published ones: split_tables() keeps its
    /// pointer then (cross-shard reads compare it to see a change, and etcd's workflows are
    /// read again every 250 ms).
    void set_split_tables(SplitTables tables) const {
        if (const auto now = split_tables(); now && *now == tables) {
            return;
        }
        split_tables_.store(std::make_shared<const SplitTables>(std::move(tables)),
                            std::memory_order_release);
    }
    /// The split tables now (nullptr: none ever set).
    std::shared_ptr<const SplitTables> split_tables() const {
        return split_tables_.load(std::memory_order_acquire);
    }
    /// The running map's epoch: a cheap check before map_of().
    std::uint64_t map_epoch() const { return epoch_.load(std::memory_order_acquire); }
    /// The installed map of `epoch`, else the running one.
    shardmaps::ShardMapPtr map_of(std::uint64_t epoch) const;
    /// Installs `map` as the running one (thread-safe). Refused, with the reasons, when its
    /// epoch is not greater than the running one's or it changes what cannot change live
    /// (shardmaps::live_refusals). Servers it adds are probed from now on, servers it drops
    /// retire; pools keep every unrelated connection.
    std::vector<std::string> install_map(shardmaps::ShardMapPtr map);
    /// Every backend ever listed, retired ones included (BackendIndex order).
    std::span<const BackendInfo> backends() const { return topology().backends; }
    /// The backends of `shard` of `database`; nullptr when the database is not in the map.
    const ShardBackends* shard(std::string_view database, shardmaps::ShardId shard) const;
    /// Bumped on every publication: a cheap check before taking the view.
    std::uint64_t published_version() const { return version_.load(std::memory_order_acquire); }
    /// The latest health view (never null).
    std::shared_ptr<const HealthView> view() const { return view_.load(std::memory_order_acquire); }
    const monitor::MonitorOptions& monitor_options() const { return monitor_options_; }
    const std::string& proxy_id() const { return monitor_options_.proxy_id; }

    /// Publishes `states` (BackendIndex order) as the new view. Called by the monitor
    /// thread after every round; unit tests call it to set the scene without servers.
    void publish(const std::vector<monitor::BackendState>& states);

private:
    const Topology& topology() const { return *topology_.load(std::memory_order_acquire); }
    /// The topology of `map`: backends of `previous` that `map` still lists keep their index,
    /// new ones are appended (their monitor specs added to `added`), the rest retire.
    std::unique_ptr<Topology> build(const shardmaps::ShardMap& map, const Topology* previous,
                                    std::vector<monitor::BackendSpec>& added) const;

    shardmaps::ShardMapPtr map_; ///< the map the registry started with
    mutable std::mutex maps_mutex_;
    std::vector<shardmaps::ShardMapPtr> maps_; ///< every installed map, oldest first
    std::atomic<const shardmaps::ShardMap*> current_;
    std::atomic<std::uint64_t> epoch_{0};
    mutable WritePauses pauses_;
    mutable RateLimiter limits_;
    mutable ResultCache cache_;
    mutable router::MergeBudget merge_budget_;
    mutable router::MergeBudget client_buffers_;
    mutable ClientLimit client_limit_;
    std::unique_ptr<ShadowReads> shadow_;
    mutable std::atomic<std::shared_ptr<const SplitTables>> split_tables_;
    std::vector<std::unique_ptr<const Topology>> topologies_; ///< every one, oldest first
    std::atomic<const Topology*> topology_;
    std::string monitor_user_;
    std::string monitor_password_;
    monitor::ClientTls monitor_tls_;
    monitor::MonitorOptions monitor_options_;
    std::unique_ptr<monitor::Monitor> monitor_;
    std::mutex publish_mutex_;
    std::atomic<std::uint64_t> version_{0};
    std::atomic<std::shared_ptr<const HealthView>> view_;
    std::mutex first_mutex_;
    std::condition_variable first_round_;
};

/// "proxy-<host>-<port>" from the PostgreSQL listen address: the default heartbeat row key.
std::string default_proxy_id(const Config& config);

} // namespace shardgate::proxy
