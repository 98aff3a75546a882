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
#include <boost/asio/steady_timer.hpp>
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

/// True when nothing more can come of the cancel: the server closed its connection after
/// reading it, or it was never sent. False when it was sent and the server did not close the
/// connection within cancel_answer_timeout (a hung or overloaded server may still signal).
asio::awaitable<bool> send_cancel(shardmaps::Endpoint endpoint, protocol::pg::BackendKeyData key,
                                  std::shared_ptr<const net::BackendTls> tls) {
    auto executor = co_await asio::this_coro::executor;
    net::Stream stream(tcp::socket{executor});
    // One deadline for the whole exchange: closing the socket ends whatever waits on it.
    struct Deadline {
        bool over = false; ///< the exchange ended (also by an exception): the timer does nothing
        bool passed = false;
    };
    const auto deadline = std::make_shared<Deadline>();
    asio::steady_timer timer(executor, cancel_answer_timeout);
    timer.async_wait([&stream, deadline](const error_code& ec) {
        if (!ec && !deadline->over) {
            deadline->passed = true;
            error_code ignored;
            stream.socket().close(ignored);
        }
    });
    struct Ended {
        Deadline& deadline;
        ~Ended() { deadline.over = true; }
    } ended{*deadline};
    const auto finish = [&](bool sent) {
        timer.cancel();
        deadline->over = true;
        return !sent || !deadline->passed;
    };
    error_code ec;
    tcp::resolver resolver(executor);
    auto endpoints = co_await resolver.async_resolve(endpoint.host, std::to_string(endpoint.port),
                                                     asio::redirect_error(asio::use_awaitable, ec));
    if (ec || deadline->passed) { // (a lookup past the deadline: nothing sent)
        co_return finish(false);
    }
    co_await asio::async_connect(stream.socket(), endpoints,
                                 asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
        spdlog::warn("cancel to {} failed: {}", endpoint.to_string(), ec.message());
        co_return finish(false);
    }
    ReadBuffer in;
    // over TLS like the connection it cancels (the cancel key is a credential)
    if (tls && tls->mode != net::BackendTlsMode::disable) {
        const bool ready = co_await start_tls(stream, in, endpoint, *tls);
        if (!ready) {
            spdlog::warn("cancel to {} not sent: no TLS (backend_tls {})", endpoint.to_string(),
                         net::to_string(tls->mode));
            co_return finish(false);
        }
    }
    protocol::pg::ByteBuffer out;
    protocol::pg::encode(out, protocol::pg::CancelRequest{key.process_id, key.secret_key});
    co_await write_all(stream, out);
    co_await read_more(stream, in, 16); // the server closes the connection when it has acted
    const bool confirmed = finish(true);
    if (!confirmed) {
        spdlog::warn("cancel to {}: the server did not act on it within {} s; the cancelled "
                     "connection will not be used again",
                     endpoint.to_string(), cancel_answer_timeout.count());
    }
    co_return confirmed;
}

} // namespace

void forward_cancel(asio::io_context& io, const std::shared_ptr<BackendConnection>& connection) {
    connection->cancel_started();
    asio::co_spawn(
        io, send_cancel(connection->target().endpoint, connection->key(), connection->tls_policy()),
        [connection](const std::exception_ptr&, bool confirmed) {
            connection->cancel_ended(confirmed); // (false after an exception)
        });
}

} // namespace shardgate::proxy::pg
