// The MySQL frontend: a WorkerGroup of MySQL workers sharing the RSA key pair for
// caching_sha2_password and the KILL routing between them. Started by proxy/server.cpp
// beside the PostgreSQL frontend.
#pragma once

#include "common/worker_group.hpp"
#include "shardgate/proxy/backend_registry.hpp"
#include "shardgate/proxy/config.hpp"
#include "shardgate/shardmaps/shard_map.hpp"
#include "worker.hpp"

#include <memory>

namespace shardgate::proxy::mysql {

class Frontend : public WorkerGroup<Worker> {
public:
    /// Binds config.mysql_listen (throws boost::system::system_error when it cannot).
    /// `registry` outlives the frontend; `tls`: the daemon's TLS context for clients, or null.
    Frontend(asio::io_context& main_io, const Config& config, shardmaps::ShardMapPtr map,
             const BackendRegistry& registry, std::shared_ptr<net::TlsContextHolder> tls,
             AdminConsole* console = nullptr);
};

} // namespace shardgate::proxy::mysql
