// Every encoder's output decodes back to the message it was given.
#include "message_builder.hpp"
#include "shardgate/protocol/pg/backend_decoder.hpp"
#include "shardgate/protocol/pg/encoder.hpp"
#include "shardgate/protocol/pg/frontend_decoder.hpp"

#include <gtest/gtest.h>

namespace shardgate::protocol::pg {
namespace {

using test::text;

// Encodes `msg`, checks it frames as exactly one message, and decodes it with `decoder`.
template <class Msg, class Decoder>
auto round_trip(const Msg& msg, Decoder decoder, ByteBuffer& out) {
    out.clear();
    encode(out, msg);
    auto framed = next_frame(out);
    EXPECT_TRUE(framed.ok());
    EXPECT_EQ(framed.consumed(), out.size());
    auto decoded = decoder(framed.value());
    EXPECT_TRUE(decoded.ok()) << (decoded.ok() ? "" : decoded.error().message);
    return decoded;
}

TEST(RoundTrip, StartupPackets) {
    ByteBuffer out;
    StartupMessage startup{PG_PROTOCOL_3_0, {{"user", "app"}, {"database", "shop"}}};
    encode(out, startup);
    encode(out, SSLRequest{});
    encode(out, GSSENCRequest{});
    encode(out, CancelRequest{77, -88});
    ByteView rest(out);
    auto s = decode_startup_packet(rest);
    ASSERT_TRUE(s.ok());
    auto& decoded = std::get<StartupMessage>(s.value());
    EXPECT_EQ(decoded.parameter("user"), "app");
    EXPECT_EQ(decoded.parameter("database"), "shop");
    rest = rest.subspan(s.consumed());
    auto ssl = decode_startup_packet(rest);
    ASSERT_TRUE(ssl.ok());
    EXPECT_EQ(ssl.consumed(), 8u);
    EXPECT_TRUE(std::holds_alternative<SSLRequest>(ssl.value()));
    rest = rest.subspan(8);
    auto gss = decode_startup_packet(rest);
    ASSERT_TRUE(gss.ok());
    EXPECT_TRUE(std::holds_alternative<GSSENCRequest>(gss.value()));
    rest = rest.subspan(8);
    auto cancel = decode_startup_packet(rest);
    ASSERT_TRUE(cancel.ok());
    EXPECT_EQ(cancel.consumed(), rest.size());
    EXPECT_EQ(std::get<CancelRequest>(cancel.value()).process_id, 77);
    EXPECT_EQ(std::get<CancelRequest>(cancel.value()).secret_key, -88);
}

TEST(RoundTrip, AuthenticationToBackends) {
    ByteBuffer out;
    EXPECT_EQ(round_trip(PasswordMessage{"md5abc"}, decode_password_message, out).value().password,
              "md5abc");
    auto i = round_trip(SASLInitialResponse{"SCRAM-SHA-256", as_bytes("n,,n=,r=x")},
                        decode_sasl_initial_response, out);
    EXPECT_EQ(i.value().mechanism, "SCRAM-SHA-256");
    EXPECT_EQ(text(*i.value().data), "n,,n=,r=x");
    auto none = round_trip(SASLInitialResponse{"SCRAM-SHA-256", std::nullopt},
                           decode_sasl_initial_response, out);
    EXPECT_FALSE(none.value().data);
    EXPECT_EQ(
        text(round_trip(SASLResponse{as_bytes("c=biws")}, decode_sasl_response, out).value().data),
        "c=biws");
}

TEST(RoundTrip, QueryingToBackends) {
    ByteBuffer out;
    EXPECT_EQ(round_trip(Query{"SELECT 1"}, decode_query, out).value().query, "SELECT 1");
    auto p = round_trip(Parse{"s1", "SELECT $1::int", {23}}, decode_parse, out);
    EXPECT_EQ(p.value().statement, "s1");
    EXPECT_EQ(p.value().query, "SELECT $1::int");
    EXPECT_EQ(p.value().parameter_types, std::vector<std::uint32_t>{23});

    Bind bind{"p",
              "s1",
              {FormatCode::text, FormatCode::binary},
              {as_bytes("12"), std::nullopt},
              {FormatCode::binary}};
    auto b = round_trip(bind, decode_bind, out);
    EXPECT_EQ(b.value().portal, "p");
    EXPECT_EQ(b.value().statement, "s1");
    EXPECT_EQ(b.value().parameter_formats, bind.parameter_formats);
    ASSERT_EQ(b.value().parameters.size(), 2u);
    EXPECT_EQ(text(*b.value().parameters[0]), "12");
    EXPECT_FALSE(b.value().parameters[1]);
    EXPECT_EQ(b.value().result_formats, bind.result_formats);

    auto d = round_trip(Describe{TargetKind::portal, "p"}, decode_describe, out);
    EXPECT_EQ(d.value().kind, TargetKind::portal);
    EXPECT_EQ(d.value().name, "p");
    auto e = round_trip(Execute{"p", 10}, decode_execute, out);
    EXPECT_EQ(e.value().portal, "p");
    EXPECT_EQ(e.value().max_rows, 10);
    auto c = round_trip(Close{TargetKind::statement, "s1"}, decode_close, out);
    EXPECT_EQ(c.value().kind, TargetKind::statement);
    EXPECT_EQ(c.value().name, "s1");
    EXPECT_TRUE(round_trip(Sync{}, decode_sync, out).ok());
    EXPECT_EQ(out.size(), 5u);
    EXPECT_TRUE(round_trip(Flush{}, decode_flush, out).ok());
    EXPECT_TRUE(round_trip(Terminate{}, decode_terminate, out).ok());
    EXPECT_EQ(round_trip(FunctionCall{1598, as_bytes("ab")}, decode_function_call, out)
                  .value()
                  .function_oid,
              1598u);
}

TEST(RoundTrip, Copy) {
    ByteBuffer out;
    EXPECT_EQ(text(round_trip(CopyData{as_bytes("1\t2\n")}, decode_copy_data, out).value().data),
              "1\t2\n");
    EXPECT_TRUE(round_trip(CopyDone{}, decode_copy_done, out).ok());
    EXPECT_EQ(round_trip(CopyFail{"stop"}, decode_copy_fail, out).value().message, "stop");
    CopyInResponse in;
    in.format = FormatCode::text;
    in.column_formats = {FormatCode::text, FormatCode::text};
    EXPECT_EQ(round_trip(in, decode_copy_in_response, out).value().column_formats.size(), 2u);
    CopyOutResponse copy_out;
    copy_out.format = FormatCode::binary;
    copy_out.column_formats = {FormatCode::binary};
    EXPECT_EQ(round_trip(copy_out, decode_copy_out_response, out).value().format,
              FormatCode::binary);
    CopyBothResponse both;
    EXPECT_TRUE(round_trip(both, decode_copy_both_response, out).value().column_formats.empty());
}

template <class T> bool holds(const Result<AuthenticationRequest>& r) {
    return r.ok() && std::holds_alternative<T>(r.value());
}

TEST(RoundTrip, AuthenticationToClients) {
    ByteBuffer out;
    EXPECT_TRUE(
        holds<AuthenticationOk>(round_trip(AuthenticationOk{}, decode_authentication, out)));
    EXPECT_TRUE(holds<AuthenticationCleartextPassword>(
        round_trip(AuthenticationCleartextPassword{}, decode_authentication, out)));
    AuthenticationMD5Password md5{{std::byte{9}, std::byte{8}, std::byte{7}, std::byte{6}}};
    auto m = round_trip(md5, decode_authentication, out);
    EXPECT_EQ(std::get<AuthenticationMD5Password>(m.value()).salt, md5.salt);
    auto s = round_trip(AuthenticationSASL{{"SCRAM-SHA-256"}}, decode_authentication, out);
    EXPECT_EQ(std::get<AuthenticationSASL>(s.value()).mechanisms,
              std::vector<std::string_view>{"SCRAM-SHA-256"});
    auto c =
        round_trip(AuthenticationSASLContinue{as_bytes("r=a,s=b,i=1")}, decode_authentication, out);
    EXPECT_EQ(text(std::get<AuthenticationSASLContinue>(c.value()).data), "r=a,s=b,i=1");
    auto f = round_trip(AuthenticationSASLFinal{as_bytes("v=x")}, decode_authentication, out);
    EXPECT_EQ(text(std::get<AuthenticationSASLFinal>(f.value()).data), "v=x");
}

TEST(RoundTrip, SessionMessagesToClients) {
    ByteBuffer out;
    auto k = round_trip(BackendKeyData{1, 2}, decode_backend_key_data, out);
    EXPECT_EQ(k.value().process_id, 1);
    EXPECT_EQ(k.value().secret_key, 2);
    auto p = round_trip(ParameterStatus{"client_encoding", "UTF8"}, decode_parameter_status, out);
    EXPECT_EQ(p.value().name, "client_encoding");
    EXPECT_EQ(p.value().value, "UTF8");
    for (auto status :
         {TransactionStatus::idle, TransactionStatus::in_transaction, TransactionStatus::failed}) {
        EXPECT_EQ(round_trip(ReadyForQuery{status}, decode_ready_for_query, out).value().status,
                  status);
    }
    auto n = round_trip(NotificationResponse{5, "c", "p"}, decode_notification_response, out);
    EXPECT_EQ(n.value().payload, "p");
    auto v = round_trip(NegotiateProtocolVersion{0, {"_pq_.a", "_pq_.b"}},
                        decode_negotiate_protocol_version, out);
    EXPECT_EQ(v.value().unrecognized_options.size(), 2u);
}

TEST(RoundTrip, ErrorsAndNotices) {
    ByteBuffer out;
    ErrorInfo info{"FATAL", "3D000", "database \"nope\" does not exist", "no such shard map",
                   "check the config"};
    auto e = round_trip(make_error_response(info), decode_error_response, out);
    EXPECT_EQ(e.value().field(PG_DIAG_SEVERITY), "FATAL");
    EXPECT_EQ(e.value().field(PG_DIAG_SEVERITY_NONLOCALIZED), "FATAL");
    EXPECT_EQ(e.value().field(PG_DIAG_SQLSTATE), "3D000");
    EXPECT_EQ(e.value().field(PG_DIAG_MESSAGE_PRIMARY), "database \"nope\" does not exist");
    EXPECT_EQ(e.value().field(PG_DIAG_MESSAGE_DETAIL), "no such shard map");
    EXPECT_EQ(e.value().field(PG_DIAG_MESSAGE_HINT), "check the config");

    ByteBuffer via_helper;
    encode_error(via_helper, info);
    EXPECT_EQ(via_helper, out);

    auto n = round_trip(make_notice_response({"WARNING", "01000", "careful"}),
                        decode_notice_response, out);
    EXPECT_EQ(n.value().field(PG_DIAG_MESSAGE_PRIMARY), "careful");
    EXPECT_FALSE(n.value().field(PG_DIAG_MESSAGE_DETAIL));
    EXPECT_EQ(n.value().fields.size(), 4u);
}

TEST(RoundTrip, SyntheticResult) {
    ByteBuffer out;
    RowDescription rd{{{"shard", 0, 0, 25, -1, -1, FormatCode::text},
                       {"rows", 0, 0, 20, 8, -1, FormatCode::text}}};
    auto r = round_trip(rd, decode_row_description, out);
    ASSERT_EQ(r.value().fields.size(), 2u);
    EXPECT_EQ(r.value().fields[1].name, "rows");
    EXPECT_EQ(r.value().fields[1].type_oid, 20u);
    EXPECT_EQ(r.value().fields[1].type_size, 8);

    auto d = round_trip(DataRow{{as_bytes("pg0"), std::nullopt}}, decode_data_row, out);
    EXPECT_EQ(text(*d.value().values[0]), "pg0");
    EXPECT_FALSE(d.value().values[1]);

    ByteBuffer text_row;
    encode_text_row(text_row, {"pg0", std::nullopt});
    EXPECT_EQ(text_row, out);

    EXPECT_EQ(round_trip(CommandComplete{"SHOW"}, decode_command_complete, out).value().tag,
              "SHOW");
}

TEST(RoundTrip, ExtendedProtocolReplies) {
    ByteBuffer out;
    EXPECT_TRUE(round_trip(ParseComplete{}, decode_parse_complete, out).ok());
    EXPECT_TRUE(round_trip(BindComplete{}, decode_bind_complete, out).ok());
    EXPECT_TRUE(round_trip(CloseComplete{}, decode_close_complete, out).ok());
    EXPECT_TRUE(round_trip(NoData{}, decode_no_data, out).ok());
    EXPECT_TRUE(round_trip(PortalSuspended{}, decode_portal_suspended, out).ok());
    EXPECT_TRUE(round_trip(EmptyQueryResponse{}, decode_empty_query_response, out).ok());
    EXPECT_EQ(round_trip(ParameterDescription{{23, 25, 0}}, decode_parameter_description, out)
                  .value()
                  .types,
              (std::vector<std::uint32_t>{23, 25, 0}));
}

TEST(RoundTrip, EncodersAppend) {
    ByteBuffer out;
    encode(out, ParseComplete{});
    encode(out, BindComplete{});
    encode(out, ReadyForQuery{TransactionStatus::idle});
    EXPECT_EQ(out.size(), 5u + 5u + 6u);
}

} // namespace
} // namespace shardgate::protocol::pg
