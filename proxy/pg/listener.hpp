// Accepts PostgreSQL clients and hands each socket to a worker, round robin.
#pragma once

#include "asio.hpp"
#include "wire_io.hpp"
#include "worker.hpp"

#include <boost/asio/io_context.hpp>
#include <memory>
#include <vector>

namespace shardgate::proxy::pg {

class Listener {
public:
    /// Binds `host:port` (throws boost::system::system_error when it cannot).
    Listener(asio::io_context& io, const std::string& host, unsigned short port,
             std::vector<std::unique_ptr<Worker>>& workers);
    void start();
    void stop();
    unsigned short port() const { return acceptor_.local_endpoint().port(); }

private:
    void accept_next();

    tcp::acceptor acceptor_;
    std::vector<std::unique_ptr<Worker>>& workers_;
    std::size_t next_ = 0;
};

} // namespace shardgate::proxy::pg
