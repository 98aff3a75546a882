// The codec as a client of real PostgreSQL primaries: startup, SCRAM-SHA-256, simple and
// extended queries, errors and Terminate over a raw TCP socket; verifiers match pg_authid.
#include "shardgate/protocol/pg/backend_decoder.hpp"
#include "shardgate/protocol/pg/encoder.hpp"
#include "shardgate/protocol/pg/scram.hpp"
#include "topology.hpp"
#include "wire_socket.hpp"

#include <gtest/gtest.h>

namespace shardgate::protocol::pg {
namespace {

using shardgate::testing::Server;
using test::WireSocket;

std::vector<Server> primaries() {
    return shardgate::testing::servers(shardgate::testing::load_topology(), "postgresql",
                                       "primary");
}

// Reads the next message, which must decode to T.
template <class T> T expect_message(WireSocket& socket) {
    Frame frame;
    EXPECT_TRUE(socket.next(frame));
    auto decoded = decode_backend_message(frame);
    EXPECT_TRUE(decoded.ok()) << (decoded.ok() ? "" : decoded.error().message);
    if (!decoded.ok() || !std::holds_alternative<T>(decoded.value())) {
        ADD_FAILURE() << "unexpected message type '" << frame.type << "'";
        return T{};
    }
    return std::get<T>(decoded.value());
}

// Runs startup + SCRAM with the client's password; returns the first message after the SASL
// exchange.
Frame login(WireSocket& socket, const Server& server, ScramClient& scram) {
    ByteBuffer out;
    encode(out, StartupMessage{PG_PROTOCOL_3_0,
                               {{"user", server.user},
                                {"database", server.database},
                                {"application_name", "shardgate-codec-test"}}});
    EXPECT_TRUE(socket.send(out));

    auto sasl = expect_message<AuthenticationSASL>(socket);
    EXPECT_NE(std::find(sasl.mechanisms.begin(), sasl.mechanisms.end(), SCRAM_SHA_256_NAME),
              sasl.mechanisms.end());
    auto first = scram.client_first(openssl_random_source());
    out.clear();
    encode(out, SASLInitialResponse{SCRAM_SHA_256_NAME, as_bytes(first.value())});
    EXPECT_TRUE(socket.send(out));

    auto challenge = expect_message<AuthenticationSASLContinue>(socket);
    auto final_message = scram.client_final(as_text(challenge.data));
    EXPECT_TRUE(final_message) << final_message.error().message;
    out.clear();
    encode(out, SASLResponse{as_bytes(final_message.value())});
    EXPECT_TRUE(socket.send(out));

    Frame frame;
    EXPECT_TRUE(socket.next(frame));
    return frame;
}

// After AuthenticationOk: ParameterStatus*, BackendKeyData, ReadyForQuery 'I'.
void read_until_ready(WireSocket& socket) {
    int parameters = 0;
    bool key = false;
    Frame frame;
    while (socket.next(frame) && frame.type != PqMsg_ReadyForQuery) {
        parameters += frame.type == PqMsg_ParameterStatus ? 1 : 0;
        key = key || decode_backend_key_data(frame).ok();
    }
    EXPECT_GT(parameters, 0);
    EXPECT_TRUE(key);
    EXPECT_EQ(decode_ready_for_query(frame).value().status, TransactionStatus::idle);
}

void simple_select_one(WireSocket& socket) {
    ByteBuffer out;
    encode(out, Query{"SELECT 1 AS one"});
    ASSERT_TRUE(socket.send(out));
    auto rd = expect_message<RowDescription>(socket);
    ASSERT_EQ(rd.fields.size(), 1u);
    EXPECT_EQ(rd.fields[0].name, "one");
    EXPECT_EQ(rd.fields[0].type_oid, 23u);
    auto row = expect_message<DataRow>(socket);
    ASSERT_EQ(row.values.size(), 1u);
    EXPECT_EQ(as_text(*row.values[0]), "1");
    EXPECT_EQ(expect_message<CommandComplete>(socket).tag, "SELECT 1");
    EXPECT_EQ(expect_message<ReadyForQuery>(socket).status, TransactionStatus::idle);
}

void extended_binary_parameter(WireSocket& socket) {
    static const std::string forty_one("\0\0\0\0\0\0\0\x29", 8);
    ByteBuffer out;
    encode(out, Parse{"", "SELECT $1::int8 + 1, $2::text", {20, 25}});
    encode(out, Bind{"",
                     "",
                     {FormatCode::binary, FormatCode::text},
                     {as_bytes(forty_one), std::nullopt},
                     {}});
    encode(out, Describe{TargetKind::portal, ""});
    encode(out, Execute{"", 0});
    encode(out, Sync{});
    ASSERT_TRUE(socket.send(out));
    expect_message<ParseComplete>(socket);
    expect_message<BindComplete>(socket);
    EXPECT_EQ(expect_message<RowDescription>(socket).fields.size(), 2u);
    auto row = expect_message<DataRow>(socket);
    ASSERT_EQ(row.values.size(), 2u);
    EXPECT_EQ(as_text(*row.values[0]), "42");
    EXPECT_FALSE(row.values[1]);
    EXPECT_EQ(expect_message<CommandComplete>(socket).tag, "SELECT 1");
    EXPECT_EQ(expect_message<ReadyForQuery>(socket).status, TransactionStatus::idle);
}

void error_keeps_session(WireSocket& socket) {
    ByteBuffer out;
    encode(out, Query{"SELECT * FROM shardgate_no_such_table"});
    ASSERT_TRUE(socket.send(out));
    auto error = expect_message<ErrorResponse>(socket);
    EXPECT_EQ(error.field(PG_DIAG_SQLSTATE), "42P01");
    EXPECT_EQ(error.field(PG_DIAG_SEVERITY_NONLOCALIZED), "ERROR");
    EXPECT_TRUE(error.field(PG_DIAG_STATEMENT_POSITION));
    EXPECT_EQ(expect_message<ReadyForQuery>(socket).status, TransactionStatus::idle);
}

TEST(PgBackendLogin, ScramQueryAndTerminate) {
    auto servers = primaries();
    ASSERT_FALSE(servers.empty());
    for (const auto& server : servers) {
        SCOPED_TRACE(server.shard);
        WireSocket socket(server.host, server.port);
        ASSERT_TRUE(socket.connected());
        ScramClient scram("", server.password);
        Frame frame = login(socket, server, scram);
        auto final_message = decode_authentication(frame);
        ASSERT_TRUE(final_message.ok());
        auto& sasl_final = std::get<AuthenticationSASLFinal>(final_message.value());
        EXPECT_TRUE(scram.verify_server_final(as_text(sasl_final.data)));
        expect_message<AuthenticationOk>(socket);
        read_until_ready(socket);
        simple_select_one(socket);
        extended_binary_parameter(socket);
        error_keeps_session(socket);
        ByteBuffer out;
        encode(out, Terminate{});
        EXPECT_TRUE(socket.send(out));
        EXPECT_FALSE(socket.next(frame)); // the server closes the connection
    }
}

TEST(PgBackendLogin, WrongPasswordIsRejected) {
    auto server = primaries().front();
    WireSocket socket(server.host, server.port);
    ASSERT_TRUE(socket.connected());
    ScramClient scram("", server.password + "-wrong");
    Frame frame = login(socket, server, scram);
    auto error = decode_error_response(frame);
    ASSERT_TRUE(error.ok());
    EXPECT_EQ(error.value().field(PG_DIAG_SQLSTATE), "28P01");
}

TEST(PgBackendLogin, VerifierMatchesPgAuthid) {
    auto server = primaries().front();
    pqxx::connection connection(shardgate::testing::pg_conninfo(server, true));
    pqxx::nontransaction work(connection);
    auto rows =
        work.exec_params("SELECT rolpassword FROM pg_authid WHERE rolname = $1", server.user);
    ASSERT_EQ(rows.size(), 1u);
    auto stored = rows[0][0].as<std::string>();
    auto parsed = parse_scram_verifier(stored);
    ASSERT_TRUE(parsed) << parsed.error().message;
    auto derived =
        make_scram_verifier(server.password, parsed.value().salt, parsed.value().iterations);
    ASSERT_TRUE(derived);
    EXPECT_EQ(format_scram_verifier(derived.value()), stored);
}

} // namespace
} // namespace shardgate::protocol::pg
