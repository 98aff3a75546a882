// The daemon's own configuration (listeners, admin endpoint, shard map location, users).
#pragma once

#include "shardgate/proxy/rate_limits.hpp"

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace shardgate::proxy {

/// A host:port pair to listen on. Host must be a literal address. Port 0 (written `off` in
/// the config) disables the listener.
struct ListenAddress {
    std::string host;
    unsigned short port = 0;

    bool enabled() const { return port != 0; }
};

/// How shardgate authenticates a client that logs in as a configured user. `cert`: a TLS
/// client certificate, verified against tls_client_ca, whose common name is the user's name.
enum class AuthMethod { scram, md5, trust, cert };

/// "scram", "md5", "trust" or "cert".
const char* to_string(AuthMethod method);

/// A user the proxy authenticates itself. `password` is plain text, a SCRAM-SHA-256 verifier
/// in pg_authid form (`SCRAM-SHA-256$...`, scram only) or an md5 hash (`md5...`, md5 only); a
/// `cert` user's (optional) password is only the one it uses towards the backends.
struct ProxyUser {
    std::string name;
    std::string password;
    AuthMethod auth = AuthMethod::scram;
    /// `admin: true`: may use the admin console (database `shardgate`, docs/admin.md).
    bool admin = false;
};

/// A pool size for the backend connections of one shard and/or role (`pool_sizes` list);
/// an empty field matches any. The most specific match wins (shard+role, shard, role).
struct PoolSizeOverride {
    std::string shard; ///< shard name as in the map, or empty
    std::string role;  ///< "primary", "replica" or empty
    unsigned size = 0;
};

/// Everything `shardgate --config FILE` reads. Immutable once loaded.
struct Config {
    std::string source; ///< file the config came from
    ListenAddress postgres_listen{"127.0.0.1", 6432};
    ListenAddress mysql_listen{"127.0.0.1", 6033};
    ListenAddress admin_listen{"127.0.0.1", 6080};
    std::string admin_token; ///< bearer token for the admin API
    /// `GET /metrics`: "token" (the admin token, as every endpoint) or "none" (open to any
    /// scraper that reaches the admin address).
    std::string metrics_auth = "token";
    /// Origins (`scheme://host:port`) whose pages may open the dashboard's event stream and
    /// session besides the admin address itself (same origin is always allowed).
    std::vector<std::string> admin_origins;
    /// The dashboard's event stream (GET /events): one batch of events this often, and the
    /// bytes queued for one subscriber before it is dropped as too slow.
    unsigned admin_events_interval_ms = 1000;
    std::uint64_t admin_events_queue_bytes = 256 * 1024;
    /// Where the shard map lives: `file` (shard_map, reloaded on SIGHUP / POST /map) or `etcd`
    /// (shared by every proxy of the same etcd_prefix; shard_map seeds it when etcd has none).
    std::string map_store = "file";
    std::vector<std::string> etcd_endpoints{"127.0.0.1:2379"};
    std::string etcd_prefix = "/shardgate";
    unsigned etcd_lease_ttl_s = 5; ///< a stopped proxy leaves the proxy list within this
    std::string shard_map;         ///< path of the shard map YAML
    /// map_store file: where the resharding workflows shardctl told this proxy are kept, so a
    /// restarted proxy knows them at once ("" = in memory only; relative to the config file).
    std::string reshard_state_file;
    unsigned workers = 0; ///< 0 = number of cores
    std::vector<ProxyUser> users;
    /// Backend login; empty = the client's own user name and its configured (plain) password.
    std::string backend_user;
    std::string backend_password;
    unsigned pool_size = 20;            ///< backend connections per endpoint+user+db, per worker
    unsigned pool_timeout_ms = 5000;    ///< how long a client waits for a pooled connection
    unsigned connect_timeout_ms = 3000; ///< backend connect + login timeout
    unsigned pool_max_connecting = 2;   ///< logins in flight per pool key, per worker
    /// A client must finish TLS, startup and authentication within this (0: no limit).
    unsigned client_login_timeout_ms = 15000;
    /// Client connections of both frontends at once; past it a client gets the protocol's
    /// "too many connections" error (PostgreSQL 53300, MySQL 1040). 0: derived from the
    /// open-file limit, keeping a reserve for backend connections (ClientLimit).
    unsigned max_client_connections = 0;
    /// PostgreSQL: the longest a statement of a transaction on several shards waits for a lock
    /// (SET LOCAL lock_timeout on each of its shards): no shard sees a deadlock between two
    /// such transactions, so this is what ends one (SQLSTATE 55P03, retry). 0: no limit.
    unsigned distributed_lock_timeout_ms = 2000;
    std::string server_version = "15.0"; ///< reported to clients in ParameterStatus
    std::string log_level = "info";      ///< spdlog level name
    std::string log_format = "text";     ///< "text" or "json" (one JSON object per line)
    /// Statements slower than this are logged (event slow_statement; 0: none).
    unsigned slow_statement_ms = 1000;
    /// Heartbeat row key; empty = "proxy-<host>-<port>" of postgres_listen.
    std::string proxy_id;
    /// Monitor login; empty = backend_user/backend_password, else the first configured user.
    std::string monitor_user;
    std::string monitor_password;
    unsigned health_interval_ms = 500;
    unsigned heartbeat_interval_ms = 100;
    /// Heartbeat rows of any proxy id not written for this long are deleted (0: never).
    unsigned heartbeat_retention_s = 86400;
    /// Replicas' replay positions are read this often between heartbeats (0: off).
    unsigned replica_position_interval_ms = 5;
    unsigned health_threshold = 3; ///< consecutive probe results that flip up/down
    /// The resolver of distributed transactions runs this often, ending participants left
    /// prepared at least this long (0: off; `shardctl txn resolve` still works).
    unsigned txn_resolve_interval_ms = 5000;
    /// Pool sizes per shard and/or role, overriding pool_size.
    std::vector<PoolSizeOverride> pool_sizes;
    /// PEM certificate chain and private key for TLS with clients; both empty = no TLS
    /// (SSLRequest answered 'N').
    std::string tls_cert;
    std::string tls_key;
    std::string tls_min_version = "1.2"; ///< "1.2" or "1.3"
    std::string tls_ciphers;             ///< OpenSSL cipher list (TLS 1.2); "" = default
    std::string tls_ciphersuites;        ///< TLS 1.3 suites; "" = default
    /// PEM CA file: clients are asked for a certificate, one presented must be signed by it
    /// (else the handshake fails); users with `auth: cert` log in with theirs. "" = none.
    std::string tls_client_ca;
    /// Refuse clients that do not start TLS (PostgreSQL FATAL 28000, MySQL ERR 3159).
    bool tls_required = false;
    /// TLS on shardgate's own connections to the database servers (data path, health probes,
    /// transaction resolver): disable, prefer, require, verify-ca or verify-full (libpq's
    /// sslmode words), and the PEM CA file the verify modes trust (required by them).
    std::string backend_tls = "disable";
    std::string backend_tls_ca;
    /// The authentication plugin the MySQL frontend names in its handshake:
    /// "mysql_native_password" (default) or "caching_sha2_password".
    std::string mysql_auth_plugin = "mysql_native_password";
    /// Cross-shard reads, per statement: shard statements running at once, bytes and groups
    /// a grouped merge may hold (docs/cross-shard.md).
    unsigned scatter_max_shards_in_flight = 32;
    std::uint64_t scatter_max_buffered_bytes = 64ull << 20;
    /// What the grouped merges of all sessions may hold together (router::MergeBudget).
    std::uint64_t scatter_max_buffered_bytes_total = 256ull << 20;
    /// What the client messages being received may take together, counting each one larger
    /// than a pooled read buffer (16 KiB): past it a client's message is refused (PostgreSQL
    /// 53200, MySQL 1041) and its connection closed (docs/reliability.md).
    std::uint64_t client_max_buffered_bytes_total = 1ull << 30;
    unsigned scatter_max_groups = 100'000;
    /// Query digests: fingerprints each worker thread keeps (0: off; docs/admin.md).
    unsigned digests_max = 1000;
    /// Statements/s per user, database and fingerprint, cross-shard statements at once per
    /// database and shard (docs/admin.md, "Rate limits").
    RateLimitConfig rate_limits;
    /// The result cache's byte budget (0: off; statements opt in with cache_ttl_ms=N).
    std::uint64_t result_cache_bytes = 0;
};

/// The pool size for connections to `shard` in `role` ("primary"/"replica").
unsigned pool_size_for(const Config& config, const std::string& shard, const std::string& role);

/// Thrown while loading a config; what() names the file, line and column.
class ConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Loads and validates a config file. Relative `shard_map` paths are resolved against the
/// config file's folder. Throws ConfigError.
Config load_config(const std::string& path);

/// Whether a configured password is a stored form rather than plain text: a SCRAM-SHA-256
/// verifier (`SCRAM-SHA-256$...`), an md5 hash (`md5` + 32 hex digits) or a
/// mysql_native_password hash (`*` + 40 hex digits).
bool is_password_hash(const std::string& password);

/// When the config file can be read by users other than its owner (and group) while it holds
/// secrets in plain text (user passwords that are not SCRAM verifiers or md5 hashes,
/// backend_password, monitor_password, admin_token): the warning to give, naming them; else "".
std::string exposed_secrets_warning(const Config& config);

/// Parses "host:port", or "off" (a disabled listener); throws ConfigError naming `what` when
/// malformed.
ListenAddress parse_listen_address(const std::string& text, const std::string& what);

} // namespace shardgate::proxy
