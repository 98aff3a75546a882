// The daemon's server-side TLS context for clients of both frontends (config tls_cert /
// tls_key). Created once at startup; shared read-only by every worker thread.
#pragma once

#include "shardgate/proxy/net/asio.hpp"

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>

namespace shardgate::proxy::net {

/// A server TLS context (TLS 1.2 and newer) from PEM files (certificate chain, private key);
/// throws std::runtime_error naming the file when they cannot be loaded.
std::shared_ptr<boost::asio::ssl::context> make_tls_context(const std::string& cert_file,
                                                            const std::string& key_file);

} // namespace shardgate::proxy::net
