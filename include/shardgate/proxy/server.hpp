// The daemon: both data planes, the monitor and the admin endpoint, signal handling.
#pragma once

#include "shardgate/proxy/config.hpp"
#include "shardgate/proxy/net/tls_context.hpp"

namespace shardgate::proxy {

/// Runs the daemon until SIGINT/SIGTERM: loads the shard map named by the config, starts the
/// backend monitor, the PostgreSQL frontend on `postgres_listen` and the MySQL frontend on
/// `mysql_listen` (each with `workers` threads, one io_context each; a session and its
/// backend connections stay on one thread) and the admin endpoint. Returns the process
/// exit code. Throws ConfigError / shard-map errors while starting.
int run_daemon(const Config& config);

/// The clients' TLS settings of a config (tls_cert, tls_key, tls_min_version, ...).
net::TlsSettings tls_settings(const Config& config);

} // namespace shardgate::proxy
