// SCRAM-SHA-256 verifiers in PostgreSQL's pg_authid text form: parse, format, derive.
// https://www.postgresql.org/docs/15/catalog-pg-authid.html
#include "crypto.hpp"
#include "scram_message.hpp"
#include "shardgate/protocol/pg/scram.hpp"

#include <string>

namespace shardgate::protocol::pg {

namespace {

Error bad_verifier(std::string_view what) {
    return Error{ErrorCode::bad_value, "SCRAM verifier: " + std::string(what)};
}

bool decode_key(std::string_view text, ScramKey& key) {
    auto bytes = crypto::base64_decode(text);
    if (!bytes || bytes->size() != key.size()) {
        return false;
    }
    std::copy(bytes->begin(), bytes->end(), key.begin());
    return true;
}

} // namespace

Result<ScramVerifier> parse_scram_verifier(std::string_view text) {
    constexpr std::string_view prefix = "SCRAM-SHA-256$";
    if (!text.starts_with(prefix)) {
        return bad_verifier("does not start with SCRAM-SHA-256$");
    }
    text.remove_prefix(prefix.size());
    auto dollar = text.find('$');
    auto colon1 = text.find(':');
    auto colon2 = text.find(':', dollar);
    if (dollar == std::string_view::npos || colon1 > dollar || colon2 == std::string_view::npos) {
        return bad_verifier("is not <iterations>:<salt>$<StoredKey>:<ServerKey>");
    }
    ScramVerifier verifier;
    auto iterations = scram::parse_iterations(text.substr(0, colon1));
    auto salt = crypto::base64_decode(text.substr(colon1 + 1, dollar - colon1 - 1));
    if (!iterations || !salt || salt->empty()) {
        return bad_verifier("has a bad iteration count or salt");
    }
    verifier.iterations = *iterations;
    verifier.salt = std::move(*salt);
    if (!decode_key(text.substr(dollar + 1, colon2 - dollar - 1), verifier.stored_key) ||
        !decode_key(text.substr(colon2 + 1), verifier.server_key)) {
        return bad_verifier("has a bad StoredKey or ServerKey");
    }
    return verifier;
}

std::string format_scram_verifier(const ScramVerifier& verifier) {
    return "SCRAM-SHA-256$" + std::to_string(verifier.iterations) + ":" +
           crypto::base64_encode(verifier.salt) + "$" + crypto::base64_encode(verifier.stored_key) +
           ":" + crypto::base64_encode(verifier.server_key);
}

Result<ScramVerifier> make_scram_verifier(std::string_view password, ByteView salt,
                                          int iterations) {
    if (salt.empty() || iterations < 1) {
        return bad_verifier("needs a non-empty salt and a positive iteration count");
    }
    ScramVerifier verifier;
    verifier.iterations = iterations;
    verifier.salt.assign(salt.begin(), salt.end());
    ScramKey client_key{};
    if (!scram::derive_keys(password, salt, iterations, client_key, verifier.server_key) ||
        !crypto::sha256(client_key, verifier.stored_key)) {
        return bad_verifier("key derivation failed");
    }
    return verifier;
}

Result<ScramVerifier> make_scram_verifier(std::string_view password, const RandomSource& random,
                                          int iterations) {
    std::vector<std::byte> salt(SCRAM_DEFAULT_SALT_LEN);
    if (!random || !random(salt)) {
        return Error{ErrorCode::random_failed, "SCRAM verifier: no random salt"};
    }
    return make_scram_verifier(password, salt, iterations);
}

} // namespace shardgate::protocol::pg
