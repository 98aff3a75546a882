// Worker thread: event loop, session registry, planners and cancel delivery.
#include "worker.hpp"

#include "cancel_forwarder.hpp"
#include "client_session.hpp"
#include "common/plane_usage.hpp"
#include "shardgate/proxy/net/wire_io.hpp"

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

namespace shardgate::proxy::pg {

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
    thread_ = std::thread([this] {
        io_.run();
        spdlog::debug("worker {} stopped", index_);
    });
}

void Worker::stop() {
    asio::post(io_, [this] {
        for (auto& [id, weak] : sessions_) {
            if (auto session = weak.lock()) {
                session->close();
            }
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
        live_.insert(session.get());
        session->start();
    });
}

void Worker::post_cancel(std::int32_t process_id, std::int32_t secret) {
    asio::post(io_, [this, process_id, secret] { cancel(process_id, secret); });
}

void Worker::cancel(std::int32_t process_id, std::int32_t secret) {
    const auto it = sessions_.find(process_id);
    auto session = it == sessions_.end() ? nullptr : it->second.lock();
    if (!session || session->secret() != secret) {
        ++stats_.cancels_unmatched;
        return;
    }
    auto running = session->running_backend();
    if (!running) {
        ++stats_.cancels_unmatched;
        return;
    }
    ++stats_.cancels_forwarded;
    forward_cancel(io_, running->target().endpoint, running->key());
}

router::Planner* Worker::planner(const std::string& database) {
    if (auto it = planners_.find(database); it != planners_.end()) {
        return &it->second;
    }
    const auto* db = context_.map->find_database(database);
    if (db == nullptr) {
        return nullptr;
    }
    auto [it, inserted] =
        planners_.emplace(database, router::Planner(context_.map, database, parser::Dialect::pg));
    return &it->second;
}

std::int32_t Worker::register_session(const std::shared_ptr<ClientSession>& session) {
    std::int32_t id = 0;
    do {
        id = static_cast<std::int32_t>(
            (index_ << session_bits) |
            (static_cast<unsigned>(next_session_) & ((1u << session_bits) - 1)));
        next_session_ = next_session_ % ((1 << session_bits) - 1) + 1;
    } while (sessions_.contains(id));
    sessions_[id] = session;
    return id;
}

void Worker::unregister_session(std::int32_t process_id) {
    sessions_.erase(process_id);
}

const std::string& Worker::statement_name(const std::string& key) {
    auto [it, inserted] = statement_names_.try_emplace(key);
    if (inserted) {
        it->second = "sg_" + std::to_string(statement_names_.size());
    }
    return it->second;
}

} // namespace shardgate::proxy::pg

namespace shardgate::proxy::pg {

void Worker::add_usage(UsageReport& report) const {
    add_plane_usage(
        report, context_.registry, shardmaps::Engine::postgresql, read_router_,
        [this](const shardmaps::Endpoint& endpoint) { return pool_.counts(endpoint); },
        stats_.values(), "pg.");
    add_session_states(report, "postgresql", live_,
                       [](const ClientSession* session) -> std::optional<SessionState> {
                           return session->state();
                       });
}

} // namespace shardgate::proxy::pg
