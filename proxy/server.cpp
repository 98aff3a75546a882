// Starts workers and the PostgreSQL and MySQL listeners, waits for SIGINT/SIGTERM, shuts down
// cleanly.
#include "shardgate/proxy/server.hpp"

#include "mysql/frontend.hpp"
#include "pg/asio.hpp"
#include "pg/listener.hpp"
#include "pg/user_directory.hpp"
#include "pg/worker.hpp"
#include "shardgate/proxy/admin_server.hpp"
#include "shardgate/proxy/backend_registry.hpp"
#include "shardgate/proxy/net/tls_context.hpp"
#include "shardgate/proxy/server_settings_check.hpp"
#include "shardgate/shardmaps/loader.hpp"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <future>
#include <optional>
#include <spdlog/spdlog.h>

namespace shardgate::proxy {

int run_postgres_proxy(const Config& config) {
    auto map = shardmaps::load_shard_map(config.shard_map);
    const pg::UserDirectory users(config);
    const auto tls =
        config.tls_cert.empty() ? nullptr : net::make_tls_context(config.tls_cert, config.tls_key);
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
    boost::asio::io_context main_io;
    std::vector<std::unique_ptr<pg::Worker>> workers;
    auto route_cancel = [&workers](std::int32_t process_id, std::int32_t secret) {
        const auto index = static_cast<std::uint32_t>(process_id) >> pg::Worker::session_bits;
        if (index < workers.size()) {
            workers[index]->post_cancel(process_id, secret);
        }
    };
    for (unsigned i = 0; i < config.workers; ++i) {
        workers.push_back(std::make_unique<pg::Worker>(
            i, pg::WorkerContext{config, map, users, registry, route_cancel, tls}));
    }
    std::optional<pg::Listener> listener;
    if (config.postgres_listen.enabled()) {
        listener.emplace(main_io, config.postgres_listen.host, config.postgres_listen.port,
                         workers);
    }
    std::optional<mysql::Frontend> mysql_frontend;
    if (config.mysql_listen.enabled()) {
        mysql_frontend.emplace(main_io, config, map, registry, tls);
    }
    for (auto& worker : workers) {
        worker->start();
    }
    // Admin reads each worker's counters on that worker's thread.
    UsageCollector collect_pg = [&workers](UsageReport& report) {
        for (auto& worker : workers) {
            std::promise<void> done;
            auto finished = done.get_future();
            boost::asio::post(worker->io(), [&] {
                worker->add_usage(report);
                done.set_value();
            });
            if (finished.wait_for(std::chrono::seconds(1)) != std::future_status::ready) {
                report.counters["admin_worker_timeouts"] += 1;
                finished.wait(); // the lambda refers to this frame: never leave before it ran
            }
        }
    };
    std::vector<UsageCollector> collectors{collect_pg};
    if (mysql_frontend) {
        collectors.emplace_back(
            [&mysql_frontend](UsageReport& report) { mysql_frontend->add_usage(report); });
    }
    std::unique_ptr<AdminServer> admin;
    if (config.admin_listen.enabled()) {
        admin = std::make_unique<AdminServer>(config, registry, std::move(collectors));
        admin->start();
    }
    if (listener) {
        listener->start();
        spdlog::info("shardgate: PostgreSQL proxy on {}:{} with {} workers, map {} (epoch {})",
                     config.postgres_listen.host, listener->port(), workers.size(), map->source(),
                     map->epoch());
    }
    if (mysql_frontend) {
        mysql_frontend->start();
        spdlog::info("shardgate: MySQL proxy on {}:{} with {} workers", config.mysql_listen.host,
                     mysql_frontend->port(), config.workers);
    }
    boost::asio::signal_set signals(main_io, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code& ec, int signal) {
        if (!ec) {
            spdlog::info("shardgate: signal {}, shutting down", signal);
        }
        if (admin) {
            admin->stop(); // before any worker stops: its collectors post to the workers
        }
        if (listener) {
            listener->stop();
        }
        if (mysql_frontend) {
            mysql_frontend->stop();
        }
    });
    main_io.run();
    if (admin) {
        admin->stop();
    }
    for (auto& worker : workers) {
        worker->stop();
    }
    pg::WorkerStats total;
    for (auto& worker : workers) {
        worker->join();
        total.add(worker->stats());
    }
    registry.stop();
    spdlog::info("shardgate: stopped; {}", total.summary());
    if (mysql_frontend) {
        spdlog::info("shardgate: MySQL frontend stopped; {}", mysql_frontend->join().summary());
    }
    return 0;
}

} // namespace shardgate::proxy
