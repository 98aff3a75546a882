// The daemon's server-side TLS context for clients of both frontends (config tls_cert /
// tls_key / tls_min_version / tls_ciphers / tls_ciphersuites). Replaceable while running: a
// SIGHUP loads the files again (certificate rotation); sessions keep the context they
// shook hands with.
#pragma once

#include "shardgate/proxy/net/asio.hpp"

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <mutex>
#include <string>

namespace shardgate::proxy::net {

/// What a server TLS context is made of.
struct TlsSettings {
    std::string cert_file;           ///< PEM certificate chain
    std::string key_file;            ///< PEM private key
    std::string min_version = "1.2"; ///< "1.2" or "1.3"
    std::string ciphers;             ///< OpenSSL cipher list for TLS 1.2 ("" = OpenSSL's default)
    std::string ciphersuites;        ///< TLS 1.3 suites ("" = OpenSSL's default)
};

/// A server TLS context from `settings`; throws std::runtime_error naming the file or the
/// setting that cannot be used (also when the key does not match the certificate).
std::shared_ptr<boost::asio::ssl::context> make_tls_context(const TlsSettings& settings);

/// The current client TLS context, shared by every worker thread; replace() installs a new
/// one for the handshakes that follow.
class TlsContextHolder {
public:
    explicit TlsContextHolder(std::shared_ptr<boost::asio::ssl::context> first)
        : context_(std::move(first)) {}
    std::shared_ptr<boost::asio::ssl::context> current() const {
        const std::lock_guard lock(mutex_);
        return context_;
    }
    void replace(std::shared_ptr<boost::asio::ssl::context> next) {
        const std::lock_guard lock(mutex_);
        context_ = std::move(next);
    }

private:
    mutable std::mutex mutex_;
    std::shared_ptr<boost::asio::ssl::context> context_;
};

} // namespace shardgate::proxy::net
