// The daemon's own configuration (listeners, admin endpoint, shard map location, users).
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace shardgate::proxy {

/// A host:port pair to listen on. Host must be a literal address.
struct ListenAddress {
    std::string host;
    unsigned short port = 0;
};

/// A user the proxy authenticates itself. Password is kept as configured (plain text, or a
/// SCRAM/md5 verifier when the protocol layer supports it).
struct ProxyUser {
    std::string name;
    std::string password;
};

/// Everything `shardgate --config FILE` reads. Immutable once loaded.
struct Config {
    std::string source;                                  ///< file the config came from
    ListenAddress postgres_listen{"127.0.0.1", 6432};
    ListenAddress mysql_listen{"127.0.0.1", 6033};
    ListenAddress admin_listen{"127.0.0.1", 6080};
    std::string admin_token;                             ///< bearer token for the admin API
    std::string shard_map;                               ///< path of the shard map YAML
    unsigned workers = 0;                                ///< 0 = number of cores
    std::vector<ProxyUser> users;
};

/// Thrown while loading a config; what() names the file, line and column.
class ConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Loads and validates a config file. Relative `shard_map` paths are resolved against the
/// config file's folder. Throws ConfigError.
Config load_config(const std::string& path);

/// Parses "host:port"; throws ConfigError naming `what` when malformed.
ListenAddress parse_listen_address(const std::string& text, const std::string& what);

} // namespace shardgate::proxy
