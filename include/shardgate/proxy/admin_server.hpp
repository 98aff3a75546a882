// The admin HTTP endpoint (Boost.Beast): `GET /status` as JSON behind a bearer token.
#pragma once

#include "shardgate/proxy/backend_registry.hpp"
#include "shardgate/proxy/config.hpp"
#include "shardgate/proxy/map_source.hpp"
#include "shardgate/proxy/pool_warmup.hpp"
#include "shardgate/proxy/reshard_board.hpp"
#include "shardgate/proxy/status_report.hpp"

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

namespace shardgate::proxy {

/// Runs on its own thread with its own io_context. Routes: `GET /status` (200 JSON), `GET /map`
/// (the running map's YAML, header X-Shardgate-Epoch) and `POST /map` (install the body's map,
/// or the map file again when the body is empty: 200 / 400 invalid / 409 refused, JSON with
/// `installed`, `epoch`, `previous_epoch`, `problems`); all of them 401 without
/// `Authorization: Bearer <admin_token>` and 503 when no token is configured; anything else
/// 404 / 405. start()/stop() from the owner thread.
class AdminServer {
public:
    /// `maps` (optional): serves GET /map and POST /map (live map reload).
    AdminServer(const Config& config, const BackendRegistry& registry,
                std::vector<UsageCollector> collectors, MapSource* maps = nullptr);
    ~AdminServer();
    AdminServer(const AdminServer&) = delete;
    AdminServer& operator=(const AdminServer&) = delete;

    /// Serves GET /reshard from `view` (the workflows in etcd); call before start().
    void set_reshard_view(std::function<nlohmann::json()> view);
    /// Takes `POST /reshard` (a workflow's document from shardctl) into `board` and serves
    /// GET /reshard from it (map_store: file); call before start().
    void set_reshard_board(ReshardBoard* board);
    /// Opens the connections a `POST /pause` body's `warm` list asks for; call before start().
    void set_warmer(PoolWarmer warmer);
    /// Installs a new admin token (any thread; applied on the admin thread): requests with the
    /// old one get 401, dashboard sessions and event streams opened with it end.
    void replace_token(std::string token);
    /// Binds admin_listen (throws std::system_error when the port is taken) and starts.
    void start();
    void stop();
    unsigned short port() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace shardgate::proxy
