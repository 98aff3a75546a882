// The server TLS context from PEM files.
#include "shardgate/proxy/net/tls_context.hpp"

#include <stdexcept>

namespace shardgate::proxy::net {

namespace asio = boost::asio;

std::shared_ptr<asio::ssl::context> make_tls_context(const std::string& cert_file,
                                                     const std::string& key_file) {
    auto context = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
    context->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                         asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                         asio::ssl::context::no_tlsv1_1);
    boost::system::error_code ec;
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

} // namespace shardgate::proxy::net
