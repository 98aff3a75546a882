// Starts workers and the PostgreSQL and MySQL listeners, waits for SIGINT/SIGTERM, shuts down
// cleanly.
#include "shardgate/proxy/server.hpp"

#include "mysql/frontend.hpp"
#include "pg/asio.hpp"
#include "pg/listener.hpp"
#include "pg/user_directory.hpp"
#include "pg/worker.hpp"
#include "shardgate/shardmaps/loader.hpp"

#include <boost/asio/signal_set.hpp>
#include <optional>
#include <spdlog/spdlog.h>

namespace shardgate::proxy {

int run_postgres_proxy(const Config& config) {
    auto map = shardmaps::load_shard_map(config.shard_map);
    const pg::UserDirectory users(config);
    boost::asio::io_context main_io;
    std::vector<std::unique_ptr<pg::Worker>> workers;
    auto route_cancel = [&workers](std::int32_t process_id, std::int32_t secret) {
        const auto index = static_cast<std::uint32_t>(process_id) >> pg::Worker::session_bits;
        if (index < workers.size()) {
            workers[index]->post_cancel(process_id, secret);
        }
    };
    for (unsigned i = 0; i < config.workers; ++i) {
        workers.push_back(
            std::make_unique<pg::Worker>(i, pg::WorkerContext{config, map, users, route_cancel}));
    }
    std::optional<pg::Listener> listener;
    if (config.postgres_listen.enabled()) {
        listener.emplace(main_io, config.postgres_listen.host, config.postgres_listen.port,
                         workers);
    }
    std::optional<mysql::Frontend> mysql_frontend;
    if (config.mysql_listen.enabled()) {
        mysql_frontend.emplace(main_io, config, map);
    }
    for (auto& worker : workers) {
        worker->start();
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
        if (listener) {
            listener->stop();
        }
        if (mysql_frontend) {
            mysql_frontend->stop();
        }
    });
    main_io.run();
    for (auto& worker : workers) {
        worker->stop();
    }
    pg::WorkerStats total;
    for (auto& worker : workers) {
        worker->join();
        total.add(worker->stats());
    }
    spdlog::info("shardgate: stopped; {}", total.summary());
    if (mysql_frontend) {
        spdlog::info("shardgate: MySQL frontend stopped; {}", mysql_frontend->join().summary());
    }
    return 0;
}

} // namespace shardgate::proxy
