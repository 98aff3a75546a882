// PostgreSQL frontend: workers sharing the user directory; a CancelRequest reaches the worker
// whose index is in the high bits of the process id it names.
#include "frontend.hpp"

namespace shardgate::proxy::pg {

Frontend::Frontend(asio::io_context& main_io, const Config& config, shardmaps::ShardMapPtr map,
                   const BackendRegistry& registry, std::shared_ptr<net::TlsContextHolder> tls,
                   AdminConsole* console)
    : WorkerGroup(main_io, config.postgres_listen.host, config.postgres_listen.port, "postgres"),
      users_(config) {
    auto route_cancel = [this](std::int32_t process_id, std::int32_t secret) {
        const auto index = static_cast<std::uint32_t>(process_id) >> Worker::session_bits;
        if (Worker* worker = worker_at(index)) {
            worker->post_cancel(process_id, secret);
        }
    };
    for (unsigned i = 0; i < config.workers; ++i) {
        workers().push_back(std::make_unique<Worker>(
            i, WorkerContext{config, map, users_, registry, route_cancel, tls, console}));
    }
}

} // namespace shardgate::proxy::pg
