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
      target_(std::move(target)), cancels_ended_(io, std::chrono::steady_clock::time_point::max()) {
}

void BackendConnection::cancel_ended(bool confirmed) {
    unconfirmed_cancel_ = unconfirmed_cancel_ || !confirmed;
    if (--cancels_ == 0) {
        cancels_ended_.cancel();
    }
}

asio::awaitable<void> BackendConnection::cancels_ended() {
    while (cancels_ > 0) {
        error_code ec;
        co_await cancels_ended_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
}

asio::awaitable<bool> BackendConnection::cancels_settled() {
    co_await cancels_ended();
    if (unconfirmed_cancel_) {
        mark_broken();
    }
    co_return !unconfirmed_cancel_;
}

asio::awaitable<error_code> send_ssl_request(net::Stream& stream, ReadBuffer& in) {
    ppg::ByteBuffer request;
    ppg::encode(request, ppg::SSLRequest{});
    if (auto ec = co_await write_all(stream, request)) {
        co_return ec;
    }
    co_return co_await net::read_exactly(stream, in, 1);
}

asio::awaitable<std::string> BackendConnection::negotiate_tls() {
    if (auto ec = co_await send_ssl_request(stream_, in_)) {
        co_return "connection lost during login: " + ec.message();
    }
    const auto answer = static_cast<char>(in_.view()[0]);
    if (answer == 'S') {
        in_.consume(1);
        co_return co_await start_tls();
    }
    if (answer == 'N') {
        in_.consume(1);
        if (tls_mode() == net::BackendTlsMode::prefer) {
            co_return "";
        }
        co_return std::string("the server does not offer TLS (backend_tls ") +
            net::to_string(tls_mode()) + ")";
    }
    // An ErrorResponse (too many connections, out of memory, ...): its message is the reason.
    ppg::Frame frame;
    std::size_t consumed = 0;
    if (auto failure = co_await read_frame(frame, consumed); !failure.empty()) {
        co_return failure;
    }
    if (frame.type != ppg::PqMsg_ErrorResponse) {
        co_return "unexpected answer to SSLRequest";
    }
    auto error = ppg::decode_error_response(frame);
    co_return "the server refused SSLRequest: " +
        (error ? std::string(
                     error.value().field(ppg::PG_DIAG_MESSAGE_PRIMARY).value_or("(no message)"))
               : std::string("(unreadable error)"));
}

asio::awaitable<std::string> BackendConnection::read_frame(ppg::Frame& frame,
                                                           std::size_t& consumed) {
    for (;;) {
        auto next = ppg::next_frame(in_.view());
        if (next.ok()) {
            frame = next.value();
            consumed = next.consumed();
            co_return "";
        }
        if (next.is_error()) {
            co_return "malformed message during login: " + next.error().message;
        }
        if (auto ec = co_await read_more(stream_, in_)) {
            co_return "connection lost during login: " + ec.message();
        }
    }
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
    // The zone and date style shardgate announces to its clients (send_welcome), whatever the
    // server's defaults: time keys without an offset are placed as UTC, merged dates sort as
    // ISO text. (Startup values are what RESET ALL and DISCARD ALL return to.)
    startup.parameters = {{"user", target_.user},
                          {"database", target_.database},
                          {"TimeZone", "UTC"},
                          {"DateStyle", "ISO, MDY"}};
    ppg::encode(out, startup);
    if (auto ec = co_await write_all(stream_, out)) {
        co_return "write failed: " + ec.message();
    }
    std::optional<ppg::ScramClient> scram;
    for (;;) {
        ppg::Frame f;
        std::size_t consumed = 0;
        if (auto failure = co_await read_frame(f, consumed); !failure.empty()) {
            co_return failure;
        }
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
