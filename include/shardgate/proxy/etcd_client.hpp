// A small client of etcd's v3 JSON gateway (etcd 3.4, Debian's etcd-server), over Boost.Beast:
// the map store and the registry of proxies that share a map (docs/admin.md, "Many proxies").
// Synchronous and short-lived (one connection per request, a timeout per request): it runs on
// control threads and in shardctl, never on the data path.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace shardgate::proxy {

/// etcd could not be reached, or answered with an error.
class EtcdError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// One key as stored.
struct EtcdValue {
    std::string key;
    std::string value;
    std::int64_t mod_revision = 0;
    std::int64_t lease = 0;
};

class EtcdClient {
public:
    /// `endpoints`: "host:port"; each request goes to the first that answers.
    explicit EtcdClient(std::vector<std::string> endpoints,
                        std::chrono::milliseconds timeout = std::chrono::milliseconds(2000));

    std::optional<EtcdValue> get(const std::string& key) const;
    /// Every key under `prefix`, in key order.
    std::vector<EtcdValue> list(const std::string& prefix) const;
    void put(const std::string& key, const std::string& value, std::int64_t lease = 0) const;
    /// Writes `value` only while the key's mod_revision is `revision` (0: the key does not
    /// exist): true when written.
    bool put_if(const std::string& key, const std::string& value, std::int64_t revision,
                std::int64_t lease = 0) const;
    /// A lease of `ttl_seconds`; its id.
    std::int64_t grant(std::int64_t ttl_seconds) const;
    /// Renews the lease: false when it expired already.
    bool keepalive(std::int64_t lease) const;
    void revoke(std::int64_t lease) const;

private:
    /// POSTs `body` to `path` on the first endpoint that answers; the parsed JSON text.
    std::string call(const std::string& path, const std::string& body) const;

    std::vector<std::string> endpoints_;
    std::chrono::milliseconds timeout_;
};

/// The key of the shared map under `prefix`, and of a proxy's registration.
std::string etcd_map_key(const std::string& prefix);
std::string etcd_proxy_key(const std::string& prefix, const std::string& proxy_id);

/// Base64 (RFC 4648, padded), as the gateway encodes keys and values.
std::string base64_encode(const std::string& bytes);
std::optional<std::string> base64_decode(const std::string& text);

} // namespace shardgate::proxy
