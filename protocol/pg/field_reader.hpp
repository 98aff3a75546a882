// Bounds-checked reader of the big-endian fields of one PostgreSQL message body; remembers
// the first failure as an Error naming the message and field.
#pragma once

#include "shardgate/protocol/pg/bytes.hpp"
#include "shardgate/protocol/pg/format_code.hpp"
#include "shardgate/protocol/pg/result.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace shardgate::protocol::pg {

class FieldReader {
public:
    /// `message` names the message in error texts, e.g. "Bind".
    FieldReader(ByteView data, std::string_view message) : data_(data), message_(message) {}

    bool u8(std::uint8_t& value, std::string_view field);
    bool i16(std::int16_t& value, std::string_view field);
    bool u16(std::uint16_t& value, std::string_view field);
    bool i32(std::int32_t& value, std::string_view field);
    bool u32(std::uint32_t& value, std::string_view field);
    /// A NUL-terminated string (terminator consumed, not included).
    bool cstring(std::string_view& value, std::string_view field);
    bool bytes(std::size_t count, ByteView& value, std::string_view field);
    /// Int32 length then that many bytes; length -1 gives nullopt, other negatives fail.
    bool nullable_bytes(std::optional<ByteView>& value, std::string_view field);
    /// Int16 format code, 0 or 1.
    bool format_code(FormatCode& value, std::string_view field);
    /// Consumes everything left.
    ByteView rest();
    /// Fails with trailing_bytes unless the whole body was read.
    bool finish();

    bool at_end() const { return pos_ == data_.size(); }
    std::size_t remaining() const { return data_.size() - pos_; }
    /// Records an error (the first one wins) and returns false.
    bool fail(ErrorCode code, std::string_view field, std::string_view what);
    /// Precondition: a read returned false.
    const Error& error() const { return error_; }

private:
    bool take(std::size_t count, std::string_view field, const std::byte*& start);

    ByteView data_;
    std::string_view message_;
    std::size_t pos_ = 0;
    bool failed_ = false;
    Error error_;
};

/// An unexpected_type error for a frame given to the wrong decoder.
Error wrong_type(char actual, std::string_view message, char expected);

} // namespace shardgate::protocol::pg
