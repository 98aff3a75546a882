// Fuzzes the PostgreSQL startup phase: startup packets (StartupMessage, SSLRequest,
// GSSENCRequest, CancelRequest; protocol/pg/startup_decoder.cpp) and authentication
// (SASL wire messages, SCRAM-SHA-256 on both sides, pg_authid verifiers, MD5 responses).
// First byte, modulo 4: 0 a stream of startup packets (bit 2 sets a 64-byte limit);
// 1 the server side of SCRAM: frontend 'p' messages (SASLInitialResponse, SASLResponse)
// answered by a ScramServer; 2 the client side: backend 'R' messages answered by a
// ScramClient; 3 text: a pg_authid SCRAM verifier, or (bit 2) an MD5 password response.
// The RFC 7677 exchange (user "user", password "pencil") is in the seeds.
#include "pg_support.hpp"
#include "shardgate/protocol/pg/backend_decoder.hpp"
#include "shardgate/protocol/pg/frontend_decoder.hpp"
#include "shardgate/protocol/pg/md5_auth.hpp"
#include "shardgate/protocol/pg/scram.hpp"

#include <array>
#include <string>
#include <variant>

namespace {

using namespace shardgate::fuzz;
using namespace shardgate::fuzz::pg;

// RFC 7677 section 3: salt W22ZaJ0SNY7soEsUEjb6gQ==, 4096 iterations, password "pencil".
constexpr std::string_view client_nonce = "rOprNGfwEbeRWgbNEkqO";
constexpr std::string_view server_nonce_suffix = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";

const ScramVerifier& rfc_verifier() {
    static const ScramVerifier verifier = [] {
        auto salt = parse_scram_verifier("SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$"
                                         "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=:"
                                         "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
        require(salt.ok());
        auto made = make_scram_verifier("pencil", salt.value().salt, 4096);
        require(made.ok());
        return made.value();
    }();
    return verifier;
}

void fuzz_startup_stream(ByteView buffer, bool small_limit) {
    FramingLimits limits;
    if (small_limit) {
        limits.max_startup_size = 64;
    }
    while (!buffer.empty()) {
        auto framed = next_startup_frame(buffer, limits);
        auto decoded = decode_startup_packet(buffer, limits);
        if (framed.need_more()) {
            require(decoded.need_more() && framed.needed() > buffer.size());
            return;
        }
        if (framed.is_error()) {
            require(decoded.is_error());
            return;
        }
        const StartupFrame& frame = framed.value();
        require(frame.size() >= startup_header_size && frame.size() == framed.consumed());
        require(framed.consumed() <= buffer.size() && frame.size() <= limits.max_startup_size);
        require(inside(frame.bytes, buffer) && inside(frame.body, frame.bytes));
        if (!decoded.ok()) {
            return; // a framed packet with a bad body ends the startup phase
        }
        require(decoded.consumed() == framed.consumed());
        std::visit([&](const auto& packet) { require_round_trip(packet, frame.bytes); },
                   decoded.value());
        if (const auto* startup = std::get_if<StartupMessage>(&decoded.value())) {
            require((startup->protocol_version >> 16) == 3);
            for (const auto& parameter : startup->parameters) {
                require(!parameter.name.empty() && inside(parameter.name, frame.body));
                require(startup->parameter(parameter.name).has_value());
            }
        }
        buffer = buffer.subspan(framed.consumed());
    }
}

/// The next 'p' message of a frontend stream, or nothing.
std::optional<Frame> next_auth_response(ByteView& buffer) {
    auto decoded = decode_frontend_message(buffer);
    if (!decoded.ok() || !std::holds_alternative<AuthResponse>(decoded.value())) {
        return std::nullopt;
    }
    auto frame = next_frame(buffer).value();
    buffer = buffer.subspan(decoded.consumed());
    return frame;
}

void fuzz_scram_server(ByteView buffer) {
    ScramServer server(rfc_verifier());
    const auto first_frame = next_auth_response(buffer);
    if (!first_frame) {
        return;
    }
    auto initial = decode_sasl_initial_response(*first_frame);
    if (!initial || !initial->data) {
        return;
    }
    const auto client_first = as_text(*initial->data);
    auto server_first = server.server_first_with_nonce(client_first, server_nonce_suffix);
    if (server_first) {
        require(server.state() == ScramServer::State::server_first_sent);
        require(server_first->starts_with("r=") && server_first->find(",s=") != std::string::npos);
        require(server_first->find(server_nonce_suffix) != std::string::npos);
    } else {
        require(server.state() == ScramServer::State::failed);
    }
    const auto second_frame = next_auth_response(buffer);
    if (!second_frame) {
        return;
    }
    auto response = decode_sasl_response(*second_frame);
    require(response.ok());
    auto server_final = server.server_final(as_text(response->data));
    if (server_final) {
        // Only the right proof gets here: the client knew the password.
        require(server_first.ok() && server.state() == ScramServer::State::done);
        require(server_final->starts_with("v="));
    } else {
        require(server.state() == ScramServer::State::failed);
    }
}

void fuzz_scram_client(ByteView buffer) {
    // The decoding is what is fuzzed: a lower iteration limit than the product's keeps each
    // input fast (the limit itself: Scram.ClientRefusesAnIterationCountOverItsLimit).
    ScramClient client("user", "pencil", 20000);
    require(client.client_first_with_nonce(client_nonce).ok());
    while (!buffer.empty()) {
        auto framed = next_frame(buffer);
        if (!framed.ok()) {
            return;
        }
        buffer = buffer.subspan(framed.consumed());
        auto request = decode_authentication(framed.value());
        if (!request) {
            continue;
        }
        if (const auto* challenge = std::get_if<AuthenticationSASLContinue>(&request.value())) {
            const bool ready = client.state() == ScramClient::State::client_first_sent;
            auto final_message = client.client_final(as_text(challenge->data));
            if (final_message) {
                require(ready && client.state() == ScramClient::State::client_final_sent);
                require(final_message->starts_with("c=biws,r=" + std::string(client_nonce)));
            } else {
                require(client.state() == ScramClient::State::failed);
            }
        } else if (const auto* outcome = std::get_if<AuthenticationSASLFinal>(&request.value())) {
            const bool ready = client.state() == ScramClient::State::client_final_sent;
            auto verified = client.verify_server_final(as_text(outcome->data));
            require(verified.ok() == (client.state() == ScramClient::State::done));
            require(!verified.ok() || ready);
        }
    }
}

void fuzz_verifier(std::string_view text) {
    auto verifier = parse_scram_verifier(text);
    if (!verifier) {
        return;
    }
    require(verifier->iterations > 0 && !verifier->salt.empty());
    const std::string formatted = format_scram_verifier(verifier.value());
    auto again = parse_scram_verifier(formatted);
    require(again.ok());
    require(again->iterations == verifier->iterations && again->salt == verifier->salt &&
            again->stored_key == verifier->stored_key && again->server_key == verifier->server_key);
    require(format_scram_verifier(again.value()) == formatted);
}

void fuzz_md5(Input& in) {
    static const std::string stored = md5_stored_password("user", "pencil").value();
    std::array<std::byte, 4> salt{};
    const auto salt_bytes = in.take(4);
    std::copy(salt_bytes.begin(), salt_bytes.end(), salt.begin());
    const auto response = as_text(in.rest());
    const auto expected = md5_password_response("user", "pencil", salt).value();
    require(md5_verify(stored, salt, response) == (response == expected));
    require(md5_verify(stored, salt, expected));
    require(!md5_verify(response, salt, expected) || response == stored);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    Input in(data, size);
    const std::uint8_t selector = in.byte();
    switch (selector % 4) {
    case 0:
        fuzz_startup_stream(in.rest(), (selector & 4) != 0);
        break;
    case 1:
        fuzz_scram_server(in.rest());
        break;
    case 2:
        fuzz_scram_client(in.rest());
        break;
    default:
        if (selector & 4) {
            fuzz_md5(in);
        } else {
            fuzz_verifier(as_text(in.rest()));
        }
    }
    return 0;
}
