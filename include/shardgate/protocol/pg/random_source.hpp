// Source of random bytes for authentication nonces and salts, injectable for tests.
#pragma once

#include <cstddef>
#include <functional>
#include <span>

namespace shardgate::protocol::pg {

/// Fills its argument with cryptographically strong random bytes; returns false on failure.
/// Called on the caller's thread; must be safe to call from it.
using RandomSource = std::function<bool(std::span<std::byte>)>;

/// A RandomSource backed by OpenSSL's RAND_bytes (thread-safe).
RandomSource openssl_random_source();

} // namespace shardgate::protocol::pg
