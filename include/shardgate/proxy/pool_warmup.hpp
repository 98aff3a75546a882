// A request to open backend connections ahead of need: a cutover that moves writes from one
// primary to another names both, and every worker opens as many connections to the new one,
// per login, as its pool holds to the old one — while writes are paused, so that they do not
// wait for new connections when they resume. docs/admin.md "The cutover barrier".
#pragma once

#include "shardgate/shardmaps/endpoint.hpp"

#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

namespace shardgate::proxy {

struct PoolWarmup {
    shardmaps::Endpoint from;
    shardmaps::Endpoint to;
    std::string to_shard; ///< the shard `to` is the primary of (messages, pool sizes)
};

/// Hands warm-up requests to the data planes; returns at once (the connections open on the
/// workers' threads).
using PoolWarmer = std::function<void(const std::vector<PoolWarmup>&)>;

/// The requests of a barrier's or a pause's `warm` list, `[{"from": "host:port", "to":
/// "host:port", "shard": "pg1"}]`; entries that name no two different endpoints are skipped.
std::vector<PoolWarmup> parse_warmups(const nlohmann::json& list);

} // namespace shardgate::proxy
