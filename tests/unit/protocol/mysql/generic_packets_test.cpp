// Tests for OK / ERR / EOF packets and session state tracking (generic_packets.cpp,
// session_track.cpp).
#include "packet_builder.hpp"
#include "shardgate/protocol/mysql/constants.hpp"
#include "shardgate/protocol/mysql/generic_packets.hpp"

#include <gtest/gtest.h>

namespace shardgate::protocol::mysql {
namespace {

using test::PayloadBuilder;

constexpr std::uint32_t caps41 = CLIENT_PROTOCOL_41 | CLIENT_TRANSACTIONS;
constexpr std::uint32_t caps_track = caps41 | CLIENT_SESSION_TRACK;

TEST(OkPacket, DecodesPlainOk) {
    const Buffer payload = PayloadBuilder()
                               .u8(0)
                               .lenenc(3)
                               .lenenc(300)
                               .u16(SERVER_STATUS_AUTOCOMMIT | SERVER_STATUS_IN_TRANS)
                               .u16(2)
                               .str("Rows matched: 3");
    auto ok = decode_ok_packet(payload, caps41);
    ASSERT_TRUE(ok.ok()) << ok.error().message;
    EXPECT_EQ(ok.value().affected_rows, 3u);
    EXPECT_EQ(ok.value().last_insert_id, 300u);
    EXPECT_EQ(ok.value().status_flags, SERVER_STATUS_AUTOCOMMIT | SERVER_STATUS_IN_TRANS);
    EXPECT_EQ(ok.value().warnings, 2);
    EXPECT_EQ(ok.value().info, "Rows matched: 3");
}

TEST(OkPacket, DecodesSessionTrackingEntries) {
    const Buffer var = PayloadBuilder().lenenc_str("autocommit").lenenc_str("OFF");
    const Buffer schema = PayloadBuilder().lenenc_str("social");
    const Buffer state = PayloadBuilder().str("1"); // bare, as servers send it
    const Buffer gtids = PayloadBuilder().u8(0).lenenc_str("0-1-42");
    const Buffer trx = PayloadBuilder().lenenc_str("T_______");
    const Buffer chars = PayloadBuilder().lenenc_str("START TRANSACTION READ ONLY;");
    const Buffer block = PayloadBuilder()
                             .u8(SESSION_TRACK_SYSTEM_VARIABLES)
                             .lenenc(var.size())
                             .raw(var)
                             .u8(SESSION_TRACK_SCHEMA)
                             .lenenc(schema.size())
                             .raw(schema)
                             .u8(SESSION_TRACK_STATE_CHANGE)
                             .lenenc(state.size())
                             .raw(state)
                             .u8(SESSION_TRACK_GTIDS)
                             .lenenc(gtids.size())
                             .raw(gtids)
                             .u8(SESSION_TRACK_TRANSACTION_STATE)
                             .lenenc(trx.size())
                             .raw(trx)
                             .u8(SESSION_TRACK_TRANSACTION_CHARACTERISTICS)
                             .lenenc(chars.size())
                             .raw(chars);
    const Buffer payload = PayloadBuilder()
                               .u8(0)
                               .lenenc(0)
                               .lenenc(0)
                               .u16(SERVER_SESSION_STATE_CHANGED | SERVER_STATUS_IN_TRANS)
                               .u16(0)
                               .lenenc_str("")
                               .lenenc(block.size())
                               .raw(block);
    auto ok = decode_ok_packet(payload, caps_track);
    ASSERT_TRUE(ok.ok()) << ok.error().message;
    const auto& changes = ok.value().session_state_changes;
    ASSERT_EQ(changes.size(), 6u);
    EXPECT_EQ(changes[0].name, "autocommit");
    EXPECT_EQ(changes[0].value, "OFF");
    EXPECT_EQ(changes[1].type, SESSION_TRACK_SCHEMA);
    EXPECT_EQ(changes[1].name, "social");
    EXPECT_EQ(changes[2].value, "1");
    EXPECT_EQ(changes[3].value, "0-1-42");
    EXPECT_EQ(changes[4].value, "T_______");
    EXPECT_EQ(changes[5].value, "START TRANSACTION READ ONLY;");

    Buffer again;
    encode_ok_packet(ok.value(), caps_track, again);
    EXPECT_EQ(again, payload);
}

TEST(OkPacket, MariaDbLoginOkWithSessionState) {
    // As MariaDB 10.11 sends it after authentication with CLIENT_SESSION_TRACK.
    const Buffer payload = PayloadBuilder()
                               .u8(0)
                               .u8(0)
                               .u8(0)
                               .u16(SERVER_SESSION_STATE_CHANGED | SERVER_STATUS_AUTOCOMMIT)
                               .u16(0)
                               .u8(0) // empty info
                               .u8(26)
                               .u8(SESSION_TRACK_SCHEMA)
                               .u8(7)
                               .lenenc_str("social")
                               .u8(SESSION_TRACK_STATE_CHANGE)
                               .u8(1)
                               .str("1")
                               .u8(SESSION_TRACK_TRANSACTION_STATE)
                               .u8(9)
                               .lenenc_str("________")
                               .u8(SESSION_TRACK_TRANSACTION_CHARACTERISTICS)
                               .u8(1)
                               .lenenc_str("");
    auto ok = decode_ok_packet(payload, caps_track);
    ASSERT_TRUE(ok.ok()) << ok.error().message;
    const auto& changes = ok.value().session_state_changes;
    ASSERT_EQ(changes.size(), 4u);
    EXPECT_EQ(changes[0].name, "social");
    EXPECT_EQ(changes[1].value, "1");
    EXPECT_EQ(changes[2].value, "________");
    EXPECT_EQ(changes[3].value, "");
    Buffer again;
    encode_ok_packet(ok.value(), caps_track, again);
    EXPECT_EQ(again, payload);
}

TEST(OkPacket, SessionTrackWithoutInfoIsAccepted) {
    const Buffer payload = PayloadBuilder().u8(0).lenenc(1).lenenc(0).u16(2).u16(0);
    auto ok = decode_ok_packet(payload, caps_track);
    ASSERT_TRUE(ok.ok());
    EXPECT_EQ(ok.value().affected_rows, 1u);
    EXPECT_TRUE(ok.value().info.empty());
}

TEST(OkPacket, RoundTripsWithAndWithoutTracking) {
    OkPacket ok;
    ok.affected_rows = 70000;
    ok.last_insert_id = 1ull << 40;
    ok.status_flags = SERVER_STATUS_AUTOCOMMIT;
    ok.warnings = 1;
    ok.info = "done";
    for (auto caps : {caps41, caps_track}) {
        Buffer payload;
        encode_ok_packet(ok, caps, payload);
        auto back = decode_ok_packet(payload, caps);
        ASSERT_TRUE(back.ok());
        EXPECT_EQ(back.value(), ok);
    }
}

TEST(OkPacket, TruncatedPacketsAreErrorsAtEveryLength) {
    OkPacket ok;
    ok.affected_rows = 1000;
    ok.status_flags = SERVER_SESSION_STATE_CHANGED;
    ok.info = "x";
    ok.session_state_changes.push_back({SESSION_TRACK_SCHEMA, "social", "", 0, ""});
    Buffer payload;
    encode_ok_packet(ok, caps_track, payload);
    // Shorter prefixes either fail or (when cut exactly after the flags) parse without info;
    // none may crash or claim bytes beyond the input.
    for (std::size_t n = 0; n < payload.size(); ++n) {
        auto result = decode_ok_packet(Bytes(payload).first(n), caps_track);
        if (result.ok()) {
            EXPECT_LE(result.consumed(), n);
        }
    }
    EXPECT_TRUE(decode_ok_packet(Bytes(payload).first(3), caps_track).is_error());
    EXPECT_TRUE(decode_ok_packet(test::bytes_of("\x01"), caps_track).is_error());
}

TEST(ErrPacket, RoundTripAndDecode) {
    const Buffer payload = test::err_payload(1045, "28000", "Access denied for user 'x'");
    auto err = decode_err_packet(payload, caps41);
    ASSERT_TRUE(err.ok());
    EXPECT_EQ(err.value().error_code, 1045);
    EXPECT_EQ(err.value().sql_state, "28000");
    EXPECT_EQ(err.value().message, "Access denied for user 'x'");
    Buffer again;
    encode_err_packet(err.value(), caps41, again);
    EXPECT_EQ(again, payload);
}

TEST(ErrPacket, WithoutSqlStateMarker) {
    const Buffer payload = PayloadBuilder().u8(0xff).u16(1130).str("Host is not allowed");
    auto err = decode_err_packet(payload, caps41);
    ASSERT_TRUE(err.ok());
    EXPECT_EQ(err.value().sql_state, "");
    EXPECT_EQ(err.value().message, "Host is not allowed");
    EXPECT_TRUE(decode_err_packet(PayloadBuilder().u8(0xff).u8(1), caps41).is_error());
    EXPECT_TRUE(decode_err_packet(PayloadBuilder().u8(0xff).u16(1).str("#HY"), caps41).is_error());
}

TEST(ErrPacket, ForDecodeFailure) {
    auto failed = decode_ok_packet(Buffer{}, caps41);
    const ErrPacket err = err_for_decode_failure(failed.error().code, failed.error().message);
    EXPECT_EQ(err.error_code, ER_MALFORMED_PACKET);
    EXPECT_EQ(err.sql_state, "HY000");
    EXPECT_EQ(err_for_decode_failure(ER_NET_PACKET_TOO_LARGE, "big").sql_state, "08S01");
}

TEST(EofPacket, RoundTripAndRecognition) {
    Buffer payload;
    encode_eof_packet({3, SERVER_MORE_RESULTS_EXISTS}, caps41, payload);
    EXPECT_EQ(payload, test::eof_payload(SERVER_MORE_RESULTS_EXISTS, 3));
    EXPECT_TRUE(is_eof_packet(payload));
    auto eof = decode_eof_packet(payload, caps41);
    ASSERT_TRUE(eof.ok());
    EXPECT_EQ(eof.value().warnings, 3);
    EXPECT_EQ(eof.value().status_flags, SERVER_MORE_RESULTS_EXISTS);
    // 0xFE followed by 8 more bytes is a row, not an EOF.
    EXPECT_FALSE(is_eof_packet(PayloadBuilder().u8(0xfe).u64(1)));
    EXPECT_TRUE(decode_eof_packet(PayloadBuilder().u8(0xfe).u16(0), caps41).is_error());
}

TEST(ResultSetEnd, EofOrOkDependingOnDeprecateEof) {
    Buffer eof;
    encode_result_set_end(SERVER_STATUS_AUTOCOMMIT, 0, caps41, eof);
    EXPECT_EQ(eof, test::eof_payload(SERVER_STATUS_AUTOCOMMIT));
    Buffer ok;
    encode_result_set_end(SERVER_STATUS_AUTOCOMMIT, 0, caps41 | CLIENT_DEPRECATE_EOF, ok);
    EXPECT_EQ(ok, test::ok_payload(SERVER_STATUS_AUTOCOMMIT, 0, 0, 0xfe));
}

TEST(SessionTrack, MalformedEntriesAreErrors) {
    EXPECT_TRUE(decode_session_state_info(PayloadBuilder().u8(0)).is_error());
    EXPECT_TRUE(decode_session_state_info(PayloadBuilder().u8(1).lenenc(5).str("ab")).is_error());
    // A schema entry whose inner string overruns its entry.
    EXPECT_TRUE(
        decode_session_state_info(PayloadBuilder().u8(1).lenenc(2).u8(9).str("a")).is_error());
    auto unknown = decode_session_state_info(PayloadBuilder().u8(0x42).lenenc(2).str("zz"));
    ASSERT_TRUE(unknown.ok());
    EXPECT_EQ(unknown.value()[0].raw, "zz");
}

} // namespace
} // namespace shardgate::protocol::mysql
