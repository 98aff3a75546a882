// MySQL frontend: workers with the RSA key pair generated at start; KILL finds the worker
// whose index is in the high bits of the connection id it names.
#include "frontend.hpp"

#include "rsa_key_pair.hpp"

namespace shardgate::proxy::mysql {

Frontend::Frontend(asio::io_context& main_io, const Config& config, shardmaps::ShardMapPtr map,
                   const BackendRegistry& registry, std::shared_ptr<net::TlsContextHolder> tls,
                   AdminConsole* console)
    : WorkerGroup(main_io, config.mysql_listen.host, config.mysql_listen.port, "mysql") {
    const auto rsa = RsaKeyPair::generate();
    auto worker_at = [this](std::uint32_t index) { return this->worker_at(index); };
    for (unsigned i = 0; i < config.workers; ++i) {
        workers().push_back(std::make_unique<Worker>(
            i, WorkerContext{config, map, registry, tls, rsa, worker_at, console}));
    }
}

} // namespace shardgate::proxy::mysql
