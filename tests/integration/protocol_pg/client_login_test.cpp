// The codec as a server for a real libpq client: SSLRequest refused, SCRAM-SHA-256 with the
// server half, a synthetic result, errors in PostgreSQL's format, Terminate.
#include "shardgate/protocol/pg/encoder.hpp"
#include "shardgate/protocol/pg/frontend_decoder.hpp"
#include "shardgate/protocol/pg/scram.hpp"
#include "topology.hpp"
#include "wire_socket.hpp"

#include <gtest/gtest.h>
#include <thread>

namespace shardgate::protocol::pg {
namespace {

using test::WireSocket;

constexpr std::string_view password = "codec-pass";

// Startup phase: refuse SSL/GSS encryption with 'N' until the StartupMessage arrives.
bool read_startup(WireSocket& socket, StartupMessage& startup) {
    StartupFrame frame;
    while (socket.next_startup(frame)) {
        auto packet = decode_startup_packet(frame);
        if (!packet.ok()) {
            return false;
        }
        if (auto* message = std::get_if<StartupMessage>(&packet.value())) {
            startup = *message;
            return true;
        }
        ByteBuffer no{std::byte{'N'}};
        socket.send(no);
    }
    return false;
}

void send_session_start(WireSocket& socket) {
    ByteBuffer out;
    encode(out, AuthenticationOk{});
    encode(out, ParameterStatus{"server_version", "15.0"});
    encode(out, ParameterStatus{"server_encoding", "UTF8"});
    encode(out, ParameterStatus{"client_encoding", "UTF8"});
    encode(out, ParameterStatus{"standard_conforming_strings", "on"});
    encode(out, ParameterStatus{"integer_datetimes", "on"});
    encode(out, ParameterStatus{"DateStyle", "ISO, MDY"});
    encode(out, BackendKeyData{4242, 777});
    encode(out, ReadyForQuery{TransactionStatus::idle});
    socket.send(out);
}

bool scram_exchange(WireSocket& socket, ScramServer& scram) {
    ByteBuffer out;
    encode(out, AuthenticationSASL{{SCRAM_SHA_256_NAME}});
    socket.send(out);
    Frame frame;
    if (!socket.next(frame)) {
        return false;
    }
    auto initial = decode_sasl_initial_response(frame);
    if (!initial.ok() || initial.value().mechanism != SCRAM_SHA_256_NAME || !initial.value().data) {
        return false;
    }
    auto first = scram.server_first(as_text(*initial.value().data), openssl_random_source());
    out.clear();
    encode(out, AuthenticationSASLContinue{as_bytes(first.value())});
    socket.send(out);
    if (!socket.next(frame)) {
        return false;
    }
    auto response = decode_sasl_response(frame);
    auto final_message = scram.server_final(as_text(response.value().data));
    out.clear();
    if (!final_message.ok()) {
        encode_error(out, {"FATAL", "28P01", "password authentication failed for user"});
        socket.send(out);
        return false;
    }
    encode(out, AuthenticationSASLFinal{as_bytes(final_message.value())});
    socket.send(out);
    return true;
}

void answer_query(WireSocket& socket, std::string_view sql) {
    ByteBuffer out;
    if (sql != "SHOW shardgate_shards") {
        encode_error(out, {"ERROR", "0A000", "not supported by this test server", "", "try SHOW"});
    } else {
        encode(out, RowDescription{{{"shard", 0, 0, 25, -1, -1, FormatCode::text},
                                    {"primary", 0, 0, 25, -1, -1, FormatCode::text}}});
        encode_text_row(out, {"pg0", "127.0.0.1:15432"});
        encode_text_row(out, {"pg1", std::nullopt});
        encode(out, CommandComplete{"SHOW"});
    }
    encode(out, ReadyForQuery{TransactionStatus::idle});
    socket.send(out);
}

// Serves one connection; returns the user name from the StartupMessage.
void serve_one(test::Listener& listener, std::string& user) {
    WireSocket socket(listener.accept_one());
    StartupMessage startup;
    if (!socket.connected() || !read_startup(socket, startup)) {
        return;
    }
    user = std::string(startup.parameter("user").value_or(""));
    auto scram = ScramServer::from_password(password, openssl_random_source());
    if (!scram.ok() || !scram_exchange(socket, scram.value())) {
        return;
    }
    send_session_start(socket);
    Frame frame;
    while (socket.next(frame) && frame.type != PqMsg_Terminate) {
        auto query = decode_query(frame);
        if (!query.ok()) {
            return;
        }
        answer_query(socket, query.value().query);
    }
}

std::string conninfo(int port, std::string_view pass) {
    return "host=127.0.0.1 port=" + std::to_string(port) +
           " user=codec dbname=shop sslmode=prefer gssencmode=disable password=" +
           std::string(pass);
}

TEST(PgClientLogin, LibpqAuthenticatesAndReadsSyntheticResult) {
    test::Listener listener;
    ASSERT_GT(listener.port(), 0);
    std::string user;
    std::thread server([&] { serve_one(listener, user); });
    {
        pqxx::connection connection(conninfo(listener.port(), password));
        pqxx::nontransaction work(connection);
        auto result = work.exec("SHOW shardgate_shards");
        ASSERT_EQ(result.size(), 2u);
        EXPECT_EQ(result[0][0].as<std::string>(), "pg0");
        EXPECT_EQ(result[0][1].as<std::string>(), "127.0.0.1:15432");
        EXPECT_TRUE(result[1][1].is_null());
        try {
            work.exec("SELECT 1");
            ADD_FAILURE() << "expected an error";
        } catch (const pqxx::sql_error& e) {
            EXPECT_EQ(e.sqlstate(), "0A000");
            EXPECT_NE(std::string(e.what()).find("not supported by this test server"),
                      std::string::npos);
        }
    }
    server.join();
    EXPECT_EQ(user, "codec");
}

TEST(PgClientLogin, WrongPasswordGetsPostgresError) {
    test::Listener listener;
    std::string user;
    std::thread server([&] { serve_one(listener, user); });
    try {
        pqxx::connection connection(conninfo(listener.port(), "wrong"));
        ADD_FAILURE() << "connection should fail";
    } catch (const std::exception& e) {
        EXPECT_NE(std::string(e.what()).find("password authentication failed"), std::string::npos)
            << e.what();
    }
    server.join();
}

} // namespace
} // namespace shardgate::protocol::pg
