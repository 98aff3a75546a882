// The admin HTTP endpoint (Boost.Beast): `GET /status` as JSON behind a bearer token.
#pragma once

#include "shardgate/proxy/backend_registry.hpp"
#include "shardgate/proxy/config.hpp"
#include "shardgate/proxy/status_report.hpp"

#include <memory>
#include <thread>
#include <vector>

namespace shardgate::proxy {

/// Runs on its own thread with its own io_context. Routes: `GET /status` (200 JSON; 401
/// without `Authorization: Bearer <admin_token>`; 503 when no token is configured), anything
/// else 404 / 405. start()/stop() from the owner thread.
class AdminServer {
public:
    AdminServer(const Config& config, const BackendRegistry& registry,
                std::vector<UsageCollector> collectors);
    ~AdminServer();
    AdminServer(const AdminServer&) = delete;
    AdminServer& operator=(const AdminServer&) = delete;

    /// Binds admin_listen (throws std::system_error when the port is taken) and starts.
    void start();
    void stop();
    unsigned short port() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace shardgate::proxy
