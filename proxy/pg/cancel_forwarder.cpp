// CancelRequest forwarding to a backend.
#include "cancel_forwarder.hpp"

#include "shardgate/protocol/pg/encoder.hpp"
#include "shardgate/proxy/net/wire_io.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

namespace shardgate::proxy::pg {

namespace {

asio::awaitable<void> send_cancel(shardmaps::Endpoint endpoint, protocol::pg::BackendKeyData key) {
    auto executor = co_await asio::this_coro::executor;
    error_code ec;
    tcp::resolver resolver(executor);
    auto endpoints = co_await resolver.async_resolve(endpoint.host, std::to_string(endpoint.port),
                                                     asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
        co_return;
    }
    tcp::socket socket(executor);
    co_await asio::async_connect(socket, endpoints, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
        spdlog::warn("cancel to {} failed: {}", endpoint.to_string(), ec.message());
        co_return;
    }
    protocol::pg::ByteBuffer out;
    protocol::pg::encode(out, protocol::pg::CancelRequest{key.process_id, key.secret_key});
    co_await write_all(socket, out);
    ReadBuffer in;
    co_await read_more(socket, in, 16);
}

} // namespace

void forward_cancel(asio::io_context& io, const shardmaps::Endpoint& endpoint,
                    protocol::pg::BackendKeyData key) {
    asio::co_spawn(io, send_cancel(endpoint, key), asio::detached);
}

} // namespace shardgate::proxy::pg
