// SCRAM-SHA-256 (RFC 5802, RFC 7677) for PostgreSQL, both sides, as pure state machines:
// each step takes the peer's message text and returns the next message text. No channel
// binding (SCRAM-SHA-256-PLUS is not offered or used). SASLprep is limited: passwords are
// used as their raw bytes, which equals SASLprep for every ASCII password (and for non-ASCII
// passwords already in NFKC form without mapped or prohibited characters).
// https://www.postgresql.org/docs/15/sasl-authentication.html
#pragma once

#include "shardgate/protocol/pg/bytes.hpp"
#include "shardgate/protocol/pg/random_source.hpp"
#include "shardgate/protocol/pg/result.hpp"

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace shardgate::protocol::pg {

/// The SASL mechanism name, as offered in AuthenticationSASL.
inline constexpr std::string_view SCRAM_SHA_256_NAME = "SCRAM-SHA-256";
/// PostgreSQL's default iteration count for new verifiers.
inline constexpr int SCRAM_SHA_256_DEFAULT_ITERATIONS = 4096;
/// The most iterations ScramClient accepts from a server by default: the key derivation runs
/// on the caller's thread (about 0.25 s per million on this machine's class of CPU), so a
/// hostile or broken backend asking for 2^31 - 1 must not stall it for hours. A million is
/// above PostgreSQL's default (4096) and common hardening advice (600,000).
inline constexpr int SCRAM_CLIENT_MAX_ITERATIONS = 1000000;
/// Random bytes in a nonce before base64 (as PostgreSQL).
inline constexpr std::size_t SCRAM_RAW_NONCE_LEN = 18;
/// Salt length of new verifiers (as PostgreSQL).
inline constexpr std::size_t SCRAM_DEFAULT_SALT_LEN = 16;
/// SHA-256 output size.
inline constexpr std::size_t SCRAM_KEY_LEN = 32;

using ScramKey = std::array<std::byte, SCRAM_KEY_LEN>;

/// A stored SCRAM-SHA-256 secret, as in pg_authid:
/// `SCRAM-SHA-256$<iterations>:<salt base64>$<StoredKey base64>:<ServerKey base64>`.
struct ScramVerifier {
    int iterations = SCRAM_SHA_256_DEFAULT_ITERATIONS;
    std::vector<std::byte> salt;
    ScramKey stored_key{};
    ScramKey server_key{};
};

/// Parses the pg_authid text form.
Result<ScramVerifier> parse_scram_verifier(std::string_view text);
/// Formats the pg_authid text form.
std::string format_scram_verifier(const ScramVerifier& verifier);
/// Derives a verifier from a password with the given salt and iteration count.
Result<ScramVerifier> make_scram_verifier(std::string_view password, ByteView salt,
                                          int iterations = SCRAM_SHA_256_DEFAULT_ITERATIONS);
/// Derives a verifier with a fresh random salt of SCRAM_DEFAULT_SALT_LEN bytes.
Result<ScramVerifier> make_scram_verifier(std::string_view password, const RandomSource& random,
                                          int iterations = SCRAM_SHA_256_DEFAULT_ITERATIONS);

/// Client half (shardgate -> backend). Send client_first() as the SASLInitialResponse data,
/// answer AuthenticationSASLContinue with client_final(), then check AuthenticationSASLFinal
/// with verify_server_final(). Any failed step moves to State::failed for good.
class ScramClient {
public:
    enum class State { initial, client_first_sent, client_final_sent, done, failed };

    /// `user` goes into the n= attribute (PostgreSQL ignores it and uses the startup user;
    /// an empty string, as libpq sends, is fine). A server-first-message asking for more than
    /// `max_iterations` fails (ErrorCode::unsupported, the count in the message).
    ScramClient(std::string_view user, std::string_view password,
                int max_iterations = SCRAM_CLIENT_MAX_ITERATIONS);

    /// client-first-message with a nonce of SCRAM_RAW_NONCE_LEN random bytes in base64.
    Result<std::string> client_first(const RandomSource& random);
    /// client-first-message with an explicit printable nonce without ',' (tests, vectors).
    Result<std::string> client_first_with_nonce(std::string_view nonce);
    /// Parses server-first-message, derives the keys and returns client-final-message.
    Result<std::string> client_final(std::string_view server_first);
    /// Checks server-final-message: an e= error or a wrong signature fails.
    Status verify_server_final(std::string_view server_final);

    State state() const { return state_; }

private:
    Error fail(ErrorCode code, std::string message);

    std::string user_;
    std::string password_;
    int max_iterations_;
    std::string client_nonce_;
    std::string client_first_bare_;
    std::string auth_message_;
    ScramKey server_key_{};
    State state_ = State::initial;
};

/// Server half (client -> shardgate). Offer SCRAM_SHA_256_NAME in AuthenticationSASL, pass the
/// SASLInitialResponse data to server_first() and send the result as
/// AuthenticationSASLContinue, pass the SASLResponse data to server_final() and send the
/// result as AuthenticationSASLFinal followed by AuthenticationOk.
class ScramServer {
public:
    enum class State { initial, server_first_sent, done, failed };

    explicit ScramServer(ScramVerifier verifier);
    /// A server for a user configured with a plain password: derives a verifier with a fresh
    /// random salt (costs one PBKDF2 run; prefer stored verifiers).
    static Result<ScramServer> from_password(std::string_view password, const RandomSource& random,
                                             int iterations = SCRAM_SHA_256_DEFAULT_ITERATIONS);

    /// Parses client-first-message and returns server-first-message with a nonce suffix of
    /// SCRAM_RAW_NONCE_LEN random bytes in base64. Channel binding ("p=") and authzid are
    /// refused as unsupported.
    Result<std::string> server_first(std::string_view client_first, const RandomSource& random);
    /// The same with an explicit printable nonce suffix without ',' (tests, vectors).
    Result<std::string> server_first_with_nonce(std::string_view client_first,
                                                std::string_view server_nonce_suffix);
    /// Checks client-final-message (channel binding echo, nonce, proof) and returns
    /// server-final-message. A wrong proof is ErrorCode::auth_failed.
    Result<std::string> server_final(std::string_view client_final);

    State state() const { return state_; }
    /// The user name the client sent in n= (informational; PostgreSQL uses the startup user).
    const std::string& client_user() const { return client_user_; }

private:
    Error fail(ErrorCode code, std::string message);

    ScramVerifier verifier_;
    std::string gs2_header_;
    std::string client_first_bare_;
    std::string server_first_;
    std::string nonce_;
    std::string client_user_;
    State state_ = State::initial;
};

/// Printable state names, for the admin API and logs.
const char* to_string(ScramClient::State state);
const char* to_string(ScramServer::State state);

} // namespace shardgate::protocol::pg
