// Checks shared by the PostgreSQL codec fuzz targets: stream framing invariants and the
// byte-exact round trip encode(decode(x)) == x that the strict v3 decoders guarantee.
#pragma once

#include "fuzz_support.hpp"
#include "shardgate/protocol/pg/encoder.hpp"
#include "shardgate/protocol/pg/frame.hpp"

#include <algorithm>
#include <cstdint>

namespace shardgate::fuzz::pg {

using namespace shardgate::protocol::pg;

/// encode(msg) must give back exactly the bytes it was decoded from.
template <class Message> void require_round_trip(const Message& msg, ByteView original) {
    ByteBuffer out;
    encode(out, msg);
    require(std::equal(out.begin(), out.end(), original.begin(), original.end()));
}

/// A whole typed message: type byte, Int32 length, body.
inline ByteBuffer typed_message(char type, ByteView body) {
    ByteBuffer out{static_cast<std::byte>(type)};
    const auto length = static_cast<std::uint32_t>(body.size() + 4);
    for (int shift = 24; shift >= 0; shift -= 8) {
        out.push_back(static_cast<std::byte>((length >> shift) & 0xff));
    }
    out.insert(out.end(), body.begin(), body.end());
    return out;
}

/// The frame of a buffer holding exactly one well-formed message.
inline Frame frame_of(const ByteBuffer& bytes) {
    auto framed = next_frame(bytes);
    require(framed.ok() && framed.consumed() == bytes.size());
    return framed.value();
}

/// Framing invariants of one step over `buffer` (decode_*_message(buffer) or next_frame).
template <class Result> void require_stream_step(const Result& result, ByteView buffer) {
    if (result.need_more()) {
        require(result.needed() > buffer.size());
    } else if (result.ok()) {
        require(result.consumed() >= frame_header_size && result.consumed() <= buffer.size());
    }
}

/// A Frame's views must lie inside the buffer it was cut from, with a consistent length.
inline void require_frame_inside(const Frame& frame, ByteView buffer) {
    require(inside(frame.bytes, buffer) && inside(frame.body, frame.bytes));
    require(frame.body.size() + frame_header_size == frame.bytes.size());
}

/// A stream of messages cut by next_frame() and decoded by `decode(buffer, limits)` side by
/// side (`small_limit`: a 64-byte message limit): both must agree on where each message ends,
/// and what the stream decoder accepts `check(message, frame)` verifies; what it refuses the
/// whole-frame decoder `decode_frame(frame)` must refuse too.
template <class Decode, class DecodeFrame, class Check>
void fuzz_message_stream(ByteView buffer, bool small_limit, Decode decode, DecodeFrame decode_frame,
                         Check check) {
    FramingLimits limits;
    if (small_limit) {
        limits.max_message_size = 64;
    }
    while (!buffer.empty()) {
        auto framed = next_frame(buffer, limits);
        auto decoded = decode(buffer, limits);
        require_stream_step(framed, buffer);
        require_stream_step(decoded, buffer);
        require(framed.status() == decoded.status() || (framed.ok() && decoded.is_error()));
        if (!framed.ok()) {
            return;
        }
        const Frame& frame = framed.value();
        require_frame_inside(frame, buffer);
        require(frame.size() <= limits.max_message_size);
        if (decoded.ok()) {
            require(decoded.consumed() == framed.consumed());
            check(decoded.value(), frame);
        } else {
            require(!decode_frame(frame).ok());
        }
        buffer = buffer.subspan(framed.consumed());
    }
}

/// decode_X must only accept its own type byte, and what it accepts must round-trip.
template <class Message>
void direct(protocol::pg::Result<Message> (*decode)(const Frame&), char type, const Frame& frame) {
    auto result = decode(frame);
    if (result) {
        require(frame.type == type);
        require_round_trip(result.value(), frame.bytes);
    }
}

} // namespace shardgate::fuzz::pg
