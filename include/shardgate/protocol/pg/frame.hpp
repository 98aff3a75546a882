// Framing of the PostgreSQL v3 byte stream: splits a buffer into whole messages without
// decoding their bodies, so single-shard traffic can be forwarded untouched.
// https://www.postgresql.org/docs/15/protocol-overview.html#PROTOCOL-MESSAGE-CONCEPTS
#pragma once

#include "shardgate/protocol/pg/bytes.hpp"
#include "shardgate/protocol/pg/constants.hpp"
#include "shardgate/protocol/pg/result.hpp"

#include <cstddef>
#include <cstdint>

namespace shardgate::protocol::pg {

/// Size limits enforced while framing; a message above its limit is an error (too_large),
/// reported as soon as its header is seen, before the body arrives.
struct FramingLimits {
    /// Largest regular message, counted in total bytes (type byte + length + body).
    std::size_t max_message_size = PQ_LARGE_MESSAGE_LIMIT;
    /// Largest startup-phase packet, counted in total bytes (length + code + body).
    std::size_t max_startup_size = MAX_STARTUP_PACKET_LENGTH;
};

/// One typed message: Byte1 type, Int32 length (including itself), body. Views into the
/// caller's buffer.
struct Frame {
    char type = 0;
    ByteView body;  ///< the bytes after the length field
    ByteView bytes; ///< the whole message, type byte included: what a forwarder sends on

    std::size_t size() const { return bytes.size(); }
};

/// One startup-phase packet (no type byte): Int32 length, Int32 code, body. The code is the
/// protocol version of a StartupMessage or one of the *_CODE request codes.
struct StartupFrame {
    std::uint32_t code = 0;
    ByteView body;  ///< the bytes after the code
    ByteView bytes; ///< the whole packet

    std::size_t size() const { return bytes.size(); }
};

/// Size of a regular message header (Byte1 type + Int32 length).
inline constexpr std::size_t frame_header_size = 5;
/// Size of a startup packet header (Int32 length + Int32 code).
inline constexpr std::size_t startup_header_size = 8;

/// Frames the first message of `buffer`. need_more carries the total size required (5 until
/// the header is complete, then the message size); ok consumes exactly one message; error on
/// a length below 4 or above `limits.max_message_size`. O(1): the body is not inspected.
DecodeResult<Frame> next_frame(ByteView buffer, const FramingLimits& limits = {});

/// Frames the first startup-phase packet of `buffer` (StartupMessage, SSLRequest,
/// GSSENCRequest, CancelRequest). Errors on a length below 8 or above
/// `limits.max_startup_size`.
DecodeResult<StartupFrame> next_startup_frame(ByteView buffer, const FramingLimits& limits = {});

} // namespace shardgate::protocol::pg
