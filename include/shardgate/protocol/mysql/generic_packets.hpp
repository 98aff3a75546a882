// The generic response packets: OK, ERR and EOF (both directions).
// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_response_packets.html
#pragma once

#include "shardgate/protocol/mysql/decoded.hpp"
#include "shardgate/protocol/mysql/session_track.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace shardgate::protocol::mysql {

/// OK packet. https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_ok_packet.html
struct OkPacket {
    std::uint8_t header = 0x00; ///< 0x00, or 0xFE when it ends a result set (DEPRECATE_EOF)
    std::uint64_t affected_rows = 0;
    std::uint64_t last_insert_id = 0;
    std::uint16_t status_flags = 0;
    std::uint16_t warnings = 0;
    std::string info;
    /// Present when SERVER_SESSION_STATE_CHANGED is set (CLIENT_SESSION_TRACK only).
    std::vector<SessionStateChange> session_state_changes;

    bool operator==(const OkPacket&) const = default;
};

/// Decodes an OK packet payload for the given negotiated capabilities. Accepts both headers;
/// with 0xFE the payload must be shorter than 0xFFFFFF (else it is a row).
Decoded<OkPacket> decode_ok_packet(Bytes payload, std::uint32_t capabilities);
/// Encodes an OK packet payload. With CLIENT_SESSION_TRACK the info is length-encoded and
/// session state changes are written when SERVER_SESSION_STATE_CHANGED is set in status_flags.
void encode_ok_packet(const OkPacket& ok, std::uint32_t capabilities, Buffer& payload);

/// ERR packet.
/// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_err_packet.html
struct ErrPacket {
    std::uint16_t error_code = 0;
    std::string sql_state = "HY000"; ///< 5 characters; empty when the server sent none
    std::string message;

    bool operator==(const ErrPacket&) const = default;
};

/// Decodes an ERR payload. The '#'+SQLSTATE part is read when present (servers omit it in
/// errors sent before capabilities are agreed).
Decoded<ErrPacket> decode_err_packet(Bytes payload, std::uint32_t capabilities);
/// Encodes an ERR payload; '#'+SQLSTATE is written with CLIENT_PROTOCOL_41.
void encode_err_packet(const ErrPacket& err, std::uint32_t capabilities, Buffer& payload);

/// EOF packet (pre-DEPRECATE_EOF).
/// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_eof_packet.html
struct EofPacket {
    std::uint16_t warnings = 0;
    std::uint16_t status_flags = 0;

    bool operator==(const EofPacket&) const = default;
};

/// True when a payload is an EOF packet: 0xFE header and fewer than 9 bytes.
bool is_eof_packet(Bytes payload);
Decoded<EofPacket> decode_eof_packet(Bytes payload, std::uint32_t capabilities);
void encode_eof_packet(const EofPacket& eof, std::uint32_t capabilities, Buffer& payload);

/// The ERR packet to send a peer whose bytes failed to decode: the Decoded error code with its
/// SQLSTATE (08S01 for framing errors, HY000 otherwise) and message.
ErrPacket err_for_decode_failure(std::uint16_t error_code, std::string message);

/// The end of a result set as the client expects it: an EOF packet, or with
/// CLIENT_DEPRECATE_EOF an OK packet with the 0xFE header carrying the same flags.
void encode_result_set_end(std::uint16_t status_flags, std::uint16_t warnings,
                           std::uint32_t capabilities, Buffer& payload);

} // namespace shardgate::protocol::mysql
