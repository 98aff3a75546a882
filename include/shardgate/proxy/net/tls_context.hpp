// The daemon's server-side TLS context for clients of both frontends (config tls_cert /
// tls_key / tls_min_version / tls_ciphers / tls_ciphersuites). Replaceable while running: a
// SIGHUP loads the files again (certificate rotation); sessions keep the context they
// shook hands with. And the client-side TLS of shardgate's own connections to the database
// servers (config backend_tls / backend_tls_ca).
#pragma once

#include "shardgate/proxy/net/asio.hpp"

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace shardgate::proxy::net {

/// What a server TLS context is made of.
struct TlsSettings {
    std::string cert_file;           ///< PEM certificate chain
    std::string key_file;            ///< PEM private key
    std::string min_version = "1.2"; ///< "1.2" or "1.3"
    std::string ciphers;             ///< OpenSSL cipher list for TLS 1.2 ("" = OpenSSL's default)
    std::string ciphersuites;        ///< TLS 1.3 suites ("" = OpenSSL's default)
    /// PEM CA file: ask clients for a certificate and verify one presented against it.
    std::string client_ca_file;
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

/// How shardgate's connections to the database servers use TLS: libpq's sslmode words.
enum class BackendTlsMode {
    disable,    ///< never (the default)
    prefer,     ///< when the server offers it; the certificate is not checked
    require,    ///< always (a server without TLS is refused); the certificate is not checked
    verify_ca,  ///< always, the chain checked against backend_tls_ca
    verify_full ///< verify_ca, and the certificate names the endpoint's host (or IP address)
};
/// The mode a config word names ("disable", "prefer", "require", "verify-ca", "verify-full").
std::optional<BackendTlsMode> backend_tls_mode(std::string_view word);
const char* to_string(BackendTlsMode mode);

/// The TLS policy and client context of backend connections, shared read-only.
struct BackendTls {
    BackendTlsMode mode = BackendTlsMode::disable;
    std::shared_ptr<boost::asio::ssl::context> context; ///< null when disabled
    bool verify_name() const { return mode == BackendTlsMode::verify_full; }
};

/// The policy for `mode`, its context trusting `ca_file` (verify modes); throws
/// std::runtime_error naming backend_tls_ca when that file cannot be used.
std::shared_ptr<const BackendTls> make_backend_tls(BackendTlsMode mode, const std::string& ca_file);

} // namespace shardgate::proxy::net
