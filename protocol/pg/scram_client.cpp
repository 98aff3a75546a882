// SCRAM-SHA-256 client half (shardgate authenticating to a backend).
// https://www.rfc-editor.org/rfc/rfc5802#section-3, https://www.rfc-editor.org/rfc/rfc7677
// https://www.postgresql.org/docs/15/sasl-authentication.html
#include "crypto.hpp"
#include "scram_message.hpp"
#include "shardgate/protocol/pg/scram.hpp"

#include <string>

namespace shardgate::protocol::pg {

namespace {

// base64("n,,"): no channel binding, no authzid.
constexpr std::string_view gs2_header = "n,,";
constexpr std::string_view channel_binding_attribute = "c=biws";

} // namespace

ScramClient::ScramClient(std::string_view user, std::string_view password, int max_iterations)
    : user_(user), password_(password), max_iterations_(max_iterations) {}

Error ScramClient::fail(ErrorCode code, std::string message) {
    state_ = State::failed;
    return Error{code, "SCRAM client: " + std::move(message)};
}

Result<std::string> ScramClient::client_first(const RandomSource& random) {
    std::array<std::byte, SCRAM_RAW_NONCE_LEN> raw{};
    if (!random || !random(raw)) {
        return fail(ErrorCode::random_failed, "no random nonce");
    }
    return client_first_with_nonce(crypto::base64_encode(raw));
}

Result<std::string> ScramClient::client_first_with_nonce(std::string_view nonce) {
    if (state_ != State::initial) {
        return fail(ErrorCode::bad_value, "client-first-message already sent");
    }
    if (!scram::valid_nonce(nonce)) {
        return fail(ErrorCode::bad_value, "nonce is not printable or contains ','");
    }
    client_nonce_ = nonce;
    client_first_bare_ = "n=" + scram::escape_saslname(user_) + ",r=" + client_nonce_;
    state_ = State::client_first_sent;
    return std::string(gs2_header) + client_first_bare_;
}

Result<std::string> ScramClient::client_final(std::string_view server_first) {
    if (state_ != State::client_first_sent) {
        return fail(ErrorCode::bad_value, "server-first-message out of order");
    }
    auto attributes = scram::split_attributes(server_first);
    if (attributes && !attributes->empty() && attributes->front().name == 'm') {
        return fail(ErrorCode::unsupported, "server requires an unsupported extension");
    }
    if (!attributes || attributes->size() < 3 || (*attributes)[0].name != 'r' ||
        (*attributes)[1].name != 's' || (*attributes)[2].name != 'i') {
        return fail(ErrorCode::bad_value, "malformed server-first-message");
    }
    auto nonce = (*attributes)[0].value;
    if (!nonce.starts_with(client_nonce_) || nonce.size() == client_nonce_.size() ||
        !scram::valid_nonce(nonce)) {
        return fail(ErrorCode::auth_failed, "server nonce does not extend the client nonce");
    }
    auto salt = crypto::base64_decode((*attributes)[1].value);
    auto iterations = scram::parse_iterations((*attributes)[2].value);
    if (!salt || salt->empty() || !iterations) {
        return fail(ErrorCode::bad_value, "bad salt or iteration count in server-first-message");
    }
    if (*iterations > max_iterations_) {
        return fail(ErrorCode::unsupported,
                    "the server asks for " + std::to_string(*iterations) +
                        " iterations, more than the " + std::to_string(max_iterations_) +
                        " shardgate computes (lower the server's scram_iterations and set the "
                        "password again)");
    }
    ScramKey client_key{};
    ScramKey stored_key{};
    ScramKey client_signature{};
    std::string without_proof = std::string(channel_binding_attribute) + ",r=" + std::string(nonce);
    auth_message_ = client_first_bare_ + "," + std::string(server_first) + "," + without_proof;
    if (!scram::derive_keys(password_, *salt, *iterations, client_key, server_key_) ||
        !crypto::sha256(client_key, stored_key) ||
        !scram::signature(stored_key, auth_message_, client_signature)) {
        return fail(ErrorCode::unsupported, "key derivation failed");
    }
    state_ = State::client_final_sent;
    return without_proof +
           ",p=" + crypto::base64_encode(scram::xor_keys(client_key, client_signature));
}

Status ScramClient::verify_server_final(std::string_view server_final) {
    if (state_ != State::client_final_sent) {
        return fail(ErrorCode::bad_value, "server-final-message out of order");
    }
    auto attributes = scram::split_attributes(server_final);
    if (!attributes || attributes->empty()) {
        return fail(ErrorCode::bad_value, "malformed server-final-message");
    }
    if (attributes->front().name == 'e') {
        return fail(ErrorCode::auth_failed,
                    "server reported error: " + std::string(attributes->front().value));
    }
    auto received = crypto::base64_decode(attributes->front().value);
    ScramKey expected{};
    if (attributes->front().name != 'v' || !received ||
        !scram::signature(server_key_, auth_message_, expected)) {
        return fail(ErrorCode::bad_value, "malformed server-final-message");
    }
    if (!crypto::equal_constant_time(*received, expected)) {
        return fail(ErrorCode::auth_failed, "server signature does not match");
    }
    state_ = State::done;
    return std::monostate{};
}

const char* to_string(ScramClient::State state) {
    switch (state) {
    case ScramClient::State::initial:
        return "initial";
    case ScramClient::State::client_first_sent:
        return "client_first_sent";
    case ScramClient::State::client_final_sent:
        return "client_final_sent";
    case ScramClient::State::done:
        return "done";
    case ScramClient::State::failed:
        return "failed";
    }
    return "unknown";
}

} // namespace shardgate::protocol::pg
