// The frontend skeleton both data planes share: worker threads (one io_context each), an
// acceptor on the daemon's main io_context that hands each client to the next worker, round
// robin, and reading every worker's usage on its own thread for the admin endpoint.
#pragma once

#include "shardgate/proxy/net/wire_io.hpp"
#include "shardgate/proxy/pool_warmup.hpp"
#include "shardgate/proxy/status_report.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <future>
#include <memory>
#include <spdlog/spdlog.h>
#include <string>
#include <vector>

namespace shardgate::proxy {

/// `Worker` provides io(), start(), stop(), join(), stats() (a type with add()),
/// adopt(tcp::socket) and add_usage(UsageReport&) const.
template <class Worker> class WorkerGroup {
public:
    /// Binds `host:port` (throws boost::system::system_error when it cannot). `plane` names
    /// the frontend in log lines.
    WorkerGroup(asio::io_context& main_io, const std::string& host, unsigned short port,
                std::string plane)
        : acceptor_(main_io), plane_(std::move(plane)), accept_retry_(main_io) {
        const tcp::endpoint endpoint(asio::ip::make_address(host), port);
        acceptor_.open(endpoint.protocol());
        acceptor_.set_option(tcp::acceptor::reuse_address(true));
        acceptor_.bind(endpoint);
        acceptor_.listen(asio::socket_base::max_listen_connections);
    }
    WorkerGroup(const WorkerGroup&) = delete;
    WorkerGroup& operator=(const WorkerGroup&) = delete;
    ~WorkerGroup() {
        for (auto& worker : workers_) {
            worker->join();
        }
    }

    /// Filled by the frontend before start(); the index of a worker is its position.
    std::vector<std::unique_ptr<Worker>>& workers() { return workers_; }
    /// The worker at `index`, or nullptr (thread-safe once started: the vector is fixed).
    Worker* worker_at(std::size_t index) {
        return index < workers_.size() ? workers_[index].get() : nullptr;
    }

    void start() {
        for (auto& worker : workers_) {
            worker->start();
        }
        accept_next();
    }

    /// Stops accepting and asks every worker to close its sessions; join() waits for them.
    void stop() {
        error_code ignored;
        acceptor_.close(ignored);
        accept_retry_.cancel();
        for (auto& worker : workers_) {
            worker->stop();
        }
    }

    /// Waits for every worker thread; returns their counters summed.
    auto join() {
        std::decay_t<decltype(workers_.front()->stats())> total;
        for (auto& worker : workers_) {
            worker->join();
            total.add(worker->stats());
        }
        return total;
    }

    /// Thread-safe: each worker's per-backend usage and counters, read on its own thread.
    void add_usage(UsageReport& report) {
        for (std::size_t index = 0; index < workers_.size(); ++index) {
            auto& worker = workers_[index];
            std::promise<void> done;
            auto finished = done.get_future();
            const auto posted = std::chrono::steady_clock::now();
            asio::post(worker->io(), [&] {
                // the time this read waited behind the worker's other work: its queue wait
                const auto waited = std::chrono::steady_clock::now() - posted;
                worker->add_usage(report);
                if (!report.workers.empty()) {
                    report.workers.back().index = index;
                    report.workers.back().queue_wait_us = static_cast<std::uint64_t>(
                        std::chrono::duration_cast<std::chrono::microseconds>(waited).count());
                }
                done.set_value();
            });
            if (finished.wait_for(std::chrono::seconds(1)) != std::future_status::ready) {
                report.counters["admin_worker_timeouts"] += 1;
                finished.wait(); // the lambda refers to this frame: never leave before it ran
            }
        }
    }

    /// Thread-safe: closes the client session `id` on whichever worker runs it (admin KILL).
    bool kill(std::uint64_t id) {
        bool found = false;
        for (auto& worker : workers_) {
            std::promise<void> done;
            auto finished = done.get_future();
            asio::post(worker->io(), [&] {
                found = worker->close_client(id) || found;
                done.set_value();
            });
            finished.wait();
        }
        return found;
    }

    /// Thread-safe: every worker opens the requested connections on its own thread; returns
    /// without waiting for them.
    void warm(const std::vector<PoolWarmup>& requests) {
        for (auto& worker : workers_) {
            asio::post(worker->io(), [w = worker.get(), requests] {
                for (const auto& request : requests) {
                    w->pool().warm(request);
                }
            });
        }
    }

    unsigned short port() const { return acceptor_.local_endpoint().port(); }

private:
    void accept_next() {
        auto& worker = *workers_[next_++ % workers_.size()];
        acceptor_.async_accept(
            worker.io(), [this, &worker](const error_code& ec, tcp::socket socket) {
                if (ec == asio::error::operation_aborted || !acceptor_.is_open()) {
                    return;
                }
                if (ec) {
                    // Out of file descriptors (EMFILE) the connection stays in the backlog and
                    // a retry fails at once: pause instead of spinning, log once per streak.
                    if (accept_failures_++ == 0) {
                        spdlog::warn("{} accept failed: {} (retrying every 100 ms)", plane_,
                                     ec.message());
                    }
                    accept_retry_.expires_after(std::chrono::milliseconds(100));
                    accept_retry_.async_wait([this](const error_code& wait_ec) {
                        if (!wait_ec && acceptor_.is_open()) {
                            accept_next();
                        }
                    });
                    return;
                }
                if (accept_failures_ != 0) {
                    spdlog::warn("{} accepting again after {} failed accepts", plane_,
                                 accept_failures_);
                    accept_failures_ = 0;
                }
                worker.adopt(std::move(socket));
                accept_next();
            });
    }

    tcp::acceptor acceptor_;
    std::string plane_;
    std::vector<std::unique_ptr<Worker>> workers_;
    std::size_t next_ = 0;
    asio::steady_timer accept_retry_;
    std::size_t accept_failures_ = 0;
};

} // namespace shardgate::proxy
