// Connection phase handshake messages: Initial Handshake v10 (server -> client),
// HandshakeResponse41 and SSLRequest (client -> server), with MariaDB's extended capabilities.
// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase.html
// https://mariadb.com/kb/en/connection/
#pragma once

#include "shardgate/protocol/mysql/decoded.hpp"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace shardgate::protocol::mysql {

/// Initial Handshake Packet, protocol version 10.
/// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_handshake_v10.html
struct InitialHandshake {
    std::uint8_t protocol_version = 10;
    std::string server_version;
    std::uint32_t connection_id = 0;
    /// The whole scramble (auth-plugin-data part 1 + part 2, trailing NUL removed); 20 bytes
    /// for mysql_native_password and caching_sha2_password.
    Buffer scramble;
    std::uint32_t capabilities = 0;
    std::uint8_t character_set = 0;
    std::uint16_t status_flags = 0;
    /// MariaDB extended capabilities (MARIADB_CLIENT_*), stored in the last 4 reserved bytes.
    /// Meaningful only when CLIENT_MYSQL (bit 0) is clear in `capabilities`; zero from MySQL.
    std::uint32_t mariadb_capabilities = 0;
    std::string auth_plugin_name;

    bool operator==(const InitialHandshake&) const = default;
};

Decoded<InitialHandshake> decode_initial_handshake(Bytes payload);
/// Encodes the payload. Scramble part 2 is written NUL-terminated (at least 13 bytes) as
/// servers do; precondition: scramble has at least 8 bytes.
void encode_initial_handshake(const InitialHandshake& handshake, Buffer& payload);

/// HandshakeResponse41 (the client's reply; also what shardgate sends a backend).
/// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_handshake_response.html
struct HandshakeResponse {
    std::uint32_t capabilities = 0;
    std::uint32_t max_packet_size = 0;
    std::uint8_t character_set = 0;
    /// MariaDB extended capabilities in the last 4 filler bytes (when CLIENT_MYSQL is clear).
    std::uint32_t mariadb_capabilities = 0;
    std::string username;
    Buffer auth_response;
    std::string database;         ///< with CLIENT_CONNECT_WITH_DB
    std::string auth_plugin_name; ///< with CLIENT_PLUGIN_AUTH
    /// with CLIENT_CONNECT_ATTRS, in wire order
    std::vector<std::pair<std::string, std::string>> connect_attributes;

    bool operator==(const HandshakeResponse&) const = default;
};

/// Decodes HandshakeResponse41. The auth response encoding follows the client's flags:
/// length-encoded with CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA, 1-byte length with
/// CLIENT_SECURE_CONNECTION, NUL-terminated otherwise. HandshakeResponse320 (no
/// CLIENT_PROTOCOL_41) is rejected.
Decoded<HandshakeResponse> decode_handshake_response(Bytes payload);
/// Encodes using the same rules, driven by response.capabilities. Precondition: without
/// LENENC_CLIENT_DATA the auth response is at most 255 bytes (and NUL-free without
/// SECURE_CONNECTION).
void encode_handshake_response(const HandshakeResponse& response, Buffer& payload);

/// SSLRequest: the 32-byte prefix of a handshake response with CLIENT_SSL, after which the
/// client starts TLS.
/// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_ssl_request.html
struct SslRequest {
    std::uint32_t capabilities = 0;
    std::uint32_t max_packet_size = 0;
    std::uint8_t character_set = 0;
    std::uint32_t mariadb_capabilities = 0;

    bool operator==(const SslRequest&) const = default;
};

inline constexpr std::size_t ssl_request_size = 32;

/// True when the first client packet is an SSLRequest (32 bytes with CLIENT_SSL) rather than a
/// full handshake response (which is always longer).
bool is_ssl_request(Bytes payload);
Decoded<SslRequest> decode_ssl_request(Bytes payload);
void encode_ssl_request(const SslRequest& request, Buffer& payload);

} // namespace shardgate::protocol::mysql
