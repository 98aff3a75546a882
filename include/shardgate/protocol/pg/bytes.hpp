// Byte-view aliases and conversions shared by the PostgreSQL codec's public API.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

namespace shardgate::protocol::pg {

/// A non-owning view of wire bytes. Decoded messages hold views into the caller's buffer:
/// they stay valid only while that buffer is alive and unmodified.
using ByteView = std::span<const std::byte>;
/// Output buffer; encoders append to it so several messages can be batched into one write.
using ByteBuffer = std::vector<std::byte>;

/// Views text as bytes (no copy).
inline ByteView as_bytes(std::string_view text) {
    return {reinterpret_cast<const std::byte*>(text.data()), text.size()};
}

/// Views bytes as text (no copy, no validation).
inline std::string_view as_text(ByteView bytes) {
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

} // namespace shardgate::protocol::pg
