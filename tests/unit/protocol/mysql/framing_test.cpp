// Tests for packet framing and multi-frame reassembly (protocol/mysql/framing.cpp).
#include "packet_builder.hpp"
#include "shardgate/protocol/mysql/framing.hpp"

#include <gtest/gtest.h>

namespace shardgate::protocol::mysql {
namespace {

using test::concat;
using test::frame;
using test::PayloadBuilder;

Buffer filled(std::size_t n, std::uint8_t value) {
    return Buffer(n, std::byte{value});
}

TEST(Framing, HeaderRoundTrip) {
    Buffer out;
    encode_packet_header({0x123456, 9}, out);
    auto header = decode_packet_header(out);
    ASSERT_TRUE(header.ok());
    EXPECT_EQ(header.value().payload_length, 0x123456u);
    EXPECT_EQ(header.value().sequence_id, 9);
    EXPECT_EQ(header.consumed(), 4u);
    EXPECT_TRUE(decode_packet_header(Bytes(out).first(3)).need_more());
}

TEST(Framing, FrameNeedsMoreAtEverySplitPoint) {
    const Buffer wire = concat({frame(test::bytes_of("\x03SELECT 1"), 0), frame({}, 1)});
    const std::size_t first_size = 4 + 9;
    for (std::size_t cut = 0; cut < first_size; ++cut) {
        EXPECT_TRUE(decode_frame(Bytes(wire).first(cut)).need_more()) << cut;
        EXPECT_TRUE(decode_packet(Bytes(wire).first(cut)).need_more()) << cut;
    }
    auto f = decode_frame(wire);
    ASSERT_TRUE(f.ok());
    EXPECT_EQ(f.consumed(), first_size);
    EXPECT_EQ(test::text_of(f.value().payload), "\x03SELECT 1");
    auto empty = decode_frame(Bytes(wire).subspan(first_size));
    ASSERT_TRUE(empty.ok());
    EXPECT_EQ(empty.value().header.sequence_id, 1);
    EXPECT_TRUE(empty.value().payload.empty());
}

TEST(Framing, ReassemblesPayloadSplitAtMaxFrameSize) {
    const Buffer part1 = filled(max_frame_payload, 0xaa);
    const Buffer part2 = filled(10, 0xbb);
    const Buffer wire = concat({frame(part1, 3), frame(part2, 4), frame(test::bytes_of("x"), 5)});
    auto packet = decode_packet(wire);
    ASSERT_TRUE(packet.ok());
    EXPECT_EQ(packet.value().sequence_id, 3);
    EXPECT_EQ(packet.value().last_sequence_id, 4);
    EXPECT_EQ(packet.value().payload.size(), max_frame_payload + 10);
    EXPECT_EQ(packet.value().payload.back(), std::byte{0xbb});
    EXPECT_EQ(packet.consumed(), 4 + max_frame_payload + 4 + 10);
    auto extent = scan_packet(wire);
    ASSERT_TRUE(extent.ok());
    EXPECT_EQ(extent.value().frame_count, 2u);
    EXPECT_EQ(extent.value().first_payload.size(), max_frame_payload);
    // Cut just before and inside the continuation frame.
    for (std::size_t cut : {std::size_t{4} + max_frame_payload, 4 + max_frame_payload + 3,
                            4 + max_frame_payload + 4 + 9}) {
        EXPECT_TRUE(decode_packet(Bytes(wire).first(cut)).need_more()) << cut;
    }
}

TEST(Framing, ExactMultipleEndsWithEmptyFrame) {
    const Buffer payload = filled(max_frame_payload, 0x11);
    Buffer wire;
    std::uint8_t seq = 0;
    append_packet(wire, seq, payload);
    EXPECT_EQ(seq, 2);
    EXPECT_EQ(wire.size(), 4 + max_frame_payload + 4);
    EXPECT_TRUE(decode_packet(Bytes(wire).first(wire.size() - 1)).need_more());
    auto packet = decode_packet(wire);
    ASSERT_TRUE(packet.ok());
    EXPECT_EQ(packet.value().payload, payload);
    EXPECT_EQ(packet.value().last_sequence_id, 1);
}

TEST(Framing, AppendPacketRoundTripsLargePayload) {
    Buffer payload = filled(2 * max_frame_payload + 100, 0);
    for (std::size_t i = 0; i < payload.size(); i += 4099) {
        payload[i] = std::byte(i & 0xff);
    }
    Buffer wire;
    std::uint8_t seq = 255;
    append_packet(wire, seq, payload);
    EXPECT_EQ(seq, 2); // 255, 0, 1 used
    auto packet = decode_packet(wire, 3 * max_frame_payload);
    ASSERT_TRUE(packet.ok());
    EXPECT_EQ(packet.value().sequence_id, 255);
    EXPECT_EQ(packet.value().payload, payload);
}

TEST(Framing, OversizedPayloadFailsBeforeBodyArrives) {
    const Buffer wire = frame(filled(100, 1), 0);
    auto result = decode_packet(Bytes(wire).first(4), 50);
    ASSERT_TRUE(result.is_error());
    EXPECT_EQ(result.error().code, ER_NET_PACKET_TOO_LARGE);
    EXPECT_TRUE(decode_packet(wire, 100).ok());
}

TEST(Framing, ContinuationWithWrongSequenceIsAnError) {
    const Buffer wire = concat({frame(filled(max_frame_payload, 1), 0), frame(filled(1, 2), 5)});
    auto result = decode_packet(wire);
    ASSERT_TRUE(result.is_error());
    EXPECT_EQ(result.error().code, ER_NET_PACKETS_OUT_OF_ORDER);
}

} // namespace
} // namespace shardgate::protocol::mysql
