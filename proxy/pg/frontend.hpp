// The PostgreSQL frontend: a WorkerGroup of PostgreSQL workers sharing the users' verifiers,
// with CancelRequests routed to the worker that owns the session. Started by
// proxy/server.cpp beside the MySQL frontend.
#pragma once

#include "common/worker_group.hpp"
#include "shardgate/proxy/backend_registry.hpp"
#include "shardgate/proxy/config.hpp"
#include "shardgate/shardmaps/shard_map.hpp"
#include "user_directory.hpp"
#include "worker.hpp"

#include <memory>

namespace shardgate::proxy::pg {

class Frontend : public WorkerGroup<Worker> {
public:
    /// Binds config.postgres_listen (throws boost::system::system_error when it cannot).
    /// `registry` outlives the frontend; `tls`: the daemon's TLS context for clients, or null.
    Frontend(asio::io_context& main_io, const Config& config, shardmaps::ShardMapPtr map,
             const BackendRegistry& registry, std::shared_ptr<net::TlsContextHolder> tls,
             AdminConsole* console = nullptr);

private:
    UserDirectory users_;
};

} // namespace shardgate::proxy::pg
