// Pieces of SCRAM-SHA-256 shared by the client and server halves: attribute parsing,
// saslname escaping, nonce checks and the RFC 5802 key derivations.
#pragma once

#include "shardgate/protocol/pg/scram.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shardgate::protocol::pg::scram {

/// One `x=value` attribute of a SCRAM message.
struct Attribute {
    char name = 0;
    std::string_view value;
};

/// Splits "a=1,b=2" into attributes; nullopt unless every part is a letter, '=' and a value.
std::optional<std::vector<Attribute>> split_attributes(std::string_view text);
/// Printable ASCII except ',' and at least one character (RFC 5802 "printable").
bool valid_nonce(std::string_view nonce);
/// saslname escaping: ',' -> "=2C", '=' -> "=3D".
std::string escape_saslname(std::string_view name);
/// Reverses escape_saslname; nullopt on a stray '='.
std::optional<std::string> unescape_saslname(std::string_view name);

/// ClientKey and ServerKey from SaltedPassword = Hi(password, salt, iterations).
bool derive_keys(std::string_view password, ByteView salt, int iterations, ScramKey& client_key,
                 ScramKey& server_key);
/// HMAC(key, auth_message).
bool signature(const ScramKey& key, std::string_view auth_message, ScramKey& out);
/// a XOR b.
ScramKey xor_keys(const ScramKey& a, const ScramKey& b);
/// Parses a positive decimal iteration count.
std::optional<int> parse_iterations(std::string_view text);

} // namespace shardgate::protocol::pg::scram
