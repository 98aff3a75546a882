// Test helper: builds PostgreSQL wire messages field by field (not from hex blobs), with
// optional wrong lengths for malformed-input tests.
#pragma once

#include "shardgate/protocol/pg/bytes.hpp"
#include "shardgate/protocol/pg/frame.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace shardgate::protocol::pg::test {

class MessageBuilder {
public:
    /// A typed message.
    explicit MessageBuilder(char type) : type_(type) {}
    /// A startup-phase packet (no type byte).
    static MessageBuilder startup() { return MessageBuilder(); }

    MessageBuilder& i8(std::uint8_t v) {
        body_.push_back(static_cast<std::byte>(v));
        return *this;
    }
    MessageBuilder& i16(std::int16_t v) {
        auto u = static_cast<std::uint16_t>(v);
        return i8(static_cast<std::uint8_t>(u >> 8)).i8(static_cast<std::uint8_t>(u));
    }
    MessageBuilder& i32(std::int32_t v) {
        auto u = static_cast<std::uint32_t>(v);
        for (int shift = 24; shift >= 0; shift -= 8) {
            i8(static_cast<std::uint8_t>(u >> shift));
        }
        return *this;
    }
    /// A NUL-terminated string.
    MessageBuilder& str(std::string_view s) { return raw(s).i8(0); }
    /// Bytes without terminator.
    MessageBuilder& raw(std::string_view s) {
        for (auto b : as_bytes(s)) { // byte-wise: avoids a GCC 12 -Warray-bounds false positive
            body_.push_back(b);
        }
        return *this;
    }
    /// Int32 length + bytes.
    MessageBuilder& value(std::string_view s) {
        return i32(static_cast<std::int32_t>(s.size())).raw(s);
    }

    /// The message with its correct length, or with `length` written instead.
    ByteBuffer build(std::optional<std::int32_t> length = std::nullopt) const {
        ByteBuffer out;
        if (type_) {
            out.push_back(static_cast<std::byte>(*type_));
        }
        auto n = static_cast<std::uint32_t>(
            length.value_or(static_cast<std::int32_t>(body_.size() + 4)));
        for (int shift = 24; shift >= 0; shift -= 8) {
            out.push_back(static_cast<std::byte>((n >> shift) & 0xff));
        }
        out.insert(out.end(), body_.begin(), body_.end());
        return out;
    }

private:
    MessageBuilder() = default;

    std::optional<char> type_;
    ByteBuffer body_;
};

/// Frames `bytes`, which must hold exactly one complete message (test precondition).
inline Frame frame_of(const ByteBuffer& bytes) {
    auto framed = next_frame(bytes);
    return framed.ok() ? framed.value() : Frame{};
}

inline std::string text(ByteView bytes) {
    return std::string(as_text(bytes));
}

inline ByteBuffer concat(std::initializer_list<ByteBuffer> parts) {
    ByteBuffer out;
    for (const auto& part : parts) {
        out.insert(out.end(), part.begin(), part.end());
    }
    return out;
}

} // namespace shardgate::protocol::pg::test
