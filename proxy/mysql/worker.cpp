// MySQL worker thread: event loop, planners, session registry, read router and usage.
#include "worker.hpp"

#include "client_session.hpp"
#include "common/plane_usage.hpp"
#include "shardgate/proxy/net/wire_io.hpp"

#include <boost/asio/post.hpp>

namespace shardgate::proxy::mysql {

Worker::Worker(unsigned index, WorkerContext context)
    : WorkerBase(index, context.config, context.map, context.registry, parser::Dialect::mysql),
      context_(std::move(context)) {}

Worker::~Worker() {
    join();
}

void Worker::adopt(tcp::socket socket) {
    adopt_session<ClientSession>(*this, std::move(socket));
}

void Worker::add_usage(UsageReport& report) const {
    add_usage_to(report, shardmaps::Engine::mysql, "mysql.", "mysql");
}

ClientSession* Worker::find_session(std::uint32_t connection_id) const {
    for (auto* tracked : sessions()) {
        auto* session = static_cast<ClientSession*>(tracked);
        if (session->connection_id() == connection_id) {
            return session;
        }
    }
    return nullptr;
}

std::uint32_t Worker::next_connection_id() {
    connections_ = connections_ % 0xffffff + 1;
    return (index() << 24) | connections_;
}

} // namespace shardgate::proxy::mysql
