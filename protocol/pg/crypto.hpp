// Thin wrappers over OpenSSL 3 primitives used by PostgreSQL authentication: SHA-256,
// HMAC-SHA-256, PBKDF2, MD5, base64, constant-time comparison.
#pragma once

#include "shardgate/protocol/pg/bytes.hpp"
#include "shardgate/protocol/pg/scram.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shardgate::protocol::pg::crypto {

/// SHA-256 of `data`; false when OpenSSL fails.
bool sha256(ByteView data, ScramKey& out);
/// HMAC-SHA-256 of `data` under `key`.
bool hmac_sha256(ByteView key, ByteView data, ScramKey& out);
/// PBKDF2-HMAC-SHA-256 (RFC 5802 Hi()) with a 32-byte output.
bool pbkdf2_sha256(std::string_view password, ByteView salt, int iterations, ScramKey& out);
/// Lower-case hex MD5 of `data` (32 characters); nullopt when MD5 is unavailable.
std::optional<std::string> md5_hex(ByteView data);

/// Standard base64 with padding.
std::string base64_encode(ByteView data);
/// Strict base64 decoding: padded, standard alphabet, no whitespace.
std::optional<std::vector<std::byte>> base64_decode(std::string_view text);

/// Constant-time equality of two byte strings of the same length (false if lengths differ).
bool equal_constant_time(ByteView a, ByteView b);

} // namespace shardgate::protocol::pg::crypto
