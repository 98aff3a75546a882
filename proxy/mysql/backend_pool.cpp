// MySQL backend connection pooling with a bounded size and a waiting queue.
#include "backend_pool.hpp"

#include "pg/asio.hpp"

#include <algorithm>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

namespace shardgate::proxy::mysql {

BackendPool::BackendPool(asio::io_context& io, MysqlStats& stats, unsigned pool_size,
                         unsigned pool_timeout_ms, unsigned connect_timeout_ms)
    : io_(io), stats_(stats), pool_size_(pool_size), pool_timeout_ms_(pool_timeout_ms),
      connect_timeout_ms_(connect_timeout_ms) {}

asio::awaitable<Acquired> BackendPool::acquire(const BackendTarget& target) {
    const auto key = target.pool_key();
    for (;;) {
        auto& slot = slots_[key];
        slot.endpoint = target.endpoint;
        while (!slot.idle.empty()) {
            auto connection = std::move(slot.idle.back());
            slot.idle.pop_back();
            if (connection->idle_and_healthy()) {
                connection->set_state(BackendConnection::State::busy);
                co_return Acquired{std::move(connection), 0, "", ""};
            }
            ++stats_.backend_stale_idle;
            connection->close();
            --slot.total;
        }
        if (slot.total < pool_size_) {
            ++slot.total;
            ++stats_.backend_connects;
            auto connection = std::make_shared<BackendConnection>(io_, target);
            auto failure = co_await connection->open(connect_timeout_ms_);
            if (!failure.empty()) {
                ++stats_.backend_connect_failures;
                free_slot(slots_[key]);
                spdlog::warn("mysql backend {} ({}) unavailable: {}", target.shard,
                             target.endpoint.to_string(), failure);
                co_return Acquired{nullptr, 2013, "08S01",
                                   "shard " + target.shard + " (" + target.endpoint.to_string() +
                                       ") is unavailable: " + failure};
            }
            connection->set_state(BackendConnection::State::busy);
            co_return Acquired{std::move(connection), 0, "", ""};
        }
        ++stats_.pool_waits;
        auto waiter = std::make_shared<Waiter>(io_);
        waiter->timer.expires_after(std::chrono::milliseconds(pool_timeout_ms_));
        slot.waiters.push_back(waiter);
        error_code ec;
        co_await waiter->timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        if (waiter->handed) {
            waiter->handed->set_state(BackendConnection::State::busy);
            co_return Acquired{std::move(waiter->handed), 0, "", ""};
        }
        std::erase(slots_[key].waiters, waiter);
        if (waiter->slot_freed) {
            continue;
        }
        ++stats_.pool_timeouts;
        co_return Acquired{nullptr, 1040, "08004",
                           "no backend connection to shard " + target.shard + " (" +
                               target.endpoint.to_string() + ") became free within " +
                               std::to_string(pool_timeout_ms_) + " ms (pool_size " +
                               std::to_string(pool_size_) + " per worker)"};
    }
}

void BackendPool::release(std::shared_ptr<BackendConnection> connection) {
    auto& slot = slots_[connection->target().pool_key()];
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

BackendPool::Counts BackendPool::counts(const shardmaps::Endpoint& endpoint) const {
    Counts counts;
    for (const auto& [key, slot] : slots_) {
        if (slot.endpoint == endpoint) {
            const auto idle = static_cast<unsigned>(slot.idle.size());
            counts.idle += idle;
            counts.in_use += slot.total > idle ? slot.total - idle : 0;
        }
    }
    return counts;
}

void BackendPool::close_all() {
    for (auto& [key, slot] : slots_) {
        for (auto& connection : slot.idle) {
            connection->close();
        }
        slot.idle.clear();
    }
}

} // namespace shardgate::proxy::mysql
