// Which backends the monitor called down, unresponsive, since a worker last looked: the worker
// then cuts its pooled connections to them (ConnectionPool::cut), so statements waiting on a
// server that stopped answering (a hung host, a blackholed network) end at the monitor's
// verdict instead of whenever the server answers again. A backend down because it refuses
// (a stopped server, a refused monitor login) is left alone: its connections end by
// themselves, or still work.
#pragma once

#include "shardgate/proxy/backend_registry.hpp"
#include "shardgate/shardmaps/shard_map.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace shardgate::proxy {

/// One per worker; worker-thread only.
class DownWatch {
public:
    struct Down {
        shardmaps::Endpoint endpoint;
        std::string shard;
        std::string reason; ///< for the clients whose statements are cut
    };
    /// The backends that became down and unresponsive since the previous call (every one that
    /// is on the first call). Cheap when nothing was published meanwhile.
    std::vector<Down> newly_down(const BackendRegistry& registry);

private:
    std::uint64_t version_ = 0;
    std::vector<bool> down_; ///< by BackendIndex, as of the last look
};

} // namespace shardgate::proxy
