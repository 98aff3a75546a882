// Tests of the backend decoders on messages built field by field.
#include "message_builder.hpp"
#include "shardgate/protocol/pg/backend_decoder.hpp"

#include <gtest/gtest.h>

namespace shardgate::protocol::pg {
namespace {

using test::frame_of;
using test::MessageBuilder;
using test::text;

TEST(BackendDecoder, AuthenticationRequests) {
    auto ok = MessageBuilder(PqMsg_AuthenticationRequest).i32(AUTH_REQ_OK).build();
    auto clear = MessageBuilder(PqMsg_AuthenticationRequest).i32(AUTH_REQ_PASSWORD).build();
    auto md5 = MessageBuilder(PqMsg_AuthenticationRequest)
                   .i32(AUTH_REQ_MD5)
                   .raw("\x01\x02\x03\x04")
                   .build();
    auto sasl = MessageBuilder(PqMsg_AuthenticationRequest)
                    .i32(AUTH_REQ_SASL)
                    .str("SCRAM-SHA-256-PLUS")
                    .str("SCRAM-SHA-256")
                    .i8(0)
                    .build();
    auto cont = MessageBuilder(PqMsg_AuthenticationRequest)
                    .i32(AUTH_REQ_SASL_CONT)
                    .raw("r=x,s=y,i=1")
                    .build();
    auto fin =
        MessageBuilder(PqMsg_AuthenticationRequest).i32(AUTH_REQ_SASL_FIN).raw("v=abc").build();

    EXPECT_TRUE(
        std::holds_alternative<AuthenticationOk>(decode_authentication(frame_of(ok)).value()));
    EXPECT_TRUE(std::holds_alternative<AuthenticationCleartextPassword>(
        decode_authentication(frame_of(clear)).value()));
    auto m = std::get<AuthenticationMD5Password>(decode_authentication(frame_of(md5)).value());
    EXPECT_EQ(m.salt[0], std::byte{1});
    EXPECT_EQ(m.salt[3], std::byte{4});
    auto s = std::get<AuthenticationSASL>(decode_authentication(frame_of(sasl)).value());
    EXPECT_EQ(s.mechanisms, (std::vector<std::string_view>{"SCRAM-SHA-256-PLUS", "SCRAM-SHA-256"}));
    EXPECT_EQ(
        text(std::get<AuthenticationSASLContinue>(decode_authentication(frame_of(cont)).value())
                 .data),
        "r=x,s=y,i=1");
    EXPECT_EQ(
        text(std::get<AuthenticationSASLFinal>(decode_authentication(frame_of(fin)).value()).data),
        "v=abc");
}

TEST(BackendDecoder, AuthenticationErrors) {
    auto gss = MessageBuilder(PqMsg_AuthenticationRequest).i32(AUTH_REQ_GSS).build();
    auto short_salt =
        MessageBuilder(PqMsg_AuthenticationRequest).i32(AUTH_REQ_MD5).raw("ab").build();
    auto unterminated =
        MessageBuilder(PqMsg_AuthenticationRequest).i32(AUTH_REQ_SASL).str("SCRAM-SHA-256").build();
    auto ok_with_junk = MessageBuilder(PqMsg_AuthenticationRequest).i32(AUTH_REQ_OK).i8(1).build();
    EXPECT_EQ(decode_authentication(frame_of(gss)).error().code, ErrorCode::unsupported);
    EXPECT_EQ(decode_authentication(frame_of(short_salt)).error().code, ErrorCode::truncated);
    EXPECT_EQ(decode_authentication(frame_of(unterminated)).error().code,
              ErrorCode::missing_terminator);
    EXPECT_EQ(decode_authentication(frame_of(ok_with_junk)).error().code,
              ErrorCode::trailing_bytes);
}

TEST(BackendDecoder, SessionStatus) {
    auto key = MessageBuilder(PqMsg_BackendKeyData).i32(4242).i32(-99).build();
    auto param = MessageBuilder(PqMsg_ParameterStatus).str("server_version").str("15.18").build();
    auto k = decode_backend_key_data(frame_of(key));
    auto p = decode_parameter_status(frame_of(param));
    ASSERT_TRUE(k && p);
    EXPECT_EQ(k.value().process_id, 4242);
    EXPECT_EQ(k.value().secret_key, -99);
    EXPECT_EQ(p.value().name, "server_version");
    EXPECT_EQ(p.value().value, "15.18");
}

TEST(BackendDecoder, ReadyForQueryStatuses) {
    for (auto [byte, status] : {std::pair{'I', TransactionStatus::idle},
                                std::pair{'T', TransactionStatus::in_transaction},
                                std::pair{'E', TransactionStatus::failed}}) {
        auto bytes = MessageBuilder(PqMsg_ReadyForQuery).i8(byte).build();
        auto decoded = decode_ready_for_query(frame_of(bytes));
        ASSERT_TRUE(decoded);
        EXPECT_EQ(decoded.value().status, status);
    }
    auto bad = MessageBuilder(PqMsg_ReadyForQuery).i8('X').build();
    auto empty = MessageBuilder(PqMsg_ReadyForQuery).build();
    EXPECT_EQ(decode_ready_for_query(frame_of(bad)).error().code, ErrorCode::bad_value);
    EXPECT_EQ(decode_ready_for_query(frame_of(empty)).error().code, ErrorCode::truncated);
}

TEST(BackendDecoder, ErrorResponseAllFields) {
    auto bytes = MessageBuilder(PqMsg_ErrorResponse)
                     .i8('S')
                     .str("ERROR")
                     .i8('V')
                     .str("ERROR")
                     .i8('C')
                     .str("23505")
                     .i8('M')
                     .str("duplicate key value violates unique constraint \"t_pkey\"")
                     .i8('D')
                     .str("Key (id)=(1) already exists.")
                     .i8('H')
                     .str("try another")
                     .i8('P')
                     .str("15")
                     .i8('s')
                     .str("public")
                     .i8('t')
                     .str("t")
                     .i8('n')
                     .str("t_pkey")
                     .i8('F')
                     .str("nbtinsert.c")
                     .i8('L')
                     .str("664")
                     .i8('R')
                     .str("_bt_check_unique")
                     .i8(0)
                     .build();
    auto decoded = decode_error_response(frame_of(bytes));
    ASSERT_TRUE(decoded) << decoded.error().message;
    auto& error = decoded.value();
    EXPECT_EQ(error.fields.size(), 13u);
    EXPECT_EQ(error.field(PG_DIAG_SQLSTATE), "23505");
    EXPECT_EQ(error.field(PG_DIAG_MESSAGE_DETAIL), "Key (id)=(1) already exists.");
    EXPECT_EQ(error.field(PG_DIAG_CONSTRAINT_NAME), "t_pkey");
    EXPECT_EQ(error.field(PG_DIAG_SOURCE_FUNCTION), "_bt_check_unique");
    EXPECT_FALSE(error.field(PG_DIAG_CONTEXT));
}

TEST(BackendDecoder, NoticeAndErrorMalformed) {
    auto notice =
        MessageBuilder(PqMsg_NoticeResponse).i8('S').str("NOTICE").i8('M').str("hi").i8(0).build();
    EXPECT_EQ(decode_notice_response(frame_of(notice)).value().field('M'), "hi");
    auto no_final_zero = MessageBuilder(PqMsg_ErrorResponse).i8('S').str("ERROR").build();
    auto unterminated = MessageBuilder(PqMsg_ErrorResponse).i8('S').raw("ERROR").build();
    EXPECT_EQ(decode_error_response(frame_of(no_final_zero)).error().code, ErrorCode::truncated);
    EXPECT_EQ(decode_error_response(frame_of(unterminated)).error().code,
              ErrorCode::missing_terminator);
}

TEST(BackendDecoder, RowDescriptionAndDataRow) {
    auto row_description = MessageBuilder(PqMsg_RowDescription)
                               .i16(2)
                               .str("id")
                               .i32(16384)
                               .i16(1)
                               .i32(20)
                               .i16(8)
                               .i32(-1)
                               .i16(0)
                               .str("name")
                               .i32(16384)
                               .i16(2)
                               .i32(25)
                               .i16(-1)
                               .i32(-1)
                               .i16(1)
                               .build();
    auto rd = decode_row_description(frame_of(row_description));
    ASSERT_TRUE(rd) << rd.error().message;
    ASSERT_EQ(rd.value().fields.size(), 2u);
    EXPECT_EQ(rd.value().fields[0].name, "id");
    EXPECT_EQ(rd.value().fields[0].type_oid, 20u);
    EXPECT_EQ(rd.value().fields[0].table_oid, 16384u);
    EXPECT_EQ(rd.value().fields[1].column_attribute, 2);
    EXPECT_EQ(rd.value().fields[1].type_size, -1);
    EXPECT_EQ(rd.value().fields[1].format, FormatCode::binary);

    auto data_row = MessageBuilder(PqMsg_DataRow).i16(3).value("1").i32(-1).value("").build();
    auto dr = decode_data_row(frame_of(data_row));
    ASSERT_TRUE(dr);
    ASSERT_EQ(dr.value().values.size(), 3u);
    EXPECT_EQ(text(*dr.value().values[0]), "1");
    EXPECT_FALSE(dr.value().values[1]);
    EXPECT_TRUE(dr.value().values[2]->empty());

    auto short_row = MessageBuilder(PqMsg_DataRow).i16(2).value("1").build();
    EXPECT_EQ(decode_data_row(frame_of(short_row)).error().code, ErrorCode::truncated);
}

TEST(BackendDecoder, CompletionAndEmptyMessages) {
    EXPECT_EQ(decode_command_complete(
                  frame_of(MessageBuilder(PqMsg_CommandComplete).str("INSERT 0 3").build()))
                  .value()
                  .tag,
              "INSERT 0 3");
    EXPECT_TRUE(decode_parse_complete(frame_of(MessageBuilder(PqMsg_ParseComplete).build())));
    EXPECT_TRUE(decode_bind_complete(frame_of(MessageBuilder(PqMsg_BindComplete).build())));
    EXPECT_TRUE(decode_close_complete(frame_of(MessageBuilder(PqMsg_CloseComplete).build())));
    EXPECT_TRUE(decode_no_data(frame_of(MessageBuilder(PqMsg_NoData).build())));
    EXPECT_TRUE(decode_portal_suspended(frame_of(MessageBuilder(PqMsg_PortalSuspended).build())));
    EXPECT_TRUE(
        decode_empty_query_response(frame_of(MessageBuilder(PqMsg_EmptyQueryResponse).build())));
}

TEST(BackendDecoder, ParameterDescriptionAndCopy) {
    auto pd = MessageBuilder(PqMsg_ParameterDescription).i16(2).i32(23).i32(25).build();
    EXPECT_EQ(decode_parameter_description(frame_of(pd)).value().types,
              (std::vector<std::uint32_t>{23, 25}));
    auto in = MessageBuilder(PqMsg_CopyInResponse).i8(0).i16(2).i16(0).i16(0).build();
    auto out = MessageBuilder(PqMsg_CopyOutResponse).i8(1).i16(1).i16(1).build();
    auto ci = decode_copy_in_response(frame_of(in));
    auto co = decode_copy_out_response(frame_of(out));
    ASSERT_TRUE(ci && co);
    EXPECT_EQ(ci.value().format, FormatCode::text);
    EXPECT_EQ(ci.value().column_formats.size(), 2u);
    EXPECT_EQ(co.value().format, FormatCode::binary);
    auto bad_overall = MessageBuilder(PqMsg_CopyOutResponse).i8(2).i16(0).build();
    EXPECT_EQ(decode_copy_out_response(frame_of(bad_overall)).error().code, ErrorCode::bad_value);
}

TEST(BackendDecoder, NotificationAndNegotiation) {
    auto n = MessageBuilder(PqMsg_NotificationResponse).i32(7).str("chan").str("payload").build();
    auto v = MessageBuilder(PqMsg_NegotiateProtocolVersion).i32(0).i32(1).str("_pq_.x").build();
    auto huge_count = MessageBuilder(PqMsg_NegotiateProtocolVersion).i32(0).i32(1000000).build();
    EXPECT_EQ(decode_notification_response(frame_of(n)).value().channel, "chan");
    EXPECT_EQ(decode_negotiate_protocol_version(frame_of(v)).value().unrecognized_options,
              std::vector<std::string_view>{"_pq_.x"});
    EXPECT_EQ(decode_negotiate_protocol_version(frame_of(huge_count)).error().code,
              ErrorCode::bad_length);
}

TEST(BackendDecoder, GenericDispatchOverAResponseStream) {
    auto stream = test::concat({
        MessageBuilder(PqMsg_RowDescription)
            .i16(1)
            .str("?column?")
            .i32(0)
            .i16(0)
            .i32(23)
            .i16(4)
            .i32(-1)
            .i16(0)
            .build(),
        MessageBuilder(PqMsg_DataRow).i16(1).value("1").build(),
        MessageBuilder(PqMsg_CommandComplete).str("SELECT 1").build(),
        MessageBuilder(PqMsg_ReadyForQuery).i8('I').build(),
    });
    ByteView rest(stream);
    std::vector<std::size_t> kinds;
    while (!rest.empty()) {
        auto decoded = decode_backend_message(rest);
        ASSERT_TRUE(decoded.ok());
        kinds.push_back(decoded.value().index());
        rest = rest.subspan(decoded.consumed());
    }
    EXPECT_EQ(kinds.size(), 4u);
    EXPECT_TRUE(std::holds_alternative<ReadyForQuery>(
        decode_backend_message(frame_of(MessageBuilder(PqMsg_ReadyForQuery).i8('T').build()))
            .value()));
    EXPECT_EQ(decode_backend_message(frame_of(MessageBuilder('!').build())).error().code,
              ErrorCode::unexpected_type);
}

} // namespace
} // namespace shardgate::protocol::pg
