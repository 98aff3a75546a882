// MySQL packet framing and multi-frame payload reassembly.
// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_packets.html
#include "shardgate/protocol/mysql/framing.hpp"

#include "shardgate/protocol/mysql/byte_io.hpp"

#include <algorithm>
#include <string>

namespace shardgate::protocol::mysql {

Decoded<PacketHeader> decode_packet_header(Bytes input) {
    if (input.size() < packet_header_size) {
        return Decoded<PacketHeader>::incomplete();
    }
    ByteReader reader(input);
    PacketHeader header;
    reader.read_u24(header.payload_length);
    reader.read_u8(header.sequence_id);
    return Decoded<PacketHeader>(header, packet_header_size);
}

void encode_packet_header(const PacketHeader& header, Buffer& out) {
    ByteWriter writer(out);
    writer.write_u24(header.payload_length);
    writer.write_u8(header.sequence_id);
}

Decoded<Frame> decode_frame(Bytes input) {
    auto header = decode_packet_header(input);
    if (!header.ok()) {
        return forward_failure<Frame>(header);
    }
    const std::size_t total = packet_header_size + header.value().payload_length;
    if (input.size() < total) {
        return Decoded<Frame>::incomplete();
    }
    Frame frame{header.value(), input.subspan(packet_header_size, total - packet_header_size)};
    return Decoded<Frame>(frame, total);
}

Decoded<PacketExtent> scan_packet(Bytes input, std::size_t max_payload) {
    PacketExtent extent;
    std::size_t offset = 0;
    while (true) {
        // The size check needs the header alone, so an oversized packet fails before its
        // body is buffered.
        auto header = decode_packet_header(input.subspan(offset));
        if (!header.ok()) {
            return Decoded<PacketExtent>::incomplete();
        }
        const auto& h = header.value();
        if (extent.payload_length + h.payload_length > max_payload) {
            return decode_error<PacketExtent>("packet payload exceeds the limit of " +
                                                  std::to_string(max_payload) + " bytes",
                                              ER_NET_PACKET_TOO_LARGE);
        }
        if (extent.frame_count > 0 &&
            h.sequence_id != static_cast<std::uint8_t>(extent.last_sequence_id + 1)) {
            return decode_error<PacketExtent>("continuation frame has sequence id " +
                                                  std::to_string(h.sequence_id),
                                              ER_NET_PACKETS_OUT_OF_ORDER);
        }
        auto frame = decode_frame(input.subspan(offset));
        if (frame.need_more()) {
            return Decoded<PacketExtent>::incomplete();
        }
        if (extent.frame_count == 0) {
            extent.first_sequence_id = h.sequence_id;
            extent.first_payload = frame.value().payload;
        }
        extent.last_sequence_id = h.sequence_id;
        extent.payload_length += h.payload_length;
        ++extent.frame_count;
        offset += frame.consumed();
        if (!frame.value().continued()) {
            return Decoded<PacketExtent>(extent, offset);
        }
    }
}

Decoded<Packet> decode_packet(Bytes input, std::size_t max_payload) {
    auto extent = scan_packet(input, max_payload);
    if (!extent.ok()) {
        return forward_failure<Packet>(extent);
    }
    Packet packet;
    packet.sequence_id = extent.value().first_sequence_id;
    packet.last_sequence_id = extent.value().last_sequence_id;
    packet.payload.reserve(extent.value().payload_length);
    std::size_t offset = 0;
    for (std::size_t i = 0; i < extent.value().frame_count; ++i) {
        auto frame = decode_frame(input.subspan(offset));
        const Bytes payload = frame.value().payload;
        packet.payload.insert(packet.payload.end(), payload.begin(), payload.end());
        offset += frame.consumed();
    }
    return Decoded<Packet>(std::move(packet), extent.consumed());
}

void append_packet(Buffer& wire, std::uint8_t& sequence_id, Bytes payload) {
    std::size_t offset = 0;
    while (true) {
        const std::size_t chunk = std::min(max_frame_payload, payload.size() - offset);
        encode_packet_header({static_cast<std::uint32_t>(chunk), sequence_id++}, wire);
        const auto part = payload.subspan(offset, chunk);
        wire.insert(wire.end(), part.begin(), part.end());
        offset += chunk;
        if (chunk < max_frame_payload) {
            return;
        }
    }
}

} // namespace shardgate::protocol::mysql
