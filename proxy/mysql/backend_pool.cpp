// The MySQL backend pool: the shared pool's outcomes as MySQL errors.
#include "backend_pool.hpp"

#include <spdlog/spdlog.h>

namespace shardgate::proxy::mysql {

BackendPool::BackendPool(asio::io_context& io, MysqlStats& stats, const Config& config,
                         shardmaps::ShardMapPtr map)
    : config_(config), map_(std::move(map)),
      pool_(io, stats, config.pool_timeout_ms, config.connect_timeout_ms) {}

asio::awaitable<Acquired> BackendPool::acquire(const BackendTarget& target) {
    auto outcome = co_await pool_.acquire(target, target.endpoint, [&] {
        return pool_size_for_backend(config_, *map_, target.database, target.shard,
                                     target.endpoint);
    });
    using Failure = ConnectionPool<BackendConnection>::Outcome::Failure;
    switch (outcome.failure) {
    case Failure::none:
        break;
    case Failure::unavailable:
        spdlog::warn("mysql backend {} ({}) unavailable: {}", target.shard,
                     target.endpoint.to_string(), outcome.reason);
        co_return Acquired{nullptr, 2013, "08S01",
                           "shard " + target.shard + " (" + target.endpoint.to_string() +
                               ") is unavailable: " + outcome.reason};
    case Failure::timeout:
        co_return Acquired{nullptr, 1040, "08004",
                           "no backend connection to shard " + target.shard + " (" +
                               target.endpoint.to_string() + ") became free within " +
                               std::to_string(config_.pool_timeout_ms) + " ms (pool size " +
                               std::to_string(outcome.size) + " per worker)"};
    }
    co_return Acquired{std::move(outcome.connection), 0, "", ""};
}

} // namespace shardgate::proxy::mysql
