// Appends big-endian PostgreSQL message fields and patches the length on completion.
#include "message_writer.hpp"

#include <cassert>

namespace shardgate::protocol::pg {

namespace {

void store_u32(std::byte* p, std::uint32_t value) {
    for (int i = 3; i >= 0; --i) {
        p[i] = static_cast<std::byte>(value & 0xff);
        value >>= 8;
    }
}

} // namespace

MessageWriter::MessageWriter(ByteBuffer& out, char type) : out_(out) {
    out_.push_back(static_cast<std::byte>(type));
    length_at_ = out_.size();
    out_.resize(out_.size() + 4);
}

MessageWriter::MessageWriter(ByteBuffer& out) : out_(out), length_at_(out.size()) {
    out_.resize(out_.size() + 4);
}

MessageWriter::~MessageWriter() {
    store_u32(out_.data() + length_at_, static_cast<std::uint32_t>(out_.size() - length_at_));
}

void MessageWriter::u8(std::uint8_t value) {
    out_.push_back(static_cast<std::byte>(value));
}

void MessageWriter::i16(std::int16_t value) {
    auto v = static_cast<std::uint16_t>(value);
    out_.push_back(static_cast<std::byte>(v >> 8));
    out_.push_back(static_cast<std::byte>(v & 0xff));
}

void MessageWriter::i32(std::int32_t value) {
    u32(static_cast<std::uint32_t>(value));
}

void MessageWriter::u32(std::uint32_t value) {
    auto at = out_.size();
    out_.resize(at + 4);
    store_u32(out_.data() + at, value);
}

void MessageWriter::cstring(std::string_view value) {
    assert(value.find('\0') == std::string_view::npos);
    bytes(as_bytes(value));
    out_.push_back(std::byte{0});
}

void MessageWriter::bytes(ByteView value) {
    out_.insert(out_.end(), value.begin(), value.end());
}

void MessageWriter::nullable_bytes(const std::optional<ByteView>& value) {
    if (!value) {
        i32(-1);
        return;
    }
    i32(static_cast<std::int32_t>(value->size()));
    bytes(*value);
}

} // namespace shardgate::protocol::pg
