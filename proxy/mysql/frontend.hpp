// The MySQL frontend: its worker threads and the acceptor (on the daemon's main io_context)
// that hands each client to a worker, round robin. Started by proxy/server.cpp beside the
// PostgreSQL frontend.
#pragma once

#include "pg/asio.hpp"
#include "shardgate/proxy/backend_registry.hpp"
#include "shardgate/proxy/config.hpp"
#include "shardgate/proxy/status_report.hpp"
#include "shardgate/shardmaps/shard_map.hpp"
#include "worker.hpp"

#include <boost/asio/io_context.hpp>
#include <memory>
#include <vector>

namespace shardgate::proxy::mysql {

class Frontend {
public:
    /// Binds config.mysql_listen (throws boost::system::system_error when it cannot).
    /// `registry` (the process's backend health) outlives the frontend. `tls`: the daemon's
    /// TLS context for clients, or null.
    Frontend(asio::io_context& main_io, const Config& config, shardmaps::ShardMapPtr map,
             const BackendRegistry& registry, std::shared_ptr<asio::ssl::context> tls);
    ~Frontend();

    void start();
    /// Stops accepting and asks every worker to close its sessions; join() waits for them.
    void stop();
    /// Returns the summed counters.
    MysqlStats join();
    /// Thread-safe: the workers' per-backend usage and counters, read on each worker thread
    /// (for the admin endpoint). Call only while the workers run.
    void add_usage(UsageReport& report);
    unsigned short port() const { return acceptor_.local_endpoint().port(); }

private:
    void accept_next();

    tcp::acceptor acceptor_;
    std::vector<std::unique_ptr<Worker>> workers_;
    std::size_t next_ = 0;
};

} // namespace shardgate::proxy::mysql
