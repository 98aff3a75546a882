// The error of shardgate's own control-plane sessions to the database servers (the monitor's
// probers, PgClient, the distributed-transaction resolver), with what decides what to do next:
// whether the connection is gone or only the statement failed.
#pragma once

#include <stdexcept>
#include <string>

namespace shardgate::monitor {

/// A failed login, statement or wait of a control-plane session.
class SqlError : public std::runtime_error {
public:
    SqlError(std::string sqlstate, const std::string& message, bool connection)
        : std::runtime_error(message), sqlstate_(std::move(sqlstate)), connection_(connection) {}
    /// The server's SQLSTATE, or a class 08 one when the connection failed or timed out.
    const std::string& sqlstate() const { return sqlstate_; }
    /// The connection failed or timed out (not the statement): reconnect before the next one.
    bool connection() const { return connection_; }

private:
    std::string sqlstate_;
    bool connection_;
};

} // namespace shardgate::monitor
