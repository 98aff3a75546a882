// MySQL worker thread: event loop, planners, session registry, read router and usage.
#include "worker.hpp"

#include "client_session.hpp"
#include "pg/asio.hpp"

#include <boost/asio/post.hpp>

namespace shardgate::proxy::mysql {

Worker::Worker(unsigned index, WorkerContext context)
    : index_(index), context_(std::move(context)), guard_(asio::make_work_guard(io_)),
      pool_(io_, stats_, context_.config, context_.map),
      read_router_(context_.registry, [this](const BackendInfo& backend) {
          return pool_.counts(backend.endpoint).in_use;
      }) {}

Worker::~Worker() {
    join();
}

void Worker::start() {
    thread_ = std::thread([this] { io_.run(); });
}

void Worker::stop() {
    asio::post(io_, [this] {
        for (auto* session : sessions_) {
            session->close();
        }
        pool_.close_all();
        guard_.reset();
        io_.stop();
    });
}

void Worker::join() {
    if (thread_.joinable()) {
        thread_.join();
    }
}

void Worker::adopt(tcp::socket socket) {
    asio::post(io_, [this, socket = std::move(socket)]() mutable {
        ++stats_.clients_accepted;
        auto session = std::make_shared<ClientSession>(*this, std::move(socket));
        sessions_.insert(session.get());
        session->start();
    });
}

router::Planner* Worker::planner(const std::string& database) {
    if (auto it = planners_.find(database); it != planners_.end()) {
        return &it->second;
    }
    if (context_.map->find_database(database) == nullptr) {
        return nullptr;
    }
    auto [it, inserted] = planners_.emplace(
        database, router::Planner(context_.map, database, parser::Dialect::mysql));
    return &it->second;
}

void Worker::add_usage(UsageReport& report) const {
    const auto counters = read_router_.counters();
    for (const auto& backend : context_.registry.backends()) {
        if (backend.engine != shardmaps::Engine::mysql) {
            continue;
        }
        auto& usage = report.backends[backend.index];
        const auto& counted = counters[backend.index];
        usage.reads += counted.reads;
        usage.writes += counted.writes;
        usage.failures += counted.failures;
        const auto pooled = pool_.counts(backend.endpoint);
        usage.connections_in_use += pooled.in_use;
        usage.connections_idle += pooled.idle;
    }
    for (const auto& [name, value] : stats_.values()) {
        report.counters["mysql." + name] += value;
    }
    const auto& routing = read_router_.stats();
    report.counters["mysql.reads_balanced"] += routing.reads_balanced;
    report.counters["mysql.reads_fallback_primary"] += routing.reads_fallback_primary;
    report.counters["mysql.reads_read_your_writes_primary"] +=
        routing.reads_read_your_writes_primary;
    report.counters["mysql.reads_lag_errors"] += routing.reads_lag_errors;
    report.counters["mysql.writes_primary_down"] += routing.writes_primary_down;
    report.counters["mysql.backends_suspected"] += routing.backends_suspected;
    report.counters["mysql.reads_primary_gone"] += routing.reads_primary_gone;
}

std::uint32_t Worker::next_connection_id() {
    connections_ = connections_ % 0xffffff + 1;
    return (index_ << 24) | connections_;
}

} // namespace shardgate::proxy::mysql
