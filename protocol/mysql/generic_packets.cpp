// OK, ERR and EOF packet codecs.
// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_response_packets.html
#include "shardgate/protocol/mysql/generic_packets.hpp"

#include "shardgate/protocol/mysql/byte_io.hpp"
#include "shardgate/protocol/mysql/constants.hpp"
#include "shardgate/protocol/mysql/framing.hpp"

namespace shardgate::protocol::mysql {
namespace {

bool read_ok_flags(ByteReader& reader, std::uint32_t capabilities, OkPacket& ok) {
    if (capabilities & CLIENT_PROTOCOL_41) {
        return reader.read_u16(ok.status_flags) && reader.read_u16(ok.warnings);
    }
    if (capabilities & CLIENT_TRANSACTIONS) {
        return reader.read_u16(ok.status_flags);
    }
    return true;
}

// With CLIENT_SESSION_TRACK: lenenc info (servers may omit it when nothing follows), then the
// session state block when the status flag says so.
bool read_ok_tail(ByteReader& reader, std::uint32_t capabilities, OkPacket& ok,
                  std::string& problem) {
    if (!(capabilities & CLIENT_SESSION_TRACK)) {
        ok.info = reader.read_rest();
        return true;
    }
    std::string_view text;
    if (!reader.empty() && !reader.read_lenenc_string(text)) {
        problem = "OK packet info string is truncated";
        return false;
    }
    ok.info = text;
    if (!(ok.status_flags & SERVER_SESSION_STATE_CHANGED) || reader.empty()) {
        return true;
    }
    std::string_view block;
    if (!reader.read_lenenc_string(block)) {
        problem = "OK packet session state block is truncated";
        return false;
    }
    auto changes = decode_session_state_info(as_bytes(block));
    if (!changes.ok()) {
        problem = changes.error().message;
        return false;
    }
    ok.session_state_changes = std::move(changes.value());
    return true;
}

} // namespace

Decoded<OkPacket> decode_ok_packet(Bytes payload, std::uint32_t capabilities) {
    ByteReader reader(payload);
    OkPacket ok;
    if (!reader.read_u8(ok.header) || (ok.header != OK_HEADER && ok.header != EOF_HEADER)) {
        return decode_error<OkPacket>("not an OK packet");
    }
    if (ok.header == EOF_HEADER && payload.size() >= max_frame_payload) {
        return decode_error<OkPacket>("0xFE packet too long for an OK packet");
    }
    if (!reader.read_lenenc_int(ok.affected_rows) || !reader.read_lenenc_int(ok.last_insert_id) ||
        !read_ok_flags(reader, capabilities, ok)) {
        return decode_error<OkPacket>("OK packet is truncated");
    }
    std::string problem;
    if (!read_ok_tail(reader, capabilities, ok, problem)) {
        return decode_error<OkPacket>(problem);
    }
    return Decoded<OkPacket>(std::move(ok), payload.size());
}

void encode_ok_packet(const OkPacket& ok, std::uint32_t capabilities, Buffer& payload) {
    ByteWriter writer(payload);
    writer.write_u8(ok.header);
    writer.write_lenenc_int(ok.affected_rows);
    writer.write_lenenc_int(ok.last_insert_id);
    if (capabilities & CLIENT_PROTOCOL_41) {
        writer.write_u16(ok.status_flags);
        writer.write_u16(ok.warnings);
    } else if (capabilities & CLIENT_TRANSACTIONS) {
        writer.write_u16(ok.status_flags);
    }
    if (!(capabilities & CLIENT_SESSION_TRACK)) {
        writer.write_string(ok.info);
        return;
    }
    writer.write_lenenc_string(ok.info);
    if (ok.status_flags & SERVER_SESSION_STATE_CHANGED) {
        Buffer block;
        encode_session_state_info(ok.session_state_changes, block);
        writer.write_lenenc_string(as_chars(block));
    }
}

Decoded<ErrPacket> decode_err_packet(Bytes payload, std::uint32_t capabilities) {
    ByteReader reader(payload);
    std::uint8_t header = 0;
    ErrPacket err;
    if (!reader.read_u8(header) || header != ERR_HEADER) {
        return decode_error<ErrPacket>("not an ERR packet");
    }
    if (!reader.read_u16(err.error_code)) {
        return decode_error<ErrPacket>("ERR packet is truncated");
    }
    std::uint8_t marker = 0;
    err.sql_state.clear();
    if ((capabilities & CLIENT_PROTOCOL_41) && reader.peek_u8(marker) && marker == '#') {
        std::string_view state;
        reader.skip(1);
        if (!reader.read_fixed_string(5, state)) {
            return decode_error<ErrPacket>("ERR packet SQLSTATE is truncated");
        }
        err.sql_state = state;
    }
    err.message = reader.read_rest();
    return Decoded<ErrPacket>(std::move(err), payload.size());
}

void encode_err_packet(const ErrPacket& err, std::uint32_t capabilities, Buffer& payload) {
    ByteWriter writer(payload);
    writer.write_u8(ERR_HEADER);
    writer.write_u16(err.error_code);
    if (capabilities & CLIENT_PROTOCOL_41) {
        std::string state = err.sql_state.substr(0, 5);
        state.resize(5, '0');
        writer.write_u8('#');
        writer.write_string(state);
    }
    writer.write_string(err.message);
}

bool is_eof_packet(Bytes payload) {
    return !payload.empty() && std::to_integer<std::uint8_t>(payload[0]) == EOF_HEADER &&
           payload.size() < 9;
}

Decoded<EofPacket> decode_eof_packet(Bytes payload, std::uint32_t capabilities) {
    if (!is_eof_packet(payload)) {
        return decode_error<EofPacket>("not an EOF packet");
    }
    ByteReader reader(payload.subspan(1));
    EofPacket eof;
    if ((capabilities & CLIENT_PROTOCOL_41) &&
        (!reader.read_u16(eof.warnings) || !reader.read_u16(eof.status_flags))) {
        return decode_error<EofPacket>("EOF packet is truncated");
    }
    return Decoded<EofPacket>(eof, payload.size());
}

void encode_eof_packet(const EofPacket& eof, std::uint32_t capabilities, Buffer& payload) {
    ByteWriter writer(payload);
    writer.write_u8(EOF_HEADER);
    if (capabilities & CLIENT_PROTOCOL_41) {
        writer.write_u16(eof.warnings);
        writer.write_u16(eof.status_flags);
    }
}

ErrPacket err_for_decode_failure(std::uint16_t error_code, std::string message) {
    const bool framing =
        error_code == ER_NET_PACKET_TOO_LARGE || error_code == ER_NET_PACKETS_OUT_OF_ORDER;
    return {error_code, framing ? "08S01" : "HY000", std::move(message)};
}

void encode_result_set_end(std::uint16_t status_flags, std::uint16_t warnings,
                           std::uint32_t capabilities, Buffer& payload) {
    if (capabilities & CLIENT_DEPRECATE_EOF) {
        OkPacket ok;
        ok.header = EOF_HEADER;
        ok.status_flags = status_flags;
        ok.warnings = warnings;
        encode_ok_packet(ok, capabilities, payload);
        return;
    }
    encode_eof_packet({warnings, status_flags}, capabilities, payload);
}

} // namespace shardgate::protocol::mysql
