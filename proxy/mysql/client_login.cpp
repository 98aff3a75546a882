// Client connection phase: v10 handshake, capability negotiation, TLS after an SSLRequest,
// authentication by shardgate (mysql_native_password; caching_sha2_password fast path, and
// full authentication in clear text over TLS or RSA-encrypted without; auth switch for other
// plugins), and the initial database.
#include "client_session.hpp"
#include "password_check.hpp"
#include "shardgate/protocol/mysql/auth.hpp"
#include "shardgate/protocol/mysql/auth_packets.hpp"
#include "shardgate/protocol/mysql/byte_io.hpp"
#include "shardgate/protocol/mysql/commands.hpp"
#include "shardgate/protocol/mysql/constants.hpp"
#include "shardgate/protocol/mysql/framing.hpp"
#include "shardgate/protocol/mysql/handshake.hpp"
#include "shardgate/proxy/net/wire_io.hpp"
#include "worker.hpp"

#include <spdlog/spdlog.h>

namespace shardgate::proxy::mysql {

namespace pm = protocol::mysql;

namespace {

/// What shardgate offers clients, plus CLIENT_SSL when TLS is configured. No
/// CLIENT_LOCAL_FILES (LOAD DATA LOCAL is refused), no compression.
constexpr std::uint32_t offered_capabilities =
    pm::CLIENT_LONG_PASSWORD | pm::CLIENT_FOUND_ROWS | pm::CLIENT_LONG_FLAG |
    pm::CLIENT_CONNECT_WITH_DB | pm::CLIENT_IGNORE_SPACE | pm::CLIENT_PROTOCOL_41 |
    pm::CLIENT_INTERACTIVE | pm::CLIENT_IGNORE_SIGPIPE | pm::CLIENT_TRANSACTIONS |
    pm::CLIENT_SECURE_CONNECTION | pm::CLIENT_MULTI_STATEMENTS | pm::CLIENT_MULTI_RESULTS |
    pm::CLIENT_PS_MULTI_RESULTS | pm::CLIENT_PLUGIN_AUTH | pm::CLIENT_CONNECT_ATTRS |
    pm::CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA | pm::CLIENT_SESSION_TRACK | pm::CLIENT_DEPRECATE_EOF;

constexpr std::string_view server_version = "5.5.5-10.11.0-MariaDB-shardgate";

/// The largest packet accepted before authentication.
constexpr std::size_t max_login_payload = 1u << 20;

} // namespace

asio::awaitable<std::optional<pm::Buffer>> ClientSession::read_first_packet() {
    // Exactly one packet and not a byte more: a client that sends an SSLRequest starts its TLS
    // handshake right behind it without waiting, and those bytes belong to the TLS stream.
    // (no co_await inside && or ?: anywhere here: GCC 12 miscompiles it)
    if (in_.size() < pm::packet_header_size) {
        const auto ec =
            co_await net::read_exactly(socket_, in_, pm::packet_header_size - in_.size());
        if (ec) {
            co_return std::nullopt;
        }
    }
    const auto header = in_.view();
    const std::size_t length = std::to_integer<std::size_t>(header[0]) |
                               std::to_integer<std::size_t>(header[1]) << 8 |
                               std::to_integer<std::size_t>(header[2]) << 16;
    const std::size_t total = pm::packet_header_size + length;
    // An oversized packet is not read: read_login_packet answers it with an ERR.
    if (length <= max_login_payload && in_.size() < total) {
        const auto ec = co_await net::read_exactly(socket_, in_, total - in_.size());
        if (ec) {
            co_return std::nullopt;
        }
    }
    co_return co_await read_login_packet();
}

asio::awaitable<std::optional<pm::Buffer>> ClientSession::read_login_packet() {
    for (;;) {
        auto packet = pm::decode_packet(in_.view(), max_login_payload);
        if (packet.ok()) {
            in_.consume(packet.consumed());
            sequence_ = static_cast<std::uint8_t>(packet.value().last_sequence_id + 1);
            co_return std::move(packet.value().payload);
        }
        if (packet.is_error()) {
            ++worker_.stats().malformed_packets;
            send_err(packet.error().code, "08S01", "Bad handshake: " + packet.error().message);
            co_await flush();
            co_return std::nullopt;
        }
        if (co_await net::read_more(socket_, in_)) {
            co_return std::nullopt;
        }
    }
}

asio::awaitable<bool> ClientSession::upgrade_to_tls() {
    auto& stats = worker_.stats();
    const auto& tls = worker_.context().tls;
    if (!tls) {
        ++stats.tls_refused;
        send_err({1045, "28000",
                  "TLS is not configured on shardgate's MySQL frontend (no tls_cert/tls_key): "
                  "connect without TLS"});
        co_await flush();
        co_return false;
    }
    // Bytes read ahead would be lost to the TLS handshake (read_first_packet reads none).
    if (in_.size() != 0) {
        ++stats.malformed_packets;
        co_return false;
    }
    if (auto ec = co_await socket_.start_tls(tls->current())) {
        ++stats.tls_handshake_failures;
        spdlog::info("mysql client {}: TLS handshake failed: {}", connection_id_, ec.message());
        co_return false;
    }
    ++stats.tls_sessions;
    co_return true;
}

void ClientSession::deny_access(bool used_password) {
    ++worker_.stats().auth_failures;
    spdlog::info("mysql client {}: authentication failed for user '{}'", connection_id_, user_);
    error_code ec;
    const auto peer = socket_.socket().remote_endpoint(ec);
    send_err({1045, "28000",
              "Access denied for user '" + user_ + "'@'" +
                  (ec ? std::string("?") : peer.address().to_string()) +
                  "' (using password: " + (used_password ? "YES" : "NO") + ")"});
}

asio::awaitable<std::optional<std::string>>
ClientSession::authenticate(const pm::HandshakeResponse& response, const pm::Scramble& scramble,
                            const ProxyUser* user) {
    auto& stats = worker_.stats();
    if (user != nullptr && user->auth == AuthMethod::cert) {
        // The certificate is the credential; whatever the client answered is not looked at.
        if (const auto name = socket_.verified_peer_name(); !name.empty() && name == user->name) {
            // its password, when plain, is the one for the backends (else backend_password)
            co_return is_password_hash(user->password) ? std::string() : user->password;
        }
        ++stats.auth_failures;
        spdlog::info("mysql client {}: certificate authentication failed for user '{}'",
                     connection_id_, response.username);
        send_err({1045, "28000",
                  "Access denied for user '" + response.username +
                      "': certificate authentication failed (a client certificate signed by "
                      "tls_client_ca, with the user name as its common name)"});
        co_return std::nullopt;
    }
    // A plain configured password is shardgate's cache entry: it checks both scrambles. A
    // native hash checks mysql_native_password scrambles. Any hashed form (native, md5, SCRAM
    // verifier) can be checked against the password that caching_sha2_password full
    // authentication sends (clear text over TLS, else RSA).
    const bool plain = user != nullptr && is_plain_password(user->password);
    const auto native_hash = user != nullptr ? native_hash_of(user->password) : std::nullopt;
    std::string plugin = response.capabilities & pm::CLIENT_PLUGIN_AUTH
                             ? response.auth_plugin_name
                             : std::string(pm::MYSQL_NATIVE_PASSWORD);
    pm::Buffer answer = response.auth_response;
    // Another plugin; a caching_sha2_password client that waits for the server to name it
    // before answering (libmariadb sends nothing when the server announced native); or a
    // hashed password that only caching_sha2_password can check.
    const bool sha2_waits = plugin == pm::CACHING_SHA2_PASSWORD && answer.empty();
    const bool needs_sha2 =
        user != nullptr && !plain && !native_hash && plugin != pm::CACHING_SHA2_PASSWORD;
    if ((plugin != pm::MYSQL_NATIVE_PASSWORD && plugin != pm::CACHING_SHA2_PASSWORD) ||
        sha2_waits || needs_sha2) {
        ++stats.auth_switches;
        pm::AuthSwitchRequest request;
        request.plugin_name = std::string(sha2_waits || needs_sha2 ? pm::CACHING_SHA2_PASSWORD
                                                                   : pm::MYSQL_NATIVE_PASSWORD);
        request.plugin_data.assign(scramble.begin(), scramble.end());
        request.plugin_data.push_back(std::byte{0});
        pm::Buffer payload;
        pm::encode_auth_switch_request(request, payload);
        send_payload(payload);
        const bool flushed = co_await flush();
        if (!flushed) {
            co_return std::nullopt;
        }
        auto reply = co_await read_login_packet();
        if (!reply) {
            co_return std::nullopt;
        }
        answer = std::move(*reply);
        plugin = request.plugin_name;
    }
    if (plugin == pm::CACHING_SHA2_PASSWORD) {
        if (plain && pm::verify_caching_sha2_plain(scramble, answer, user->password)) {
            send_auth_more_data(pm::CACHING_SHA2_FAST_AUTH_SUCCESS);
            co_return user->password;
        }
        co_return co_await full_authentication(user, scramble, !answer.empty());
    }
    if (plain && pm::verify_native_password_plain(scramble, answer, user->password)) {
        co_return user->password;
    }
    if (native_hash && pm::verify_native_password(scramble, answer, *native_hash)) {
        co_return std::string(); // the password itself is not known: backend_password logs in
    }
    deny_access(!answer.empty());
    co_return std::nullopt;
}

asio::awaitable<std::optional<std::string>>
ClientSession::full_authentication(const ProxyUser* user, const pm::Scramble& scramble,
                                   bool used_password) {
    auto& stats = worker_.stats();
    ++stats.sha2_full_auths;
    send_auth_more_data(pm::CACHING_SHA2_PERFORM_FULL_AUTHENTICATION);
    const bool flushed = co_await flush();
    if (!flushed) {
        co_return std::nullopt;
    }
    auto reply = co_await read_login_packet();
    if (!reply) {
        co_return std::nullopt;
    }
    std::optional<std::string> password;
    if (socket_.tls()) {
        password = std::string(pm::cleartext_password(*reply));
    } else {
        // Without TLS the password travels RSA-encrypted; a client that does not know the
        // key asks for it first.
        const auto& rsa = *worker_.context().rsa;
        if (reply->size() == 1 && (*reply)[0] == std::byte{pm::CACHING_SHA2_REQUEST_PUBLIC_KEY}) {
            ++stats.sha2_public_key_requests;
            const auto& pem = rsa.public_key_pem();
            pm::Buffer payload;
            pm::encode_auth_more_data(
                pm::Bytes(reinterpret_cast<const std::byte*>(pem.data()), pem.size()), payload);
            send_payload(payload);
            const bool flushed = co_await flush();
            if (!flushed) {
                co_return std::nullopt;
            }
            reply = co_await read_login_packet();
            if (!reply) {
                co_return std::nullopt;
            }
        }
        password = rsa.decrypt_password(*reply, scramble);
        if (!password) {
            ++stats.sha2_rsa_failures;
        }
    }
    if (user != nullptr && password && cleartext_matches(*user, *password)) {
        co_return password;
    }
    deny_access(used_password);
    co_return std::nullopt;
}

void ClientSession::send_auth_more_data(std::uint8_t status) {
    pm::Buffer payload;
    const std::byte byte{status};
    pm::encode_auth_more_data(pm::Bytes(&byte, 1), payload);
    send_payload(payload);
}

std::optional<ClientSession::Failure> ClientSession::select_database(std::string_view name) {
    insert_shard_.reset(); // a shard of the database the session leaves
    const auto* db = worker_.context().registry.map().find_database(name);
    if (db == nullptr && name == admin_database && worker_.context().console) {
        if (pinned_ || core_.txn() != Txn::none) {
            return Failure{1235, "0A000",
                           "not supported: entering the admin console with an open transaction "
                           "or session state on a backend (commit, or reset the connection)"};
        }
        if (!admin_user_) {
            return Failure{1044, "42000",
                           "Access denied for user '" + user_ +
                               "' to database 'shardgate' (the admin console needs admin: "
                               "true in the config)"};
        }
        if (admission_.admission() == ClientLimit::Admission::refused &&
            !admission_.seat_in_console()) {
            return Failure{1040, "08004",
                           refusal_message("Too many connections") +
                               "; as many admin console sessions past the limit are open"};
        }
        console_ = true;
        db_ = nullptr;
        database_ = std::string(name);
        core_.use(db_, database_);
        return std::nullopt;
    }
    if (admission_.admission() != ClientLimit::Admission::admitted) {
        // let into the console past max_client_connections (or refused): not a client place
        return Failure{1040, "08004",
                       refusal_message("Too many connections") +
                           "; past the limit only the admin console is reachable (this "
                           "session entered it past the limit)"};
    }
    if (db == nullptr || db->engine() != shardmaps::Engine::mysql) {
        ++worker_.stats().unknown_database;
        return Failure{1049, "42000",
                       "Unknown database '" + std::string(name) +
                           "' (shardgate serves the MySQL databases of shard map " +
                           worker_.context().map->source() + ")"};
    }
    console_ = false;
    db_ = db;
    database_ = std::string(name);
    core_.use(db_, database_);
    refresh_lex_mode(); // another database may have other servers
    return std::nullopt;
}

asio::awaitable<bool> ClientSession::login() {
    if (admission_.admission() == ClientLimit::Admission::dropped) {
        co_return false; // past max_client_connections and the clients being refused
    }
    const auto scramble = pm::generate_scramble();
    if (!scramble) {
        co_return false;
    }
    const auto& config = worker_.context().config;
    const std::uint32_t offered =
        offered_capabilities | (worker_.context().tls ? pm::CLIENT_SSL : 0u);
    connection_id_ = worker_.next_connection_id();
    pm::InitialHandshake hello;
    hello.server_version = std::string(server_version);
    hello.connection_id = connection_id_;
    hello.scramble.assign(scramble->begin(), scramble->end());
    scramble_ = *scramble;
    hello.capabilities = offered;
    hello.character_set = pm::CHARSET_UTF8MB4_GENERAL_CI;
    hello.status_flags = pm::SERVER_STATUS_AUTOCOMMIT;
    hello.auth_plugin_name = config.mysql_auth_plugin;
    pm::Buffer payload;
    pm::encode_initial_handshake(hello, payload);
    sequence_ = 0;
    send_payload(payload);
    const bool flushed = co_await flush();
    if (!flushed) {
        co_return false;
    }
    state_ = State::authenticating;
    auto first = co_await read_first_packet();
    if (!first) {
        co_return false;
    }
    if (pm::is_ssl_request(*first)) {
        const bool upgraded = co_await upgrade_to_tls();
        if (!upgraded) {
            co_return false;
        }
        first = co_await read_login_packet(); // the handshake response, over TLS
        if (!first) {
            co_return false;
        }
    }
    if (config.tls_required && !socket_.tls()) {
        ++worker_.stats().plaintext_refused;
        send_err({3159, "HY000",
                  "Connections using insecure transport are prohibited: shardgate requires TLS "
                  "(tls_required); connect with --ssl / ssl-mode=REQUIRED"});
        co_await flush();
        co_return false;
    }
    auto decoded = pm::decode_handshake_response(*first);
    if (!decoded.ok()) {
        ++worker_.stats().malformed_packets;
        send_err({1043, "08S01", "Bad handshake: " + decoded.error().message});
        co_await flush();
        co_return false;
    }
    const auto& response = decoded.value();
    capabilities_ = response.capabilities & offered;
    character_set_ = response.character_set;
    // Past max_client_connections: ER_CON_COUNT_ERROR, as the server past max_connections,
    // once the response says the client wants no admin console (that stays reachable).
    if (admission_.admission() == ClientLimit::Admission::refused &&
        !(response.database == admin_database && worker_.context().console)) {
        send_err({1040, "08004", refusal_message("Too many connections")});
        co_await flush();
        co_return false;
    }
    user_ = response.username;
    const ProxyUser* user = nullptr;
    for (const auto& candidate : config.users) {
        if (candidate.name == user_) {
            user = &candidate;
        }
    }
    admin_user_ = user != nullptr && user->admin;
    auto password = co_await authenticate(response, *scramble, user);
    if (!password) {
        co_await flush();
        co_return false;
    }
    if (!response.database.empty()) {
        if (auto failure = select_database(response.database)) {
            send_err(*failure);
            co_await flush();
            co_return false;
        }
    } else {
        for (const auto& db : worker_.context().registry.map().databases()) {
            if (db.engine() == shardmaps::Engine::mysql) {
                db_ = &db;
                database_ = db.name();
                core_.use(db_, database_);
                break;
            }
        }
        if (db_ == nullptr) {
            send_err({1049, "42000", "the shard map has no MySQL database"});
            co_await flush();
            co_return false;
        }
    }
    set_backend_credentials(std::move(*password));
    ++worker_.stats().clients_authenticated;
    send_ok();
    co_return co_await flush();
}

void ClientSession::set_backend_credentials(std::string password) {
    const auto& config = worker_.context().config;
    password_ = std::move(password);
    backend_user_ = config.backend_user.empty() ? user_ : config.backend_user;
    backend_password_ = config.backend_password.empty() ? password_ : config.backend_password;
}

asio::awaitable<bool> ClientSession::on_change_user(pm::Bytes payload) {
    auto decoded = pm::decode_com_change_user(payload, capabilities_);
    if (!decoded.ok()) {
        ++worker_.stats().malformed_packets;
        send_err({decoded.error().code, "08S01", "malformed COM_CHANGE_USER"});
        co_await flush();
        co_return false;
    }
    const auto& request = decoded.value();
    pm::HandshakeResponse response;
    response.capabilities = capabilities_;
    if (request.auth_plugin_name.empty()) {
        response.capabilities &= ~pm::CLIENT_PLUGIN_AUTH; // mysql_native_password
    }
    response.username = std::string(request.user);
    response.auth_response.assign(request.auth_response.begin(), request.auth_response.end());
    response.database = std::string(request.schema);
    response.auth_plugin_name = std::string(request.auth_plugin_name);
    user_ = response.username;
    const ProxyUser* user = nullptr;
    for (const auto& candidate : worker_.context().config.users) {
        if (candidate.name == user_) {
            user = &candidate;
        }
    }
    state_ = State::authenticating;
    auto password = co_await authenticate(response, scramble_, user);
    if (!password) {
        co_await flush();
        co_return false;
    }
    admin_user_ = user != nullptr && user->admin;
    if (console_ && !admin_user_ && response.database.empty()) {
        // the new user may not stay in the admin console: the first MySQL database
        for (const auto& db : worker_.context().registry.map().databases()) {
            if (db.engine() == shardmaps::Engine::mysql && !select_database(db.name())) {
                break;
            }
        }
        if (console_) {
            send_err({1049, "42000", "the shard map has no MySQL database"});
            co_await flush();
            co_return false;
        }
    }
    // The new user starts clean: nothing of the old session's state goes with them.
    drop_pinned();
    settings_.clear();
    refresh_lex_mode();
    statements_.clear();
    autocommit_ = true;
    insert_id_ = 0;
    insert_shard_.reset();
    found_rows_.reset();
    if (request.character_set) {
        character_set_ = static_cast<std::uint8_t>(*request.character_set & 0xff);
    }
    if (auto failure =
            response.database.empty() ? std::nullopt : select_database(response.database)) {
        send_err(*failure);
        co_await flush();
        co_return false;
    }
    set_backend_credentials(std::move(*password));
    ++worker_.stats().user_changes;
    send_ok();
    co_return co_await flush();
}

} // namespace shardgate::proxy::mysql
