// A connection's byte stream: plain TCP, or TLS (OpenSSL through Boost.Asio ssl) once the
// protocol switched to it — a client's SSLRequest (shardgate the server side), or shardgate's
// own SSLRequest to a backend (the client side, `backend_tls`). Shared by both planes. Owned by
// one session or backend connection on one worker thread. Plain TCP costs one
// well-predicted branch per read or write over a bare socket: no virtual call, no extra
// coroutine frame.
#pragma once

#include "shardgate/proxy/net/asio.hpp"
#include "shardgate/proxy/net/tls_context.hpp"
#include "shardgate/proxy/net/wire_io.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <memory>
#include <string>

namespace shardgate::proxy::net {

class Stream {
public:
    explicit Stream(tcp::socket socket);
    // The TLS stream refers to socket_: never moved.
    Stream(const Stream&) = delete;
    Stream& operator=(const Stream&) = delete;

    tcp::socket& socket() { return socket_; }
    bool tls() const { return tls_ != nullptr; }
    /// The TLS stream; precondition: tls().
    asio::ssl::stream<tcp::socket&>& tls_stream() { return *tls_; }
    /// The negotiated cipher suite ("" before start_tls).
    const char* cipher() const;
    /// The common name of the certificate the client presented, when it verified against
    /// tls_client_ca and has exactly one (UTF-8, no NUL); "" otherwise (no TLS, no
    /// certificate). Never equal to a user name by being empty: callers compare non-empty.
    std::string verified_peer_name() const;
    /// Runs the server side of the TLS handshake; afterwards every read and write is
    /// encrypted. Precondition: nothing read from the socket is still unprocessed (the
    /// caller read the request for TLS exactly, see read_exactly).
    asio::awaitable<error_code> start_tls(std::shared_ptr<asio::ssl::context> context);
    /// The client side of the handshake, towards a server: `verify_name`, when not empty, is
    /// the host name or IP address its certificate must carry (sent as SNI when a name); the
    /// context's verify mode decides whether the chain is checked.
    asio::awaitable<error_code> connect_tls(std::shared_ptr<asio::ssl::context> context,
                                            std::string verify_name);
    /// connect_tls as backend_tls asks (`host` checked in verify-full): "" or why it failed,
    /// with the certificate check's reason in the verify modes.
    asio::awaitable<std::string> connect_backend_tls(const BackendTls& tls, std::string host);
    /// Bytes the TLS layer holds that no read took yet, decrypted or not (0 for plain TCP): a
    /// wait for the socket to become readable would miss them. (Not counted: what the TLS
    /// stream read from the socket but could not hand to OpenSSL yet, rare.)
    std::size_t pending() const;
    void close();

private:
    tcp::socket socket_;
    std::shared_ptr<asio::ssl::context> context_; ///< kept while the session lives
    std::unique_ptr<asio::ssl::stream<tcp::socket&>> tls_;
};

/// Reads once (at least one byte, or an error/EOF) into `buffer`, reserving `want` bytes.
asio::awaitable<error_code> read_more(Stream& stream, ReadBuffer& buffer, std::size_t want = 16384);
/// Between requests: reads like read_more, holding only a small read buffer while the client
/// is idle (plain TCP with nothing buffered; TLS keeps OpenSSL's buffers anyway).
asio::awaitable<error_code> read_idle(Stream& stream, ReadBuffer& buffer);
/// Reads exactly `n` more bytes into `buffer` (no byte beyond them leaves the socket).
asio::awaitable<error_code> read_exactly(Stream& stream, ReadBuffer& buffer, std::size_t n);
/// Writes all of `bytes`.
asio::awaitable<error_code> write_all(Stream& stream, ByteView bytes);

} // namespace shardgate::proxy::net
