// Starts workers and the PostgreSQL listener, waits for SIGINT/SIGTERM, shuts down cleanly.
#include "shardgate/proxy/server.hpp"

#include "pg/asio.hpp"
#include "pg/client_stream.hpp"
#include "pg/listener.hpp"
#include "pg/user_directory.hpp"
#include "pg/worker.hpp"
#include "shardgate/shardmaps/loader.hpp"

#include <boost/asio/signal_set.hpp>
#include <spdlog/spdlog.h>

namespace shardgate::proxy {

int run_postgres_proxy(const Config& config) {
    auto map = shardmaps::load_shard_map(config.shard_map);
    const pg::UserDirectory users(config);
    const auto tls =
        config.tls_cert.empty() ? nullptr : pg::make_tls_context(config.tls_cert, config.tls_key);
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
            i, pg::WorkerContext{config, map, users, route_cancel, tls}));
    }
    pg::Listener listener(main_io, config.postgres_listen.host, config.postgres_listen.port,
                          workers);
    for (auto& worker : workers) {
        worker->start();
    }
    listener.start();
    spdlog::info("shardgate: PostgreSQL proxy on {}:{} with {} workers, map {} (epoch {})",
                 config.postgres_listen.host, listener.port(), workers.size(), map->source(),
                 map->epoch());
    boost::asio::signal_set signals(main_io, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code& ec, int signal) {
        if (!ec) {
            spdlog::info("shardgate: signal {}, shutting down", signal);
        }
        listener.stop();
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
    return 0;
}

} // namespace shardgate::proxy
