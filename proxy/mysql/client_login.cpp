// Client connection phase: v10 handshake, capability negotiation, authentication by
// shardgate (mysql_native_password, caching_sha2_password fast path, auth switch for other
// plugins), and the initial database.
#include "client_session.hpp"
#include "pg/asio.hpp"
#include "shardgate/protocol/mysql/auth.hpp"
#include "shardgate/protocol/mysql/auth_packets.hpp"
#include "shardgate/protocol/mysql/byte_io.hpp"
#include "shardgate/protocol/mysql/constants.hpp"
#include "shardgate/protocol/mysql/framing.hpp"
#include "shardgate/protocol/mysql/handshake.hpp"
#include "worker.hpp"

#include <spdlog/spdlog.h>

namespace shardgate::proxy::mysql {

namespace pm = protocol::mysql;

namespace {

/// What shardgate offers clients. No CLIENT_SSL (TLS is not implemented yet), no
/// CLIENT_LOCAL_FILES (LOAD DATA LOCAL is refused), no compression.
constexpr std::uint32_t offered_capabilities =
    pm::CLIENT_LONG_PASSWORD | pm::CLIENT_FOUND_ROWS | pm::CLIENT_LONG_FLAG |
    pm::CLIENT_CONNECT_WITH_DB | pm::CLIENT_IGNORE_SPACE | pm::CLIENT_PROTOCOL_41 |
    pm::CLIENT_INTERACTIVE | pm::CLIENT_IGNORE_SIGPIPE | pm::CLIENT_TRANSACTIONS |
    pm::CLIENT_SECURE_CONNECTION | pm::CLIENT_MULTI_STATEMENTS | pm::CLIENT_MULTI_RESULTS |
    pm::CLIENT_PS_MULTI_RESULTS | pm::CLIENT_PLUGIN_AUTH | pm::CLIENT_CONNECT_ATTRS |
    pm::CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA | pm::CLIENT_SESSION_TRACK | pm::CLIENT_DEPRECATE_EOF;

constexpr std::string_view server_version = "5.5.5-10.11.0-MariaDB-shardgate";

bool is_plain_password(const std::string& password) {
    return !password.starts_with("SCRAM-SHA-256$") &&
           !(password.size() == 35 && password.starts_with("md5"));
}

} // namespace

asio::awaitable<std::optional<pm::Buffer>> ClientSession::read_login_packet() {
    for (;;) {
        auto packet = pm::decode_packet(in_.view(), 1u << 20);
        if (packet.is_ok()) {
            in_.consume(packet.consumed());
            sequence_ = static_cast<std::uint8_t>(packet.value().last_sequence_id + 1);
            co_return std::move(packet.value().payload);
        }
        if (packet.is_error()) {
            ++worker_.stats().malformed_packets;
            send_err(packet.error_code(), "08S01", "Bad handshake: " + packet.error_message());
            co_await flush();
            co_return std::nullopt;
        }
        if (co_await pg::read_more(socket_, in_)) {
            co_return std::nullopt;
        }
    }
}

bool ClientSession::select_database(std::string_view name, Failure& failure) {
    const auto* db = worker_.context().map->find_database(name);
    if (db == nullptr || db->engine() != shardmaps::Engine::mysql) {
        ++worker_.stats().unknown_database;
        failure = {1049, "42000",
                   "Unknown database '" + std::string(name) +
                       "' (shardgate serves the MySQL databases of shard map " +
                       worker_.context().map->source() + ")"};
        return false;
    }
    db_ = db;
    database_ = std::string(name);
    return true;
}

asio::awaitable<bool> ClientSession::login() {
    auto& stats = worker_.stats();
    const auto scramble = pm::generate_scramble();
    if (!scramble) {
        co_return false;
    }
    connection_id_ = worker_.next_connection_id();
    pm::InitialHandshake hello;
    hello.server_version = std::string(server_version);
    hello.connection_id = connection_id_;
    hello.scramble.assign(scramble->begin(), scramble->end());
    hello.capabilities = offered_capabilities;
    hello.character_set = pm::CHARSET_UTF8MB4_GENERAL_CI;
    hello.status_flags = pm::SERVER_STATUS_AUTOCOMMIT;
    hello.auth_plugin_name = std::string(pm::MYSQL_NATIVE_PASSWORD);
    pm::Buffer payload;
    pm::encode_initial_handshake(hello, payload);
    sequence_ = 0;
    send_payload(payload);
    if (!co_await flush()) {
        co_return false;
    }
    state_ = State::authenticating;
    auto first = co_await read_login_packet();
    if (!first) {
        co_return false;
    }
    if (pm::is_ssl_request(*first)) {
        send_err({1045, "28000", "TLS is not supported by shardgate's MySQL frontend yet"});
        co_await flush();
        co_return false;
    }
    auto decoded = pm::decode_handshake_response(*first);
    if (!decoded.is_ok()) {
        ++stats.malformed_packets;
        send_err({1043, "08S01", "Bad handshake: " + decoded.error_message()});
        co_await flush();
        co_return false;
    }
    const auto& response = decoded.value();
    capabilities_ = response.capabilities & offered_capabilities;
    character_set_ = response.character_set;
    user_ = response.username;
    const auto& config = worker_.context().config;
    const ProxyUser* user = nullptr;
    for (const auto& candidate : config.users) {
        if (candidate.name == user_ && is_plain_password(candidate.password)) {
            user = &candidate;
        }
    }
    std::string plugin = response.capabilities & pm::CLIENT_PLUGIN_AUTH
                             ? response.auth_plugin_name
                             : std::string(pm::MYSQL_NATIVE_PASSWORD);
    pm::Buffer answer = response.auth_response;
    // Another plugin, or a caching_sha2_password client that waits for the server to name
    // it before answering (libmariadb sends nothing when the server announced native).
    const bool sha2_waits = plugin == pm::CACHING_SHA2_PASSWORD && answer.empty();
    if ((plugin != pm::MYSQL_NATIVE_PASSWORD && plugin != pm::CACHING_SHA2_PASSWORD) ||
        sha2_waits) {
        ++stats.auth_switches;
        pm::AuthSwitchRequest request;
        request.plugin_name =
            std::string(sha2_waits ? pm::CACHING_SHA2_PASSWORD : pm::MYSQL_NATIVE_PASSWORD);
        request.plugin_data.assign(scramble->begin(), scramble->end());
        request.plugin_data.push_back(std::byte{0});
        payload.clear();
        pm::encode_auth_switch_request(request, payload);
        send_payload(payload);
        if (!co_await flush()) {
            co_return false;
        }
        auto reply = co_await read_login_packet();
        if (!reply) {
            co_return false;
        }
        answer = std::move(*reply);
        plugin = request.plugin_name;
    }
    const std::string password = user ? user->password : "";
    bool accepted = false;
    if (user != nullptr) {
        accepted = plugin == pm::CACHING_SHA2_PASSWORD
                       ? pm::verify_caching_sha2_plain(*scramble, answer, password)
                       : pm::verify_native_password_plain(*scramble, answer, password);
    }
    if (!accepted) {
        ++stats.auth_failures;
        spdlog::info("mysql client {}: authentication failed for user '{}'", connection_id_, user_);
        send_err({1045, "28000",
                  "Access denied for user '" + user_ + "'@'" +
                      socket_.remote_endpoint().address().to_string() +
                      "' (using password: " + (answer.empty() ? "NO" : "YES") + ")"});
        co_await flush();
        co_return false;
    }
    if (plugin == pm::CACHING_SHA2_PASSWORD) {
        payload.clear();
        const std::byte fast{pm::CACHING_SHA2_FAST_AUTH_SUCCESS};
        pm::encode_auth_more_data(pm::Bytes(&fast, 1), payload);
        send_payload(payload);
    }
    Failure failure;
    if (!response.database.empty()) {
        if (!select_database(response.database, failure)) {
            send_err(failure);
            co_await flush();
            co_return false;
        }
    } else {
        for (const auto& db : worker_.context().map->databases()) {
            if (db.engine() == shardmaps::Engine::mysql) {
                db_ = &db;
                database_ = db.name();
                break;
            }
        }
        if (db_ == nullptr) {
            send_err({1049, "42000", "the shard map has no MySQL database"});
            co_await flush();
            co_return false;
        }
    }
    password_ = password;
    backend_user_ = config.backend_user.empty() ? user_ : config.backend_user;
    backend_password_ = config.backend_password.empty() ? password_ : config.backend_password;
    ++stats.clients_authenticated;
    send_ok();
    co_return co_await flush();
}

} // namespace shardgate::proxy::mysql
