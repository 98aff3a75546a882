// The server TLS context from PEM files and the TLS settings; the backends' client context.
#include "shardgate/proxy/net/tls_context.hpp"

#include <openssl/ssl.h>
#include <stdexcept>

namespace shardgate::proxy::net {

namespace asio = boost::asio;

std::shared_ptr<asio::ssl::context> make_tls_context(const TlsSettings& settings) {
    auto context = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
    context->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                         asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                         asio::ssl::context::no_tlsv1_1);
    SSL_CTX* native = context->native_handle();
    const int floor = settings.min_version == "1.3" ? TLS1_3_VERSION : TLS1_2_VERSION;
    if (settings.min_version != "1.2" && settings.min_version != "1.3") {
        throw std::runtime_error("tls_min_version " + settings.min_version +
                                 ": must be 1.2 or 1.3");
    }
    SSL_CTX_set_min_proto_version(native, floor);
    SSL_CTX_set_options(native, SSL_OP_NO_RENEGOTIATION); // a client cannot make us redo it
    if (!settings.ciphers.empty() &&
        SSL_CTX_set_cipher_list(native, settings.ciphers.c_str()) != 1) {
        throw std::runtime_error("tls_ciphers " + settings.ciphers + ": no usable cipher");
    }
    if (!settings.ciphersuites.empty() &&
        SSL_CTX_set_ciphersuites(native, settings.ciphersuites.c_str()) != 1) {
        throw std::runtime_error("tls_ciphersuites " + settings.ciphersuites +
                                 ": no usable TLS 1.3 suite");
    }
    boost::system::error_code ec;
    context->use_certificate_chain_file(settings.cert_file, ec);
    if (ec) {
        throw std::runtime_error("tls_cert " + settings.cert_file + ": " + ec.message());
    }
    context->use_private_key_file(settings.key_file, asio::ssl::context::pem, ec);
    if (ec) {
        throw std::runtime_error("tls_key " + settings.key_file + ": " + ec.message());
    }
    if (SSL_CTX_check_private_key(native) != 1) {
        throw std::runtime_error("tls_key " + settings.key_file +
                                 ": does not match the certificate of tls_cert");
    }
    if (!settings.client_ca_file.empty()) {
        context->load_verify_file(settings.client_ca_file, ec);
        STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(settings.client_ca_file.c_str());
        if (ec || names == nullptr) {
            if (names != nullptr) {
                sk_X509_NAME_pop_free(names, X509_NAME_free);
            }
            throw std::runtime_error("tls_client_ca " + settings.client_ca_file + ": " +
                                     (ec ? ec.message() : std::string("no certificate in it")));
        }
        SSL_CTX_set_client_CA_list(native, names); // named in the CertificateRequest
        // A certificate is asked for, not required (password users log in without one); one
        // that is presented and does not verify fails the handshake.
        context->set_verify_mode(asio::ssl::verify_peer);
        // sessions of a context that checks certificates need an id to be resumable
        static const unsigned char session_id[] = "shardgate";
        SSL_CTX_set_session_id_context(native, session_id, sizeof(session_id) - 1);
    }
    return context;
}

std::optional<BackendTlsMode> backend_tls_mode(std::string_view word) {
    for (const auto mode :
         {BackendTlsMode::disable, BackendTlsMode::prefer, BackendTlsMode::require,
          BackendTlsMode::verify_ca, BackendTlsMode::verify_full}) {
        if (word == to_string(mode)) {
            return mode;
        }
    }
    return std::nullopt;
}

const char* to_string(BackendTlsMode mode) {
    switch (mode) {
    case BackendTlsMode::disable:
        return "disable";
    case BackendTlsMode::prefer:
        return "prefer";
    case BackendTlsMode::require:
        return "require";
    case BackendTlsMode::verify_ca:
        return "verify-ca";
    case BackendTlsMode::verify_full:
        return "verify-full";
    }
    return "?";
}

std::shared_ptr<const BackendTls> make_backend_tls(BackendTlsMode mode,
                                                   const std::string& ca_file) {
    auto tls = std::make_shared<BackendTls>();
    tls->mode = mode;
    if (mode == BackendTlsMode::disable) {
        return tls;
    }
    auto context = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_client);
    context->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                         asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                         asio::ssl::context::no_tlsv1_1);
    SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION);
    if (mode == BackendTlsMode::verify_ca || mode == BackendTlsMode::verify_full) {
        boost::system::error_code ec;
        context->load_verify_file(ca_file, ec);
        if (ec) {
            throw std::runtime_error("backend_tls_ca " + ca_file + ": " + ec.message());
        }
        context->set_verify_mode(asio::ssl::verify_peer);
    } else {
        context->set_verify_mode(asio::ssl::verify_none);
    }
    tls->context = std::move(context);
    return tls;
}

} // namespace shardgate::proxy::net
