// Test-only packet builders: compose MySQL payloads and frames field by field, independently
// of the codec's own writers, so tests read like the spec instead of hex dumps.
#pragma once

#include "shardgate/protocol/mysql/decoded.hpp"
#include "shardgate/protocol/mysql/framing.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace shardgate::protocol::mysql::test {

/// Builds one payload.
class PayloadBuilder {
public:
    PayloadBuilder& u8(std::uint64_t v) { return le(v, 1); }
    PayloadBuilder& u16(std::uint64_t v) { return le(v, 2); }
    PayloadBuilder& u24(std::uint64_t v) { return le(v, 3); }
    PayloadBuilder& u32(std::uint64_t v) { return le(v, 4); }
    PayloadBuilder& u64(std::uint64_t v) { return le(v, 8); }
    PayloadBuilder& lenenc(std::uint64_t v) {
        if (v < 251) {
            return u8(v);
        }
        if (v < 65536) {
            return u8(0xfc).u16(v);
        }
        if (v < 16777216) {
            return u8(0xfd).u24(v);
        }
        return u8(0xfe).u64(v);
    }
    PayloadBuilder& str(std::string_view s) {
        for (char c : s) {
            bytes_.push_back(static_cast<std::byte>(c));
        }
        return *this;
    }
    PayloadBuilder& nul_str(std::string_view s) { return str(s).u8(0); }
    PayloadBuilder& lenenc_str(std::string_view s) { return lenenc(s.size()).str(s); }
    PayloadBuilder& zeros(std::size_t n) {
        bytes_.insert(bytes_.end(), n, std::byte{0});
        return *this;
    }
    PayloadBuilder& raw(const Buffer& b) {
        bytes_.insert(bytes_.end(), b.begin(), b.end());
        return *this;
    }
    Buffer build() const { return bytes_; }
    operator Buffer() const { return bytes_; }
    /// A view for passing a temporary builder straight to a decoder (valid for the call).
    operator Bytes() const { return bytes_; }

private:
    PayloadBuilder& le(std::uint64_t v, int width) {
        for (int i = 0; i < width; ++i) {
            bytes_.push_back(static_cast<std::byte>((v >> (8 * i)) & 0xff));
        }
        return *this;
    }

    Buffer bytes_;
};

/// One physical frame: 3-byte length, sequence id, payload (no splitting).
inline Buffer frame(const Buffer& payload, std::uint8_t sequence_id) {
    const auto n = payload.size();
    Buffer out(4 + n);
    out[0] = static_cast<std::byte>(n & 0xff);
    out[1] = static_cast<std::byte>((n >> 8) & 0xff);
    out[2] = static_cast<std::byte>((n >> 16) & 0xff);
    out[3] = static_cast<std::byte>(sequence_id);
    std::copy(payload.begin(), payload.end(), out.begin() + 4);
    return out;
}

inline Buffer concat(std::initializer_list<Buffer> parts) {
    Buffer out;
    for (const auto& part : parts) {
        out.insert(out.end(), part.begin(), part.end());
    }
    return out;
}

inline Buffer bytes_of(std::string_view s) {
    return PayloadBuilder().str(s).build();
}

inline std::string text_of(Bytes b) {
    return {reinterpret_cast<const char*>(b.data()), b.size()};
}

/// Parses "a1b2..." hex into bytes (for pinned known answers only).
inline Buffer from_hex(std::string_view hex) {
    Buffer out;
    auto nibble = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
        out.push_back(static_cast<std::byte>(nibble(hex[i]) * 16 + nibble(hex[i + 1])));
    }
    return out;
}

/// An OK payload (protocol 4.1, no session tracking).
inline Buffer ok_payload(std::uint16_t status, std::uint64_t affected = 0,
                         std::uint64_t insert_id = 0, std::uint8_t header = 0x00) {
    return PayloadBuilder().u8(header).lenenc(affected).lenenc(insert_id).u16(status).u16(0);
}
inline Buffer eof_payload(std::uint16_t status, std::uint16_t warnings = 0) {
    return PayloadBuilder().u8(0xfe).u16(warnings).u16(status);
}
inline Buffer err_payload(std::uint16_t code, std::string_view state, std::string_view msg) {
    return PayloadBuilder().u8(0xff).u16(code).str("#").str(state).str(msg);
}
/// A minimal ColumnDefinition41.
inline Buffer column_payload(std::string_view name, std::uint8_t type = 0xfd) {
    return PayloadBuilder()
        .lenenc_str("def")
        .lenenc_str("social")
        .lenenc_str("t")
        .lenenc_str("t")
        .lenenc_str(name)
        .lenenc_str(name)
        .u8(0x0c)
        .u16(45)
        .u32(255)
        .u8(type)
        .u16(0)
        .u8(0)
        .u16(0);
}

} // namespace shardgate::protocol::mysql::test
