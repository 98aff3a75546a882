// One connection from shardgate to a MariaDB/MySQL server: connect, read the v10 handshake,
// log in with mysql_native_password (or what an auth switch asks for) using capabilities that
// match the client's, then carry forwarded commands. Owned by one worker; pooled by
// BackendPool.
#pragma once

#include "common/backend_link.hpp"
#include "shardgate/protocol/mysql/binary_value.hpp"
#include "shardgate/protocol/mysql/constants.hpp"
#include "shardgate/proxy/net/wire_io.hpp"
#include "shardgate/shardmaps/endpoint.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace shardgate::proxy::mysql {

/// Client capabilities that change what a backend sends or what it means: requested from the
/// backend exactly as the client negotiated them, and part of the pool key.
inline constexpr std::uint32_t format_capabilities =
    protocol::mysql::CLIENT_FOUND_ROWS | protocol::mysql::CLIENT_IGNORE_SPACE |
    protocol::mysql::CLIENT_MULTI_STATEMENTS | protocol::mysql::CLIENT_MULTI_RESULTS |
    protocol::mysql::CLIENT_PS_MULTI_RESULTS | protocol::mysql::CLIENT_SESSION_TRACK |
    protocol::mysql::CLIENT_DEPRECATE_EOF;

/// Where, as whom and with which wire options a backend connection logs in; also the pool
/// key (connections are only shared between clients that negotiated the same format).
struct BackendTarget {
    shardmaps::Endpoint endpoint;
    std::string shard; ///< shard name, for messages
    std::string user;
    std::string password;
    std::string database;
    /// Capability bits that change the wire format or meaning of answers (DEPRECATE_EOF,
    /// SESSION_TRACK, MULTI_STATEMENTS, FOUND_ROWS, ...), taken from the client.
    std::uint32_t client_capabilities = 0;
    std::uint8_t character_set = 0;

    std::string pool_key() const;
};

/// A statement prepared on one backend connection.
struct BackendStatement {
    std::uint32_t id = 0;
    /// Parameter types the server holds for it (from the last execute that sent types).
    std::optional<std::vector<protocol::mysql::ParamType>> types;
};

class BackendConnection : public BackendLink {
public:
    BackendConnection(asio::io_context& io, BackendTarget target,
                      std::shared_ptr<const net::BackendTls> tls);

    const BackendTarget& target() const { return target_; }
    /// Capabilities in effect on this connection (what ResponseTracker needs).
    std::uint32_t capabilities() const { return capabilities_; }
    std::uint32_t connection_id() const { return connection_id_; }

    /// Statements prepared here, by SQL text.
    std::unordered_map<std::string, BackendStatement>& statements() { return statements_; }
    /// The session settings (SET text) in effect; nullopt = unknown, forcing a replay.
    std::optional<std::string>& applied_settings() { return applied_; }

private:
    asio::awaitable<std::string> login() override;
    asio::awaitable<std::string> read_packet(std::string& payload, std::uint8_t& sequence);
    asio::awaitable<std::string> write_packet(std::uint8_t sequence, const std::string& payload);

    BackendTarget target_;
    std::uint32_t capabilities_ = 0;
    std::uint32_t connection_id_ = 0;
    std::unordered_map<std::string, BackendStatement> statements_;
    std::optional<std::string> applied_ = std::string();
};

} // namespace shardgate::proxy::mysql
