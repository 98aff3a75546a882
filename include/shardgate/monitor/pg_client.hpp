// A blocking libpq session for shardgate's own control-plane connections (the monitor's
// probes, the distributed-transaction resolver): every query waits for its answer at most a
// timeout on the client side, so a server that stopped answering (a hung host, a stopped
// process, a blackholed network) cannot hold the calling thread — server-side settings such
// as statement_timeout cannot do that. The login is bounded by the conninfo's
// connect_timeout.
#pragma once

#include "shardgate/monitor/sql_error.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct pg_conn; // PGconn of <libpq-fe.h>

namespace shardgate::monitor {

class PgClient {
public:
    using Row = std::vector<std::optional<std::string>>;

    /// Connects (libpq's conninfo text); throws SqlError. Server notices are dropped.
    PgClient(const std::string& conninfo, std::chrono::milliseconds timeout);
    ~PgClient();
    PgClient(const PgClient&) = delete;
    PgClient& operator=(const PgClient&) = delete;

    /// Runs `sql` (one or more statements) and returns the last statement's rows; throws
    /// SqlError on an error, a lost connection or no complete answer within the timeout.
    std::vector<Row> query(const std::string& sql);
    /// `text` as an SQL string literal.
    std::string literal(std::string_view text);
    /// Still usable (no connection failure so far).
    bool open() const;

private:
    void wait_readable(std::chrono::steady_clock::time_point deadline);
    [[noreturn]] void fail_connection(const std::string& message);

    pg_conn* connection_ = nullptr;
    std::chrono::milliseconds timeout_;
};

} // namespace shardgate::monitor
