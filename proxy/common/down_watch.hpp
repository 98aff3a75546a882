// Which backends the monitor called down since a worker last looked: the worker then cuts its
// pooled connections to them (ConnectionPool::cut), so statements waiting on a server that
// stopped answering (a hung host, a blackholed network) end at the monitor's verdict instead
// of whenever the server answers again.
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
    /// The backends whose health became `down` since the previous call (every one that is
    /// down on the first call). Cheap when nothing was published meanwhile.
    std::vector<Down> newly_down(const BackendRegistry& registry);

private:
    std::uint64_t version_ = 0;
    std::vector<bool> down_; ///< by BackendIndex, as of the last look
};

} // namespace shardgate::proxy
