// SCRAM-SHA-256 server half (a client authenticating to shardgate).
// https://www.rfc-editor.org/rfc/rfc5802#section-3, https://www.rfc-editor.org/rfc/rfc7677
// https://www.postgresql.org/docs/15/sasl-authentication.html
#include "crypto.hpp"
#include "scram_message.hpp"
#include "shardgate/protocol/pg/scram.hpp"

#include <string>

namespace shardgate::protocol::pg {

ScramServer::ScramServer(ScramVerifier verifier) : verifier_(std::move(verifier)) {}

Result<ScramServer> ScramServer::from_password(std::string_view password,
                                               const RandomSource& random, int iterations) {
    auto verifier = make_scram_verifier(password, random, iterations);
    if (!verifier) {
        return verifier.error();
    }
    return ScramServer(std::move(verifier.value()));
}

Error ScramServer::fail(ErrorCode code, std::string message) {
    state_ = State::failed;
    return Error{code, "SCRAM server: " + std::move(message)};
}

Result<std::string> ScramServer::server_first(std::string_view client_first,
                                              const RandomSource& random) {
    std::array<std::byte, SCRAM_RAW_NONCE_LEN> raw{};
    if (!random || !random(raw)) {
        return fail(ErrorCode::random_failed, "no random nonce");
    }
    return server_first_with_nonce(client_first, crypto::base64_encode(raw));
}

// client-first-message = gs2-header client-first-bare; gs2-header = ("n" | "y") ",," here:
// "p=" (channel binding) and "a=" (authzid) are refused.
Result<std::string> ScramServer::server_first_with_nonce(std::string_view client_first,
                                                         std::string_view server_nonce_suffix) {
    if (state_ != State::initial) {
        return fail(ErrorCode::bad_value, "client-first-message out of order");
    }
    if (client_first.starts_with("p=")) {
        return fail(ErrorCode::unsupported, "channel binding is not supported");
    }
    if (!client_first.starts_with("n,") && !client_first.starts_with("y,")) {
        return fail(ErrorCode::bad_value, "malformed GS2 header");
    }
    if (client_first.substr(2).starts_with("a=")) {
        return fail(ErrorCode::unsupported, "authorization identity is not supported");
    }
    if (!client_first.substr(2).starts_with(",")) {
        return fail(ErrorCode::bad_value, "malformed GS2 header");
    }
    gs2_header_ = client_first.substr(0, 3);
    client_first_bare_ = client_first.substr(3);
    auto attributes = scram::split_attributes(client_first_bare_);
    if (attributes && !attributes->empty() && attributes->front().name == 'm') {
        return fail(ErrorCode::unsupported, "client requires an unsupported extension");
    }
    if (!attributes || attributes->size() < 2 || (*attributes)[0].name != 'n' ||
        (*attributes)[1].name != 'r') {
        return fail(ErrorCode::bad_value, "malformed client-first-message");
    }
    auto user = scram::unescape_saslname((*attributes)[0].value);
    auto client_nonce = (*attributes)[1].value;
    if (!user || !scram::valid_nonce(client_nonce) || !scram::valid_nonce(server_nonce_suffix)) {
        return fail(ErrorCode::bad_value, "bad user name or nonce in client-first-message");
    }
    client_user_ = *user;
    nonce_ = std::string(client_nonce) + std::string(server_nonce_suffix);
    server_first_ = "r=" + nonce_ + ",s=" + crypto::base64_encode(verifier_.salt) +
                    ",i=" + std::to_string(verifier_.iterations);
    state_ = State::server_first_sent;
    return server_first_;
}

// client-final-message = "c=" base64(gs2-header) ",r=" nonce ["," extensions] ",p=" proof.
Result<std::string> ScramServer::server_final(std::string_view client_final) {
    if (state_ != State::server_first_sent) {
        return fail(ErrorCode::bad_value, "client-final-message out of order");
    }
    auto proof_at = client_final.rfind(",p=");
    if (proof_at == std::string_view::npos) {
        return fail(ErrorCode::bad_value, "client-final-message has no proof");
    }
    auto without_proof = client_final.substr(0, proof_at);
    auto attributes = scram::split_attributes(without_proof);
    if (!attributes || attributes->size() < 2 || (*attributes)[0].name != 'c' ||
        (*attributes)[1].name != 'r') {
        return fail(ErrorCode::bad_value, "malformed client-final-message");
    }
    auto binding = crypto::base64_decode((*attributes)[0].value);
    if (!binding || as_text(*binding) != gs2_header_) {
        return fail(ErrorCode::auth_failed, "channel binding data does not match");
    }
    if ((*attributes)[1].value != nonce_) {
        return fail(ErrorCode::auth_failed, "nonce does not match");
    }
    auto proof = crypto::base64_decode(client_final.substr(proof_at + 3));
    if (!proof || proof->size() != SCRAM_KEY_LEN) {
        return fail(ErrorCode::bad_value, "malformed client proof");
    }
    std::string auth_message =
        client_first_bare_ + "," + server_first_ + "," + std::string(without_proof);
    ScramKey client_signature{};
    ScramKey client_key{};
    ScramKey stored_key{};
    ScramKey server_signature{};
    ScramKey received{};
    std::copy(proof->begin(), proof->end(), received.begin());
    if (!scram::signature(verifier_.stored_key, auth_message, client_signature) ||
        !crypto::sha256(client_key = scram::xor_keys(received, client_signature), stored_key) ||
        !scram::signature(verifier_.server_key, auth_message, server_signature)) {
        return fail(ErrorCode::unsupported, "key derivation failed");
    }
    if (!crypto::equal_constant_time(stored_key, verifier_.stored_key)) {
        return fail(ErrorCode::auth_failed, "password authentication failed");
    }
    state_ = State::done;
    return "v=" + crypto::base64_encode(server_signature);
}

const char* to_string(ScramServer::State state) {
    switch (state) {
    case ScramServer::State::initial:
        return "initial";
    case ScramServer::State::server_first_sent:
        return "server_first_sent";
    case ScramServer::State::done:
        return "done";
    case ScramServer::State::failed:
        return "failed";
    }
    return "unknown";
}

} // namespace shardgate::protocol::pg
