// Read-your-writes reads wait briefly for a replica to replay the commit they must see,
// rather than going to the primary at once (both data planes).
#pragma once

#include "shardgate/proxy/net/asio.hpp"
#include "shardgate/proxy/read_router.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>

namespace shardgate::proxy {

/// Holds the calling session (a timer on its own worker, the worker keeps serving others)
/// while `router` says a replica is about to be able to serve `request`: until one has
/// replayed the commit the read must see, or the shard's read_your_writes_wait_ms passed.
/// The caller then routes the read as usual (replica, or the primary).
inline boost::asio::awaitable<void> wait_for_replica(ReadRouter& router,
                                                     const ReadRequest& request) {
    const auto bound = router.replica_wait(request);
    if (bound.count() == 0) {
        co_return;
    }
    router.note_replica_wait_started();
    const auto deadline = std::chrono::steady_clock::now() + bound;
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
    while (std::chrono::steady_clock::now() < deadline) {
        timer.expires_after(std::chrono::milliseconds(1));
        co_await timer.async_wait(boost::asio::use_awaitable);
        if (router.replica_wait(request).count() == 0) {
            router.note_replica_wait_ended(true);
            co_return;
        }
    }
    router.note_replica_wait_ended(false);
}

} // namespace shardgate::proxy
