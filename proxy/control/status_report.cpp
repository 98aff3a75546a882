// Building the `GET /status` JSON from the health view and the data planes' usage.
#include "shardgate/proxy/status_report.hpp"

#include "shardgate/shardmaps/read_routing.hpp"
#include "shardgate/version.hpp"

namespace shardgate::proxy {
namespace {

nlohmann::json workers_json(const std::vector<WorkerUsage>& workers) {
    auto out = nlohmann::json::array();
    for (const auto& worker : workers) {
        out.push_back({{"protocol", worker.protocol},
                       {"worker", worker.index},
                       {"clients", worker.clients},
                       {"queue_wait_us", worker.queue_wait_us}});
    }
    return out;
}

} // namespace
namespace {

template <class T> nlohmann::json optional_json(const std::optional<T>& value) {
    return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

nlohmann::json backend_json(const BackendInfo& info, const monitor::BackendState& state,
                            const BackendUsage& usage) {
    const auto& engine = state.engine;
    return {
        {"engine", shardmaps::engine_name(info.engine)},
        {"database", info.database},
        {"shard", info.shard_name},
        {"role", monitor::role_name(info.role)},
        {"endpoint", info.endpoint.to_string()},
        {"health", monitor::health_name(state.health)},
        {"last_error", state.last_error},
        {"lag_ms", optional_json(state.effective_lag_ms())},
        {"heartbeat_lag_ms", optional_json(state.heartbeat_lag_ms)},
        {"replication_stopped", state.replication_stopped},
        {"engine_view",
         {{"wal_lsn", optional_json(engine.wal_lsn)},
          {"replay_lag_bytes", optional_json(engine.replay_lag_bytes)},
          {"replay_delay_ms", optional_json(engine.replay_delay_ms)},
          {"replay_paused", engine.replay_paused},
          {"seconds_behind_master", optional_json(engine.seconds_behind_master)},
          {"gtid_slave_pos", engine.gtid_slave_pos},
          {"sql_mode", engine.sql_mode},
          {"lower_case_table_names", optional_json(engine.lower_case_table_names)},
          {"time_zone", engine.time_zone},
          {"read_only", optional_json(engine.read_only)},
          {"io_running", engine.io_running},
          {"sql_running", engine.sql_running},
          {"status_stalled_s", optional_json(engine.status_stalled_s)}}},
        {"probe_latency_us", optional_json(state.probe_latency_us)},
        {"weight", info.weight},
        {"connections_in_use", usage.connections_in_use},
        {"connections_idle", usage.connections_idle},
        {"reads", usage.reads},
        {"writes", usage.writes},
        {"failures", usage.failures},
    };
}

} // namespace

void add_registry_counters(const BackendRegistry& registry, UsageReport& usage) {
    const auto cache = registry.cache().stats();
    usage.counters["result_cache.hits"] = cache.hits;
    usage.counters["result_cache.misses"] = cache.misses;
    usage.counters["result_cache.stores"] = cache.stores;
    usage.counters["result_cache.store_skipped"] = cache.store_skipped;
    usage.counters["result_cache.evictions"] = cache.evictions;
    usage.counters["result_cache.expirations"] = cache.expirations;
    usage.counters["result_cache.invalidations"] = cache.invalidations;
    usage.counters["result_cache.remote_invalidations"] = cache.remote_invalidations;
    usage.counters["result_cache.entries"] = cache.entries;
    usage.counters["result_cache.bytes"] = cache.bytes;
    const auto& merges = registry.merge_budget();
    usage.counters["scatter.merge_bytes_held"] = merges.held();
    usage.counters["scatter.merge_bytes_peak"] = merges.peak();
    usage.counters["scatter.merge_bytes_limit"] = merges.limit();
    usage.counters["scatter.merge_budget_refusals"] = merges.refused();
    const auto& clients = registry.client_buffers();
    usage.counters["client_buffers.bytes_held"] = clients.held();
    usage.counters["client_buffers.bytes_peak"] = clients.peak();
    usage.counters["client_buffers.bytes_limit"] = clients.limit();
    usage.counters["client_buffers.refusals"] = clients.refused();
    const auto& connections = registry.client_limit();
    usage.counters["client_connections.held"] = connections.held();
    usage.counters["client_connections.peak"] = connections.peak();
    usage.counters["client_connections.limit"] = connections.max();
    usage.counters["client_connections.refusing"] = connections.refusing();
    usage.counters["client_connections.refused"] = connections.refused();
    usage.counters["client_connections.dropped"] = connections.dropped();
    usage.counters["client_connections.consoles_past_limit"] = connections.consoles();
}

nlohmann::json status_json(const BackendRegistry& registry, const UsageReport& usage) {
    const auto view = registry.view();
    nlohmann::json backends = nlohmann::json::array();
    for (const auto& info : registry.backends()) {
        if (info.retired || info.index >= view->states.size()) {
            continue; // dropped by a live map, or added after this view
        }
        const BackendUsage none;
        const auto& used = info.index < usage.backends.size() ? usage.backends[info.index] : none;
        auto entry = backend_json(info, view->states[info.index], used);
        if (const auto* db = registry.map().find_database(info.database);
            db != nullptr && info.shard < db->shards().size()) {
            const auto& reads = db->shard(info.shard).reads;
            entry["balance"] = shardmaps::balance_policy_name(reads.balance);
            entry["max_replica_lag_ms"] = reads.max_replica_lag_ms;
        }
        backends.push_back(std::move(entry));
    }
    return {{"version", std::string(shardgate::version)},
            {"proxy_id", registry.proxy_id()},
            {"map_epoch", registry.map().epoch()},
            {"pauses", registry.pauses().status(&registry.map())},
            {"monitor",
             {{"health_interval_ms", registry.monitor_options().health_interval.count()},
              {"heartbeat_interval_ms", registry.monitor_options().heartbeat_interval.count()},
              {"threshold", registry.monitor_options().threshold},
              {"snapshots", view->version}}},
            {"backends", backends},
            {"counters", usage.counters},
            {"sessions", usage.sessions},
            {"workers", workers_json(usage.workers)}};
}

} // namespace shardgate::proxy
