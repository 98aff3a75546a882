// Bounds-checked big-endian field reader for PostgreSQL message bodies.
#include "field_reader.hpp"

#include <cstring>

namespace shardgate::protocol::pg {

namespace {

template <class T> T load_big_endian(const std::byte* p) {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < sizeof(T); ++i) {
        v = (v << 8) | std::to_integer<std::uint8_t>(p[i]);
    }
    return static_cast<T>(v);
}

std::string printable_type(char type) {
    auto byte = static_cast<unsigned char>(type);
    if (byte >= 0x20 && byte < 0x7f) {
        return std::string("'") + type + "'";
    }
    return "0x" + std::string(1, "0123456789abcdef"[byte >> 4]) + "0123456789abcdef"[byte & 15];
}

} // namespace

bool FieldReader::fail(ErrorCode code, std::string_view field, std::string_view what) {
    if (!failed_) {
        failed_ = true;
        error_.code = code;
        error_.message =
            std::string(message_) + ": " + std::string(field) + " " + std::string(what);
    }
    return false;
}

bool FieldReader::take(std::size_t count, std::string_view field, const std::byte*& start) {
    if (failed_) {
        return false;
    }
    if (count > remaining()) {
        return fail(ErrorCode::truncated, field, "runs past the end of the message");
    }
    start = data_.data() + pos_;
    pos_ += count;
    return true;
}

bool FieldReader::u8(std::uint8_t& value, std::string_view field) {
    const std::byte* p = nullptr;
    if (!take(1, field, p)) {
        return false;
    }
    value = std::to_integer<std::uint8_t>(*p);
    return true;
}

bool FieldReader::i16(std::int16_t& value, std::string_view field) {
    const std::byte* p = nullptr;
    if (!take(2, field, p)) {
        return false;
    }
    value = load_big_endian<std::int16_t>(p);
    return true;
}

bool FieldReader::u16(std::uint16_t& value, std::string_view field) {
    const std::byte* p = nullptr;
    if (!take(2, field, p)) {
        return false;
    }
    value = load_big_endian<std::uint16_t>(p);
    return true;
}

bool FieldReader::i32(std::int32_t& value, std::string_view field) {
    const std::byte* p = nullptr;
    if (!take(4, field, p)) {
        return false;
    }
    value = load_big_endian<std::int32_t>(p);
    return true;
}

bool FieldReader::u32(std::uint32_t& value, std::string_view field) {
    const std::byte* p = nullptr;
    if (!take(4, field, p)) {
        return false;
    }
    value = load_big_endian<std::uint32_t>(p);
    return true;
}

bool FieldReader::cstring(std::string_view& value, std::string_view field) {
    if (failed_) {
        return false;
    }
    auto rest_view = as_text(data_.subspan(pos_));
    auto nul = rest_view.find('\0');
    if (nul == std::string_view::npos) {
        return fail(ErrorCode::missing_terminator, field, "has no NUL terminator");
    }
    value = rest_view.substr(0, nul);
    pos_ += nul + 1;
    return true;
}

bool FieldReader::bytes(std::size_t count, ByteView& value, std::string_view field) {
    const std::byte* p = nullptr;
    if (!take(count, field, p)) {
        return false;
    }
    value = ByteView(p, count);
    return true;
}

bool FieldReader::nullable_bytes(std::optional<ByteView>& value, std::string_view field) {
    std::int32_t length = 0;
    if (!i32(length, field)) {
        return false;
    }
    if (length == -1) {
        value.reset();
        return true;
    }
    if (length < 0) {
        return fail(ErrorCode::bad_length, field, "has a negative length other than -1");
    }
    ByteView bytes_view;
    if (!bytes(static_cast<std::size_t>(length), bytes_view, field)) {
        return false;
    }
    value = bytes_view;
    return true;
}

bool FieldReader::format_code(FormatCode& value, std::string_view field) {
    std::int16_t raw = 0;
    if (!i16(raw, field)) {
        return false;
    }
    if (raw != 0 && raw != 1) {
        return fail(ErrorCode::bad_value, field, "is not 0 (text) or 1 (binary)");
    }
    value = static_cast<FormatCode>(raw);
    return true;
}

ByteView FieldReader::rest() {
    auto view = data_.subspan(pos_);
    pos_ = data_.size();
    return view;
}

bool FieldReader::finish() {
    if (failed_) {
        return false;
    }
    if (!at_end()) {
        return fail(ErrorCode::trailing_bytes, "body",
                    "has " + std::to_string(remaining()) + " unexpected trailing bytes");
    }
    return true;
}

Error wrong_type(char actual, std::string_view message, char expected) {
    return Error{ErrorCode::unexpected_type, std::string(message) + ": expected type " +
                                                 printable_type(expected) + ", got " +
                                                 printable_type(actual)};
}

} // namespace shardgate::protocol::pg
