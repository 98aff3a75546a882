// The shard map shared by many proxies through etcd (map_store: etcd): the map is the key
// `<prefix>/map` (YAML text); every proxy reads it at start (seeding it from its shard_map file
// when etcd has none), polls it every 20 ms and installs each new epoch (MapSource: validated,
// epochs forward, shards kept); a map POSTed to one proxy's admin API or read on SIGHUP is
// written there for all. Each proxy registers itself as `<prefix>/proxies/<proxy id>` (JSON:
// id, listeners, the epoch it runs, health) under a lease it keeps alive, so a proxy that dies
// disappears from `shardctl proxies` within the lease's TTL. The cutover barrier: a controller
// (`shardctl cutover`) writes `<prefix>/cutover` {id, phase, scope, epoch}; each proxy pauses
// writes in the scope and acknowledges (`<prefix>/cutover/<id>/acks/<proxy id>` = paused) once
// the pause is drained, installs the new epoch when the phase is switch and acknowledges again
// (switched), and resumes at resume or abort. A cutover pause has no deadline of its own
// (fencing): a proxy that loses etcd keeps the scope paused until it sees the outcome, and a
// write waits at most the barrier's deadline before it fails unwritten. docs/admin.md.
#pragma once

#include "shardgate/proxy/backend_registry.hpp"
#include "shardgate/proxy/config.hpp"
#include "shardgate/proxy/etcd_client.hpp"
#include "shardgate/proxy/map_source.hpp"
#include "shardgate/proxy/pool_warmup.hpp"
#include "shardgate/proxy/reshard_board.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

namespace shardgate::proxy {

/// The map a proxy starts with under map_store: etcd: etcd's, else the file's (written to etcd
/// so the next proxy finds it). Its YAML text; throws EtcdError when etcd cannot be reached.
std::string initial_etcd_map(const Config& config);

class EtcdStore {
public:
    EtcdStore(const Config& config, const BackendRegistry& registry, MapSource& maps);
    ~EtcdStore();
    EtcdStore(const EtcdStore&) = delete;
    EtcdStore& operator=(const EtcdStore&) = delete;

    /// Writes `yaml` as the shared map (MapSource's publish step): the problems when etcd
    /// could not take it.
    std::vector<std::string> publish(const std::string& yaml) const;
    /// Starts the thread that polls the map and keeps the registration alive.
    void start();
    /// Stops it and revokes the lease (the proxy leaves the list at once).
    void stop();
    /// The resharding workflows under `<prefix>/reshard/` as last read (every 250 ms):
    /// {"workflows": [{name, phase, database, error, streams: [{from, to, tables}],
    /// cutover}]} (admin GET /reshard).
    nlohmann::json workflows() const;
    /// Who opens connections ahead of a cutover (the data planes); set before start().
    void set_warmer(PoolWarmer warmer) { warmer_ = std::move(warmer); }

private:
    void run();
    void register_proxy();
    /// Follows the cutover barrier (`<prefix>/cutover`): pauses, acknowledges, resumes.
    void follow_cutover();
    void read_workflows();
    /// Shadow reads (`<prefix>/shadow`, written by shardctl reshard shadow): installs a spec
    /// that changed, ends the shadow when the key goes.
    void follow_shadow();
    /// Result cache across proxies: publishes the tables this proxy wrote under
    /// `<prefix>/cache/<table>` and invalidates the ones other proxies wrote.
    void share_cache_writes();
    /// The barrier's `warm` list (from, to, shard) handed to the warmer.
    void warm(const nlohmann::json& barrier) const;

    const Config& config_;
    const BackendRegistry& registry_;
    MapSource& maps_;
    PoolWarmer warmer_;
    EtcdClient etcd_;
    std::thread thread_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::int64_t lease_ = 0;
    std::uint64_t registered_epoch_ = 0;
    /// The workflows read last (name -> started_ms), and as the registration lists them: a
    /// shardctl starting a move waits until every proxy lists it (it hides the copies from
    /// then on). The store's thread only.
    nlohmann::json known_workflows_ = nlohmann::json::object();
    nlohmann::json registered_workflows_ = nlohmann::json::object();
    std::int64_t seen_revision_ = 0;
    std::int64_t cache_revision_ = 0; ///< the newest `<prefix>/cache/` write applied
    std::string shadow_text_;         ///< the `<prefix>/shadow` value installed ("" : none)
    std::chrono::steady_clock::time_point shadow_read_{};
    bool renew_now_ = false;          ///< a put under the lease failed: check it at once
    std::string cutover_id_;          ///< the cutover this proxy paused for ("" none)
    std::uint64_t cutover_pause_ = 0; ///< its local write pause
    std::chrono::steady_clock::time_point cutover_drain_until_;
    bool acked_pause_ = false;
    bool acked_switch_ = false;
    mutable std::mutex workflows_mutex_;
    nlohmann::json workflows_ = nlohmann::json::array();
    std::chrono::steady_clock::time_point workflows_read_;
    WorkflowMaps workflow_maps_; ///< their maps, parsed once (the store's thread only)
};

} // namespace shardgate::proxy
