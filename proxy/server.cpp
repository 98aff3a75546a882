// The daemon: loads the shard map, starts the backend registry (monitor), checks the
// servers' settings, runs the PostgreSQL and MySQL frontends and the admin endpoint until
// SIGINT/SIGTERM, then shuts down cleanly.
#include "shardgate/proxy/server.hpp"

#include "mysql/frontend.hpp"
#include "pg/frontend.hpp"
#include "shardgate/proxy/admin_console.hpp"
#include "shardgate/proxy/admin_server.hpp"
#include "shardgate/proxy/backend_registry.hpp"
#include "shardgate/proxy/client_limit.hpp"
#include "shardgate/proxy/etcd_store.hpp"
#include "shardgate/proxy/map_source.hpp"
#include "shardgate/proxy/net/tls_context.hpp"
#include "shardgate/proxy/server_settings_check.hpp"
#include "shardgate/proxy/txn_resolver.hpp"
#include "shardgate/shardmaps/loader.hpp"

#include <algorithm>
#include <boost/asio/signal_set.hpp>
#include <fmt/ranges.h>
#include <functional>
#include <optional>
#include <spdlog/spdlog.h>

namespace shardgate::proxy {
namespace {

/// SIGHUP: the config file is read again for what can change while running, the clients' TLS
/// certificate and key (files replaced in place or new paths) and the admin token. Anything
/// that cannot be loaded keeps the running value, with an error in the log.
void reload_secrets(const Config& running, net::TlsContextHolder* tls, AdminServer* admin,
                    std::string& admin_token) {
    if (running.source.empty()) {
        return;
    }
    Config next;
    try {
        next = load_config(running.source);
    } catch (const std::exception& e) {
        spdlog::error("shardgate: config {} not reloaded: {}", running.source, e.what());
        return;
    }
    if (tls != nullptr && !next.tls_cert.empty()) {
        try {
            tls->replace(net::make_tls_context(tls_settings(next)));
            spdlog::info("shardgate: TLS certificate {} loaded for new client connections",
                         next.tls_cert);
        } catch (const std::exception& e) {
            spdlog::error("shardgate: TLS certificate not reloaded, the running one stays: {}",
                          e.what());
        }
    } else if ((tls != nullptr) != !next.tls_cert.empty()) {
        spdlog::warn("shardgate: turning client TLS on or off needs a restart");
    }
    if (admin != nullptr && next.admin_token != admin_token && !next.admin_token.empty()) {
        admin_token = next.admin_token;
        admin->replace_token(next.admin_token);
        spdlog::info("shardgate: admin token replaced (the previous one and its dashboard "
                     "sessions no longer work)");
    }
}

/// Backend connections the pools may open: per worker, each server's pool size (one pool per
/// server for one database user; each frontend opens only its engine's).
std::uint64_t expected_backend_connections(const Config& config, const shardmaps::ShardMap& map) {
    std::uint64_t per_worker = 0;
    for (const auto& database : map.databases()) {
        for (const auto& shard : database.shards()) {
            per_worker += pool_size_for(config, shard.name, "primary");
            per_worker += shard.replicas.size() * pool_size_for(config, shard.name, "replica");
        }
    }
    return per_worker * std::max(config.workers, 1u); // (the loader resolved workers: 0)
}

} // namespace

net::TlsSettings tls_settings(const Config& config) {
    return {config.tls_cert,    config.tls_key,          config.tls_min_version,
            config.tls_ciphers, config.tls_ciphersuites, config.tls_client_ca};
}

int run_daemon(const Config& config) {
    // Every connection is a file descriptor: take what the hard limit allows.
    const auto files = raise_open_file_limit();
    // backend_tls_ca is read by every worker's pool; a file that cannot be used stops the start.
    net::make_backend_tls(*net::backend_tls_mode(config.backend_tls), config.backend_tls_ca);
    // SIGINT/SIGTERM are caught from here on: one that arrives while starting (a listener may
    // already accept) is handled once the main loop runs, never by the default action.
    boost::asio::io_context main_io;
    boost::asio::signal_set signals(main_io, SIGINT, SIGTERM);
    boost::asio::signal_set hangups(main_io, SIGHUP); // map reloads, from the main loop on
    // The map: the file, or the one every proxy of the etcd prefix shares (seeded from the file).
    std::optional<std::string> shared_text;
    if (config.map_store == "etcd") {
        try {
            shared_text = initial_etcd_map(config);
        } catch (const EtcdError& e) {
            spdlog::error("shardgate: map_store is etcd but etcd ({}) cannot be reached: {}",
                          fmt::join(config.etcd_endpoints, ", "), e.what());
            return 1;
        }
    }
    auto map = shared_text ? shardmaps::parse_shard_map(*shared_text,
                                                        "etcd " + etcd_map_key(config.etcd_prefix))
                           : shardmaps::load_shard_map(config.shard_map);
    const auto tls =
        config.tls_cert.empty()
            ? nullptr
            : std::make_shared<net::TlsContextHolder>(net::make_tls_context(tls_settings(config)));
    BackendRegistry registry(map, config);
    // Wait for the first measurements (libpq never times out a connect under 2 s), so the
    // first reads already see which replicas are fresh.
    registry.start(std::chrono::milliseconds(std::max(config.connect_timeout_ms, 2000u) +
                                             2 * config.heartbeat_interval_ms));
    if (const auto problems = server_settings_problems(registry); !problems.empty()) {
        for (const auto& problem : problems) {
            spdlog::error("shardgate: {}", problem);
        }
        registry.stop();
        return 1;
    }
    for (const auto& warning : server_settings_warnings(registry)) {
        spdlog::warn("shardgate: {}", warning);
    }
    // Resharding workflows a file-map proxy was told before a restart (etcd keeps its own).
    if (config.map_store == "etcd" && !config.reshard_state_file.empty()) {
        spdlog::warn("shardgate: reshard_state_file is not used with map_store etcd (the "
                     "workflows are in etcd)");
    }
    std::optional<ReshardBoard> board;
    try {
        board.emplace(registry,
                      config.map_store == "etcd" ? std::string() : config.reshard_state_file);
    } catch (const ReshardStateError& error) {
        spdlog::error("shardgate: {}", error.what());
        registry.stop();
        return 1;
    }
    // The admin console (database `shardgate` of both frontends) runs on its own thread.
    AdminConsole console(config, registry);
    if (map->find_database(std::string(admin_database)) != nullptr) {
        spdlog::warn("shardgate: the map has a database named {}; it hides the admin console",
                     admin_database);
    }
    std::optional<pg::Frontend> pg_frontend;
    if (config.postgres_listen.enabled()) {
        pg_frontend.emplace(main_io, config, map, registry, tls, &console);
    }
    std::optional<mysql::Frontend> mysql_frontend;
    if (config.mysql_listen.enabled()) {
        mysql_frontend.emplace(main_io, config, map, registry, tls, &console);
    }
    // Ends distributed transactions a proxy left prepared (docs/cross-shard-writes.md).
    TxnResolver resolver(registry, config);
    resolver.start();
    // Admin reads each worker's counters on that worker's thread.
    std::vector<UsageCollector> collectors;
    collectors.emplace_back([&resolver](UsageReport& report) { resolver.add_usage(report); });
    if (pg_frontend) {
        collectors.emplace_back(
            [&pg_frontend](UsageReport& report) { pg_frontend->add_usage(report); });
    }
    if (mysql_frontend) {
        collectors.emplace_back(
            [&mysql_frontend](UsageReport& report) { mysql_frontend->add_usage(report); });
    }
    for (const auto& collector : collectors) {
        console.add_collector(collector);
    }
    if (pg_frontend) {
        console.add_killer("postgresql",
                           [&pg_frontend](std::uint64_t id) { return pg_frontend->kill(id); });
    }
    if (mysql_frontend) {
        console.add_killer(
            "mysql", [&mysql_frontend](std::uint64_t id) { return mysql_frontend->kill(id); });
    }
    console.start();
    // Live map reloads: SIGHUP reads the map file again; POST /map of the admin API; with
    // map_store: etcd both are written to etcd, and every proxy installs what etcd holds.
    std::unique_ptr<EtcdStore> shared;
    MapSource::Publish publish;
    if (shared_text) {
        publish = [&shared](const std::string& yaml) { return shared->publish(yaml); };
    }
    MapSource maps(registry, config.shard_map, shared_text, publish);
    // A cutover's pause (etcd barrier or POST /pause) opens connections to the new primaries.
    const PoolWarmer warmer = [&pg_frontend, &mysql_frontend](const auto& requests) {
        if (pg_frontend) {
            pg_frontend->warm(requests);
        }
        if (mysql_frontend) {
            mysql_frontend->warm(requests);
        }
    };
    if (shared_text) {
        shared = std::make_unique<EtcdStore>(config, registry, maps);
        shared->set_warmer(warmer);
        shared->start();
    }
    // Clients beyond the limit get "too many connections" rather than the descriptors the
    // backend connections need (derived from the open-file limit unless configured).
    const std::uint64_t backends = expected_backend_connections(config, *map);
    const std::size_t max_clients =
        config.max_client_connections != 0
            ? config.max_client_connections
            : derived_client_limit(files.soft, open_descriptors(), backends);
    registry.client_limit().configure(max_clients, client_refusing_max(files.soft));
    spdlog::info("shardgate: open-file limit {}{}, max_client_connections {}{}; the pools may "
                 "open up to {} backend connections",
                 files.soft,
                 files.raised_from != 0 ? fmt::format(" (raised from {})", files.raised_from)
                                        : std::string(),
                 max_clients == 0 ? std::string("unlimited") : std::to_string(max_clients),
                 config.max_client_connections != 0 ? "" : " (derived)", backends);
    if (files.soft != 0 && max_clients + backends > files.soft) {
        spdlog::warn("shardgate: max_client_connections {} and up to {} backend connections "
                     "exceed the open-file limit {}: raise the limit (LimitNOFILE) or lower "
                     "max_client_connections or the pool sizes",
                     max_clients, backends, files.soft);
    }
    // Clients are served once the workflows in etcd are known (EtcdStore::start).
    if (pg_frontend) {
        pg_frontend->start();
        spdlog::info("shardgate: PostgreSQL proxy on {}:{} with {} workers, map {} (epoch {})",
                     config.postgres_listen.host, pg_frontend->port(),
                     pg_frontend->workers().size(), map->source(), map->epoch());
    }
    if (mysql_frontend) {
        mysql_frontend->start();
        spdlog::info("shardgate: MySQL proxy on {}:{} with {} workers", config.mysql_listen.host,
                     mysql_frontend->port(), config.workers);
    }
    console.set_maps(&maps);
    // Resharding workflows: etcd's, else the ones shardctl POSTs to the admin API.
    const std::function<nlohmann::json()> reshard_view =
        shared ? std::function<nlohmann::json()>([&shared] { return shared->workflows(); })
               : std::function<nlohmann::json()>([&board] { return board->view(); });
    console.set_reshard_view(reshard_view);
    std::unique_ptr<AdminServer> admin;
    if (config.admin_listen.enabled()) {
        admin = std::make_unique<AdminServer>(config, registry, std::move(collectors), &maps);
        admin->set_reshard_view(reshard_view);
        if (!shared) {
            admin->set_reshard_board(&*board);
        }
        admin->set_warmer(warmer);
        admin->start();
    }
    std::string admin_token = config.admin_token; // the one in use (SIGHUP may replace it)
    std::function<void()> on_hangup = [&] {
        hangups.async_wait([&](const boost::system::error_code& ec, int) {
            if (ec) {
                return;
            }
            spdlog::info("shardgate: SIGHUP, reloading the map file {}", config.shard_map);
            const auto outcome = maps.reload(std::nullopt);
            for (const auto& problem : outcome.problems) {
                spdlog::warn("shardgate: {}", problem);
            }
            reload_secrets(config, tls.get(), admin.get(), admin_token);
            on_hangup();
        });
    };
    on_hangup();
    signals.async_wait([&](const boost::system::error_code& ec, int signal) {
        if (!ec) {
            spdlog::info("shardgate: signal {}, shutting down", signal);
        }
        hangups.cancel();
        if (shared) {
            shared->stop(); // leaves the proxy list at once
        }
        if (admin) {
            admin->stop(); // before any worker stops: its collectors post to the workers
        }
        console.stop(); // likewise

        if (pg_frontend) {
            pg_frontend->stop();
        }
        if (mysql_frontend) {
            mysql_frontend->stop();
        }
    });
    main_io.run();
    if (admin) {
        admin->stop();
    }
    console.stop();
    const auto pg_total = pg_frontend ? pg_frontend->join() : pg::WorkerStats{};
    resolver.stop();
    registry.stop();
    spdlog::info("shardgate: stopped; {}", pg_total.summary());
    if (mysql_frontend) {
        spdlog::info("shardgate: MySQL frontend stopped; {}", mysql_frontend->join().summary());
    }
    return 0;
}

} // namespace shardgate::proxy
