// Backend connection pooling with a bounded size and a waiting queue.
#include "backend_pool.hpp"

#include "asio.hpp"

#include <algorithm>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

namespace shardgate::proxy::pg {

BackendPool::BackendPool(asio::io_context& io, WorkerStats& stats, const Config& config,
                         shardmaps::ShardMapPtr map)
    : io_(io), stats_(stats), config_(config), map_(std::move(map)),
      pool_timeout_ms_(config.pool_timeout_ms), connect_timeout_ms_(config.connect_timeout_ms) {}

unsigned BackendPool::size_for(const BackendTarget& target) const {
    std::string role = "replica";
    if (const auto* db = map_->find_database(target.database)) {
        for (const auto& shard : db->shards()) {
            if (shard.name == target.shard && shard.primary == target.endpoint) {
                role = "primary";
            }
        }
    }
    return pool_size_for(config_, target.shard, role);
}

asio::awaitable<Acquired> BackendPool::acquire(const BackendTarget& target) {
    const auto key = target.pool_key();
    for (;;) {
        auto& slot = slots_[key];
        if (slot.size == 0) {
            slot.size = size_for(target);
        }
        while (!slot.idle.empty()) {
            auto connection = std::move(slot.idle.back());
            slot.idle.pop_back();
            if (connection->idle_and_healthy()) {
                connection->set_state(BackendConnection::State::busy);
                co_return Acquired{std::move(connection), "", ""};
            }
            ++stats_.backend_stale_idle;
            connection->close();
            --slot.total;
        }
        if (slot.total < slot.size) {
            ++slot.total;
            ++stats_.backend_connects;
            auto connection = std::make_shared<BackendConnection>(io_, target);
            auto failure = co_await connection->open(connect_timeout_ms_);
            if (!failure.empty()) {
                ++stats_.backend_connect_failures;
                free_slot(slots_[key]);
                spdlog::warn("backend {} ({}) unavailable: {}", target.shard,
                             target.endpoint.to_string(), failure);
                co_return Acquired{nullptr, "08006",
                                   "shard " + target.shard + " (" + target.endpoint.to_string() +
                                       ") is unavailable: " + failure};
            }
            connection->set_state(BackendConnection::State::busy);
            co_return Acquired{std::move(connection), "", ""};
        }
        ++stats_.pool_waits;
        auto waiter = std::make_shared<Waiter>(io_);
        waiter->timer.expires_after(std::chrono::milliseconds(pool_timeout_ms_));
        slot.waiters.push_back(waiter);
        error_code ec;
        co_await waiter->timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        if (waiter->handed) {
            waiter->handed->set_state(BackendConnection::State::busy);
            co_return Acquired{std::move(waiter->handed), "", ""};
        }
        auto& again = slots_[key];
        std::erase(again.waiters, waiter);
        const auto size = again.size;
        if (waiter->slot_freed) {
            continue;
        }
        ++stats_.pool_timeouts;
        co_return Acquired{nullptr, "53300",
                           "no backend connection to shard " + target.shard + " (" +
                               target.endpoint.to_string() + ") became free within " +
                               std::to_string(pool_timeout_ms_) + " ms (pool size " +
                               std::to_string(size) + " per worker)"};
    }
}

void BackendPool::release(std::shared_ptr<BackendConnection> connection) {
    auto& slot = slots_[connection->pool_key()];
    if (connection->state() == BackendConnection::State::broken ||
        !connection->socket().is_open()) {
        connection->close();
        free_slot(slot);
        return;
    }
    connection->mark_idle();
    if (!slot.waiters.empty()) {
        auto waiter = std::move(slot.waiters.front());
        slot.waiters.pop_front();
        waiter->handed = std::move(connection);
        waiter->timer.cancel();
        return;
    }
    slot.idle.push_back(std::move(connection));
}

void BackendPool::free_slot(Slot& slot) {
    if (slot.total > 0) {
        --slot.total;
    }
    if (!slot.waiters.empty()) {
        auto waiter = std::move(slot.waiters.front());
        slot.waiters.pop_front();
        waiter->slot_freed = true;
        waiter->timer.cancel();
    }
}

void BackendPool::close_all() {
    for (auto& [key, slot] : slots_) {
        for (auto& connection : slot.idle) {
            connection->close();
        }
        slot.idle.clear();
    }
}

} // namespace shardgate::proxy::pg

namespace shardgate::proxy::pg {

BackendPool::Counts BackendPool::counts(const shardmaps::Endpoint& endpoint) const {
    const auto prefix = endpoint.to_string() + "/";
    Counts counts;
    for (const auto& [key, slot] : slots_) {
        if (key.compare(0, prefix.size(), prefix) == 0) {
            counts.idle += static_cast<unsigned>(slot.idle.size());
            counts.in_use += slot.total - static_cast<unsigned>(slot.idle.size());
        }
    }
    return counts;
}

} // namespace shardgate::proxy::pg
