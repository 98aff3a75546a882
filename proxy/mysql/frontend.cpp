// MySQL frontend: acceptor on the main thread; accepted sockets live on a worker's io_context.
#include "frontend.hpp"

#include <boost/asio/post.hpp>
#include <future>
#include <spdlog/spdlog.h>

namespace shardgate::proxy::mysql {

Frontend::Frontend(asio::io_context& main_io, const Config& config, shardmaps::ShardMapPtr map,
                   const BackendRegistry& registry, std::shared_ptr<asio::ssl::context> tls)
    : acceptor_(main_io) {
    const auto rsa = RsaKeyPair::generate();
    auto worker_at = [this](std::uint32_t index) -> Worker* {
        return index < workers_.size() ? workers_[index].get() : nullptr;
    };
    for (unsigned i = 0; i < config.workers; ++i) {
        workers_.push_back(
            std::make_unique<Worker>(i, WorkerContext{config, map, registry, tls, rsa, worker_at}));
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

void Frontend::add_usage(UsageReport& report) {
    for (auto& worker : workers_) {
        std::promise<void> done;
        auto finished = done.get_future();
        asio::post(worker->io(), [&] {
            worker->add_usage(report);
            done.set_value();
        });
        if (finished.wait_for(std::chrono::seconds(1)) != std::future_status::ready) {
            report.counters["admin_worker_timeouts"] += 1;
            finished.wait(); // the lambda refers to this frame: never leave before it ran
        }
    }
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
