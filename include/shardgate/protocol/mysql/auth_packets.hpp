// Authentication exchange packets after the handshake: AuthSwitchRequest, AuthMoreData and the
// classification of what a server sent back during authentication.
// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_auth_switch_request.html
// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_auth_more_data.html
#pragma once

#include "shardgate/protocol/mysql/decoded.hpp"

#include <cstdint>
#include <string>

namespace shardgate::protocol::mysql {

/// Server asks the client to authenticate with another plugin.
struct AuthSwitchRequest {
    std::string plugin_name;
    /// Plugin data as sent; for the password plugins this is the 20-byte scramble followed by
    /// a NUL (see auth_switch_scramble).
    Buffer plugin_data;

    bool operator==(const AuthSwitchRequest&) const = default;
};

Decoded<AuthSwitchRequest> decode_auth_switch_request(Bytes payload);
void encode_auth_switch_request(const AuthSwitchRequest& request, Buffer& payload);
/// The scramble inside plugin data: one trailing NUL removed.
Bytes auth_switch_scramble(const AuthSwitchRequest& request);

/// Extra authentication data (0x01 + data), e.g. caching_sha2_password's 0x03 fast-auth
/// success / 0x04 perform-full-authentication, or an RSA public key.
struct AuthMoreData {
    Buffer data;

    bool operator==(const AuthMoreData&) const = default;
};

Decoded<AuthMoreData> decode_auth_more_data(Bytes payload);
void encode_auth_more_data(Bytes data, Buffer& payload);

/// What a server's packet means during the authentication phase (client side).
enum class AuthReplyKind { ok, err, auth_switch, auth_more_data, unknown };

/// Classifies by the first byte: 0x00 OK, 0xFF ERR, 0xFE AuthSwitchRequest, 0x01 AuthMoreData.
AuthReplyKind classify_auth_reply(Bytes payload);

} // namespace shardgate::protocol::mysql
