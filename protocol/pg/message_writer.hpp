// Appends one PostgreSQL message to a buffer: header first, fields, and the length patched in
// when the writer goes out of scope.
#pragma once

#include "shardgate/protocol/pg/bytes.hpp"
#include "shardgate/protocol/pg/format_code.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace shardgate::protocol::pg {

class MessageWriter {
public:
    /// A typed message (Byte1 type + Int32 length).
    MessageWriter(ByteBuffer& out, char type);
    /// A startup-phase packet (Int32 length only).
    explicit MessageWriter(ByteBuffer& out);
    ~MessageWriter();
    MessageWriter(const MessageWriter&) = delete;
    MessageWriter& operator=(const MessageWriter&) = delete;

    void u8(std::uint8_t value);
    void i16(std::int16_t value);
    void i32(std::int32_t value);
    void u32(std::uint32_t value);
    void cstring(std::string_view value);
    void bytes(ByteView value);
    /// Int32 length then bytes; nullopt is length -1.
    void nullable_bytes(const std::optional<ByteView>& value);
    void format_code(FormatCode value) { i16(static_cast<std::int16_t>(value)); }
    /// Int16 count; precondition: count <= 65535.
    void count16(std::size_t count) { i16(static_cast<std::int16_t>(count)); }

private:
    ByteBuffer& out_;
    std::size_t length_at_;
};

} // namespace shardgate::protocol::pg
