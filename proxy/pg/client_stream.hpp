// A client connection's byte stream: plain TCP, or TLS (OpenSSL through Boost.Asio ssl) once
// the client's SSLRequest was accepted. Owned by one session on one worker thread.
#pragma once

#include "asio.hpp"
#include "wire_io.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <memory>
#include <string>

namespace shardgate::proxy::pg {

class ClientStream {
public:
    explicit ClientStream(tcp::socket socket);

    tcp::socket& socket() { return socket_; }
    bool tls() const { return tls_ != nullptr; }
    /// Runs the server side of the TLS handshake; afterwards every read and write is
    /// encrypted. Precondition: nothing read from the socket is still unprocessed.
    asio::awaitable<error_code> start_tls(asio::ssl::context& context);
    void close();

    asio::awaitable<error_code> read_some(asio::mutable_buffer buffer, std::size_t& n);
    asio::awaitable<error_code> write(protocol::pg::ByteView bytes);

private:
    tcp::socket socket_;
    std::unique_ptr<asio::ssl::stream<tcp::socket&>> tls_;
};

/// Reads once into `buffer` (see read_more for sockets).
asio::awaitable<error_code> read_more(ClientStream& stream, ReadBuffer& buffer,
                                      std::size_t want = 16384);
/// Writes all of `bytes`.
asio::awaitable<error_code> write_all(ClientStream& stream, protocol::pg::ByteView bytes);

/// A server TLS context from PEM files (certificate chain, private key); throws
/// std::runtime_error naming the file when they cannot be loaded.
std::shared_ptr<asio::ssl::context> make_tls_context(const std::string& cert_file,
                                                     const std::string& key_file);

} // namespace shardgate::proxy::pg
