// MySQL worker thread: event loop, planners, session registry, read router and usage.
#include "worker.hpp"

#include "client_session.hpp"
#include "common/plane_usage.hpp"
#include "shardgate/proxy/net/wire_io.hpp"

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
    add_plane_usage(
        report, context_.registry, shardmaps::Engine::mysql, read_router_,
        [this](const shardmaps::Endpoint& endpoint) { return pool_.counts(endpoint); },
        stats_.values(), "mysql.");
    add_session_states(report, "mysql", sessions_,
                       [](const ClientSession* session) -> std::optional<SessionState> {
                           return session->state();
                       });
}

ClientSession* Worker::find_session(std::uint32_t connection_id) const {
    for (auto* session : sessions_) {
        if (session->connection_id() == connection_id) {
            return session;
        }
    }
    return nullptr;
}

std::uint32_t Worker::next_connection_id() {
    connections_ = connections_ % 0xffffff + 1;
    return (index_ << 24) | connections_;
}

} // namespace shardgate::proxy::mysql
