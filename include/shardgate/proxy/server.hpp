// The PostgreSQL data plane of the daemon: listener, worker threads, signal handling.
#pragma once

#include "shardgate/proxy/config.hpp"

namespace shardgate::proxy {

/// Runs the PostgreSQL proxy until SIGINT/SIGTERM: loads the shard map named by the config,
/// listens on `postgres_listen`, spreads clients over `workers` threads (one io_context
/// each; a session and its backend connections stay on one thread). Returns the process
/// exit code. Throws ConfigError / shard-map errors while starting.
int run_postgres_proxy(const Config& config);

} // namespace shardgate::proxy
