// Loads the daemon configuration from YAML; every error names file:line:column.
#include "shardgate/proxy/config.hpp"

#include <charconv>
#include <filesystem>
#include <thread>
#include <yaml-cpp/yaml.h>

namespace shardgate::proxy {
namespace {

std::string where(const std::string& file, const YAML::Node& node) {
    const auto mark = node.Mark();
    return file + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
}

std::string scalar(const std::string& file, const YAML::Node& node, const std::string& key) {
    if (!node.IsScalar()) {
        throw ConfigError(where(file, node) + ": '" + key + "' must be a single value");
    }
    return node.Scalar();
}

unsigned positive(const std::string& file, const YAML::Node& node, const std::string& key) {
    const auto value = node.as<long long>();
    if (value <= 0 || value > 100000000) {
        throw ConfigError(where(file, node) + ": '" + key + "' must be a positive number");
    }
    return static_cast<unsigned>(value);
}

/// A size in bytes: a number, or a number followed by KiB, MiB or GiB (up to 1 TiB).
std::uint64_t byte_size(const std::string& file, const YAML::Node& node, const std::string& key) {
    const auto text = node.as<std::string>();
    std::uint64_t number = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
    const std::string_view unit(end, static_cast<std::size_t>(text.data() + text.size() - end));
    const std::uint64_t scale = unit.empty()    ? 1
                                : unit == "KiB" ? 1ull << 10
                                : unit == "MiB" ? 1ull << 20
                                : unit == "GiB" ? 1ull << 30
                                                : 0;
    if (ec != std::errc{} || end == text.data() || scale == 0 || number == 0 ||
        number > (1ull << 40) / scale) {
        throw ConfigError(where(file, node) + ": '" + key +
                          "' must be a size in bytes (a number, or with KiB, MiB or GiB)");
    }
    return number * scale;
}

unsigned unsigned_value(const std::string& file, const YAML::Node& node, const std::string& key) {
    const auto value = node.as<long long>();
    if (value < 0 || value > 100000000) {
        throw ConfigError(where(file, node) + ": '" + key + "' must be 0 or a positive number");
    }
    return static_cast<unsigned>(value);
}

AuthMethod parse_auth(const std::string& file, const YAML::Node& node) {
    const auto text = scalar(file, node, "auth");
    if (text == "scram" || text == "scram-sha-256") {
        return AuthMethod::scram;
    }
    if (text == "md5") {
        return AuthMethod::md5;
    }
    if (text == "trust") {
        return AuthMethod::trust;
    }
    if (text == "cert") {
        return AuthMethod::cert;
    }
    throw ConfigError(where(file, node) + ": auth '" + text + "' is not scram, md5, trust or cert");
}

/// rate_limits: {max_wait_ms, users: {name: n}, databases: {name: n}, per_digest: n,
/// scatter_per_database: {name: n}, scatter_per_shard: n}.
void parse_rate_limits(const std::string& file, const YAML::Node& node, RateLimitConfig& out) {
    if (!node.IsMap()) {
        throw ConfigError(where(file, node) + ": rate_limits must be a mapping");
    }
    auto named = [&](const YAML::Node& list, const std::string& key,
                     std::map<std::string, unsigned, std::less<>>& into) {
        if (!list.IsMap()) {
            throw ConfigError(where(file, list) + ": rate_limits." + key +
                              " must map names to numbers");
        }
        for (const auto& one : list) {
            into[one.first.as<std::string>()] = positive(file, one.second, key);
        }
    };
    for (const auto& item : node) {
        const auto key = item.first.as<std::string>();
        if (key == "max_wait_ms") {
            out.max_wait_ms = unsigned_value(file, item.second, key);
        } else if (key == "users") {
            named(item.second, key, out.users);
        } else if (key == "databases") {
            named(item.second, key, out.databases);
        } else if (key == "per_digest") {
            out.per_digest = unsigned_value(file, item.second, key);
        } else if (key == "scatter_per_database") {
            named(item.second, key, out.scatter_per_database);
        } else if (key == "scatter_per_shard") {
            out.scatter_per_shard = unsigned_value(file, item.second, key);
        } else {
            throw ConfigError(where(file, item.first) + ": unknown rate_limits setting '" + key +
                              "' (known: max_wait_ms, users, databases, per_digest, "
                              "scatter_per_database, scatter_per_shard)");
        }
    }
}

PoolSizeOverride parse_pool_size(const std::string& file, const YAML::Node& node) {
    if (!node.IsMap() || !node["size"]) {
        throw ConfigError(where(file, node) +
                          ": a pool_sizes entry is {shard: NAME, role: primary|replica, size: N}");
    }
    PoolSizeOverride entry;
    for (const auto& field : node) {
        const auto name = field.first.as<std::string>();
        if (name == "shard") {
            entry.shard = scalar(file, field.second, name);
        } else if (name == "role") {
            entry.role = scalar(file, field.second, name);
            if (entry.role != "primary" && entry.role != "replica") {
                throw ConfigError(where(file, field.second) + ": role '" + entry.role +
                                  "' is not primary or replica");
            }
        } else if (name == "size") {
            entry.size = positive(file, field.second, name);
        } else {
            throw ConfigError(where(file, field.first) + ": unknown pool_sizes field '" + name +
                              "' (known: shard, role, size)");
        }
    }
    if (entry.shard.empty() && entry.role.empty()) {
        throw ConfigError(where(file, node) + ": a pool_sizes entry needs a shard, a role or both");
    }
    return entry;
}

} // namespace

unsigned pool_size_for(const Config& config, const std::string& shard, const std::string& role) {
    unsigned size = config.pool_size;
    int best = 0;
    for (const auto& entry : config.pool_sizes) {
        if ((!entry.shard.empty() && entry.shard != shard) ||
            (!entry.role.empty() && entry.role != role)) {
            continue;
        }
        const int score = (entry.shard.empty() ? 0 : 2) + (entry.role.empty() ? 0 : 1);
        if (score > best) {
            best = score;
            size = entry.size;
        }
    }
    return size;
}

const char* to_string(AuthMethod method) {
    switch (method) {
    case AuthMethod::scram:
        return "scram";
    case AuthMethod::md5:
        return "md5";
    case AuthMethod::cert:
        return "cert";
    case AuthMethod::trust:
        return "trust";
    }
    return "?";
}

ListenAddress parse_listen_address(const std::string& text, const std::string& what) {
    if (text == "off") {
        return ListenAddress{"", 0};
    }
    const auto colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
        throw ConfigError(what + ": '" + text + "' is not host:port (e.g. 127.0.0.1:6432)");
    }
    ListenAddress address;
    address.host = text.substr(0, colon);
    unsigned value = 0;
    const char* first = text.data() + colon + 1;
    const char* last = text.data() + text.size();
    auto [end, ec] = std::from_chars(first, last, value);
    if (ec != std::errc{} || end != last || value == 0 || value > 65535) {
        throw ConfigError(what + ": port in '" + text + "' must be a number from 1 to 65535");
    }
    address.port = static_cast<unsigned short>(value);
    return address;
}

Config load_config(const std::string& path) {
    YAML::Node root;
    try {
        root = YAML::LoadFile(path);
    } catch (const YAML::BadFile&) {
        throw ConfigError(path + ": cannot read config file");
    } catch (const YAML::ParserException& e) {
        throw ConfigError(path + ":" + std::to_string(e.mark.line + 1) + ":" +
                          std::to_string(e.mark.column + 1) + ": " + e.msg);
    }
    if (!root.IsMap()) {
        throw ConfigError(path + ": the config must be a mapping of settings");
    }
    Config config;
    config.source = path;
    for (const auto& item : root) {
        const auto key = item.first.as<std::string>();
        const auto& value = item.second;
        const auto at = where(path, value);
        if (key == "postgres_listen") {
            config.postgres_listen = parse_listen_address(scalar(path, value, key), at);
        } else if (key == "mysql_listen") {
            config.mysql_listen = parse_listen_address(scalar(path, value, key), at);
        } else if (key == "admin_listen") {
            config.admin_listen = parse_listen_address(scalar(path, value, key), at);
        } else if (key == "admin_token") {
            config.admin_token = scalar(path, value, key);
        } else if (key == "admin_origins") {
            if (!value.IsSequence()) {
                throw ConfigError(at + ": admin_origins must be a list of origins "
                                       "(e.g. [\"https://ops.example.com\"])");
            }
            for (const auto& one : value) {
                config.admin_origins.push_back(scalar(path, one, key));
            }
        } else if (key == "admin_events_interval_ms") {
            config.admin_events_interval_ms = positive(path, value, key);
        } else if (key == "admin_events_queue_bytes") {
            config.admin_events_queue_bytes = byte_size(path, value, key);
        } else if (key == "metrics_auth") {
            config.metrics_auth = scalar(path, value, key);
            if (config.metrics_auth != "token" && config.metrics_auth != "none") {
                throw ConfigError(at + ": metrics_auth must be token or none");
            }
        } else if (key == "shard_map") {
            config.shard_map = scalar(path, value, key);
        } else if (key == "reshard_state_file") {
            config.reshard_state_file = scalar(path, value, key);
        } else if (key == "map_store") {
            config.map_store = scalar(path, value, key);
            if (config.map_store != "file" && config.map_store != "etcd") {
                throw ConfigError(at + ": map_store must be file or etcd");
            }
        } else if (key == "etcd_endpoints") {
            config.etcd_endpoints.clear();
            if (value.IsSequence()) {
                for (const auto& one : value) {
                    config.etcd_endpoints.push_back(one.as<std::string>());
                }
            } else {
                std::string list = scalar(path, value, key);
                for (std::size_t at_comma; !list.empty(); list.erase(0, at_comma)) {
                    at_comma = list.find(',');
                    config.etcd_endpoints.push_back(list.substr(0, at_comma));
                    at_comma = at_comma == std::string::npos ? list.size() : at_comma + 1;
                }
            }
            if (config.etcd_endpoints.empty()) {
                throw ConfigError(at + ": etcd_endpoints needs at least one host:port");
            }
        } else if (key == "etcd_prefix") {
            config.etcd_prefix = scalar(path, value, key);
        } else if (key == "etcd_lease_ttl_s") {
            config.etcd_lease_ttl_s = positive(path, value, key);
        } else if (key == "workers") {
            config.workers = value.as<unsigned>();
        } else if (key == "users") {
            if (!value.IsSequence()) {
                throw ConfigError(at + ": 'users' must be a list of {name, password}");
            }
            for (const auto& user : value) {
                const bool cert =
                    user["auth"] && user["auth"].IsScalar() && user["auth"].Scalar() == "cert";
                if (!user["name"] || (!user["password"] && !cert)) {
                    throw ConfigError(where(path, user) + ": a user needs 'name' and 'password'");
                }
                if (user["name"].as<std::string>().empty()) {
                    throw ConfigError(where(path, user) + ": a user's 'name' may not be empty");
                }
                ProxyUser entry{user["name"].as<std::string>(),
                                user["password"] ? user["password"].as<std::string>() : "",
                                AuthMethod::scram};
                if (user["auth"]) {
                    entry.auth = parse_auth(path, user["auth"]);
                }
                if (user["admin"] && !YAML::convert<bool>::decode(user["admin"], entry.admin)) {
                    throw ConfigError(where(path, user["admin"]) +
                                      ": 'admin' must be true or false");
                }
                config.users.push_back(std::move(entry));
            }
        } else if (key == "backend_user") {
            config.backend_user = scalar(path, value, key);
        } else if (key == "backend_password") {
            config.backend_password = scalar(path, value, key);
        } else if (key == "pool_size") {
            config.pool_size = positive(path, value, key);
        } else if (key == "pool_sizes") {
            if (!value.IsSequence()) {
                throw ConfigError(at + ": 'pool_sizes' must be a list of {shard, role, size}");
            }
            for (const auto& entry : value) {
                config.pool_sizes.push_back(parse_pool_size(path, entry));
            }
        } else if (key == "tls_cert") {
            config.tls_cert = scalar(path, value, key);
        } else if (key == "tls_key") {
            config.tls_key = scalar(path, value, key);
        } else if (key == "tls_min_version") {
            config.tls_min_version = scalar(path, value, key);
            if (config.tls_min_version != "1.2" && config.tls_min_version != "1.3") {
                throw ConfigError(at + ": 'tls_min_version' must be 1.2 or 1.3");
            }
        } else if (key == "tls_ciphers") {
            config.tls_ciphers = scalar(path, value, key);
        } else if (key == "tls_ciphersuites") {
            config.tls_ciphersuites = scalar(path, value, key);
        } else if (key == "backend_tls") {
            config.backend_tls = scalar(path, value, key);
            const auto& m = config.backend_tls;
            if (m != "disable" && m != "prefer" && m != "require" && m != "verify-ca" &&
                m != "verify-full") {
                throw ConfigError(at + ": 'backend_tls' must be disable, prefer, require, "
                                       "verify-ca or verify-full");
            }
        } else if (key == "backend_tls_ca") {
            config.backend_tls_ca = scalar(path, value, key);
        } else if (key == "tls_client_ca") {
            config.tls_client_ca = scalar(path, value, key);
        } else if (key == "tls_required") {
            if (!YAML::convert<bool>::decode(value, config.tls_required)) {
                throw ConfigError(at + ": 'tls_required' must be true or false");
            }
        } else if (key == "mysql_auth_plugin") {
            config.mysql_auth_plugin = scalar(path, value, key);
            if (config.mysql_auth_plugin != "mysql_native_password" &&
                config.mysql_auth_plugin != "caching_sha2_password") {
                throw ConfigError(at + ": 'mysql_auth_plugin' must be mysql_native_password or "
                                       "caching_sha2_password");
            }
        } else if (key == "pool_timeout_ms") {
            config.pool_timeout_ms = positive(path, value, key);
        } else if (key == "connect_timeout_ms") {
            config.connect_timeout_ms = positive(path, value, key);
        } else if (key == "pool_max_connecting") {
            config.pool_max_connecting = positive(path, value, key);
        } else if (key == "max_client_connections") {
            config.max_client_connections = unsigned_value(path, value, key);
        } else if (key == "client_login_timeout_ms") {
            config.client_login_timeout_ms = unsigned_value(path, value, key);
        } else if (key == "distributed_lock_timeout_ms") {
            config.distributed_lock_timeout_ms = unsigned_value(path, value, key);
        } else if (key == "server_version") {
            config.server_version = scalar(path, value, key);
        } else if (key == "log_level") {
            config.log_level = scalar(path, value, key);
        } else if (key == "log_format") {
            config.log_format = scalar(path, value, key);
            if (config.log_format != "text" && config.log_format != "json") {
                throw ConfigError(at + ": log_format must be text or json");
            }
        } else if (key == "slow_statement_ms") {
            config.slow_statement_ms = unsigned_value(path, value, key);
        } else if (key == "proxy_id") {
            config.proxy_id = scalar(path, value, key);
            if (config.proxy_id.empty() || config.proxy_id.find('/') != std::string::npos) {
                throw ConfigError(at + ": 'proxy_id' must be a non-empty name without '/'");
            }
        } else if (key == "monitor_user") {
            config.monitor_user = scalar(path, value, key);
        } else if (key == "monitor_password") {
            config.monitor_password = scalar(path, value, key);
        } else if (key == "health_interval_ms") {
            config.health_interval_ms = positive(path, value, key);
        } else if (key == "heartbeat_interval_ms") {
            config.heartbeat_interval_ms = positive(path, value, key);
        } else if (key == "heartbeat_retention_s") {
            config.heartbeat_retention_s = unsigned_value(path, value, key);
        } else if (key == "replica_position_interval_ms") {
            config.replica_position_interval_ms = unsigned_value(path, value, key);
        } else if (key == "txn_resolve_interval_ms") {
            config.txn_resolve_interval_ms = unsigned_value(path, value, key);
        } else if (key == "health_threshold") {
            config.health_threshold = positive(path, value, key);
        } else if (key == "scatter_max_shards_in_flight") {
            config.scatter_max_shards_in_flight = positive(path, value, key);
        } else if (key == "scatter_max_buffered_bytes") {
            config.scatter_max_buffered_bytes = byte_size(path, value, key);
        } else if (key == "scatter_max_buffered_bytes_total") {
            config.scatter_max_buffered_bytes_total = byte_size(path, value, key);
        } else if (key == "client_max_buffered_bytes_total") {
            config.client_max_buffered_bytes_total = byte_size(path, value, key);
        } else if (key == "scatter_max_groups") {
            config.scatter_max_groups = positive(path, value, key);
        } else if (key == "result_cache_bytes") {
            config.result_cache_bytes = byte_size(path, value, key);
        } else if (key == "rate_limits") {
            parse_rate_limits(path, value, config.rate_limits);
        } else if (key == "digests_max") {
            config.digests_max = unsigned_value(path, value, key);
        } else {
            throw ConfigError(
                where(path, item.first) + ": unknown setting '" + key +
                "' (known: postgres_listen, mysql_listen, admin_listen, "
                "admin_token, admin_origins, admin_events_interval_ms, admin_events_queue_bytes, "
                "metrics_auth, shard_map, reshard_state_file, map_store, etcd_endpoints, "
                "etcd_prefix, "
                "etcd_lease_ttl_s, "
                "workers, users, backend_user, "
                "backend_password, pool_size, pool_sizes, pool_timeout_ms, "
                "connect_timeout_ms, pool_max_connecting, client_login_timeout_ms, "
                "max_client_connections, "
                "distributed_lock_timeout_ms, "
                "server_version, log_level, log_format, slow_statement_ms, "
                "tls_cert, tls_key, tls_min_version, tls_ciphers, tls_ciphersuites, "
                "tls_required, tls_client_ca, backend_tls, backend_tls_ca, mysql_auth_plugin, "
                "proxy_id, "
                "monitor_user, monitor_password, "
                "health_interval_ms, heartbeat_interval_ms, heartbeat_retention_s, "
                "replica_position_interval_ms, "
                "health_threshold, txn_resolve_interval_ms, scatter_max_shards_in_flight, "
                "scatter_max_buffered_bytes, scatter_max_buffered_bytes_total, "
                "client_max_buffered_bytes_total, "
                "scatter_max_groups, digests_max, rate_limits, result_cache_bytes)");
        }
    }
    if (config.shard_map.empty()) {
        throw ConfigError(path + ": 'shard_map' is required (path of the shard map YAML)");
    }
    for (auto* file : {&config.shard_map, &config.reshard_state_file}) {
        const std::filesystem::path relative(*file);
        if (!file->empty() && relative.is_relative()) {
            *file =
                (std::filesystem::path(path).parent_path() / relative).lexically_normal().string();
        }
    }
    if (config.tls_cert.empty() != config.tls_key.empty()) {
        throw ConfigError(path + ": 'tls_cert' and 'tls_key' go together (PEM files)");
    }
    if (config.tls_required && config.tls_cert.empty()) {
        throw ConfigError(path + ": 'tls_required' needs 'tls_cert' and 'tls_key'");
    }
    const bool verify = config.backend_tls == "verify-ca" || config.backend_tls == "verify-full";
    if (verify && config.backend_tls_ca.empty()) {
        // (libpq and Connector/C, the health probes' clients, have no "the system's CAs")
        throw ConfigError(path + ": backend_tls " + config.backend_tls +
                          " needs 'backend_tls_ca' (the PEM file of the CA that signed the "
                          "servers' certificates)");
    }
    if (!config.backend_tls_ca.empty() && !verify) {
        throw ConfigError(path +
                          ": 'backend_tls_ca' is used by backend_tls verify-ca or "
                          "verify-full only (backend_tls is " +
                          config.backend_tls + ")");
    }
    if (!config.tls_client_ca.empty() && config.tls_cert.empty()) {
        throw ConfigError(path + ": 'tls_client_ca' needs 'tls_cert' and 'tls_key'");
    }
    for (const auto& user : config.users) {
        if (user.auth != AuthMethod::cert) {
            continue;
        }
        if (config.tls_client_ca.empty()) {
            throw ConfigError(path + ": user '" + user.name +
                              "' logs in with a certificate (auth: cert): set 'tls_client_ca'");
        }
        if (config.backend_password.empty() &&
            (user.password.empty() || is_password_hash(user.password))) {
            throw ConfigError(path + ": user '" + user.name +
                              "' (auth: cert) sends no password: give it a plain 'password' for "
                              "the backends, or set backend_user / backend_password");
        }
    }
    for (auto* file :
         {&config.tls_cert, &config.tls_key, &config.tls_client_ca, &config.backend_tls_ca}) {
        if (!file->empty() && std::filesystem::path(*file).is_relative()) {
            *file = (std::filesystem::path(path).parent_path() / *file).lexically_normal().string();
        }
    }
    // Two listeners on one port: requests meant for one would reach the other.
    const std::pair<const char*, const ListenAddress*> listeners[] = {
        {"postgres_listen", &config.postgres_listen},
        {"mysql_listen", &config.mysql_listen},
        {"admin_listen", &config.admin_listen}};
    for (std::size_t i = 0; i < std::size(listeners); ++i) {
        for (std::size_t j = i + 1; j < std::size(listeners); ++j) {
            const auto& a = *listeners[i].second;
            const auto& b = *listeners[j].second;
            if (a.enabled() && a.port == b.port &&
                (a.host == b.host || a.host == "0.0.0.0" || b.host == "0.0.0.0")) {
                throw ConfigError(path + ": '" + listeners[i].first + "' and '" +
                                  listeners[j].first + "' use the same port " +
                                  std::to_string(a.port));
            }
        }
    }
    if (config.workers == 0) {
        config.workers = std::max(1u, std::thread::hardware_concurrency());
    }
    return config;
}

bool is_password_hash(const std::string& password) {
    const auto hex_after = [&](std::size_t from) {
        return password.find_first_not_of("0123456789abcdefABCDEF", from) == std::string::npos;
    };
    return password.starts_with("SCRAM-SHA-256$") ||
           (password.size() == 35 && password.starts_with("md5") && hex_after(3)) ||
           (password.size() == 41 && password.front() == '*' && hex_after(1));
}

std::string exposed_secrets_warning(const Config& config) {
    std::error_code ec;
    const auto perms = std::filesystem::status(config.source, ec).permissions();
    if (ec || (perms & std::filesystem::perms::others_read) == std::filesystem::perms::none) {
        return "";
    }
    std::vector<std::string> plain;
    for (const auto& user : config.users) {
        if (!user.password.empty() && !is_password_hash(user.password)) {
            plain.push_back("the password of user " + user.name);
        }
    }
    for (const auto& [name, value] : {std::pair{"backend_password", &config.backend_password},
                                      std::pair{"monitor_password", &config.monitor_password},
                                      std::pair{"admin_token", &config.admin_token}}) {
        if (!value->empty()) {
            plain.emplace_back(name);
        }
    }
    if (plain.empty()) {
        return "";
    }
    std::string warning = "config ";
    warning.append(config.source)
        .append(" can be read by every local user and holds secrets in "
                "plain text (");
    for (std::size_t i = 0; i < plain.size(); ++i) {
        warning.append(i == 0 ? "" : ", ").append(plain[i]);
    }
    warning.append("): chmod o-r it (or 600), and give users SCRAM verifiers");
    return warning;
}

} // namespace shardgate::proxy
