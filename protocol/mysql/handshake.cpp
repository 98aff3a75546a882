// Initial Handshake v10, HandshakeResponse41 and SSLRequest codecs.
// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_handshake_v10.html
// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_handshake_response.html
// https://mariadb.com/kb/en/connection/#initial-handshake-packet
#include "shardgate/protocol/mysql/handshake.hpp"

#include "shardgate/protocol/mysql/byte_io.hpp"
#include "shardgate/protocol/mysql/constants.hpp"

#include <algorithm>

namespace shardgate::protocol::mysql {
namespace {

constexpr std::size_t scramble_part1_size = 8;
constexpr std::size_t scramble_part2_min_size = 13;
constexpr std::size_t handshake_reserved_size = 6;
constexpr std::size_t response_filler_size = 19;

void append(Buffer& out, Bytes bytes) {
    out.insert(out.end(), bytes.begin(), bytes.end());
}

// Part 2 of the scramble: max(13, auth_plugin_data_len - 8) bytes, usually NUL-terminated.
bool read_scramble_part2(ByteReader& reader, std::uint8_t data_length, Buffer& scramble) {
    const std::size_t declared = data_length > scramble_part1_size + scramble_part2_min_size
                                     ? data_length - scramble_part1_size
                                     : scramble_part2_min_size;
    Bytes part2;
    if (!reader.read_bytes(std::min(declared, reader.remaining()), part2)) {
        return false;
    }
    if (!part2.empty() && part2.back() == std::byte{0}) {
        part2 = part2.first(part2.size() - 1);
    }
    append(scramble, part2);
    return true;
}

// Everything after the lower capability flags; absent on very old servers.
bool read_handshake_tail(ByteReader& reader, InitialHandshake& hs) {
    if (reader.empty()) {
        return true;
    }
    std::uint16_t upper = 0;
    std::uint8_t data_length = 0;
    if (!reader.read_u8(hs.character_set) || !reader.read_u16(hs.status_flags) ||
        !reader.read_u16(upper) || !reader.read_u8(data_length) ||
        !reader.skip(handshake_reserved_size) || !reader.read_u32(hs.mariadb_capabilities)) {
        return false;
    }
    hs.capabilities |= std::uint32_t(upper) << 16;
    if ((hs.capabilities & CLIENT_SECURE_CONNECTION) &&
        !read_scramble_part2(reader, data_length, hs.scramble)) {
        return false;
    }
    if (hs.capabilities & CLIENT_PLUGIN_AUTH) {
        std::string_view name;
        // Some servers omit the final NUL: take the rest then.
        hs.auth_plugin_name = reader.read_nul_string(name) ? name : reader.read_rest();
    }
    return true;
}

bool read_auth_response(ByteReader& reader, std::uint32_t caps, Buffer& out) {
    std::string_view data;
    if (caps & CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA) {
        if (!reader.read_lenenc_string(data)) {
            return false;
        }
    } else if (caps & CLIENT_SECURE_CONNECTION) {
        std::uint8_t length = 0;
        if (!reader.read_u8(length) || !reader.read_fixed_string(length, data)) {
            return false;
        }
    } else if (!reader.read_nul_string(data)) {
        return false;
    }
    append(out, as_bytes(data));
    return true;
}

bool read_connect_attributes(ByteReader& outer, HandshakeResponse& response) {
    std::string_view block;
    if (!outer.read_lenenc_string(block)) {
        return false;
    }
    ByteReader reader(as_bytes(block));
    while (!reader.empty()) {
        std::string_view key;
        std::string_view value;
        if (!reader.read_lenenc_string(key) || !reader.read_lenenc_string(value)) {
            return false;
        }
        response.connect_attributes.emplace_back(key, value);
    }
    return true;
}

// Optional trailing fields: database, plugin name, attributes. Clients may stop early.
bool read_response_tail(ByteReader& reader, HandshakeResponse& response) {
    const auto caps = response.capabilities;
    std::string_view text;
    if ((caps & CLIENT_CONNECT_WITH_DB) && !reader.empty()) {
        if (!reader.read_nul_string(text)) {
            return false;
        }
        response.database = text;
    }
    if ((caps & CLIENT_PLUGIN_AUTH) && !reader.empty()) {
        response.auth_plugin_name = reader.read_nul_string(text) ? text : reader.read_rest();
    }
    if ((caps & CLIENT_CONNECT_ATTRS) && !reader.empty()) {
        return read_connect_attributes(reader, response);
    }
    return true;
}

bool read_response_prefix(ByteReader& reader, std::uint32_t& caps, std::uint32_t& max_packet,
                          std::uint8_t& charset, std::uint32_t& mariadb_caps) {
    return reader.read_u32(caps) && reader.read_u32(max_packet) && reader.read_u8(charset) &&
           reader.skip(response_filler_size) && reader.read_u32(mariadb_caps);
}

void write_response_prefix(ByteWriter& writer, std::uint32_t caps, std::uint32_t max_packet,
                           std::uint8_t charset, std::uint32_t mariadb_caps) {
    writer.write_u32(caps);
    writer.write_u32(max_packet);
    writer.write_u8(charset);
    writer.write_zeros(response_filler_size);
    writer.write_u32(mariadb_caps);
}

} // namespace

Decoded<InitialHandshake> decode_initial_handshake(Bytes payload) {
    using Result = Decoded<InitialHandshake>;
    ByteReader reader(payload);
    InitialHandshake hs;
    if (!reader.read_u8(hs.protocol_version)) {
        return decode_error<Result::value_type>("empty handshake packet");
    }
    if (hs.protocol_version != 10) {
        return decode_error<Result::value_type>("unsupported handshake protocol version " +
                                                std::to_string(hs.protocol_version));
    }
    std::string_view version;
    Bytes part1;
    std::uint16_t lower = 0;
    if (!reader.read_nul_string(version) || !reader.read_u32(hs.connection_id) ||
        !reader.read_bytes(scramble_part1_size, part1) || !reader.skip(1) ||
        !reader.read_u16(lower)) {
        return decode_error<Result::value_type>("handshake packet is truncated");
    }
    hs.server_version = version;
    append(hs.scramble, part1);
    hs.capabilities = lower;
    if (!read_handshake_tail(reader, hs)) {
        return decode_error<Result::value_type>("handshake packet is truncated");
    }
    return Result(std::move(hs), payload.size());
}

void encode_initial_handshake(const InitialHandshake& hs, Buffer& payload) {
    ByteWriter writer(payload);
    const Bytes scramble(hs.scramble);
    writer.write_u8(hs.protocol_version);
    writer.write_nul_string(hs.server_version);
    writer.write_u32(hs.connection_id);
    writer.write_bytes(scramble.first(scramble_part1_size));
    writer.write_u8(0);
    writer.write_u16(static_cast<std::uint16_t>(hs.capabilities & 0xffff));
    writer.write_u8(hs.character_set);
    writer.write_u16(hs.status_flags);
    writer.write_u16(static_cast<std::uint16_t>(hs.capabilities >> 16));
    const bool plugin_auth = hs.capabilities & CLIENT_PLUGIN_AUTH;
    writer.write_u8(plugin_auth ? static_cast<std::uint8_t>(scramble.size() + 1) : 0);
    writer.write_zeros(handshake_reserved_size);
    writer.write_u32(hs.mariadb_capabilities);
    if (hs.capabilities & CLIENT_SECURE_CONNECTION) {
        const auto part2 = scramble.subspan(scramble_part1_size);
        writer.write_bytes(part2);
        const std::size_t written = part2.size() + 1; // with the terminating NUL
        writer.write_zeros(
            1 + (written < scramble_part2_min_size ? scramble_part2_min_size - written : 0));
    }
    if (plugin_auth) {
        writer.write_nul_string(hs.auth_plugin_name);
    }
}

Decoded<HandshakeResponse> decode_handshake_response(Bytes payload) {
    using Result = Decoded<HandshakeResponse>;
    ByteReader reader(payload);
    HandshakeResponse response;
    if (!read_response_prefix(reader, response.capabilities, response.max_packet_size,
                              response.character_set, response.mariadb_capabilities)) {
        return decode_error<Result::value_type>("handshake response is truncated");
    }
    if (!(response.capabilities & CLIENT_PROTOCOL_41)) {
        return decode_error<Result::value_type>(
            "HandshakeResponse320 (client without CLIENT_PROTOCOL_41) is not "
            "supported");
    }
    std::string_view user;
    if (!reader.read_nul_string(user) ||
        !read_auth_response(reader, response.capabilities, response.auth_response)) {
        return decode_error<Result::value_type>("handshake response is truncated");
    }
    response.username = user;
    if (!read_response_tail(reader, response)) {
        return decode_error<Result::value_type>(
            "handshake response has a malformed database, plugin or "
            "connect attributes field");
    }
    return Result(std::move(response), payload.size());
}

void encode_handshake_response(const HandshakeResponse& response, Buffer& payload) {
    ByteWriter writer(payload);
    const auto caps = response.capabilities;
    write_response_prefix(writer, caps, response.max_packet_size, response.character_set,
                          response.mariadb_capabilities);
    writer.write_nul_string(response.username);
    const auto auth = as_chars(response.auth_response);
    if (caps & CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA) {
        writer.write_lenenc_string(auth);
    } else if (caps & CLIENT_SECURE_CONNECTION) {
        writer.write_u8(static_cast<std::uint8_t>(auth.size()));
        writer.write_string(auth);
    } else {
        writer.write_nul_string(auth);
    }
    if (caps & CLIENT_CONNECT_WITH_DB) {
        writer.write_nul_string(response.database);
    }
    if (caps & CLIENT_PLUGIN_AUTH) {
        writer.write_nul_string(response.auth_plugin_name);
    }
    if (caps & CLIENT_CONNECT_ATTRS) {
        Buffer block;
        ByteWriter attrs(block);
        for (const auto& [key, value] : response.connect_attributes) {
            attrs.write_lenenc_string(key);
            attrs.write_lenenc_string(value);
        }
        writer.write_lenenc_string(as_chars(block));
    }
}

bool is_ssl_request(Bytes payload) {
    std::uint32_t caps = 0;
    ByteReader reader(payload);
    return payload.size() == ssl_request_size && reader.read_u32(caps) && (caps & CLIENT_SSL);
}

Decoded<SslRequest> decode_ssl_request(Bytes payload) {
    if (!is_ssl_request(payload)) {
        return decode_error<SslRequest>("not an SSLRequest packet (32 bytes with CLIENT_SSL)");
    }
    ByteReader reader(payload);
    SslRequest request;
    read_response_prefix(reader, request.capabilities, request.max_packet_size,
                         request.character_set, request.mariadb_capabilities);
    return Decoded<SslRequest>(request, payload.size());
}

void encode_ssl_request(const SslRequest& request, Buffer& payload) {
    ByteWriter writer(payload);
    write_response_prefix(writer, request.capabilities | CLIENT_SSL, request.max_packet_size,
                          request.character_set, request.mariadb_capabilities);
}

} // namespace shardgate::protocol::mysql
