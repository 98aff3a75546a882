// Bounds-checked readers and writers for the MySQL basic data types: fixed-length little-endian
// integers, length-encoded integers and strings, NUL-terminated strings.
// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_data_types.html
#pragma once

#include "shardgate/protocol/mysql/decoded.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace shardgate::protocol::mysql {

/// Views bytes as characters (no copy).
inline std::string_view as_chars(Bytes bytes) {
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}
/// Views characters as bytes (no copy).
inline Bytes as_bytes(std::string_view text) {
    return {reinterpret_cast<const std::byte*>(text.data()), text.size()};
}

/// Sequential reader over one payload. Every read checks bounds and returns false (leaving the
/// output untouched) when the data is too short or malformed; string results are views into
/// the payload.
class ByteReader {
public:
    explicit ByteReader(Bytes data) : data_(data) {}

    bool read_u8(std::uint8_t& out);
    bool read_u16(std::uint16_t& out);
    bool read_u24(std::uint32_t& out);
    bool read_u32(std::uint32_t& out);
    bool read_u48(std::uint64_t& out);
    bool read_u64(std::uint64_t& out);
    /// Length-encoded integer. 0xFB (NULL marker) and 0xFF are rejected; use peek_u8 first
    /// where NULL is allowed (text rows).
    bool read_lenenc_int(std::uint64_t& out);
    bool read_lenenc_string(std::string_view& out);
    /// Reads up to (not including) the next NUL and skips the NUL; false when none.
    bool read_nul_string(std::string_view& out);
    bool read_fixed_string(std::size_t length, std::string_view& out);
    bool read_bytes(std::size_t length, Bytes& out);
    /// Everything left (string<EOF>); always succeeds.
    std::string_view read_rest();
    bool skip(std::size_t length);
    bool peek_u8(std::uint8_t& out) const;

    std::size_t remaining() const { return data_.size() - position_; }
    bool empty() const { return remaining() == 0; }
    std::size_t position() const { return position_; }

private:
    bool read_le(std::size_t width, std::uint64_t& out);

    Bytes data_;
    std::size_t position_ = 0;
};

/// Appends wire-encoded values to a caller-owned buffer.
class ByteWriter {
public:
    explicit ByteWriter(Buffer& out) : out_(out) {}

    void write_u8(std::uint8_t value) { out_.push_back(std::byte{value}); }
    void write_u16(std::uint16_t value) { write_le(value, 2); }
    void write_u24(std::uint32_t value) { write_le(value, 3); }
    void write_u32(std::uint32_t value) { write_le(value, 4); }
    void write_u48(std::uint64_t value) { write_le(value, 6); }
    void write_u64(std::uint64_t value) { write_le(value, 8); }
    void write_lenenc_int(std::uint64_t value);
    void write_lenenc_string(std::string_view value);
    /// Writes `value` and a NUL terminator (the caller ensures `value` holds no NUL).
    void write_nul_string(std::string_view value);
    void write_string(std::string_view value) { write_bytes(as_bytes(value)); }
    void write_bytes(Bytes value) { out_.insert(out_.end(), value.begin(), value.end()); }
    void write_zeros(std::size_t count) { out_.insert(out_.end(), count, std::byte{0}); }

    Buffer& buffer() { return out_; }

private:
    void write_le(std::uint64_t value, std::size_t width);

    Buffer& out_;
};

/// Wire size of a length-encoded integer.
std::size_t lenenc_int_size(std::uint64_t value);

} // namespace shardgate::protocol::mysql
