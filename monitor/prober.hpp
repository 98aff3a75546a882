// Engine-specific control-plane queries behind one interface; throws on any failure.
#pragma once

#include "shardgate/monitor/backend.hpp"
#include "shardgate/monitor/sql_error.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace shardgate::monitor {

/// A heartbeat row as replayed on a replica.
struct Heartbeat {
    std::int64_t seq = 0;
    std::int64_t ts_us = 0; ///< primary's clock, microseconds since the Unix epoch
};

/// One connection to one backend, opened lazily and reopened after a failure. Used only by
/// the monitor thread. Every call throws SqlError (include/shardgate/monitor/sql_error.hpp) on
/// error: connection() true when the connection failed, was lost or timed out (it is closed
/// then), false for a server's error (the connection stays usable).
class Prober {
public:
    virtual ~Prober() = default;

    /// Opens the connection if it is not open.
    virtual void connect() = 0;
    /// Runs a trivial query (connecting first if needed).
    virtual void probe() = 0;
    /// Primary: reads the server's clock (microseconds since the epoch).
    virtual std::int64_t server_clock_us() = 0;
    /// Primary: creates the heartbeat table if needed and upserts this proxy's row.
    virtual void write_heartbeat(const std::string& proxy_id, std::int64_t seq,
                                 std::int64_t ts_us) = 0;
    /// Primary: deletes heartbeat rows (any proxy's) last written before `before_us` (the
    /// primary's clock): proxies gone for good leave theirs behind.
    virtual void forget_heartbeats(std::int64_t before_us) = 0;
    /// Replica: this proxy's row; nullopt when not replicated yet.
    virtual std::optional<Heartbeat> read_heartbeat(const std::string& proxy_id) = 0;
    /// The engine's own replication view (role-dependent).
    virtual EngineView engine_view() = 0;
    /// Replica: only the replay position (PostgreSQL wal_lsn, MariaDB gtid_slave_pos), one
    /// cheap query; the rest of `view` is left as it was.
    virtual void read_position(EngineView& view) = 0;
    virtual void disconnect() = 0;
};

/// EngineView::time_columns of one prober connection: read once (`read` returns the map), a
/// server's error kept for the view instead of thrown, so the rest of the view stands; a lost
/// connection is thrown as usual. reset() when the connection closes.
class TimeColumnsOnce {
public:
    template <class Read> void fill(EngineView& view, Read read) {
        if (!read_) {
            try {
                columns_ = read();
                error_.clear();
            } catch (const SqlError& error) {
                if (error.connection()) {
                    throw;
                }
                error_ = error.what();
            }
            read_ = true;
        }
        view.time_columns = columns_;
        view.time_columns_error = error_;
    }
    void reset() { read_ = false; }

private:
    bool read_ = false;
    std::shared_ptr<const std::map<std::string, TimeColumn>> columns_;
    std::string error_;
};

std::unique_ptr<Prober> make_pg_prober(const BackendSpec& spec, std::chrono::milliseconds timeout);
std::unique_ptr<Prober> make_mysql_prober(const BackendSpec& spec,
                                          std::chrono::milliseconds timeout);

/// Whole seconds for client libraries that take seconds, rounded up, at least 1.
unsigned timeout_seconds(std::chrono::milliseconds timeout);

} // namespace shardgate::monitor
