// One connection from shardgate to a PostgreSQL server: connect, log in (trust, cleartext,
// md5 or SCRAM-SHA-256 as the server asks), then carry forwarded traffic. Owned by one
// worker thread; pooled by BackendPool.
#pragma once

#include "shardgate/protocol/pg/backend_messages.hpp"
#include "shardgate/proxy/net/wire_io.hpp"
#include "shardgate/shardmaps/endpoint.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_set>

namespace shardgate::proxy::pg {

/// Where and as whom a backend connection logs in; also the pool key.
struct BackendTarget {
    shardmaps::Endpoint endpoint;
    std::string shard; ///< shard name, for messages
    std::string user;
    std::string password;
    std::string database;

    std::string pool_key() const { return endpoint.to_string() + "/" + user + "/" + database; }
};

class BackendConnection {
public:
    enum class State { connecting, authenticating, idle, busy, broken };

    BackendConnection(asio::io_context& io, BackendTarget target);

    /// Connects and logs in within `timeout_ms`. Returns an empty string on success, else
    /// the reason (the caller reports 08006 naming shard and endpoint).
    asio::awaitable<std::string> open(unsigned timeout_ms);

    /// False once the server closed the connection or sent unsolicited bytes while idle.
    /// Connections idle for less than a second are not probed (saves a syscall per
    /// statement under load; a stale one is then noticed as a lost backend).
    bool idle_and_healthy();
    /// Records when the connection went back to the pool.
    void mark_idle();
    void mark_broken();
    void close();

    tcp::socket& socket() { return socket_; }
    ReadBuffer& in() { return in_; }
    const BackendTarget& target() const { return target_; }
    /// target().pool_key(), computed once.
    const std::string& pool_key() const { return pool_key_; }
    const protocol::pg::BackendKeyData& key() const { return key_; }
    State state() const { return state_; }
    void set_state(State state) { state_ = state; }

    /// Server-side names of the statements prepared on this connection.
    std::unordered_set<std::string>& prepared() { return prepared_; }
    /// Settings applied by the last replay; nullopt = unknown (a SET ran inside a forwarded
    /// transaction), forcing a replay.
    std::optional<std::map<std::string, std::string>>& applied_settings() { return applied_; }

private:
    asio::awaitable<std::string> login();

    tcp::socket socket_;
    BackendTarget target_;
    std::string pool_key_;
    ReadBuffer in_;
    protocol::pg::BackendKeyData key_;
    State state_ = State::connecting;
    std::chrono::steady_clock::time_point idle_since_{};
    std::unordered_set<std::string> prepared_;
    std::optional<std::map<std::string, std::string>> applied_ =
        std::map<std::string, std::string>{};
};

const char* to_string(BackendConnection::State state);

} // namespace shardgate::proxy::pg
