// Client startup: SSL negotiation (TLS when configured; GSS declined), CancelRequest,
// StartupMessage, password authentication by shardgate itself (SCRAM-SHA-256, md5 or trust), then
// the welcome.
#include "client_session.hpp"
#include "shardgate/protocol/pg/backend_decoder.hpp"
#include "shardgate/protocol/pg/encoder.hpp"
#include "shardgate/protocol/pg/frontend_decoder.hpp"
#include "shardgate/protocol/pg/md5_auth.hpp"
#include "shardgate/protocol/pg/random_source.hpp"
#include "shardgate/protocol/pg/scram.hpp"
#include "worker.hpp"

#include <array>
#include <cstring>
#include <spdlog/spdlog.h>

namespace shardgate::proxy::pg {

namespace ppg = protocol::pg;

namespace {

constexpr std::byte decline{'N'};
constexpr std::byte accept_tls{'S'};

bool is_session_parameter(std::string_view name) {
    return name != "user" && name != "database" && name != "options" && name != "replication";
}

} // namespace

asio::awaitable<bool> ClientSession::login() {
    if (admission_.admission() == ClientLimit::Admission::dropped) {
        co_return false; // past max_client_connections and the clients being refused
    }
    std::optional<ppg::StartupMessage> startup;
    while (!startup) {
        auto frame = ppg::next_startup_frame(in_.view());
        if (frame.need_more()) {
            if (co_await read_more(socket_, in_, 1024)) {
                co_return false;
            }
            continue;
        }
        if (frame.is_error()) {
            ++worker_.stats().malformed_messages;
            co_await fatal("08P01", "invalid startup packet: " + frame.error().message);
            co_return false;
        }
        auto packet = ppg::decode_startup_packet(frame.value());
        const auto consumed = frame.consumed();
        if (!packet) {
            ++worker_.stats().malformed_messages;
            co_await fatal(packet.error().code == ppg::ErrorCode::unsupported ? "0A000" : "08P01",
                           "invalid startup packet: " + packet.error().message);
            co_return false;
        }
        if (std::holds_alternative<ppg::SSLRequest>(packet.value()) ||
            std::holds_alternative<ppg::GSSENCRequest>(packet.value())) {
            in_.consume(consumed);
            const auto& tls = worker_.context().tls;
            const bool accept =
                tls && !socket_.tls() && std::holds_alternative<ppg::SSLRequest>(packet.value());
            if (accept && in_.size() != 0) {
                // bytes sent before our answer could be injected by a third party
                ++worker_.stats().malformed_messages;
                co_await fatal("08P01", "received unencrypted data after SSL request");
                co_return false;
            }
            if (co_await write_all(socket_, ppg::ByteView(accept ? &accept_tls : &decline, 1))) {
                co_return false;
            }
            if (accept) {
                if (auto ec = co_await socket_.start_tls(tls->current())) {
                    ++worker_.stats().tls_handshake_failures;
                    spdlog::info("TLS handshake with a client failed: {}", ec.message());
                    co_return false;
                }
                ++worker_.stats().tls_sessions;
            }
            continue;
        }
        if (auto* cancel = std::get_if<ppg::CancelRequest>(&packet.value())) {
            worker_.context().route_cancel(cancel->process_id, cancel->secret_key);
            co_return false;
        }
        if (worker_.context().config.tls_required && !socket_.tls()) {
            ++worker_.stats().plaintext_refused;
            co_await fatal("28000", "shardgate requires TLS (tls_required): connect with "
                                    "sslmode=require or stricter");
            co_return false;
        }
        startup = std::get<ppg::StartupMessage>(packet.value());
        user_ = std::string(startup->parameter("user").value_or(""));
        database_ = std::string(startup->parameter("database").value_or(user_));
        // As PostgreSQL past max_connections: after the startup packet (a CancelRequest above
        // is still served), and the admin console (for admins) still reachable.
        if (admission_.admission() == ClientLimit::Admission::refused &&
            !(database_ == admin_database && worker_.context().console)) {
            send_error("53300", refusal_message("sorry, too many clients already"), "FATAL");
            co_await flush();
            co_return false;
        }
        for (const auto& parameter : startup->parameters) {
            if (is_session_parameter(parameter.name)) {
                settings_.set_parameter(parameter.name, parameter.value);
            }
        }
        in_.consume(consumed);
    }
    state_ = State::authenticating;
    credentials_ = worker_.context().users.find(user_);
    // An unknown user goes through the same exchange as a wrong password (and fails it).
    const auto mock = credentials_ ? UserCredentials{} : worker_.context().users.mock(user_);
    const bool exchanged = co_await authenticate(credentials_ ? *credentials_ : mock);
    const bool authenticated = exchanged && credentials_ != nullptr;
    if (!authenticated) {
        ++worker_.stats().auth_failures;
        if (!client_gone_ && credentials_ != nullptr && credentials_->auth == AuthMethod::cert) {
            co_await fatal("28000", "certificate authentication failed for user \"" + user_ +
                                        "\" (a client certificate signed by tls_client_ca, with "
                                        "the user name as its common name)");
        } else if (!client_gone_) {
            co_await fatal("28P01", "password authentication failed for user \"" + user_ + "\"");
        }
        co_return false;
    }
    db_ = worker_.context().registry.map().find_database(database_);
    core_.use(db_, database_);
    console_ = db_ == nullptr && database_ == admin_database && worker_.context().console;
    if (console_ && !credentials_->admin) {
        ++worker_.stats().auth_failures;
        co_await fatal("42501", "permission denied for database \"shardgate\": user \"" + user_ +
                                    "\" is not an admin (admin: true in the config)");
        co_return false;
    }
    if (!console_ && (db_ == nullptr || db_->engine() != shardmaps::Engine::postgresql)) {
        ++worker_.stats().unknown_database;
        std::string known;
        for (const auto& db : worker_.context().registry.map().databases()) {
            if (db.engine() == shardmaps::Engine::postgresql) {
                known += (known.empty() ? "" : ", ") + db.name();
            }
        }
        co_await fatal("3D000", "database \"" + database_ +
                                    "\" does not exist in the shard map (PostgreSQL databases: " +
                                    known + ")");
        co_return false;
    }
    // Past the limit only the admin console (within its own places past the limit): also not
    // a database of the map that happens to be named like it.
    if (admission_.admission() == ClientLimit::Admission::refused &&
        !(console_ && admission_.seat_in_console())) {
        send_error("53300",
                   refusal_message(console_ ? "sorry, too many admin console sessions past the "
                                              "client limit already"
                                            : "sorry, too many clients already"),
                   "FATAL");
        co_await flush();
        co_return false;
    }
    ++worker_.stats().clients_authenticated;
    process_id_ = worker_.register_session(shared_from_this());
    std::array<std::byte, 4> secret{};
    if (!ppg::openssl_random_source()(secret)) {
        co_await fatal("58000", "no random bytes for the cancel key");
        co_return false;
    }
    std::memcpy(&secret_, secret.data(), sizeof(secret_));
    send_welcome();
    co_return co_await flush();
}

asio::awaitable<std::optional<ppg::Frame>> ClientSession::read_auth_frame() {
    // As PostgreSQL (PG_MAX_AUTH_TOKEN_LENGTH): a password or SASL message of a client not yet
    // logged in is at most 65,535 bytes, refused from its header on, so that no one can make
    // the proxy buffer a large message before authenticating.
    constexpr std::uint32_t max_auth_message = 65'535 + 4;
    for (;;) {
        if (const auto view = in_.view(); view.size() >= 5) {
            std::uint32_t length = 0;
            for (std::size_t i = 1; i < 5; ++i) {
                length = length << 8 | std::to_integer<std::uint32_t>(view[i]);
            }
            if (length > max_auth_message) {
                ++worker_.stats().malformed_messages;
                co_await fatal("08P01", "invalid message length: an authentication message of " +
                                            std::to_string(length) + " bytes (at most " +
                                            std::to_string(max_auth_message) + ")");
                client_gone_ = true; // answered: nothing more to send it
                co_return std::nullopt;
            }
        }
        auto frame = ppg::next_frame(in_.view());
        if (frame.ok()) {
            if (frame.value().type != ppg::PqMsg_PasswordMessage) {
                ++worker_.stats().malformed_messages;
                co_return std::nullopt;
            }
            co_return frame.value();
        }
        if (frame.is_error()) {
            ++worker_.stats().malformed_messages;
            co_return std::nullopt;
        }
        if (co_await read_more(socket_, in_, 1024)) {
            client_gone_ = true;
            co_return std::nullopt;
        }
    }
}

asio::awaitable<bool> ClientSession::authenticate(const UserCredentials& user) {
    if (user.auth == AuthMethod::trust) {
        co_return true;
    }
    if (user.auth == AuthMethod::cert) {
        const auto name = socket_.verified_peer_name();
        co_return !name.empty() && name == user.name;
    }
    if (user.auth == AuthMethod::md5) {
        ppg::AuthenticationMD5Password request;
        if (!ppg::openssl_random_source()(request.salt)) {
            co_return false;
        }
        ppg::encode(out_, request);
        const bool flushed = co_await flush();
        if (!flushed) {
            co_return false;
        }
        auto frame = co_await read_auth_frame();
        if (!frame) {
            co_return false;
        }
        auto password = ppg::decode_password_message(*frame);
        in_.consume(frame->size());
        co_return password&& ppg::md5_verify(user.md5_hash, request.salt,
                                             password.value().password);
    }
    ppg::ScramServer server(*user.scram);
    ppg::encode(out_, ppg::AuthenticationSASL{{ppg::SCRAM_SHA_256_NAME}});
    const bool flushed = co_await flush();
    if (!flushed) {
        co_return false;
    }
    auto first = co_await read_auth_frame();
    if (!first) {
        co_return false;
    }
    auto initial = ppg::decode_sasl_initial_response(*first);
    if (!initial || initial.value().mechanism != ppg::SCRAM_SHA_256_NAME || !initial.value().data) {
        in_.consume(first->size());
        co_return false;
    }
    auto server_first =
        server.server_first(ppg::as_text(*initial.value().data), ppg::openssl_random_source());
    in_.consume(first->size());
    if (!server_first) {
        co_return false;
    }
    ppg::encode(out_, ppg::AuthenticationSASLContinue{ppg::as_bytes(server_first.value())});
    const bool continued = co_await flush();
    if (!continued) {
        co_return false;
    }
    auto second = co_await read_auth_frame();
    if (!second) {
        co_return false;
    }
    auto response = ppg::decode_sasl_response(*second);
    auto server_final = response ? server.server_final(ppg::as_text(response.value().data))
                                 : ppg::Result<std::string>(response.error());
    in_.consume(second->size());
    if (!server_final) {
        co_return false;
    }
    ppg::encode(out_, ppg::AuthenticationSASLFinal{ppg::as_bytes(server_final.value())});
    co_return true;
}

void ClientSession::send_welcome() {
    ppg::encode(out_, ppg::AuthenticationOk{});
    const auto& config = worker_.context().config;
    auto parameter = [this](std::string_view name, std::string_view fallback) {
        const auto& statements = settings_.statements();
        std::string key;
        for (const char c : name) {
            key.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
        }
        std::string value(fallback);
        if (auto it = statements.find(key); it != statements.end()) {
            const auto quote = it->second.find('\'');
            if (quote != std::string::npos && it->second.size() > quote + 1) {
                value = it->second.substr(quote + 1, it->second.size() - quote - 2);
            }
        }
        ppg::encode(out_, ppg::ParameterStatus{name, value});
    };
    parameter("server_version", config.server_version);
    parameter("server_encoding", "UTF8");
    parameter("client_encoding", "UTF8");
    parameter("DateStyle", "ISO, MDY");
    parameter("IntervalStyle", "postgres");
    parameter("TimeZone", "UTC");
    parameter("integer_datetimes", "on");
    parameter("standard_conforming_strings", "on");
    parameter("is_superuser", "off");
    parameter("application_name", "");
    parameter("session_authorization", user_);
    ppg::encode(out_, ppg::BackendKeyData{process_id_, secret_});
    send_ready();
}

} // namespace shardgate::proxy::pg
