// Entry point of the shardgate daemon.
#include "shardgate/proxy/config.hpp"
#include "shardgate/proxy/log_format.hpp"
#include "shardgate/proxy/net/tls_context.hpp"
#include "shardgate/proxy/server.hpp"
#include "shardgate/shardmaps/loader.hpp"
#include "shardgate/version.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <iostream>
#include <malloc.h>
#include <spdlog/spdlog.h>

int main(int argc, char** argv) {
    // Allocations of 4 MiB or more (a client's 16-64 MiB packet, a large merged result) are
    // mapped on their own and unmapped when freed, so that memory goes back to the system.
    // glibc's default raises this threshold to the size of the first such block freed (up to
    // 32 MiB), after which each worker's arena keeps tens of MiB once a large packet has passed.
    mallopt(M_MMAP_THRESHOLD, 4 << 20);
    CLI::App app{"shardgate: sharded SQL routing proxy for MySQL/MariaDB and PostgreSQL"};
    std::string config_path;
    bool check_only = false;
    app.add_option("-c,--config", config_path, "configuration file (YAML)");
    app.add_flag("--check", check_only, "load and validate the configuration, then exit");
    app.set_version_flag("-V,--version", std::string("shardgate ") + shardgate::version);
    CLI11_PARSE(app, argc, argv);

    if (config_path.empty()) {
        std::cerr << "shardgate: --config FILE is required (see docs/proxy-pg.md)\n";
        return 2;
    }
    try {
        const auto config = shardgate::proxy::load_config(config_path);
        const auto banner = fmt::format(
            "shardgate {}: config {} ok (postgres {}:{}, mysql {}:{}, admin {}:{}, map {})",
            shardgate::version, config.source, config.postgres_listen.host,
            config.postgres_listen.port, config.mysql_listen.host, config.mysql_listen.port,
            config.admin_listen.host, config.admin_listen.port, config.shard_map);
        const auto exposed = shardgate::proxy::exposed_secrets_warning(config);
        if (check_only) {
            // The TLS files, loaded as at start.
            try {
                if (!config.tls_cert.empty()) {
                    shardgate::proxy::net::make_tls_context(shardgate::proxy::tls_settings(config));
                }
                shardgate::proxy::net::make_backend_tls(
                    *shardgate::proxy::net::backend_tls_mode(config.backend_tls),
                    config.backend_tls_ca);
            } catch (const std::exception& e) {
                std::cerr << "shardgate: " << e.what() << "\n";
                return 1;
            }
            std::cout << banner << "\n";
            if (!exposed.empty()) {
                std::cerr << "shardgate: warning: " << exposed << "\n";
            }
            // The map too: a file map is loaded and validated like at start; an etcd map is
            // read from etcd when the daemon starts (shardctl validate checks a file).
            if (config.map_store == "file") {
                try {
                    const auto map = shardgate::shardmaps::load_shard_map(config.shard_map);
                    std::cout << "shard map " << map->source() << " ok (epoch " << map->epoch()
                              << ", " << map->databases().size() << " databases)\n";
                } catch (const std::exception& e) {
                    std::cerr << "shardgate: invalid shard map: " << e.what() << "\n";
                    return 1;
                }
            } else {
                std::cout << "shard map: map_store etcd, read from etcd at start\n";
            }
            return 0;
        }
        spdlog::set_level(spdlog::level::from_str(config.log_level));
        if (config.log_format == "json") {
            shardgate::proxy::use_json_logs();
        }
        spdlog::info("{}", banner);
        if (!exposed.empty()) {
            spdlog::warn("shardgate: {}", exposed);
        }
        return shardgate::proxy::run_daemon(config);
    } catch (const shardgate::proxy::ConfigError& e) {
        std::cerr << "shardgate: " << e.what() << "\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "shardgate: cannot start: " << e.what() << "\n";
        return 1;
    }
}
