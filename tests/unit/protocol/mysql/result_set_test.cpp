// Tests for column definitions, text rows and synthetic result sets
// (column_definition.cpp, text_result_set.cpp, stmt_prepare.cpp).
#include "packet_builder.hpp"
#include "shardgate/protocol/mysql/binary_row.hpp"
#include "shardgate/protocol/mysql/constants.hpp"
#include "shardgate/protocol/mysql/framing.hpp"
#include "shardgate/protocol/mysql/generic_packets.hpp"
#include "shardgate/protocol/mysql/response_tracker.hpp"
#include "shardgate/protocol/mysql/stmt_prepare.hpp"
#include "shardgate/protocol/mysql/text_result_set.hpp"

#include <gtest/gtest.h>

namespace shardgate::protocol::mysql {
namespace {

using test::PayloadBuilder;

TEST(ColumnDefinition, DecodeAndRoundTrip) {
    const Buffer payload = test::column_payload("id", MYSQL_TYPE_LONGLONG);
    auto column = decode_column_definition(payload);
    ASSERT_TRUE(column.ok()) << column.error().message;
    EXPECT_EQ(column.value().schema, "social");
    EXPECT_EQ(column.value().name, "id");
    EXPECT_EQ(column.value().type, MYSQL_TYPE_LONGLONG);
    EXPECT_EQ(column.value().character_set, 45);
    EXPECT_EQ(column.value().column_length, 255u);
    EXPECT_FALSE(column.value().default_values);
    Buffer again;
    encode_column_definition(column.value(), again);
    EXPECT_EQ(again, payload);
}

TEST(ColumnDefinition, FieldListDefaultsAndTruncation) {
    ColumnDefinition column = text_column("name");
    column.default_values = "none";
    Buffer payload;
    encode_column_definition(column, payload);
    auto back = decode_column_definition(payload);
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(back.value(), column);
    for (std::size_t n = 0; n + 5 < payload.size(); ++n) {
        EXPECT_TRUE(decode_column_definition(Bytes(payload).first(n)).is_error()) << n;
    }
}

TEST(TextRow, DecodeWithNullAndRoundTrip) {
    const Buffer payload = PayloadBuilder().lenenc_str("1").u8(0xfb).lenenc_str("");
    auto row = decode_text_row(payload, 3);
    ASSERT_TRUE(row.ok());
    EXPECT_EQ(row.value()[0], "1");
    EXPECT_FALSE(row.value()[1]);
    EXPECT_EQ(row.value()[2], "");
    Buffer again;
    encode_text_row({"1", std::nullopt, ""}, again);
    EXPECT_EQ(again, payload);
    EXPECT_TRUE(decode_text_row(payload, 4).is_error());
    EXPECT_TRUE(decode_text_row(payload, 2).is_error());
    EXPECT_TRUE(decode_text_row(PayloadBuilder().u8(5).str("ab"), 1).is_error());
}

TEST(ColumnCount, DecodeRejectsZeroAndGarbage) {
    auto count = decode_column_count(PayloadBuilder().lenenc(300));
    ASSERT_TRUE(count.ok());
    EXPECT_EQ(count.value(), 300u);
    EXPECT_TRUE(decode_column_count(PayloadBuilder().u8(0)).is_error());
    EXPECT_TRUE(decode_column_count(PayloadBuilder().u8(0xfb)).is_error());
    EXPECT_TRUE(decode_column_count(PayloadBuilder().u8(2).u8(0)).is_error());
}

// Splits a synthetic result set back into frames and follows it with the tracker.
void check_synthetic(std::uint32_t caps, std::size_t expected_frames) {
    TextResultSet rs;
    rs.columns = {text_column("shard"), text_column("key")};
    rs.rows = {{"my0", "42"}, {"my1", std::nullopt}};
    rs.status_flags = SERVER_STATUS_AUTOCOMMIT;
    Buffer wire;
    std::uint8_t seq = 1;
    encode_text_result_set(rs, caps, seq, wire);
    EXPECT_EQ(seq, 1 + expected_frames);

    ResponseTracker tracker(ResponseKind::text_query, caps);
    Bytes rest(wire);
    std::size_t frames = 0;
    TrackStep last{};
    while (!rest.empty()) {
        auto frame = decode_frame(rest);
        ASSERT_TRUE(frame.ok());
        last = tracker.on_frame(frame.value());
        if (frames == ((caps & CLIENT_DEPRECATE_EOF) ? 3u : 4u)) {
            auto row = decode_text_row(frame.value().payload, 2);
            ASSERT_TRUE(row.ok());
            EXPECT_EQ(row.value()[0], "my0");
        }
        rest = rest.subspan(frame.consumed());
        ++frames;
    }
    EXPECT_EQ(frames, expected_frames);
    EXPECT_EQ(last.status, TrackStatus::complete);
    EXPECT_EQ(tracker.summary().rows, 2u);
    EXPECT_EQ(tracker.summary().status_flags, SERVER_STATUS_AUTOCOMMIT);
}

TEST(BinaryResultSet, SyntheticRowsReadByTheTrackerAndTheRowDecoder) {
    for (const std::uint32_t caps :
         {CLIENT_PROTOCOL_41, CLIENT_PROTOCOL_41 | CLIENT_DEPRECATE_EOF}) {
        TextResultSet rs;
        auto count = text_column("n");
        count.type = MYSQL_TYPE_LONGLONG;
        auto big = text_column("u");
        big.type = MYSQL_TYPE_LONGLONG;
        big.flags = 0x0020; // UNSIGNED
        rs.columns = {count, big, text_column("shard")};
        rs.rows = {{"-7", "18446744073709551615", "my0"}, {"0", std::nullopt, std::nullopt}};
        rs.status_flags = SERVER_STATUS_AUTOCOMMIT;
        Buffer wire;
        std::uint8_t seq = 1;
        ASSERT_TRUE(encode_binary_result_set(rs, caps, seq, wire));
        ResponseTracker tracker(ResponseKind::stmt_execute, caps);
        const std::vector<ParamType> types{column_value_type(count), column_value_type(big),
                                           column_value_type(rs.columns[2])};
        const std::size_t first_row = (caps & CLIENT_DEPRECATE_EOF) ? 4 : 5;
        Bytes rest(wire);
        std::size_t frames = 0;
        TrackStep last{};
        while (!rest.empty()) {
            auto frame = decode_frame(rest);
            ASSERT_TRUE(frame.ok());
            last = tracker.on_frame(frame.value());
            if (frames == first_row || frames == first_row + 1) {
                auto row = decode_binary_row(frame.value().payload, types);
                ASSERT_TRUE(row.ok());
                if (frames == first_row) {
                    EXPECT_EQ(std::get<std::int64_t>(row.value()[0]), -7);
                    EXPECT_EQ(std::get<std::uint64_t>(row.value()[1]), 18446744073709551615u);
                    EXPECT_EQ(std::get<std::string_view>(row.value()[2]), "my0");
                } else {
                    EXPECT_EQ(std::get<std::int64_t>(row.value()[0]), 0);
                    EXPECT_TRUE(std::holds_alternative<std::monostate>(row.value()[1]));
                }
            }
            rest = rest.subspan(frame.consumed());
            ++frames;
        }
        EXPECT_EQ(frames, first_row + 3);
        EXPECT_EQ(last.status, TrackStatus::complete);
        EXPECT_EQ(tracker.summary().rows, 2u);
    }
    // An integer column with text that is not an integer: nothing written.
    TextResultSet bad;
    auto column = text_column("n");
    column.type = MYSQL_TYPE_LONG;
    bad.columns = {column};
    bad.rows = {{"12x"}};
    Buffer wire;
    std::uint8_t seq = 1;
    EXPECT_FALSE(encode_binary_result_set(bad, CLIENT_PROTOCOL_41, seq, wire));
    EXPECT_TRUE(wire.empty());
    EXPECT_EQ(seq, 1);
    // out of range for the type, or for the column's width
    bad.columns[0].type = MYSQL_TYPE_LONGLONG;
    bad.rows = {{"99999999999999999999"}};
    EXPECT_FALSE(encode_binary_result_set(bad, CLIENT_PROTOCOL_41, seq, wire));
    bad.columns[0].type = MYSQL_TYPE_TINY;
    bad.rows = {{"300"}};
    EXPECT_FALSE(encode_binary_result_set(bad, CLIENT_PROTOCOL_41, seq, wire));
    bad.rows = {{"-128"}};
    EXPECT_TRUE(encode_binary_result_set(bad, CLIENT_PROTOCOL_41, seq, wire));
}

TEST(TextResultSet, SyntheticWithEof) {
    check_synthetic(CLIENT_PROTOCOL_41, 1 + 2 + 1 + 2 + 1);
}

TEST(TextResultSet, SyntheticWithDeprecateEof) {
    check_synthetic(CLIENT_PROTOCOL_41 | CLIENT_DEPRECATE_EOF, 1 + 2 + 2 + 1);
}

TEST(StmtPrepareOk, RoundTripAndTruncation) {
    StmtPrepareOk ok{7, 2, 3, 1};
    Buffer payload;
    encode_stmt_prepare_ok(ok, payload);
    EXPECT_EQ(payload, PayloadBuilder().u8(0).u32(7).u16(2).u16(3).u8(0).u16(1).build());
    auto back = decode_stmt_prepare_ok(payload);
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(back.value(), ok);
    for (std::size_t n = 0; n < payload.size(); ++n) {
        EXPECT_TRUE(decode_stmt_prepare_ok(Bytes(payload).first(n)).is_error());
    }
}

} // namespace
} // namespace shardgate::protocol::mysql
