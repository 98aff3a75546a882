// Drives real MariaDB primaries with the protocol/mysql codec over a raw TCP socket: handshake,
// mysql_native_password (with and without an auth switch), COM_QUERY, prepared statements,
// session tracking and multi-results, each response followed to its end by ResponseTracker,
// with and without CLIENT_DEPRECATE_EOF.
#include "shardgate/protocol/mysql/auth.hpp"
#include "shardgate/protocol/mysql/auth_packets.hpp"
#include "shardgate/protocol/mysql/binary_row.hpp"
#include "shardgate/protocol/mysql/commands.hpp"
#include "shardgate/protocol/mysql/constants.hpp"
#include "shardgate/protocol/mysql/framing.hpp"
#include "shardgate/protocol/mysql/generic_packets.hpp"
#include "shardgate/protocol/mysql/handshake.hpp"
#include "shardgate/protocol/mysql/response_tracker.hpp"
#include "shardgate/protocol/mysql/stmt_execute.hpp"
#include "shardgate/protocol/mysql/text_result_set.hpp"
#include "topology.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <stdexcept>
#include <string>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

namespace shardgate::protocol::mysql {
namespace {

using testing::Server;

/// A blocking TCP connection that speaks MySQL packets through the codec.
class RawConnection {
public:
    RawConnection(const std::string& host, int port) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<std::uint16_t>(port));
        ::inet_pton(AF_INET, host.c_str(), &address.sin_addr);
        if (fd_ < 0 || ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
            throw std::runtime_error("cannot connect to " + host + ":" + std::to_string(port));
        }
    }
    ~RawConnection() { ::close(fd_); }
    RawConnection(const RawConnection&) = delete;
    RawConnection& operator=(const RawConnection&) = delete;

    /// Next whole logical packet.
    Packet read_packet() {
        while (true) {
            auto packet = decode_packet(buffer_);
            if (packet.ok()) {
                buffer_.erase(buffer_.begin(), buffer_.begin() + packet.consumed());
                return std::move(packet).value();
            }
            if (packet.is_error()) {
                throw std::runtime_error(packet.error().message);
            }
            fill();
        }
    }

    /// Next physical frame, copied out (header + payload) for the tracker.
    Buffer read_frame(Frame& frame) {
        while (true) {
            auto decoded = decode_frame(buffer_);
            if (decoded.ok()) {
                Buffer wire(buffer_.begin(), buffer_.begin() + decoded.consumed());
                buffer_.erase(buffer_.begin(), buffer_.begin() + decoded.consumed());
                frame = decode_frame(wire).value();
                return wire;
            }
            fill();
        }
    }

    void write_packet(std::uint8_t sequence_id, const Buffer& payload) {
        Buffer wire;
        append_packet(wire, sequence_id, payload);
        std::size_t sent = 0;
        while (sent < wire.size()) {
            const auto n = ::send(fd_, wire.data() + sent, wire.size() - sent, MSG_NOSIGNAL);
            if (n <= 0) {
                throw std::runtime_error("send failed");
            }
            sent += static_cast<std::size_t>(n);
        }
    }

    bool at_eof() {
        std::byte b{};
        return ::recv(fd_, &b, 1, 0) == 0;
    }

private:
    void fill() {
        std::byte chunk[65536];
        const auto n = ::recv(fd_, chunk, sizeof chunk, 0);
        if (n <= 0) {
            throw std::runtime_error("connection closed by server");
        }
        buffer_.insert(buffer_.end(), chunk, chunk + n);
    }

    int fd_ = -1;
    Buffer buffer_;
};

/// The frames of one response and the tracker that followed them.
struct Response {
    std::vector<Buffer> payloads;
    ResponseSummary summary;
};

constexpr std::uint32_t wanted_capabilities =
    CLIENT_PROTOCOL_41 | CLIENT_SECURE_CONNECTION | CLIENT_PLUGIN_AUTH |
    CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA | CLIENT_CONNECT_WITH_DB | CLIENT_TRANSACTIONS |
    CLIENT_MULTI_RESULTS | CLIENT_PS_MULTI_RESULTS | CLIENT_SESSION_TRACK | CLIENT_CONNECT_ATTRS;

class MysqlClient {
public:
    MysqlClient(const Server& server, bool deprecate_eof) : connection_(server.host, server.port) {
        auto greeting = connection_.read_packet();
        auto handshake = decode_initial_handshake(greeting.payload);
        if (!handshake.ok()) {
            throw std::runtime_error("handshake: " + handshake.error().message);
        }
        handshake_ = handshake.value();
        capabilities_ = handshake_.capabilities &
                        (wanted_capabilities | (deprecate_eof ? CLIENT_DEPRECATE_EOF : 0));
    }

    const InitialHandshake& handshake() const { return handshake_; }
    std::uint32_t capabilities() const { return capabilities_; }
    bool switched() const { return switched_; }

    /// Authenticates proposing `plugin`; follows one AuthSwitchRequest. Returns the final OK
    /// or throws with the server's error.
    OkPacket login(const Server& server, std::string_view plugin) {
        HandshakeResponse response;
        response.capabilities = capabilities_;
        response.max_packet_size = 16 * 1024 * 1024;
        response.character_set = CHARSET_UTF8MB4_GENERAL_CI;
        response.username = server.user;
        response.database = server.database;
        response.auth_plugin_name = plugin;
        response.auth_response =
            plugin == CACHING_SHA2_PASSWORD
                ? caching_sha2_scramble(server.password, handshake_.scramble)
                : native_password_scramble(server.password, handshake_.scramble);
        response.connect_attributes = {{"_client_name", "shardgate-test"}};
        Buffer payload;
        encode_handshake_response(response, payload);
        connection_.write_packet(1, payload);
        return finish_auth(server);
    }

    Response command(const Buffer& payload, ResponseKind kind) {
        connection_.write_packet(0, payload);
        ResponseTracker tracker(kind, capabilities_);
        Response response;
        while (!tracker.complete()) { // ResponseKind::none starts complete: nothing to read
            Frame frame;
            Buffer wire = connection_.read_frame(frame);
            const TrackStep step = tracker.on_frame(frame);
            if (step.status == TrackStatus::protocol_error) {
                throw std::runtime_error("tracker: " + tracker.protocol_error());
            }
            response.payloads.emplace_back(frame.payload.begin(), frame.payload.end());
            if (step.status == TrackStatus::complete) {
                break;
            }
        }
        response.summary = tracker.summary();
        return response;
    }

    Response query(std::string_view sql) {
        Buffer payload;
        encode_com_query(sql, payload);
        return command(payload, ResponseKind::text_query);
    }

    void quit() {
        Buffer payload;
        encode_simple_command(COM_QUIT, payload);
        connection_.write_packet(0, payload);
    }

    bool closed_by_server() { return connection_.at_eof(); }

private:
    OkPacket finish_auth(const Server& server) {
        while (true) {
            auto reply = connection_.read_packet();
            switch (classify_auth_reply(reply.payload)) {
            case AuthReplyKind::ok: {
                auto ok = decode_ok_packet(reply.payload, capabilities_);
                if (!ok.ok()) {
                    throw std::runtime_error("login OK: " + ok.error().message);
                }
                return ok.value();
            }
            case AuthReplyKind::auth_switch: {
                auto request = decode_auth_switch_request(reply.payload);
                if (!request.ok() || request.value().plugin_name != MYSQL_NATIVE_PASSWORD) {
                    throw std::runtime_error("unexpected auth switch");
                }
                switched_ = true;
                connection_.write_packet(
                    static_cast<std::uint8_t>(reply.last_sequence_id + 1),
                    native_password_scramble(server.password,
                                             auth_switch_scramble(request.value())));
                break;
            }
            case AuthReplyKind::err:
                throw std::runtime_error(
                    "login refused: " +
                    decode_err_packet(reply.payload, capabilities_).value().message);
            default:
                throw std::runtime_error("unexpected packet during authentication");
            }
        }
    }

    RawConnection connection_;
    InitialHandshake handshake_;
    std::uint32_t capabilities_ = 0;
    bool switched_ = false;
};

std::vector<Server> mysql_primaries() {
    return testing::servers(testing::load_topology(), "mysql", "primary");
}

// The text rows of a single-result-set response, decoded.
std::vector<std::vector<std::optional<std::string>>> text_rows(const Response& response,
                                                               std::uint32_t caps) {
    const auto columns = decode_column_count(response.payloads.at(0)).value();
    std::size_t first_row = 1 + columns + ((caps & CLIENT_DEPRECATE_EOF) ? 0 : 1);
    std::vector<std::vector<std::optional<std::string>>> rows;
    for (std::size_t i = first_row; i + 1 < response.payloads.size(); ++i) {
        auto row = decode_text_row(response.payloads[i], columns);
        EXPECT_TRUE(row.ok()) << row.error().message;
        std::vector<std::optional<std::string>> values;
        for (const auto& v : row.value()) {
            values.push_back(v ? std::optional<std::string>(*v) : std::nullopt);
        }
        rows.push_back(values);
    }
    return rows;
}

class MysqlClientTest : public ::testing::TestWithParam<bool> {};

TEST_P(MysqlClientTest, HandshakeLoginQueryPrepareExecuteQuit) {
    const bool deprecate_eof = GetParam();
    for (const Server& server : mysql_primaries()) {
        SCOPED_TRACE(server.shard);
        MysqlClient client(server, deprecate_eof);
        EXPECT_NE(client.handshake().server_version.find("MariaDB"), std::string::npos);
        EXPECT_EQ(client.handshake().scramble.size(), scramble_size);
        EXPECT_EQ(client.handshake().capabilities & CLIENT_MYSQL, 0u); // MariaDB extensions
        EXPECT_NE(client.handshake().mariadb_capabilities, 0u);
        EXPECT_EQ(bool(client.capabilities() & CLIENT_DEPRECATE_EOF), deprecate_eof);
        const OkPacket login = client.login(server, MYSQL_NATIVE_PASSWORD);
        EXPECT_TRUE(login.status_flags & SERVER_STATUS_AUTOCOMMIT);

        // Text query.
        const Response select = client.query("SELECT 1, 'x'");
        EXPECT_TRUE(select.summary.succeeded());
        EXPECT_EQ(select.summary.result_sets, 1u);
        EXPECT_EQ(select.summary.rows, 1u);
        const auto rows = text_rows(select, client.capabilities());
        ASSERT_EQ(rows.size(), 1u);
        EXPECT_EQ(rows[0], (std::vector<std::optional<std::string>>{"1", "x"}));
        const Buffer& last = select.payloads.back();
        EXPECT_EQ(deprecate_eof ? last.size() >= 7 : is_eof_packet(last), true);

        // Prepared statement with an integer parameter.
        Buffer prepare;
        encode_com_stmt_prepare("SELECT CAST(? AS SIGNED) + 1 AS v, 'y' AS w", prepare);
        const Response prepared = client.command(prepare, ResponseKind::stmt_prepare);
        ASSERT_TRUE(prepared.summary.prepare_ok);
        const StmtPrepareOk ok = *prepared.summary.prepare_ok;
        EXPECT_EQ(ok.num_params, 1);
        EXPECT_EQ(ok.num_columns, 2);
        const std::size_t prepared_columns_at = 1 + ok.num_params + (deprecate_eof ? 0 : 1);
        EXPECT_EQ(decode_column_definition(prepared.payloads.at(prepared_columns_at)).value().name,
                  "v");

        ComStmtExecute execute;
        execute.statement_id = ok.statement_id;
        execute.params.push_back({{MYSQL_TYPE_LONGLONG, false}, false, std::int64_t{41}});
        Buffer execute_payload;
        ASSERT_TRUE(encode_com_stmt_execute(execute, execute_payload));
        // What the router would read from the client's execute.
        const mysql::ParamType no_types[] = {{MYSQL_TYPE_NULL, false}};
        auto decoded = decode_com_stmt_execute(execute_payload, {1, no_types, {}});
        ASSERT_TRUE(decoded.ok());
        EXPECT_EQ(binary_value_as_integer(decoded.value().params[0].value), 41);

        const Response executed = client.command(execute_payload, ResponseKind::stmt_execute);
        EXPECT_TRUE(executed.summary.succeeded());
        EXPECT_EQ(executed.summary.rows, 1u);
        // Row values follow the execute response's own column definitions (the prepare's
        // metadata may differ: MariaDB reports LONG there, LONGLONG here).
        std::vector<mysql::ParamType> column_types;
        for (std::size_t i = 0; i < ok.num_columns; ++i) {
            auto column = decode_column_definition(executed.payloads.at(1 + i));
            ASSERT_TRUE(column.ok()) << column.error().message;
            column_types.push_back(column_value_type(column.value()));
        }
        const std::size_t row_at = 1 + ok.num_columns + (deprecate_eof ? 0 : 1);
        auto row = decode_binary_row(executed.payloads.at(row_at), column_types);
        ASSERT_TRUE(row.ok()) << row.error().message;
        EXPECT_EQ(binary_value_as_integer(row.value()[0]), 42);
        EXPECT_EQ(binary_value_as_text(row.value()[1]), "y");

        // A re-execute without rebinding types (new_params_bound = 0).
        execute.new_params_bound = false;
        execute.params[0].value = std::int64_t{-5};
        Buffer again;
        ASSERT_TRUE(encode_com_stmt_execute(execute, again));
        const Response second = client.command(again, ResponseKind::stmt_execute);
        auto row2 = decode_binary_row(second.payloads.at(row_at), column_types);
        ASSERT_TRUE(row2.ok());
        EXPECT_EQ(binary_value_as_integer(row2.value()[0]), -4);

        Buffer close;
        encode_com_stmt_close(ok.statement_id, close);
        // No response: the next command's answer must be the first thing read.
        Buffer ping;
        encode_simple_command(COM_PING, ping);
        client.command(Buffer(close), ResponseKind::none);
        const Response pong = client.command(ping, ResponseKind::simple);
        EXPECT_TRUE(pong.summary.succeeded());

        client.quit();
        EXPECT_TRUE(client.closed_by_server());
    }
}

TEST_P(MysqlClientTest, TransactionsSessionTrackingMultiResultsAndErrors) {
    const bool deprecate_eof = GetParam();
    const Server server = mysql_primaries().at(0);
    MysqlClient client(server, deprecate_eof);
    client.login(server, MYSQL_NATIVE_PASSWORD);

    EXPECT_TRUE(client.query("BEGIN").summary.in_transaction());
    const Response inside = client.query("SELECT 2");
    EXPECT_TRUE(inside.summary.in_transaction());
    EXPECT_FALSE(client.query("ROLLBACK").summary.in_transaction());

    Buffer init_db;
    encode_com_init_db("mysql", init_db);
    const Response switched = client.command(init_db, ResponseKind::simple);
    ASSERT_TRUE(switched.summary.last_ok);
    bool schema_tracked = false;
    for (const auto& change : switched.summary.last_ok->session_state_changes) {
        schema_tracked |= change.type == SESSION_TRACK_SCHEMA && change.name == "mysql";
    }
    EXPECT_TRUE(schema_tracked);

    const Response error = client.query("SELECT * FROM no_such_table_here");
    ASSERT_TRUE(error.summary.error);
    EXPECT_EQ(error.summary.error->error_code, 1146);
    EXPECT_EQ(error.summary.error->sql_state, "42S02");

    Buffer multi_on;
    encode_com_set_option(MYSQL_OPTION_MULTI_STATEMENTS_ON, multi_on);
    EXPECT_TRUE(client.command(multi_on, ResponseKind::simple).summary.succeeded());
    const Response multi = client.query("SELECT 1; DO 1; SELECT 2, 3");
    EXPECT_EQ(multi.summary.result_sets, 2u);
    EXPECT_EQ(multi.summary.rows, 2u);
    EXPECT_FALSE(multi.summary.status_flags & SERVER_MORE_RESULTS_EXISTS);
    const Response multi_error =
        client.query("SELECT 1; SELECT * FROM no_such_table_here; SELECT 3");
    EXPECT_EQ(multi_error.summary.result_sets, 1u);
    ASSERT_TRUE(multi_error.summary.error);
    EXPECT_EQ(client.query("SELECT 4").summary.rows, 1u); // still in sync
    client.quit();
}

TEST_P(MysqlClientTest, AuthSwitchToNativePassword) {
    const Server server = mysql_primaries().at(0);
    MysqlClient client(server, GetParam());
    // Proposing another plugin makes MariaDB ask for the account's own plugin.
    client.login(server, CACHING_SHA2_PASSWORD);
    EXPECT_TRUE(client.switched());
    EXPECT_EQ(client.query("SELECT 1").summary.rows, 1u);
    client.quit();
}

TEST(MysqlClientLogin, WrongPasswordIsRefused) {
    Server server = mysql_primaries().at(0);
    MysqlClient client(server, true);
    server.password = "not-the-password";
    EXPECT_THROW(client.login(server, MYSQL_NATIVE_PASSWORD), std::runtime_error);
}

INSTANTIATE_TEST_SUITE_P(EofModes, MysqlClientTest, ::testing::Values(false, true),
                         [](const auto& info) {
                             return info.param ? "DeprecateEof" : "EofPackets";
                         });

} // namespace
} // namespace shardgate::protocol::mysql
