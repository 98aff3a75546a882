// CancelRequest forwarding to a backend.
#include "cancel_forwarder.hpp"

#include "backend_connection.hpp"
#include "shardgate/protocol/pg/encoder.hpp"
#include "shardgate/proxy/net/stream.hpp"
#include "shardgate/proxy/net/wire_io.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

namespace shardgate::proxy::pg {

namespace {

/// SSLRequest and the TLS handshake, as backend_tls asks: false when the cancel cannot go.
asio::awaitable<bool> start_tls(net::Stream& stream, ReadBuffer& in,
                                const shardmaps::Endpoint& endpoint, const net::BackendTls& tls) {
    if (co_await send_ssl_request(stream, in)) {
        co_return false;
    }
    const auto answer = static_cast<char>(in.view()[0]);
    in.consume(1);
    if (answer == 'N') {
        co_return tls.mode == net::BackendTlsMode::prefer;
    }
    if (answer != 'S') {
        co_return false;
    }
    const auto failure = co_await stream.connect_backend_tls(tls, endpoint.host);
    if (!failure.empty()) {
        spdlog::warn("cancel to {}: {}", endpoint.to_string(), failure);
    }
    co_return failure.empty();
}

asio::awaitable<void> send_cancel(shardmaps::Endpoint endpoint, protocol::pg::BackendKeyData key,
                                  std::shared_ptr<const net::BackendTls> tls) {
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
    net::Stream stream(std::move(socket));
    ReadBuffer in;
    // over TLS like the connection it cancels (the cancel key is a credential)
    if (tls && tls->mode != net::BackendTlsMode::disable) {
        const bool ready = co_await start_tls(stream, in, endpoint, *tls);
        if (!ready) {
            spdlog::warn("cancel to {} not sent: no TLS (backend_tls {})", endpoint.to_string(),
                         net::to_string(tls->mode));
            co_return;
        }
    }
    protocol::pg::ByteBuffer out;
    protocol::pg::encode(out, protocol::pg::CancelRequest{key.process_id, key.secret_key});
    co_await write_all(stream, out);
    co_await read_more(stream, in, 16);
}

} // namespace

void forward_cancel(asio::io_context& io, const shardmaps::Endpoint& endpoint,
                    protocol::pg::BackendKeyData key, std::shared_ptr<const net::BackendTls> tls) {
    asio::co_spawn(io, send_cancel(endpoint, key, std::move(tls)), asio::detached);
}

} // namespace shardgate::proxy::pg
