// AuthSwitchRequest and AuthMoreData codecs.
// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_auth_switch_request.html
// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_auth_more_data.html
#include "shardgate/protocol/mysql/auth_packets.hpp"

#include "shardgate/protocol/mysql/byte_io.hpp"
#include "shardgate/protocol/mysql/constants.hpp"

namespace shardgate::protocol::mysql {

Decoded<AuthSwitchRequest> decode_auth_switch_request(Bytes payload) {
    using Result = Decoded<AuthSwitchRequest>;
    ByteReader reader(payload);
    std::uint8_t header = 0;
    if (!reader.read_u8(header) || header != AUTH_SWITCH_HEADER) {
        return decode_error<Result::value_type>("not an AuthSwitchRequest packet");
    }
    if (reader.empty()) {
        return decode_error<Result::value_type>(
            "old-style AuthSwitchRequest (mysql_old_password) is not supported");
    }
    AuthSwitchRequest request;
    std::string_view name;
    if (!reader.read_nul_string(name)) {
        return decode_error<Result::value_type>(
            "AuthSwitchRequest plugin name is not NUL-terminated");
    }
    request.plugin_name = name;
    const auto data = as_bytes(reader.read_rest());
    request.plugin_data.assign(data.begin(), data.end());
    return Result(std::move(request), payload.size());
}

void encode_auth_switch_request(const AuthSwitchRequest& request, Buffer& payload) {
    ByteWriter writer(payload);
    writer.write_u8(AUTH_SWITCH_HEADER);
    writer.write_nul_string(request.plugin_name);
    writer.write_bytes(request.plugin_data);
}

Bytes auth_switch_scramble(const AuthSwitchRequest& request) {
    Bytes data(request.plugin_data);
    if (!data.empty() && data.back() == std::byte{0}) {
        return data.first(data.size() - 1);
    }
    return data;
}

Decoded<AuthMoreData> decode_auth_more_data(Bytes payload) {
    if (payload.empty() || std::to_integer<std::uint8_t>(payload[0]) != AUTH_MORE_DATA_HEADER) {
        return decode_error<AuthMoreData>("not an AuthMoreData packet");
    }
    AuthMoreData more;
    more.data.assign(payload.begin() + 1, payload.end());
    return Decoded<AuthMoreData>(std::move(more), payload.size());
}

void encode_auth_more_data(Bytes data, Buffer& payload) {
    ByteWriter writer(payload);
    writer.write_u8(AUTH_MORE_DATA_HEADER);
    writer.write_bytes(data);
}

AuthReplyKind classify_auth_reply(Bytes payload) {
    if (payload.empty()) {
        return AuthReplyKind::unknown;
    }
    switch (std::to_integer<std::uint8_t>(payload[0])) {
    case OK_HEADER:
        return AuthReplyKind::ok;
    case ERR_HEADER:
        return AuthReplyKind::err;
    case AUTH_SWITCH_HEADER:
        return AuthReplyKind::auth_switch;
    case AUTH_MORE_DATA_HEADER:
        return AuthReplyKind::auth_more_data;
    default:
        return AuthReplyKind::unknown;
    }
}

} // namespace shardgate::protocol::mysql
