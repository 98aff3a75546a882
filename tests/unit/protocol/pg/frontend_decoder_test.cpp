// Tests of the frontend decoders on messages built field by field.
#include "message_builder.hpp"
#include "shardgate/protocol/pg/frontend_decoder.hpp"

#include <gtest/gtest.h>

namespace shardgate::protocol::pg {
namespace {

using test::frame_of;
using test::MessageBuilder;
using test::text;

TEST(StartupDecoder, StartupMessageWithParameters) {
    auto bytes = MessageBuilder::startup()
                     .i32(PG_PROTOCOL_3_0)
                     .str("user")
                     .str("app")
                     .str("database")
                     .str("shop")
                     .str("application_name")
                     .str("psql")
                     .str("options")
                     .str("-c search_path=x")
                     .i8(0)
                     .build();
    auto decoded = decode_startup_packet(ByteView(bytes));
    ASSERT_TRUE(decoded.ok()) << decoded.error().message;
    EXPECT_EQ(decoded.consumed(), bytes.size());
    auto& startup = std::get<StartupMessage>(decoded.value());
    EXPECT_EQ(startup.protocol_version, PG_PROTOCOL_3_0);
    ASSERT_EQ(startup.parameters.size(), 4u);
    EXPECT_EQ(startup.parameter("user"), "app");
    EXPECT_EQ(startup.parameter("database"), "shop");
    EXPECT_EQ(startup.parameter("options"), "-c search_path=x");
    EXPECT_FALSE(startup.parameter("replication"));
}

TEST(StartupDecoder, AcceptsMinorVersions) {
    auto bytes =
        MessageBuilder::startup().i32(PG_PROTOCOL_3_0 + 2).str("user").str("u").i8(0).build();
    auto decoded = decode_startup_packet(ByteView(bytes));
    ASSERT_TRUE(decoded.ok());
    EXPECT_EQ(std::get<StartupMessage>(decoded.value()).protocol_version, PG_PROTOCOL_3_0 + 2);
}

TEST(StartupDecoder, RejectsProtocol2) {
    auto bytes = MessageBuilder::startup().i32(2 << 16).i8(0).build();
    auto decoded = decode_startup_packet(ByteView(bytes));
    ASSERT_TRUE(decoded.is_error());
    EXPECT_EQ(decoded.error().code, ErrorCode::unsupported);
}

TEST(StartupDecoder, SpecialRequests) {
    auto ssl = MessageBuilder::startup().i32(NEGOTIATE_SSL_CODE).build();
    auto gss = MessageBuilder::startup().i32(NEGOTIATE_GSS_CODE).build();
    auto cancel = MessageBuilder::startup().i32(CANCEL_REQUEST_CODE).i32(1234).i32(-5678).build();
    auto d1 = decode_startup_packet(ByteView(ssl));
    auto d2 = decode_startup_packet(ByteView(gss));
    auto d3 = decode_startup_packet(ByteView(cancel));
    ASSERT_TRUE(d1.ok() && d2.ok() && d3.ok());
    EXPECT_TRUE(std::holds_alternative<SSLRequest>(d1.value()));
    EXPECT_TRUE(std::holds_alternative<GSSENCRequest>(d2.value()));
    auto& c = std::get<CancelRequest>(d3.value());
    EXPECT_EQ(c.process_id, 1234);
    EXPECT_EQ(c.secret_key, -5678);
    EXPECT_EQ(d3.consumed(), 16u);
}

TEST(StartupDecoder, SpecialRequestsWithExtraBytesAreErrors) {
    auto ssl = MessageBuilder::startup().i32(NEGOTIATE_SSL_CODE).i8(0).build();
    auto cancel = MessageBuilder::startup().i32(CANCEL_REQUEST_CODE).i32(1).build();
    EXPECT_EQ(decode_startup_packet(ByteView(ssl)).error().code, ErrorCode::trailing_bytes);
    EXPECT_EQ(decode_startup_packet(ByteView(cancel)).error().code, ErrorCode::truncated);
}

TEST(StartupDecoder, MissingTerminators) {
    auto no_final_zero =
        MessageBuilder::startup().i32(PG_PROTOCOL_3_0).str("user").str("app").build();
    auto unterminated =
        MessageBuilder::startup().i32(PG_PROTOCOL_3_0).str("user").raw("app").build();
    EXPECT_EQ(decode_startup_packet(ByteView(no_final_zero)).error().code,
              ErrorCode::missing_terminator);
    EXPECT_EQ(decode_startup_packet(ByteView(unterminated)).error().code,
              ErrorCode::missing_terminator);
}

TEST(FrontendDecoder, Query) {
    auto bytes = MessageBuilder(PqMsg_Query).str("SELECT 1; SELECT 2").build();
    auto decoded = decode_query(frame_of(bytes));
    ASSERT_TRUE(decoded);
    EXPECT_EQ(decoded.value().query, "SELECT 1; SELECT 2");
}

TEST(FrontendDecoder, QueryWithoutTerminator) {
    auto bytes = MessageBuilder(PqMsg_Query).raw("SELECT 1").build();
    auto decoded = decode_query(frame_of(bytes));
    ASSERT_FALSE(decoded);
    EXPECT_EQ(decoded.error().code, ErrorCode::missing_terminator);
    EXPECT_NE(decoded.error().message.find("Query"), std::string::npos);
}

TEST(FrontendDecoder, WrongTypeIsAnError) {
    auto bytes = MessageBuilder(PqMsg_Parse).str("").str("x").i16(0).build();
    auto decoded = decode_query(frame_of(bytes));
    ASSERT_FALSE(decoded);
    EXPECT_EQ(decoded.error().code, ErrorCode::unexpected_type);
}

TEST(FrontendDecoder, Parse) {
    auto bytes = MessageBuilder(PqMsg_Parse)
                     .str("s1")
                     .str("SELECT * FROM t WHERE id = $1 AND n = $2")
                     .i16(2)
                     .i32(20)
                     .i32(0)
                     .build();
    auto decoded = decode_parse(frame_of(bytes));
    ASSERT_TRUE(decoded);
    EXPECT_EQ(decoded.value().statement, "s1");
    EXPECT_EQ(decoded.value().query, "SELECT * FROM t WHERE id = $1 AND n = $2");
    EXPECT_EQ(decoded.value().parameter_types, (std::vector<std::uint32_t>{20, 0}));
}

TEST(FrontendDecoder, ParseWithTooFewTypes) {
    auto bytes = MessageBuilder(PqMsg_Parse).str("").str("SELECT $1").i16(2).i32(20).build();
    EXPECT_EQ(decode_parse(frame_of(bytes)).error().code, ErrorCode::truncated);
}

TEST(FrontendDecoder, BindWithFormatsValuesAndNull) {
    auto bytes = MessageBuilder(PqMsg_Bind)
                     .str("p1")
                     .str("s1")
                     .i16(3)
                     .i16(0)
                     .i16(1)
                     .i16(0)
                     .i16(3)
                     .value("42")
                     .i32(8)
                     .raw(std::string("\0\0\0\0\0\0\0\x07", 8))
                     .i32(-1)
                     .i16(1)
                     .i16(1)
                     .build();
    auto decoded = decode_bind(frame_of(bytes));
    ASSERT_TRUE(decoded) << decoded.error().message;
    auto& bind = decoded.value();
    EXPECT_EQ(bind.portal, "p1");
    EXPECT_EQ(bind.statement, "s1");
    ASSERT_EQ(bind.parameters.size(), 3u);
    EXPECT_EQ(text(*bind.parameters[0]), "42");
    EXPECT_EQ(bind.parameters[1]->size(), 8u);
    EXPECT_FALSE(bind.parameters[2]);
    EXPECT_EQ(bind.parameter_format(0), FormatCode::text);
    EXPECT_EQ(bind.parameter_format(1), FormatCode::binary);
    EXPECT_EQ(bind.result_formats, std::vector<FormatCode>{FormatCode::binary});
}

TEST(FrontendDecoder, BindSingleFormatAppliesToAll) {
    auto bytes = MessageBuilder(PqMsg_Bind)
                     .str("")
                     .str("")
                     .i16(1)
                     .i16(1)
                     .i16(2)
                     .value("ab")
                     .value("cd")
                     .i16(0)
                     .build();
    auto decoded = decode_bind(frame_of(bytes));
    ASSERT_TRUE(decoded);
    EXPECT_EQ(decoded.value().parameter_format(0), FormatCode::binary);
    EXPECT_EQ(decoded.value().parameter_format(1), FormatCode::binary);
}

TEST(FrontendDecoder, BindErrors) {
    auto format_count_mismatch = MessageBuilder(PqMsg_Bind)
                                     .str("")
                                     .str("")
                                     .i16(2)
                                     .i16(0)
                                     .i16(0)
                                     .i16(3)
                                     .value("1")
                                     .value("2")
                                     .value("3")
                                     .i16(0)
                                     .build();
    auto bad_format =
        MessageBuilder(PqMsg_Bind).str("").str("").i16(1).i16(7).i16(0).i16(0).build();
    auto negative_length =
        MessageBuilder(PqMsg_Bind).str("").str("").i16(0).i16(1).i32(-2).i16(0).build();
    auto value_past_end =
        MessageBuilder(PqMsg_Bind).str("").str("").i16(0).i16(1).i32(100).raw("x").build();
    EXPECT_EQ(decode_bind(frame_of(format_count_mismatch)).error().code, ErrorCode::bad_value);
    EXPECT_EQ(decode_bind(frame_of(bad_format)).error().code, ErrorCode::bad_value);
    EXPECT_EQ(decode_bind(frame_of(negative_length)).error().code, ErrorCode::bad_length);
    EXPECT_EQ(decode_bind(frame_of(value_past_end)).error().code, ErrorCode::truncated);
}

TEST(FrontendDecoder, DescribeExecuteClose) {
    auto describe = MessageBuilder(PqMsg_Describe).i8('S').str("s1").build();
    auto execute = MessageBuilder(PqMsg_Execute).str("p1").i32(100).build();
    auto close = MessageBuilder(PqMsg_Close).i8('P').str("p1").build();
    auto bad_kind = MessageBuilder(PqMsg_Describe).i8('X').str("s1").build();
    auto d = decode_describe(frame_of(describe));
    auto e = decode_execute(frame_of(execute));
    auto c = decode_close(frame_of(close));
    ASSERT_TRUE(d && e && c);
    EXPECT_EQ(d.value().kind, TargetKind::statement);
    EXPECT_EQ(d.value().name, "s1");
    EXPECT_EQ(e.value().portal, "p1");
    EXPECT_EQ(e.value().max_rows, 100);
    EXPECT_EQ(c.value().kind, TargetKind::portal);
    EXPECT_EQ(decode_describe(frame_of(bad_kind)).error().code, ErrorCode::bad_value);
}

TEST(FrontendDecoder, EmptyMessages) {
    EXPECT_TRUE(decode_sync(frame_of(MessageBuilder(PqMsg_Sync).build())));
    EXPECT_TRUE(decode_flush(frame_of(MessageBuilder(PqMsg_Flush).build())));
    EXPECT_TRUE(decode_terminate(frame_of(MessageBuilder(PqMsg_Terminate).build())));
    EXPECT_TRUE(decode_copy_done(frame_of(MessageBuilder(PqMsg_CopyDone).build())));
    auto sync_with_byte = MessageBuilder(PqMsg_Sync).i8(0).build();
    EXPECT_EQ(decode_sync(frame_of(sync_with_byte)).error().code, ErrorCode::trailing_bytes);
}

TEST(FrontendDecoder, PasswordAndSasl) {
    auto password = MessageBuilder(PqMsg_PasswordMessage).str("secret").build();
    auto initial =
        MessageBuilder(PqMsg_PasswordMessage).str("SCRAM-SHA-256").value("n,,n=,r=abc").build();
    auto no_data = MessageBuilder(PqMsg_PasswordMessage).str("SCRAM-SHA-256").i32(-1).build();
    auto response = MessageBuilder(PqMsg_PasswordMessage).raw("c=biws,r=abc,p=xyz").build();
    EXPECT_EQ(decode_password_message(frame_of(password)).value().password, "secret");
    auto i = decode_sasl_initial_response(frame_of(initial));
    ASSERT_TRUE(i);
    EXPECT_EQ(i.value().mechanism, "SCRAM-SHA-256");
    EXPECT_EQ(text(*i.value().data), "n,,n=,r=abc");
    auto n = decode_sasl_initial_response(frame_of(no_data));
    ASSERT_TRUE(n);
    EXPECT_FALSE(n.value().data);
    EXPECT_EQ(text(decode_sasl_response(frame_of(response)).value().data), "c=biws,r=abc,p=xyz");
}

TEST(FrontendDecoder, CopyMessages) {
    auto data = MessageBuilder(PqMsg_CopyData).raw("1\tone\n").build();
    auto fail = MessageBuilder(PqMsg_CopyFail).str("aborted").build();
    EXPECT_EQ(text(decode_copy_data(frame_of(data)).value().data), "1\tone\n");
    EXPECT_EQ(decode_copy_fail(frame_of(fail)).value().message, "aborted");
}

TEST(FrontendDecoder, FunctionCallIsRecognised) {
    auto bytes = MessageBuilder(PqMsg_FunctionCall).i32(1598).i16(0).i16(0).i16(0).build();
    auto decoded = decode_frontend_message(frame_of(bytes));
    ASSERT_TRUE(decoded);
    EXPECT_EQ(std::get<FunctionCall>(decoded.value()).function_oid, 1598u);
}

TEST(FrontendDecoder, GenericDispatch) {
    auto stream = test::concat(
        {MessageBuilder(PqMsg_Parse).str("").str("SELECT $1").i16(0).build(),
         MessageBuilder(PqMsg_Bind).str("").str("").i16(0).i16(1).value("7").i16(0).build(),
         MessageBuilder(PqMsg_Execute).str("").i32(0).build(), MessageBuilder(PqMsg_Sync).build(),
         MessageBuilder(PqMsg_PasswordMessage).str("pw").build()});
    std::vector<std::size_t> kinds;
    ByteView rest(stream);
    while (!rest.empty()) {
        auto decoded = decode_frontend_message(rest);
        ASSERT_TRUE(decoded.ok());
        kinds.push_back(decoded.value().index());
        rest = rest.subspan(decoded.consumed());
    }
    EXPECT_EQ(kinds, (std::vector<std::size_t>{2, 3, 5, 7, 0}));
    EXPECT_TRUE(decode_frontend_message(ByteView(stream).first(3)).need_more());
}

TEST(FrontendDecoder, UnknownTypeIsAnError) {
    auto bytes = MessageBuilder('?').build();
    EXPECT_EQ(decode_frontend_message(frame_of(bytes)).error().code, ErrorCode::unexpected_type);
}

} // namespace
} // namespace shardgate::protocol::pg
