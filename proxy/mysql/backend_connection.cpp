// Backend connect + login: v10 handshake, SSLRequest and TLS when backend_tls asks,
// HandshakeResponse41 with the client's wire options, mysql_native_password
// (caching_sha2_password: the fast path, or the full authentication over TLS).
#include "backend_connection.hpp"

#include "shardgate/protocol/mysql/auth.hpp"
#include "shardgate/protocol/mysql/auth_packets.hpp"
#include "shardgate/protocol/mysql/byte_io.hpp"
#include "shardgate/protocol/mysql/constants.hpp"
#include "shardgate/protocol/mysql/framing.hpp"
#include "shardgate/protocol/mysql/generic_packets.hpp"
#include "shardgate/protocol/mysql/handshake.hpp"
#include "shardgate/proxy/net/wire_io.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <sys/socket.h>

namespace shardgate::proxy::mysql {

namespace pm = protocol::mysql;

namespace {

/// Always requested from a backend (when it offers them).
constexpr std::uint32_t base_capabilities = pm::CLIENT_LONG_PASSWORD | pm::CLIENT_LONG_FLAG |
                                            pm::CLIENT_PROTOCOL_41 | pm::CLIENT_TRANSACTIONS |
                                            pm::CLIENT_SECURE_CONNECTION | pm::CLIENT_PLUGIN_AUTH |
                                            pm::CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA;

pm::Buffer password_response(std::string_view plugin, std::string_view password,
                             pm::Bytes scramble) {
    if (plugin == pm::CACHING_SHA2_PASSWORD) {
        return pm::caching_sha2_scramble(password, scramble);
    }
    return pm::native_password_scramble(password, scramble);
}

} // namespace

std::string BackendTarget::pool_key() const {
    return endpoint.to_string() + "/" + user + "/" + database + "/" +
           std::to_string(client_capabilities) + "/" + std::to_string(character_set);
}

BackendConnection::BackendConnection(asio::io_context& io, BackendTarget target,
                                     std::shared_ptr<const net::BackendTls> tls)
    : BackendLink(io, target.endpoint.host, target.endpoint.port, target.pool_key(),
                  std::move(tls)),
      target_(std::move(target)) {}

asio::awaitable<std::string> BackendConnection::read_packet(std::string& payload,
                                                            std::uint8_t& sequence) {
    for (;;) {
        auto packet = pm::decode_packet(in_.view());
        if (packet.ok()) {
            payload.assign(pm::as_chars(packet.value().payload));
            sequence = packet.value().last_sequence_id;
            in_.consume(packet.consumed());
            co_return "";
        }
        if (packet.is_error()) {
            co_return "malformed packet during login: " + packet.error().message;
        }
        if (auto ec = co_await read_more(stream_, in_)) {
            co_return "connection lost during login: " + ec.message();
        }
    }
}

asio::awaitable<std::string> BackendConnection::write_packet(std::uint8_t sequence,
                                                             const std::string& payload) {
    pm::Buffer wire;
    pm::append_packet(wire, sequence, pm::as_bytes(payload));
    if (auto ec = co_await write_all(stream_, wire)) {
        co_return "write failed: " + ec.message();
    }
    co_return "";
}

asio::awaitable<std::string> BackendConnection::login() {
    std::string payload;
    std::uint8_t sequence = 0;
    if (auto failure = co_await read_packet(payload, sequence); !failure.empty()) {
        co_return failure;
    }
    if (pm::classify_auth_reply(pm::as_bytes(payload)) == pm::AuthReplyKind::err) {
        auto err = pm::decode_err_packet(pm::as_bytes(payload), 0);
        co_return "server refused the connection: " +
            (err.ok() ? err.value().message : std::string("(unreadable error)"));
    }
    auto hello = pm::decode_initial_handshake(pm::as_bytes(payload));
    if (!hello.ok()) {
        co_return "bad handshake: " + hello.error().message;
    }
    const auto& server = hello.value();
    connection_id_ = server.connection_id;
    capabilities_ = (base_capabilities | target_.client_capabilities) & server.capabilities;
    capabilities_ |= pm::CLIENT_LONG_PASSWORD; // plain MySQL mode: no MariaDB extended flags
    if (!target_.database.empty()) {
        capabilities_ |= pm::CLIENT_CONNECT_WITH_DB;
    }
    const std::uint8_t character_set =
        target_.character_set != 0 ? target_.character_set : pm::CHARSET_UTF8MB4_GENERAL_CI;
    if (tls_mode() != net::BackendTlsMode::disable) {
        if ((server.capabilities & pm::CLIENT_SSL) != 0) {
            capabilities_ |= pm::CLIENT_SSL;
            pm::SslRequest request{capabilities_, 1u << 30, character_set, 0};
            pm::Buffer body;
            pm::encode_ssl_request(request, body);
            if (auto failure = co_await write_packet(++sequence, std::string(pm::as_chars(body)));
                !failure.empty()) {
                co_return failure;
            }
            if (in_.size() != 0) {
                co_return "the server sent data before the TLS handshake";
            }
            if (auto failure = co_await start_tls(); !failure.empty()) {
                co_return failure;
            }
        } else if (tls_mode() != net::BackendTlsMode::prefer) {
            co_return std::string("the server does not offer TLS (backend_tls ") +
                net::to_string(tls_mode()) + ")";
        }
    }
    pm::HandshakeResponse response;
    response.capabilities = capabilities_;
    response.max_packet_size = 1u << 30;
    response.character_set = character_set;
    response.username = target_.user;
    response.database = target_.database;
    response.auth_plugin_name = std::string(pm::MYSQL_NATIVE_PASSWORD);
    std::string_view plugin = server.auth_plugin_name;
    if (plugin != pm::CACHING_SHA2_PASSWORD) {
        plugin = pm::MYSQL_NATIVE_PASSWORD;
    }
    response.auth_plugin_name = std::string(plugin);
    response.auth_response = password_response(plugin, target_.password, server.scramble);
    pm::Buffer body;
    pm::encode_handshake_response(response, body);
    if (auto failure = co_await write_packet(++sequence, std::string(pm::as_chars(body)));
        !failure.empty()) {
        co_return failure;
    }
    for (int round = 0; round < 4; ++round) {
        if (auto failure = co_await read_packet(payload, sequence); !failure.empty()) {
            co_return failure;
        }
        const auto bytes = pm::as_bytes(payload);
        switch (pm::classify_auth_reply(bytes)) {
        case pm::AuthReplyKind::ok:
            co_return "";
        case pm::AuthReplyKind::err: {
            auto err = pm::decode_err_packet(bytes, capabilities_);
            co_return "login as '" + target_.user + "' refused: " +
                (err.ok() ? err.value().message : std::string("(unreadable error)"));
        }
        case pm::AuthReplyKind::auth_switch: {
            auto request = pm::decode_auth_switch_request(bytes);
            if (!request.ok()) {
                co_return "bad auth switch: " + request.error().message;
            }
            const auto& name = request.value().plugin_name;
            if (name != pm::MYSQL_NATIVE_PASSWORD && name != pm::CACHING_SHA2_PASSWORD) {
                co_return "backend asks for auth plugin '" + name +
                    "'; shardgate logs in with mysql_native_password or caching_sha2_password";
            }
            auto answer = password_response(name, target_.password,
                                            pm::auth_switch_scramble(request.value()));
            if (auto failure = co_await write_packet(++sequence, std::string(pm::as_chars(answer)));
                !failure.empty()) {
                co_return failure;
            }
            break;
        }
        case pm::AuthReplyKind::auth_more_data:
            if (payload.size() == 2 &&
                static_cast<std::uint8_t>(payload[1]) == pm::CACHING_SHA2_FAST_AUTH_SUCCESS) {
                break; // the OK follows
            }
            if (payload.size() == 2 && tls() &&
                static_cast<std::uint8_t>(payload[1]) ==
                    pm::CACHING_SHA2_PERFORM_FULL_AUTHENTICATION) {
                // over TLS the password itself, NUL-terminated
                if (auto failure = co_await write_packet(++sequence, target_.password + '\0');
                    !failure.empty()) {
                    co_return failure;
                }
                break;
            }
            co_return "backend asks for caching_sha2_password full authentication, which "
                      "needs TLS (backend_tls), and this connection is not encrypted";
        case pm::AuthReplyKind::unknown:
            co_return "unexpected packet during login";
        }
    }
    co_return "login did not finish";
}

} // namespace shardgate::proxy::mysql
