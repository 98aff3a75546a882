// Plain or TLS stream, either side of the handshake.
#include "shardgate/proxy/net/stream.hpp"

#include <boost/asio/read.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <openssl/x509v3.h>

namespace shardgate::proxy::net {

Stream::Stream(tcp::socket socket) : socket_(std::move(socket)) {}

const char* Stream::cipher() const {
    if (!tls_) {
        return "";
    }
    const char* name = SSL_get_cipher_name(tls_->native_handle());
    return name != nullptr ? name : "";
}

std::string Stream::verified_peer_name() const {
    if (!tls_) {
        return "";
    }
    SSL* ssl = tls_->native_handle();
    X509* cert = SSL_get1_peer_certificate(ssl);
    if (cert == nullptr) {
        return "";
    }
    std::string name;
    const X509_NAME* subject = X509_get_subject_name(cert);
    const int first = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
    // exactly one common name, verified, as UTF-8 with no NUL in it
    if (SSL_get_verify_result(ssl) == X509_V_OK && first >= 0 &&
        X509_NAME_get_index_by_NID(subject, NID_commonName, first) < 0) {
        unsigned char* utf8 = nullptr;
        const int n = ASN1_STRING_to_UTF8(
            &utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, first)));
        if (n > 0) {
            name.assign(reinterpret_cast<const char*>(utf8), static_cast<std::size_t>(n));
            if (name.find('\0') != std::string::npos) {
                name.clear();
            }
        }
        OPENSSL_free(utf8);
    }
    X509_free(cert);
    return name;
}

asio::awaitable<error_code> Stream::start_tls(std::shared_ptr<asio::ssl::context> context) {
    context_ = std::move(context);
    tls_ = std::make_unique<asio::ssl::stream<tcp::socket&>>(socket_, *context_);
    error_code ec;
    co_await tls_->async_handshake(asio::ssl::stream_base::server,
                                   asio::redirect_error(asio::use_awaitable, ec));
    co_return ec;
}

asio::awaitable<error_code> Stream::connect_tls(std::shared_ptr<asio::ssl::context> context,
                                                std::string verify_name) {
    context_ = std::move(context);
    tls_ = std::make_unique<asio::ssl::stream<tcp::socket&>>(socket_, *context_);
    SSL* ssl = tls_->native_handle();
    if (!verify_name.empty()) {
        error_code parse;
        asio::ip::make_address(verify_name, parse);
        X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
        if (!parse) {
            X509_VERIFY_PARAM_set1_ip_asc(param, verify_name.c_str()); // an IP address SAN
        } else {
            SSL_set_tlsext_host_name(ssl, verify_name.c_str());
            X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
            X509_VERIFY_PARAM_set1_host(param, verify_name.c_str(), verify_name.size());
        }
    }
    error_code ec;
    co_await tls_->async_handshake(asio::ssl::stream_base::client,
                                   asio::redirect_error(asio::use_awaitable, ec));
    co_return ec;
}

asio::awaitable<std::string> Stream::connect_backend_tls(const BackendTls& tls, std::string host) {
    if (!tls.verify_name()) {
        host.clear();
    }
    const auto ec = co_await connect_tls(tls.context, std::move(host));
    if (!ec) {
        co_return "";
    }
    std::string why = "TLS handshake failed: " + ec.message();
    if (tls.mode == BackendTlsMode::verify_ca || tls.mode == BackendTlsMode::verify_full) {
        const long verify = SSL_get_verify_result(tls_->native_handle());
        if (verify != X509_V_OK) {
            why += std::string(" (") + X509_verify_cert_error_string(verify) + ")";
        }
    }
    co_return why + " (backend_tls " + to_string(tls.mode) + ")";
}

std::size_t Stream::pending() const {
    if (!tls_) {
        return 0;
    }
    SSL* ssl = tls_->native_handle();
    return static_cast<std::size_t>(SSL_pending(ssl)) + BIO_ctrl_pending(SSL_get_rbio(ssl));
}

void Stream::close() {
    error_code ignored;
    socket_.close(ignored);
}

asio::awaitable<error_code> read_more(Stream& stream, ReadBuffer& buffer, std::size_t want) {
    error_code ec;
    std::size_t n = 0;
    if (!stream.tls()) {
        n = co_await stream.socket().async_read_some(buffer.prepare(want),
                                                     asio::redirect_error(asio::use_awaitable, ec));
    } else {
        n = co_await stream.tls_stream().async_read_some(
            buffer.prepare(want), asio::redirect_error(asio::use_awaitable, ec));
    }
    buffer.commit(n);
    if (!ec && n == 0) {
        ec = asio::error::eof;
    }
    co_return ec;
}

asio::awaitable<error_code> read_idle(Stream& stream, ReadBuffer& buffer) {
    // A small read buffer while idle (the big one goes to the thread's pool): a request that
    // fits is read with no allocation and no extra system call; a longer one is read on
    // into a pooled buffer. (Waiting with no buffer at all would need the socket re-armed in
    // epoll for every request: measurably slower.)
    constexpr std::size_t idle_read_size = 512;
    const auto held = buffer.size();
    if (!stream.tls() && held == 0) {
        buffer.shrink_for_idle(idle_read_size);
        co_return co_await read_more(stream, buffer, 1);
    }
    // the rest of a longer request: into a pooled buffer (exactly its size, so it goes back)
    constexpr auto pooled = ReadBuffer::pooled_size;
    co_return co_await read_more(stream, buffer, held < pooled ? pooled - held : pooled);
}

asio::awaitable<error_code> read_exactly(Stream& stream, ReadBuffer& buffer, std::size_t n) {
    error_code ec;
    const auto area = asio::buffer(buffer.prepare(n).data(), n);
    std::size_t got = 0;
    if (!stream.tls()) {
        got = co_await asio::async_read(stream.socket(), area,
                                        asio::redirect_error(asio::use_awaitable, ec));
    } else {
        got = co_await asio::async_read(stream.tls_stream(), area,
                                        asio::redirect_error(asio::use_awaitable, ec));
    }
    buffer.commit(got);
    co_return ec;
}

asio::awaitable<error_code> write_all(Stream& stream, ByteView bytes) {
    if (!stream.tls()) {
        co_return co_await write_all(stream.socket(), bytes);
    }
    error_code ec;
    co_await asio::async_write(stream.tls_stream(), asio::buffer(bytes.data(), bytes.size()),
                               asio::redirect_error(asio::use_awaitable, ec));
    co_return ec;
}

} // namespace shardgate::proxy::net
