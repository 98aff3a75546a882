// Bounds-checked MySQL basic data type readers and writers.
// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_data_types.html
#include "shardgate/protocol/mysql/byte_io.hpp"

#include <algorithm>

namespace shardgate::protocol::mysql {

bool ByteReader::read_le(std::size_t width, std::uint64_t& out) {
    if (remaining() < width) {
        return false;
    }
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < width; ++i) {
        value |= std::uint64_t(std::to_integer<std::uint8_t>(data_[position_ + i])) << (8 * i);
    }
    position_ += width;
    out = value;
    return true;
}

bool ByteReader::read_u8(std::uint8_t& out) {
    std::uint64_t v = 0;
    if (!read_le(1, v)) {
        return false;
    }
    out = static_cast<std::uint8_t>(v);
    return true;
}

bool ByteReader::read_u16(std::uint16_t& out) {
    std::uint64_t v = 0;
    if (!read_le(2, v)) {
        return false;
    }
    out = static_cast<std::uint16_t>(v);
    return true;
}

bool ByteReader::read_u24(std::uint32_t& out) {
    std::uint64_t v = 0;
    if (!read_le(3, v)) {
        return false;
    }
    out = static_cast<std::uint32_t>(v);
    return true;
}

bool ByteReader::read_u32(std::uint32_t& out) {
    std::uint64_t v = 0;
    if (!read_le(4, v)) {
        return false;
    }
    out = static_cast<std::uint32_t>(v);
    return true;
}

bool ByteReader::read_u48(std::uint64_t& out) {
    return read_le(6, out);
}

bool ByteReader::read_u64(std::uint64_t& out) {
    return read_le(8, out);
}

bool ByteReader::read_lenenc_int(std::uint64_t& out) {
    std::uint8_t first = 0;
    if (!peek_u8(first)) {
        return false;
    }
    std::size_t width = 0;
    switch (first) {
    case 0xfb:
    case 0xff:
        return false;
    case 0xfc:
        width = 2;
        break;
    case 0xfd:
        width = 3;
        break;
    case 0xfe:
        width = 8;
        break;
    default:
        ++position_;
        out = first;
        return true;
    }
    if (remaining() < 1 + width) {
        return false;
    }
    ++position_;
    return read_le(width, out);
}

bool ByteReader::read_lenenc_string(std::string_view& out) {
    const std::size_t start = position_;
    std::uint64_t length = 0;
    if (!read_lenenc_int(length) || length > remaining()) {
        position_ = start;
        return false;
    }
    return read_fixed_string(static_cast<std::size_t>(length), out);
}

bool ByteReader::read_nul_string(std::string_view& out) {
    const auto rest = data_.subspan(position_);
    const auto nul = std::find(rest.begin(), rest.end(), std::byte{0});
    if (nul == rest.end()) {
        return false;
    }
    const auto length = static_cast<std::size_t>(nul - rest.begin());
    out = as_chars(rest.first(length));
    position_ += length + 1;
    return true;
}

bool ByteReader::read_fixed_string(std::size_t length, std::string_view& out) {
    Bytes bytes;
    if (!read_bytes(length, bytes)) {
        return false;
    }
    out = as_chars(bytes);
    return true;
}

bool ByteReader::read_bytes(std::size_t length, Bytes& out) {
    if (remaining() < length) {
        return false;
    }
    out = data_.subspan(position_, length);
    position_ += length;
    return true;
}

std::string_view ByteReader::read_rest() {
    const auto rest = as_chars(data_.subspan(position_));
    position_ = data_.size();
    return rest;
}

bool ByteReader::skip(std::size_t length) {
    if (remaining() < length) {
        return false;
    }
    position_ += length;
    return true;
}

bool ByteReader::peek_u8(std::uint8_t& out) const {
    if (empty()) {
        return false;
    }
    out = std::to_integer<std::uint8_t>(data_[position_]);
    return true;
}

void ByteWriter::write_le(std::uint64_t value, std::size_t width) {
    for (std::size_t i = 0; i < width; ++i) {
        out_.push_back(static_cast<std::byte>((value >> (8 * i)) & 0xff));
    }
}

void ByteWriter::write_lenenc_int(std::uint64_t value) {
    if (value < 0xfb) {
        write_u8(static_cast<std::uint8_t>(value));
    } else if (value <= 0xffff) {
        write_u8(0xfc);
        write_u16(static_cast<std::uint16_t>(value));
    } else if (value <= 0xffffff) {
        write_u8(0xfd);
        write_u24(static_cast<std::uint32_t>(value));
    } else {
        write_u8(0xfe);
        write_u64(value);
    }
}

void ByteWriter::write_lenenc_string(std::string_view value) {
    write_lenenc_int(value.size());
    write_string(value);
}

void ByteWriter::write_nul_string(std::string_view value) {
    write_string(value);
    write_u8(0);
}

std::size_t lenenc_int_size(std::uint64_t value) {
    if (value < 0xfb) {
        return 1;
    }
    if (value <= 0xffff) {
        return 3;
    }
    return value <= 0xffffff ? 4 : 9;
}

} // namespace shardgate::protocol::mysql
