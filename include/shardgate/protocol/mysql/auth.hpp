// Password authentication math for mysql_native_password and caching_sha2_password (both
// sides), and scramble generation. Pure functions over OpenSSL 3 digests.
// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_authentication_methods_native_password_authentication.html
// https://dev.mysql.com/doc/dev/mysql-server/latest/page_caching_sha2_authentication_exchanges.html
#pragma once

#include "shardgate/protocol/mysql/decoded.hpp"

#include <array>
#include <cstddef>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace shardgate::protocol::mysql {

inline constexpr std::size_t scramble_size = 20;
using Scramble = std::array<std::byte, scramble_size>;
/// SHA1(SHA1(password)): what mysql.user stores for mysql_native_password (as "*HEX").
using NativePasswordHash = std::array<std::byte, 20>;

/// Fills the span with random bytes; returns false when no randomness is available.
using RandomSource = std::function<bool(std::span<std::byte>)>;

/// OpenSSL's RAND_bytes as a RandomSource.
bool openssl_random(std::span<std::byte> out);

/// A 20-byte scramble for the handshake. Bytes are mapped to 1..127 without '$' (as servers
/// do, so the scramble survives NUL-terminated transport). nullopt when `random` fails.
std::optional<Scramble> generate_scramble(const RandomSource& random = openssl_random);

/// Client side: SHA1(password) XOR SHA1(scramble + SHA1(SHA1(password))). An empty password
/// gives an empty response. Uses the first 20 bytes of `scramble`.
Buffer native_password_scramble(std::string_view password, Bytes scramble);

/// SHA1(SHA1(password)).
NativePasswordHash native_password_hash(std::string_view password);
/// The mysql.user form: '*' + 40 upper-case hex digits.
std::string native_password_hash_text(const NativePasswordHash& hash);
/// Parses "*HEX" (either case); nullopt when malformed.
std::optional<NativePasswordHash> parse_native_password_hash(std::string_view text);

/// Server side: checks a client's response against the stored SHA1(SHA1(password)). Compares
/// in constant time. An empty response matches only an empty password, which the caller
/// represents by passing no hash (see verify_native_password_plain).
bool verify_native_password(Bytes scramble, Bytes response, const NativePasswordHash& stored);
/// Server side, from the plain password (empty password <=> empty response).
bool verify_native_password_plain(Bytes scramble, Bytes response, std::string_view password);

/// Client side: XOR(SHA256(password), SHA256(SHA256(SHA256(password)) + scramble)); empty for
/// an empty password.
Buffer caching_sha2_scramble(std::string_view password, Bytes scramble);
/// Server side fast path from the plain password (constant-time compare).
bool verify_caching_sha2_plain(Bytes scramble, Bytes response, std::string_view password);
/// Full authentication over TLS: the client sends the password NUL-terminated in clear text;
/// returns it without the NUL.
std::string_view cleartext_password(Bytes payload);

} // namespace shardgate::protocol::mysql
