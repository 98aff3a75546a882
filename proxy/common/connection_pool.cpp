// Pool size of a backend by the config's `pool_size` / `pool_sizes` and the backend's role.
#include "common/connection_pool.hpp"

namespace shardgate::proxy {

unsigned pool_size_for_backend(const Config& config, const shardmaps::ShardMap& map,
                               const std::string& database, const std::string& shard,
                               const shardmaps::Endpoint& endpoint) {
    std::string role = "replica";
    if (const auto* db = map.find_database(database)) {
        for (const auto& candidate : db->shards()) {
            if (candidate.name == shard && candidate.primary == endpoint) {
                role = "primary";
            }
        }
    }
    return pool_size_for(config, shard, role);
}

} // namespace shardgate::proxy
