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
        const auto text = [&entry](const char* field) {
            const auto found = entry.find(field);
            return found != entry.end() && found->is_string() ? found->get<std::string>()
                                                              : std::string();
        };
        const auto from = shardmaps::parse_endpoint(text("from"));
        const auto to = shardmaps::parse_endpoint(text("to"));
        if (from && to && !(*from == *to)) {
            requests.push_back({*from, *to, text("shard")});
        }
    }
    return requests;
}

} // namespace shardgate::proxy
