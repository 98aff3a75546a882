// Listener: one acceptor on the main thread; accepted sockets live on a worker's io_context.
#include "listener.hpp"

#include <spdlog/spdlog.h>

namespace shardgate::proxy::pg {

Listener::Listener(asio::io_context& io, const std::string& host, unsigned short port,
                   std::vector<std::unique_ptr<Worker>>& workers)
    : acceptor_(io), workers_(workers) {
    const tcp::endpoint endpoint(asio::ip::make_address(host), port);
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(tcp::acceptor::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(asio::socket_base::max_listen_connections);
}

void Listener::start() {
    accept_next();
}

void Listener::stop() {
    error_code ignored;
    acceptor_.close(ignored);
}

void Listener::accept_next() {
    auto& worker = *workers_[next_++ % workers_.size()];
    acceptor_.async_accept(worker.io(), [this, &worker](const error_code& ec, tcp::socket socket) {
        if (ec == asio::error::operation_aborted || !acceptor_.is_open()) {
            return;
        }
        if (ec) {
            spdlog::warn("accept failed: {}", ec.message());
        } else {
            worker.adopt(std::move(socket));
        }
        accept_next();
    });
}

} // namespace shardgate::proxy::pg
