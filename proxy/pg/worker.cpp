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
    : WorkerBase(index, context.config, context.map, context.registry, parser::Dialect::pg),
      context_(std::move(context)) {}

Worker::~Worker() {
    join();
}

void Worker::adopt(tcp::socket socket) {
    adopt_session<ClientSession>(*this, std::move(socket));
}

void Worker::post_cancel(std::int32_t process_id, std::int32_t secret) {
    asio::post(io(), [this, process_id, secret] { cancel(process_id, secret); });
}

void Worker::cancel(std::int32_t process_id, std::int32_t secret) {
    const auto it = sessions_.find(process_id);
    auto session = it == sessions_.end() ? nullptr : it->second.lock();
    if (!session || session->secret() != secret) {
        ++stats().cancels_unmatched;
        return;
    }
    if (const auto& legs = session->scatter_backends(); !legs.empty()) {
        for (const auto& leg : legs) { // a cross-shard statement: every shard's part
            ++stats().cancels_forwarded;
            forward_cancel(io(), leg);
            session->cancel_forwarded(leg);
        }
        return;
    }
    auto running = session->running_backend();
    if (!running) {
        ++stats().cancels_unmatched;
        return;
    }
    ++stats().cancels_forwarded;
    forward_cancel(io(), running);
    session->cancel_forwarded(running);
}

std::int32_t Worker::register_session(const std::shared_ptr<ClientSession>& session) {
    std::int32_t id = 0;
    do {
        id = static_cast<std::int32_t>(
            (index() << session_bits) |
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
    add_usage_to(report, shardmaps::Engine::postgresql, "pg.", "postgresql");
}

} // namespace shardgate::proxy::pg
