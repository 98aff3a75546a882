// MySQL packet framing: the 4-byte header (3-byte payload length + sequence id), physical
// frames for cheap forwarding, and reassembly of payloads split at 0xFFFFFF bytes.
// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_packets.html
#pragma once

#include "shardgate/protocol/mysql/decoded.hpp"

#include <cstddef>
#include <cstdint>

namespace shardgate::protocol::mysql {

inline constexpr std::size_t packet_header_size = 4;
/// Largest payload of one physical packet; a frame this long is continued by the next one.
inline constexpr std::size_t max_frame_payload = 0xffffff;
/// Default cap on a reassembled payload (MariaDB's max_allowed_packet ceiling is 1 GiB).
inline constexpr std::size_t default_max_payload = 64u * 1024 * 1024;

struct PacketHeader {
    std::uint32_t payload_length = 0; ///< 0 .. 0xFFFFFF
    std::uint8_t sequence_id = 0;
};

/// Decodes a header from the first 4 bytes; need_more when fewer.
Decoded<PacketHeader> decode_packet_header(Bytes input);
/// Appends a 4-byte header. Precondition: payload_length <= 0xFFFFFF.
void encode_packet_header(const PacketHeader& header, Buffer& out);

/// One physical packet, viewed in the caller's buffer (valid while the buffer is).
struct Frame {
    PacketHeader header;
    Bytes payload;
    /// True when the payload is 0xFFFFFF bytes: the logical packet goes on in the next frame.
    bool continued() const { return header.payload_length == max_frame_payload; }
};

/// Splits one physical packet off the front of `input` without looking at its body.
/// consumed = 4 + payload length. The cheap path for forwarding.
Decoded<Frame> decode_frame(Bytes input);

/// Where one logical packet (one or more frames) lies in the input, without copying it.
struct PacketExtent {
    std::uint8_t first_sequence_id = 0;
    std::uint8_t last_sequence_id = 0;
    std::size_t payload_length = 0; ///< total over all frames
    std::size_t frame_count = 0;
    Bytes first_payload; ///< payload of the first frame (the whole payload when frame_count==1)
};

/// Locates a complete logical packet: need_more until its last frame is present; an error
/// with ER_NET_PACKET_TOO_LARGE as soon as the payload grows past `max_payload`, and with
/// ER_NET_PACKETS_OUT_OF_ORDER when continuation frames skip a sequence id.
Decoded<PacketExtent> scan_packet(Bytes input, std::size_t max_payload = default_max_payload);

/// A reassembled logical packet (owned payload).
struct Packet {
    std::uint8_t sequence_id = 0;      ///< of the first frame
    std::uint8_t last_sequence_id = 0; ///< of the last frame; the next packet uses this + 1
    Buffer payload;
};

/// scan_packet + copy of the payload out of its frames.
Decoded<Packet> decode_packet(Bytes input, std::size_t max_payload = default_max_payload);

/// Frames `payload` into `wire`, splitting at 0xFFFFFF (with an empty trailing frame when the
/// payload is an exact multiple of it). `sequence_id` is used for the first frame and left at
/// the id the next packet must carry.
void append_packet(Buffer& wire, std::uint8_t& sequence_id, Bytes payload);

} // namespace shardgate::protocol::mysql
