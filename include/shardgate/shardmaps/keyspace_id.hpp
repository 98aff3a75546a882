// The placement function: canonical key text -> 64-bit keyspace id. Fixed and versioned.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace shardgate::shardmaps {

/// A point in the 64-bit keyspace used by the hash and consistent_hash schemes.
using KeyspaceId = std::uint64_t;

/// Version of the placement function below. Bump only together with a map format change.
inline constexpr int placement_function_version = 1;

/// keyspace_id(text) = the first 8 bytes of MD5(text) read as a big-endian unsigned integer.
/// `text` must already be canonical (see CanonicalKey). Pure, thread-safe, allocation-free.
/// SQL equivalents: PostgreSQL ('x' || left(md5(k::text), 16))::bit(64)::bigint (signed view
/// of the same bits), MariaDB CAST(CONV(LEFT(MD5(k), 16), 16, 10) AS UNSIGNED).
KeyspaceId keyspace_id(std::string_view canonical_text);

/// "0x" followed by 16 lower-case hex digits.
std::string keyspace_id_hex(KeyspaceId id);

/// Parses "0x" + 1..16 hex digits (or plain hex digits); false when malformed.
bool parse_keyspace_id(std::string_view text, KeyspaceId& out);

} // namespace shardgate::shardmaps
