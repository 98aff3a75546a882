// Tests for the response tracking state machine (response_tracker.cpp): EOF vs DEPRECATE_EOF
// result sets, multi-results, prepare responses, binary rows, errors mid-stream.
#include "packet_builder.hpp"
#include "shardgate/protocol/mysql/constants.hpp"
#include "shardgate/protocol/mysql/response_tracker.hpp"

#include <gtest/gtest.h>

namespace shardgate::protocol::mysql {
namespace {

using test::PayloadBuilder;

constexpr std::uint32_t caps_eof = CLIENT_PROTOCOL_41 | CLIENT_TRANSACTIONS;
constexpr std::uint32_t caps_deprecate = caps_eof | CLIENT_DEPRECATE_EOF;
constexpr std::uint16_t autocommit = SERVER_STATUS_AUTOCOMMIT;

// Frames payloads with consecutive sequence ids from 1 and feeds them; returns each step.
std::vector<TrackStep> feed(ResponseTracker& tracker, const std::vector<Buffer>& payloads,
                            std::uint8_t first_seq = 1) {
    std::vector<TrackStep> steps;
    std::uint8_t seq = first_seq;
    for (const auto& payload : payloads) {
        Buffer wire = test::frame(payload, seq++);
        auto frame = decode_frame(wire);
        steps.push_back(tracker.on_frame(frame.value()));
    }
    return steps;
}

// Every step but the last says more; the last says complete.
void expect_ends_at_last(const std::vector<TrackStep>& steps) {
    for (std::size_t i = 0; i + 1 < steps.size(); ++i) {
        EXPECT_EQ(steps[i].status, TrackStatus::more) << "packet " << i;
    }
    EXPECT_EQ(steps.back().status, TrackStatus::complete);
}

Buffer text_row(std::string_view a) {
    return PayloadBuilder().lenenc_str(a).lenenc_str("x");
}

TEST(ResponseTracker, TextResultSetWithEof) {
    ResponseTracker tracker(ResponseKind::text_query, caps_eof);
    auto steps =
        feed(tracker, {PayloadBuilder().u8(2), test::column_payload("1"), test::column_payload("x"),
                       test::eof_payload(autocommit), text_row("1"), text_row("2"),
                       test::eof_payload(autocommit | SERVER_STATUS_IN_TRANS, 1)});
    expect_ends_at_last(steps);
    EXPECT_EQ(steps[0].role, PacketRole::column_count);
    EXPECT_EQ(steps[3].role, PacketRole::eof);
    EXPECT_EQ(steps[4].role, PacketRole::row);
    EXPECT_TRUE(tracker.complete());
    EXPECT_EQ(tracker.summary().rows, 2u);
    EXPECT_EQ(tracker.summary().result_sets, 1u);
    EXPECT_EQ(tracker.summary().warnings, 1);
    EXPECT_TRUE(tracker.summary().in_transaction());
    EXPECT_TRUE(tracker.summary().succeeded());
}

TEST(ResponseTracker, TextResultSetWithDeprecateEof) {
    ResponseTracker tracker(ResponseKind::text_query, caps_deprecate);
    auto steps = feed(tracker, {PayloadBuilder().u8(1), test::column_payload("a"), text_row("1"),
                                test::ok_payload(autocommit, 0, 0, 0xfe)});
    expect_ends_at_last(steps);
    EXPECT_EQ(steps[2].role, PacketRole::row);
    EXPECT_EQ(steps[3].role, PacketRole::eof);
    EXPECT_EQ(tracker.summary().status_flags, autocommit);
    EXPECT_EQ(tracker.summary().ok_results, 0u);
}

TEST(ResponseTracker, DeprecateEofRowStartingWith0xFEIsARowWhenHuge) {
    // A text row whose first value is >= 16 MiB starts with 0xFE and fills a whole frame.
    ResponseTracker tracker(ResponseKind::text_query, caps_deprecate);
    feed(tracker, {PayloadBuilder().u8(1), test::column_payload("blob")});
    Buffer big = PayloadBuilder().u8(0xfe).u64(max_frame_payload + 10);
    big.resize(max_frame_payload, std::byte{'z'});
    Buffer wire = test::concat({test::frame(big, 3), test::frame(Buffer(19, std::byte{'z'}), 4)});
    auto f1 = decode_frame(wire);
    EXPECT_EQ(tracker.on_frame(f1.value()).role, PacketRole::row);
    auto f2 = decode_frame(Bytes(wire).subspan(f1.consumed()));
    auto s2 = tracker.on_frame(f2.value());
    EXPECT_EQ(s2.role, PacketRole::continuation);
    EXPECT_EQ(s2.status, TrackStatus::more);
    auto last = feed(tracker, {test::ok_payload(autocommit, 0, 0, 0xfe)}, 5);
    EXPECT_EQ(last[0].status, TrackStatus::complete);
    EXPECT_EQ(tracker.summary().rows, 1u);
}

TEST(ResponseTracker, EofModeTreatsLong0xFEPacketAsRow) {
    ResponseTracker tracker(ResponseKind::text_query, caps_eof);
    auto steps =
        feed(tracker, {PayloadBuilder().u8(1), test::column_payload("a"), test::eof_payload(0),
                       PayloadBuilder().u8(0xfe).u64(3).str("abc"), test::eof_payload(autocommit)});
    expect_ends_at_last(steps);
    EXPECT_EQ(steps[3].role, PacketRole::row);
}

TEST(ResponseTracker, MultiResultsWithEof) {
    // CALL p(): a result set, then another, then the final OK.
    ResponseTracker tracker(ResponseKind::text_query, caps_eof);
    const std::uint16_t more = SERVER_MORE_RESULTS_EXISTS | autocommit;
    auto steps =
        feed(tracker, {PayloadBuilder().u8(1), test::column_payload("a"), test::eof_payload(more),
                       text_row("1"), test::eof_payload(more), PayloadBuilder().u8(1),
                       test::column_payload("b"), test::eof_payload(more), test::eof_payload(more),
                       test::ok_payload(autocommit, 5, 9)});
    expect_ends_at_last(steps);
    EXPECT_EQ(steps.back().role, PacketRole::ok);
    EXPECT_EQ(tracker.summary().result_sets, 2u);
    EXPECT_EQ(tracker.summary().rows, 1u);
    EXPECT_EQ(tracker.summary().affected_rows, 5u);
    EXPECT_EQ(tracker.summary().last_insert_id, 9u);
}

TEST(ResponseTracker, MultiStatementOksWithDeprecateEof) {
    // "INSERT ...; SELECT 1; UPDATE ..."
    ResponseTracker tracker(ResponseKind::text_query, caps_deprecate);
    const std::uint16_t more = SERVER_MORE_RESULTS_EXISTS | autocommit;
    auto steps =
        feed(tracker, {test::ok_payload(more, 1, 10), PayloadBuilder().u8(1),
                       test::column_payload("1"), text_row("1"), test::ok_payload(more, 0, 0, 0xfe),
                       test::ok_payload(autocommit, 3, 0)});
    expect_ends_at_last(steps);
    EXPECT_EQ(tracker.summary().ok_results, 2u);
    EXPECT_EQ(tracker.summary().affected_rows, 3u);
}

TEST(ResponseTracker, ErrorMidStreamEndsTheResponse) {
    ResponseTracker tracker(ResponseKind::text_query, caps_eof);
    auto steps =
        feed(tracker,
             {PayloadBuilder().u8(1), test::column_payload("a"), test::eof_payload(autocommit),
              text_row("1"), test::err_payload(1317, "70100", "Query execution was interrupted")});
    expect_ends_at_last(steps);
    EXPECT_EQ(steps.back().role, PacketRole::err);
    ASSERT_TRUE(tracker.summary().error);
    EXPECT_EQ(tracker.summary().error->error_code, 1317);
    EXPECT_EQ(tracker.summary().error->sql_state, "70100");
    EXPECT_FALSE(tracker.summary().succeeded());
    // Anything after the end is a protocol error.
    auto after = feed(tracker, {test::ok_payload(0)}, 6);
    EXPECT_EQ(after[0].status, TrackStatus::protocol_error);
}

TEST(ResponseTracker, ErrorAfterFirstResultOfMultiResults) {
    ResponseTracker tracker(ResponseKind::text_query, caps_deprecate);
    auto steps = feed(tracker, {test::ok_payload(SERVER_MORE_RESULTS_EXISTS),
                                test::err_payload(1146, "42S02", "Table doesn't exist")});
    expect_ends_at_last(steps);
    EXPECT_EQ(tracker.summary().error->error_code, 1146);
}

TEST(ResponseTracker, OkWithSessionTrackingIsKept) {
    const std::uint32_t caps = caps_deprecate | CLIENT_SESSION_TRACK;
    const Buffer schema = PayloadBuilder().lenenc_str("social");
    const Buffer ok = PayloadBuilder()
                          .u8(0)
                          .lenenc(0)
                          .lenenc(0)
                          .u16(SERVER_SESSION_STATE_CHANGED | autocommit)
                          .u16(0)
                          .lenenc_str("")
                          .lenenc(2 + schema.size())
                          .u8(SESSION_TRACK_SCHEMA)
                          .lenenc(schema.size())
                          .raw(schema);
    ResponseTracker tracker(ResponseKind::simple, caps);
    auto steps = feed(tracker, {ok});
    EXPECT_EQ(steps[0].status, TrackStatus::complete);
    ASSERT_TRUE(tracker.summary().last_ok);
    ASSERT_EQ(tracker.summary().last_ok->session_state_changes.size(), 1u);
    EXPECT_EQ(tracker.summary().last_ok->session_state_changes[0].name, "social");
}

TEST(ResponseTracker, PrepareWithEof) {
    ResponseTracker tracker(ResponseKind::stmt_prepare, caps_eof);
    const Buffer prepare_ok = PayloadBuilder().u8(0).u32(12).u16(2).u16(1).u8(0).u16(0);
    auto steps = feed(tracker, {prepare_ok, test::column_payload("?"), test::eof_payload(0),
                                test::column_payload("a"), test::column_payload("b"),
                                test::eof_payload(autocommit)});
    expect_ends_at_last(steps);
    EXPECT_EQ(steps[0].role, PacketRole::prepare_ok);
    ASSERT_TRUE(tracker.summary().prepare_ok);
    EXPECT_EQ(tracker.summary().prepare_ok->statement_id, 12u);
    EXPECT_EQ(tracker.summary().prepare_ok->num_columns, 2);
    EXPECT_EQ(tracker.summary().prepare_ok->num_params, 1);
}

TEST(ResponseTracker, PrepareWithDeprecateEof) {
    ResponseTracker tracker(ResponseKind::stmt_prepare, caps_deprecate);
    const Buffer prepare_ok = PayloadBuilder().u8(0).u32(1).u16(1).u16(2).u8(0).u16(0);
    auto steps = feed(tracker, {prepare_ok, test::column_payload("?"), test::column_payload("?"),
                                test::column_payload("a")});
    expect_ends_at_last(steps);
    // No OK or EOF: nothing is known of autocommit or the transaction (flags 0 would say
    // autocommit off and no transaction).
    EXPECT_FALSE(tracker.summary().status_known);
    ResponseTracker with_eof(ResponseKind::stmt_prepare, caps_eof);
    feed(with_eof,
         {prepare_ok, test::column_payload("?"), test::column_payload("?"),
          test::eof_payload(autocommit), test::column_payload("a"), test::eof_payload(autocommit)});
    EXPECT_TRUE(with_eof.summary().status_known);
    EXPECT_EQ(with_eof.summary().status_flags, autocommit);
}

TEST(ResponseTracker, PrepareWithoutParamsOrColumnsEndsAtFirstPacket) {
    ResponseTracker tracker(ResponseKind::stmt_prepare, caps_eof);
    auto steps = feed(tracker, {PayloadBuilder().u8(0).u32(1).u16(0).u16(0).u8(0).u16(0)});
    EXPECT_EQ(steps[0].status, TrackStatus::complete);
    ResponseTracker only_params(ResponseKind::stmt_prepare, caps_eof);
    steps = feed(only_params, {PayloadBuilder().u8(0).u32(1).u16(0).u16(1).u8(0).u16(0),
                               test::column_payload("?"), test::eof_payload(0)});
    expect_ends_at_last(steps);
    ResponseTracker error(ResponseKind::stmt_prepare, caps_eof);
    steps = feed(error, {test::err_payload(1064, "42000", "syntax")});
    EXPECT_EQ(steps[0].status, TrackStatus::complete);
}

TEST(ResponseTracker, ExecuteBinaryRows) {
    for (auto caps : {caps_eof, caps_deprecate}) {
        ResponseTracker tracker(ResponseKind::stmt_execute, caps);
        std::vector<Buffer> packets = {PayloadBuilder().u8(1), test::column_payload("id", 8)};
        if (!(caps & CLIENT_DEPRECATE_EOF)) {
            packets.push_back(test::eof_payload(0));
        }
        packets.push_back(PayloadBuilder().u8(0).u8(0).u64(42));
        packets.push_back(PayloadBuilder().u8(0).u8(0b100)); // NULL (bit offset 2)
        packets.push_back(caps & CLIENT_DEPRECATE_EOF ? test::ok_payload(autocommit, 0, 0, 0xfe)
                                                      : test::eof_payload(autocommit));
        auto steps = feed(tracker, packets);
        expect_ends_at_last(steps);
        EXPECT_EQ(tracker.summary().rows, 2u);
    }
    ResponseTracker bad(ResponseKind::stmt_execute, caps_deprecate);
    auto steps = feed(bad, {PayloadBuilder().u8(1), test::column_payload("id"),
                            PayloadBuilder().lenenc_str("text row")});
    EXPECT_EQ(steps.back().status, TrackStatus::protocol_error);
    EXPECT_EQ(bad.state(), ResponseState::failed);
}

TEST(ResponseTracker, ExecuteWithCursorEndsAfterMetadata) {
    ResponseTracker tracker(ResponseKind::stmt_execute, caps_eof);
    auto steps = feed(tracker, {PayloadBuilder().u8(1), test::column_payload("id"),
                                test::eof_payload(SERVER_STATUS_CURSOR_EXISTS)});
    expect_ends_at_last(steps);
    ResponseTracker fetch(ResponseKind::stmt_fetch, caps_eof);
    steps =
        feed(fetch, {PayloadBuilder().u8(0).u8(0).u32(1),
                     test::eof_payload(SERVER_STATUS_CURSOR_EXISTS | SERVER_STATUS_LAST_ROW_SENT)});
    expect_ends_at_last(steps);
}

TEST(ResponseTracker, ExecuteOkOnly) {
    ResponseTracker tracker(ResponseKind::stmt_execute, caps_eof);
    auto steps = feed(tracker, {test::ok_payload(autocommit | SERVER_STATUS_IN_TRANS, 1, 77)});
    EXPECT_EQ(steps[0].status, TrackStatus::complete);
    EXPECT_EQ(tracker.summary().last_insert_id, 77u);
    EXPECT_TRUE(tracker.summary().in_transaction());
}

TEST(ResponseTracker, FieldList) {
    for (auto caps : {caps_eof, caps_deprecate}) {
        ResponseTracker tracker(ResponseKind::field_list, caps);
        auto steps =
            feed(tracker, {test::column_payload("a"), test::column_payload("b"),
                           caps & CLIENT_DEPRECATE_EOF ? test::ok_payload(autocommit, 0, 0, 0xfe)
                                                       : test::eof_payload(autocommit)});
        expect_ends_at_last(steps);
    }
}

TEST(ResponseTracker, SimpleCommands) {
    ResponseTracker ping(ResponseKind::simple, caps_eof);
    EXPECT_EQ(feed(ping, {test::ok_payload(autocommit)})[0].status, TrackStatus::complete);
    ResponseTracker set_option(ResponseKind::simple, caps_eof);
    EXPECT_EQ(feed(set_option, {test::eof_payload(autocommit)})[0].status, TrackStatus::complete);
    ResponseTracker garbage(ResponseKind::simple, caps_eof);
    EXPECT_EQ(feed(garbage, {PayloadBuilder().u8(0x42)})[0].status, TrackStatus::protocol_error);
    ResponseTracker statistics(ResponseKind::single_packet, caps_eof);
    EXPECT_EQ(feed(statistics, {test::bytes_of("Uptime: 5")})[0].status, TrackStatus::complete);
    EXPECT_EQ(response_kind_for(COM_STMT_CLOSE), ResponseKind::none);
    EXPECT_EQ(response_kind_for(COM_PING), ResponseKind::simple);
    EXPECT_EQ(response_kind_for(COM_QUERY), ResponseKind::text_query);
    EXPECT_EQ(response_kind_for(COM_STMT_PREPARE), ResponseKind::stmt_prepare);
    ResponseTracker none(ResponseKind::none, caps_eof);
    EXPECT_TRUE(none.complete());
}

TEST(ResponseTracker, LocalInfileRequest) {
    ResponseTracker tracker(ResponseKind::text_query, caps_eof);
    auto steps = feed(tracker, {PayloadBuilder().u8(0xfb).str("/etc/passwd")});
    EXPECT_EQ(steps[0].status, TrackStatus::send_local_infile);
    EXPECT_EQ(steps[0].role, PacketRole::local_infile_request);
    // The proxy refuses by sending an empty packet (seq 2); the reply comes with seq 3.
    steps = feed(tracker, {test::err_payload(1148, "42000", "not allowed")}, 3);
    EXPECT_EQ(steps[0].status, TrackStatus::complete);
    EXPECT_EQ(tracker.summary().error->error_code, 1148);
}

TEST(ResponseTracker, MalformedInputGivesProtocolErrors) {
    const std::vector<std::pair<ResponseKind, std::vector<Buffer>>> cases = {
        {ResponseKind::text_query, {PayloadBuilder().u8(0xfe)}},
        {ResponseKind::text_query, {PayloadBuilder().u8(0).u8(0xfc)}},
        {ResponseKind::text_query, {Buffer{}}},
        {ResponseKind::text_query,
         {PayloadBuilder().u8(1), test::column_payload("a"), test::column_payload("b")}},
        {ResponseKind::text_query, {PayloadBuilder().u8(0xff).u8(1)}},
        {ResponseKind::stmt_prepare, {PayloadBuilder().u8(0).u32(1)}},
        {ResponseKind::stmt_execute, {PayloadBuilder().u8(0xfb)}},
    };
    for (const auto& [kind, packets] : cases) {
        ResponseTracker tracker(kind, caps_eof);
        auto steps = feed(tracker, packets);
        EXPECT_EQ(steps.back().status, TrackStatus::protocol_error);
        EXPECT_FALSE(tracker.protocol_error().empty());
        EXPECT_EQ(response_state_name(tracker.state()), "failed");
    }
}

TEST(ResponseTracker, SequenceGapIsAProtocolError) {
    ResponseTracker tracker(ResponseKind::text_query, caps_eof);
    feed(tracker, {PayloadBuilder().u8(1)});
    auto steps = feed(tracker, {test::column_payload("a")}, 5);
    EXPECT_EQ(steps[0].status, TrackStatus::protocol_error);
}

} // namespace
} // namespace shardgate::protocol::mysql
