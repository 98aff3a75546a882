// Backend connect + login state machine (TLS when backend_tls asks, startup, authentication,
// parameter status, key).
#include "backend_connection.hpp"

#include "shardgate/protocol/pg/backend_decoder.hpp"
#include "shardgate/protocol/pg/encoder.hpp"
#include "shardgate/protocol/pg/frame.hpp"
#include "shardgate/protocol/pg/md5_auth.hpp"
#include "shardgate/protocol/pg/random_source.hpp"
#include "shardgate/protocol/pg/scram.hpp"
#include "shardgate/proxy/net/wire_io.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <sys/socket.h>

namespace shardgate::proxy::pg {

namespace ppg = protocol::pg;

BackendConnection::BackendConnection(asio::io_context& io, BackendTarget target,
                                     std::shared_ptr<const net::BackendTls> tls)
    : BackendLink(io, target.endpoint.host, target.endpoint.port, target.pool_key(),
                  std::move(tls)),
      target_(std::move(target)) {}

asio::awaitable<std::string> BackendConnection::negotiate_tls() {
    ppg::ByteBuffer request;
    ppg::encode(request, ppg::SSLRequest{});
    if (auto ec = co_await write_all(stream_, request)) {
        co_return "write failed: " + ec.message();
    }
    if (auto ec = co_await read_more(stream_, in_, 1)) {
        co_return "connection lost during login: " + ec.message();
    }
    const auto answer = static_cast<char>(in_.view()[0]);
    if (in_.size() != 1) {
        // Bytes after the answer would be taken as if they had come over TLS.
        co_return "the server sent more than its answer to SSLRequest";
    }
    in_.consume(1);
    if (answer == 'S') {
        co_return co_await start_tls();
    }
    if (answer == 'N' && tls_mode() == net::BackendTlsMode::prefer) {
        co_return "";
    }
    co_return answer == 'N' ? std::string("the server does not offer TLS (backend_tls ") +
                                  net::to_string(tls_mode()) + ")"
                            : std::string("the server refused SSLRequest");
}

asio::awaitable<std::string> BackendConnection::login() {
    state_ = State::authenticating;
    if (tls_mode() != net::BackendTlsMode::disable) {
        if (auto failure = co_await negotiate_tls(); !failure.empty()) {
            co_return failure;
        }
    }
    ppg::ByteBuffer out;
    ppg::StartupMessage startup;
    startup.parameters = {{"user", target_.user}, {"database", target_.database}};
    ppg::encode(out, startup);
    if (auto ec = co_await write_all(stream_, out)) {
        co_return "write failed: " + ec.message();
    }
    std::optional<ppg::ScramClient> scram;
    for (;;) {
        auto frame = ppg::next_frame(in_.view());
        if (frame.need_more()) {
            if (auto ec = co_await read_more(stream_, in_)) {
                co_return "connection lost during login: " + ec.message();
            }
            continue;
        }
        if (frame.is_error()) {
            co_return "malformed message during login: " + frame.error().message;
        }
        const auto f = frame.value();
        const auto consumed = frame.consumed();
        out.clear();
        std::string failure;
        if (f.type == ppg::PqMsg_AuthenticationRequest) {
            auto auth = ppg::decode_authentication(f);
            if (!auth) {
                failure = auth.error().message;
            } else if (std::holds_alternative<ppg::AuthenticationCleartextPassword>(auth.value())) {
                ppg::encode(out, ppg::PasswordMessage{target_.password});
            } else if (auto* md5 = std::get_if<ppg::AuthenticationMD5Password>(&auth.value())) {
                auto response =
                    ppg::md5_password_response(target_.user, target_.password, md5->salt);
                if (!response) {
                    failure = response.error().message;
                } else {
                    ppg::encode(out, ppg::PasswordMessage{response.value()});
                }
            } else if (std::holds_alternative<ppg::AuthenticationSASL>(auth.value())) {
                scram.emplace("", target_.password);
                auto first = scram->client_first(ppg::openssl_random_source());
                if (!first) {
                    failure = first.error().message;
                } else {
                    ppg::encode(out, ppg::SASLInitialResponse{ppg::SCRAM_SHA_256_NAME,
                                                              ppg::as_bytes(first.value())});
                }
            } else if (auto* cont = std::get_if<ppg::AuthenticationSASLContinue>(&auth.value())) {
                auto final_msg = scram ? scram->client_final(ppg::as_text(cont->data))
                                       : ppg::Result<std::string>(ppg::Error{
                                             ppg::ErrorCode::unexpected_type, "SASL continue"});
                if (!final_msg) {
                    failure = final_msg.error().message;
                } else {
                    ppg::encode(out, ppg::SASLResponse{ppg::as_bytes(final_msg.value())});
                }
            } else if (auto* fin = std::get_if<ppg::AuthenticationSASLFinal>(&auth.value())) {
                auto status =
                    scram ? scram->verify_server_final(ppg::as_text(fin->data))
                          : ppg::Status(ppg::Error{ppg::ErrorCode::unexpected_type, "SASL final"});
                if (!status) {
                    failure = "server signature check failed: " + status.error().message;
                }
            }
        } else if (f.type == ppg::PqMsg_BackendKeyData) {
            if (auto key = ppg::decode_backend_key_data(f)) {
                key_ = key.value();
            }
        } else if (f.type == ppg::PqMsg_ErrorResponse) {
            auto error = ppg::decode_error_response(f);
            failure = error ? std::string(error.value()
                                              .field(ppg::PG_DIAG_MESSAGE_PRIMARY)
                                              .value_or("login refused"))
                            : "login refused";
        } else if (f.type == ppg::PqMsg_ReadyForQuery) {
            in_.consume(consumed);
            co_return "";
        }
        in_.consume(consumed);
        if (!failure.empty()) {
            co_return failure;
        }
        if (!out.empty()) {
            if (auto ec = co_await write_all(stream_, out)) {
                co_return "write failed: " + ec.message();
            }
        }
    }
}

} // namespace shardgate::proxy::pg
