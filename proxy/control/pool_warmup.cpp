// The `warm` list of a cutover barrier (etcd) or a write pause (admin API). docs/admin.md.
#include "shardgate/proxy/pool_warmup.hpp"

#include <nlohmann/json.hpp>

namespace shardgate::proxy {

std::vector<PoolWarmup> parse_warmups(const nlohmann::json& list) {
    std::vector<PoolWarmup> requests;
    if (!list.is_array()) {
        return requests;
    }
    for (const auto& entry : list) {
        if (!entry.is_object()) {
            continue;
        }
        const auto from = shardmaps::parse_endpoint(entry.value("from", ""));
        const auto to = shardmaps::parse_endpoint(entry.value("to", ""));
        if (from && to && !(*from == *to)) {
            requests.push_back({*from, *to, entry.value("shard", "")});
        }
    }
    return requests;
}

} // namespace shardgate::proxy
