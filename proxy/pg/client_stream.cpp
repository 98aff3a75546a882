// Plain or TLS client stream, and the TLS server context.
#include "client_stream.hpp"

#include "asio.hpp"

#include <boost/asio/read.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <stdexcept>

namespace shardgate::proxy::pg {

ClientStream::ClientStream(tcp::socket socket) : socket_(std::move(socket)) {}

asio::awaitable<error_code> ClientStream::start_tls(asio::ssl::context& context) {
    tls_ = std::make_unique<asio::ssl::stream<tcp::socket&>>(socket_, context);
    error_code ec;
    co_await tls_->async_handshake(asio::ssl::stream_base::server,
                                   asio::redirect_error(asio::use_awaitable, ec));
    co_return ec;
}

void ClientStream::close() {
    error_code ignored;
    socket_.close(ignored);
}

asio::awaitable<error_code> ClientStream::read_some(asio::mutable_buffer buffer, std::size_t& n) {
    error_code ec;
    if (tls_) {
        n = co_await tls_->async_read_some(buffer, asio::redirect_error(asio::use_awaitable, ec));
    } else {
        n = co_await socket_.async_read_some(buffer, asio::redirect_error(asio::use_awaitable, ec));
    }
    co_return ec;
}

asio::awaitable<error_code> ClientStream::write(protocol::pg::ByteView bytes) {
    if (!tls_) {
        co_return co_await write_all(socket_, bytes);
    }
    error_code ec;
    co_await asio::async_write(*tls_, asio::buffer(bytes.data(), bytes.size()),
                               asio::redirect_error(asio::use_awaitable, ec));
    co_return ec;
}

asio::awaitable<error_code> read_more(ClientStream& stream, ReadBuffer& buffer, std::size_t want) {
    std::size_t n = 0;
    auto ec = co_await stream.read_some(buffer.prepare(want), n);
    buffer.commit(n);
    if (!ec && n == 0) {
        ec = asio::error::eof;
    }
    co_return ec;
}

asio::awaitable<error_code> write_all(ClientStream& stream, protocol::pg::ByteView bytes) {
    co_return co_await stream.write(bytes);
}

std::shared_ptr<asio::ssl::context> make_tls_context(const std::string& cert_file,
                                                     const std::string& key_file) {
    auto context = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
    context->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                         asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                         asio::ssl::context::no_tlsv1_1);
    error_code ec;
    context->use_certificate_chain_file(cert_file, ec);
    if (ec) {
        throw std::runtime_error("tls_cert " + cert_file + ": " + ec.message());
    }
    context->use_private_key_file(key_file, asio::ssl::context::pem, ec);
    if (ec) {
        throw std::runtime_error("tls_key " + key_file + ": " + ec.message());
    }
    return context;
}

} // namespace shardgate::proxy::pg
