// MySQL frontend: acceptor on the main thread; accepted sockets live on a worker's io_context.
#include "frontend.hpp"

#include <spdlog/spdlog.h>

namespace shardgate::proxy::mysql {

Frontend::Frontend(asio::io_context& main_io, const Config& config, shardmaps::ShardMapPtr map)
    : acceptor_(main_io) {
    for (unsigned i = 0; i < config.workers; ++i) {
        workers_.push_back(std::make_unique<Worker>(i, WorkerContext{config, map}));
    }
    const tcp::endpoint endpoint(asio::ip::make_address(config.mysql_listen.host),
                                 config.mysql_listen.port);
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(tcp::acceptor::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(asio::socket_base::max_listen_connections);
}

Frontend::~Frontend() {
    for (auto& worker : workers_) {
        worker->join();
    }
}

void Frontend::start() {
    for (auto& worker : workers_) {
        worker->start();
    }
    accept_next();
}

void Frontend::stop() {
    error_code ignored;
    acceptor_.close(ignored);
    for (auto& worker : workers_) {
        worker->stop();
    }
}

MysqlStats Frontend::join() {
    MysqlStats total;
    for (auto& worker : workers_) {
        worker->join();
        total.add(worker->stats());
    }
    return total;
}

void Frontend::accept_next() {
    auto& worker = *workers_[next_++ % workers_.size()];
    acceptor_.async_accept(worker.io(), [this, &worker](const error_code& ec, tcp::socket socket) {
        if (ec == asio::error::operation_aborted || !acceptor_.is_open()) {
            return;
        }
        if (ec) {
            spdlog::warn("mysql accept failed: {}", ec.message());
        } else {
            worker.adopt(std::move(socket));
        }
        accept_next();
    });
}

} // namespace shardgate::proxy::mysql
