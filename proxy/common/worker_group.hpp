// The frontend skeleton both data planes share: worker threads (one io_context each), each
// accepting its own clients on its own listening socket (SO_REUSEPORT: the kernel spreads
// new connections over the workers, and a client's session starts on the thread that
// accepted it, with no handoff between threads), and reading every worker's usage on its
// own thread for the admin endpoint.
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
#include <sys/socket.h>
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
        : plane_(std::move(plane)) {
        // A first bind without SO_REUSEPORT: a port another process holds (even one that
        // shares it by SO_REUSEPORT, as another shardgate would) fails here, as before, rather
        // than being shared silently. It also resolves port 0.
        tcp::acceptor probe(main_io);
        tcp::endpoint endpoint(asio::ip::make_address(host), port);
        probe.open(endpoint.protocol());
        probe.set_option(tcp::acceptor::reuse_address(true));
        probe.bind(endpoint);
        endpoint.port(probe.local_endpoint().port());
        probe.close();
        endpoint_ = endpoint;
        // The first worker's socket, bound now so the port is held from here on (and errors
        // are thrown by the constructor); the others bind in start().
        listeners_.push_back(std::make_unique<Listener>(main_io));
        bind_listener(listeners_.front()->acceptor);
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

    /// Throws boost::system::system_error when a worker's socket cannot bind.
    void start() {
        // The socket bound by the constructor moves to the first worker's io_context; every
        // other worker binds its own to the same address.
        auto& first = listeners_.front()->acceptor;
        const auto protocol = first.local_endpoint().protocol();
        const auto handle = first.release();
        listeners_.clear();
        for (std::size_t index = 0; index < workers_.size(); ++index) {
            auto& io = workers_[index]->io();
            auto listener = std::make_unique<Listener>(io);
            if (index == 0) {
                listener->acceptor.assign(protocol, handle);
            } else {
                bind_listener(listener->acceptor);
            }
            listeners_.push_back(std::move(listener));
        }
        for (auto& worker : workers_) {
            worker->start();
        }
        for (std::size_t index = 0; index < workers_.size(); ++index) {
            asio::post(workers_[index]->io(), [this, index] { accept_next(index); });
        }
    }

    /// Stops accepting and asks every worker to close its sessions; join() waits for them.
    void stop() {
        // Each listener is closed on its worker's thread (its accept may be running there).
        for (std::size_t index = 0; index < listeners_.size() && index < workers_.size(); ++index) {
            asio::post(workers_[index]->io(), [listener = listeners_[index].get()] {
                error_code ignored;
                listener->acceptor.close(ignored);
                listener->retry.cancel();
            });
        }
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

    unsigned short port() const { return endpoint_.port(); }

private:
    /// One worker's listening socket; used only on that worker's thread once started.
    struct Listener {
        explicit Listener(asio::io_context& io) : acceptor(io), retry(io) {}
        tcp::acceptor acceptor;
        asio::steady_timer retry;
        std::size_t failures = 0;
    };

    void bind_listener(tcp::acceptor& acceptor) {
        acceptor.open(endpoint_.protocol());
        acceptor.set_option(tcp::acceptor::reuse_address(true));
        const int on = 1;
        if (::setsockopt(acceptor.native_handle(), SOL_SOCKET, SO_REUSEPORT, &on, sizeof on) != 0) {
            throw boost::system::system_error(error_code(errno, boost::system::system_category()),
                                              "SO_REUSEPORT");
        }
        acceptor.bind(endpoint_);
        acceptor.listen(asio::socket_base::max_listen_connections);
    }

    /// Runs on worker `index`'s thread: accepts its next client there.
    void accept_next(std::size_t index) {
        auto& listener = *listeners_[index];
        listener.acceptor.async_accept([this, index](const error_code& ec, tcp::socket socket) {
            auto& listener = *listeners_[index];
            if (ec == asio::error::operation_aborted || !listener.acceptor.is_open()) {
                return;
            }
            if (ec) {
                // Out of file descriptors (EMFILE) the connection stays in the backlog and a
                // retry fails at once: pause instead of spinning, log once per streak.
                if (listener.failures++ == 0) {
                    spdlog::warn("{} accept failed on worker {}: {} (retrying every 100 ms)",
                                 plane_, index, ec.message());
                }
                listener.retry.expires_after(std::chrono::milliseconds(100));
                listener.retry.async_wait([this, index](const error_code& wait_ec) {
                    if (!wait_ec && listeners_[index]->acceptor.is_open()) {
                        accept_next(index);
                    }
                });
                return;
            }
            if (listener.failures != 0) {
                spdlog::warn("{} accepting again on worker {} after {} failed accepts", plane_,
                             index, listener.failures);
                listener.failures = 0;
            }
            workers_[index]->adopt(std::move(socket));
            accept_next(index);
        });
    }

    std::string plane_;
    tcp::endpoint endpoint_;
    std::vector<std::unique_ptr<Worker>> workers_;
    /// After workers_: destroyed first, while the io_contexts they belong to still exist.
    std::vector<std::unique_ptr<Listener>> listeners_;
};

} // namespace shardgate::proxy
