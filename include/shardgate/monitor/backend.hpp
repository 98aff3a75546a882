// What the monitor watches (one database server) and what it knows about it.
#pragma once

#include "shardgate/monitor/client_login.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace shardgate::monitor {

enum class Engine { postgresql, mysql };
enum class Role { primary, replica };

/// Parses "postgresql"/"mysql" and "primary"/"replica"; nullopt when unknown.
std::optional<Engine> parse_engine(std::string_view name);
std::optional<Role> parse_role(std::string_view name);
std::string_view engine_name(Engine engine);
std::string_view role_name(Role role);

/// One database server of a shard, with credentials allowed to create and write the
/// heartbeat table on primaries and to read replication status on replicas.
struct BackendSpec {
    Engine engine = Engine::postgresql;
    std::string shard;
    Role role = Role::primary;
    std::string host;
    int port = 0;
    std::string user;
    std::string password;
    std::string database; ///< physical database holding the heartbeat table
    ClientTls tls;        ///< backend_tls / backend_tls_ca
};

/// "pg0 replica 127.0.0.1:15433": how logs and errors name a backend.
std::string describe(const BackendSpec& spec);

/// Health as decided by K consecutive probe results; the first probe decides directly.
enum class Health { unknown, up, down };

std::string_view health_name(Health health);

/// A column of a time type (EngineView::time_columns).
struct TimeColumn {
    /// "timestamp" (a wall-clock time: PostgreSQL timestamp without time zone, MariaDB
    /// DATETIME) or "timestamptz" (an instant: PostgreSQL timestamptz, MariaDB TIMESTAMP).
    std::string type;
    /// PostgreSQL: the fractional digits of a second the column keeps, rounding the rest
    /// (timestamp(p); 6 without a precision). MariaDB: -1 (it cuts the rest).
    int precision = -1;
};

/// The engine's own view of replication (besides the heartbeat).
struct EngineView {
    /// PostgreSQL: current WAL LSN (primary) or replay LSN (replica), as a byte position.
    std::optional<std::int64_t> wal_lsn;
    /// PostgreSQL replica: primary's current LSN minus this replica's replay LSN.
    std::optional<std::int64_t> replay_lag_bytes;
    /// PostgreSQL replica: now() - pg_last_xact_replay_timestamp(), in ms.
    std::optional<std::int64_t> replay_delay_ms;
    /// PostgreSQL replica: pg_is_wal_replay_paused().
    bool replay_paused = false;
    /// MariaDB replica: Seconds_Behind_Master (NULL while the SQL thread is stopped).
    std::optional<std::int64_t> seconds_behind_master;
    /// MariaDB replica: @@gtid_slave_pos.
    std::string gtid_slave_pos;
    /// MariaDB: @@GLOBAL.sql_mode, the mode new sessions start with (the proxies tokenise
    /// statements by it: NO_BACKSLASH_ESCAPES, ANSI_QUOTES).
    std::string sql_mode;
    /// MariaDB: @@lower_case_table_names (0: table names case-sensitive), nullopt if unread.
    std::optional<int> lower_case_table_names;
    /// MariaDB: the time zone new sessions start in: @@GLOBAL.time_zone, or "SYSTEM (name)"
    /// with the host's @@system_time_zone; empty if unread.
    std::string time_zone;
    /// Primary: the database's columns of time types, "table.column" in lower case (PostgreSQL
    /// tables outside `public` as "schema.table.column"). Read once per monitor connection,
    /// so tables created later are missing; null if unread. (MariaDB lists only the columns
    /// the monitor's user has a privilege on.)
    std::shared_ptr<const std::map<std::string, TimeColumn>> time_columns;
    /// Why time_columns could not be read (the query failed on the server); empty otherwise.
    std::string time_columns_error;
    /// The server refuses writes: MariaDB @@read_only, PostgreSQL in recovery. A replica
    /// that accepts writes is a misconfiguration shardgate reports (it never sends writes
    /// there, but a client connecting directly, or a function with side effects, could).
    std::optional<bool> read_only;
    /// Receiving (PG WAL receiver / MariaDB IO thread) and applying (PG replay not paused /
    /// MariaDB SQL thread) are running.
    bool io_running = false;
    bool sql_running = false;
    /// MariaDB replica: SHOW SLAVE STATUS of an earlier round has waited this many seconds on
    /// the server (the replication threads hold their locks: a relay log write waiting for
    /// disk space, for one); it is not asked again until that one ends, and io_running and
    /// sql_running are false meanwhile (unknown). nullopt when the status was read.
    std::optional<std::int64_t> status_stalled_s;
};

/// Everything the monitor knows about one backend at the time of a snapshot.
struct BackendState {
    BackendSpec spec; ///< password left empty
    Health health = Health::unknown;
    std::uint32_t consecutive_failures = 0;
    std::uint32_t consecutive_successes = 0;
    /// Round trip of the last successful health probe, in microseconds.
    std::optional<std::uint32_t> probe_latency_us;
    std::string last_error;
    /// Replica: primary's clock now minus the newest replayed heartbeat; nullopt until both
    /// sides have been measured.
    std::optional<std::int64_t> heartbeat_lag_ms;
    /// When heartbeat_lag_ms was measured (this host's steady clock).
    std::chrono::steady_clock::time_point heartbeat_measured_at{};
    /// Primary: last sequence written; replica: last sequence replayed.
    std::optional<std::int64_t> heartbeat_seq;
    EngineView engine;
    /// Replica whose replication is stopped, paused or broken: infinitely lagged.
    bool replication_stopped = false;
    /// The last failed health probe waited out its timeout: the server (or the network to
    /// it) holds connections without answering — a hung process or host — rather than
    /// refusing them. The proxy cuts the connections clients hold to a backend that is down
    /// and unresponsive.
    bool unresponsive = false;

    /// last_error on one line (client libraries end theirs with newlines), for messages.
    std::string last_error_line() const;
    /// The lag last measured: nullopt (infinite) when down, stopped or unmeasured.
    std::optional<std::int64_t> effective_lag_ms() const;
    /// The lag routing should use at `now`: the measured lag plus the time since it was
    /// measured, what the replica may have reached if it replayed nothing since. A read is then
    /// never older than the bound it was routed under (the measurement itself aside), instead
    /// of the bound plus up to one heartbeat interval.
    std::optional<std::int64_t> lag_bound_at(std::chrono::steady_clock::time_point now) const;
};

} // namespace shardgate::monitor
