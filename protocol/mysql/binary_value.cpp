// Binary protocol value codec and shard-key readers.
// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_binary_resultset.html#sect_protocol_binary_resultset_row_value
#include "shardgate/protocol/mysql/binary_value.hpp"

#include "shardgate/protocol/mysql/constants.hpp"

#include <bit>
#include <charconv>
#include <cstdio>
#include <limits>

namespace shardgate::protocol::mysql {
namespace {

enum class Encoding { none, int1, int2, int4, int8, float4, double8, datetime, time, string };

Encoding encoding_of(std::uint8_t type) {
    switch (type) {
    case MYSQL_TYPE_NULL:
        return Encoding::none;
    case MYSQL_TYPE_TINY:
        return Encoding::int1;
    case MYSQL_TYPE_SHORT:
    case MYSQL_TYPE_YEAR:
        return Encoding::int2;
    case MYSQL_TYPE_LONG:
    case MYSQL_TYPE_INT24:
        return Encoding::int4;
    case MYSQL_TYPE_LONGLONG:
        return Encoding::int8;
    case MYSQL_TYPE_FLOAT:
        return Encoding::float4;
    case MYSQL_TYPE_DOUBLE:
        return Encoding::double8;
    case MYSQL_TYPE_DATE:
    case MYSQL_TYPE_DATETIME:
    case MYSQL_TYPE_TIMESTAMP:
        return Encoding::datetime;
    case MYSQL_TYPE_TIME:
        return Encoding::time;
    default:
        return Encoding::string;
    }
}

std::int64_t sign_extend(std::uint64_t raw, unsigned bits) {
    const unsigned shift = 64 - bits;
    return static_cast<std::int64_t>(raw << shift) >> shift;
}

bool read_integer(ByteReader& reader, unsigned bytes, ParamType type, BinaryValue& out) {
    std::uint64_t raw = 0;
    bool ok = false;
    switch (bytes) {
    case 1: {
        std::uint8_t v = 0;
        ok = reader.read_u8(v);
        raw = v;
        break;
    }
    case 2: {
        std::uint16_t v = 0;
        ok = reader.read_u16(v);
        raw = v;
        break;
    }
    case 4: {
        std::uint32_t v = 0;
        ok = reader.read_u32(v);
        raw = v;
        break;
    }
    default:
        ok = reader.read_u64(raw);
    }
    if (!ok) {
        return false;
    }
    if (type.is_unsigned || type.type == MYSQL_TYPE_YEAR) {
        out = raw;
    } else {
        out = sign_extend(raw, bytes * 8);
    }
    return true;
}

bool read_datetime(ByteReader& reader, BinaryValue& out) {
    std::uint8_t length = 0;
    DateTimeValue v;
    if (!reader.read_u8(length) || (length != 0 && length != 4 && length != 7 && length != 11)) {
        return false;
    }
    if (length >= 4 &&
        (!reader.read_u16(v.year) || !reader.read_u8(v.month) || !reader.read_u8(v.day))) {
        return false;
    }
    if (length >= 7 &&
        (!reader.read_u8(v.hour) || !reader.read_u8(v.minute) || !reader.read_u8(v.second))) {
        return false;
    }
    if (length == 11 && !reader.read_u32(v.microsecond)) {
        return false;
    }
    out = v;
    return true;
}

bool read_time(ByteReader& reader, BinaryValue& out) {
    std::uint8_t length = 0;
    TimeValue v;
    if (!reader.read_u8(length) || (length != 0 && length != 8 && length != 12)) {
        return false;
    }
    std::uint8_t negative = 0;
    if (length >= 8 &&
        (!reader.read_u8(negative) || !reader.read_u32(v.days) || !reader.read_u8(v.hours) ||
         !reader.read_u8(v.minutes) || !reader.read_u8(v.seconds))) {
        return false;
    }
    if (length == 12 && !reader.read_u32(v.microseconds)) {
        return false;
    }
    v.negative = negative != 0;
    out = v;
    return true;
}

bool read_float(ByteReader& reader, bool wide, BinaryValue& out) {
    if (wide) {
        std::uint64_t raw = 0;
        if (!reader.read_u64(raw)) {
            return false;
        }
        out = std::bit_cast<double>(raw);
        return true;
    }
    std::uint32_t raw = 0;
    if (!reader.read_u32(raw)) {
        return false;
    }
    out = std::bit_cast<float>(raw);
    return true;
}

std::uint64_t integer_bits(const BinaryValue& value) {
    if (const auto* s = std::get_if<std::int64_t>(&value)) {
        return static_cast<std::uint64_t>(*s);
    }
    return std::get<std::uint64_t>(value);
}

void write_datetime(const DateTimeValue& v, ByteWriter& writer) {
    const bool has_micro = v.microsecond != 0;
    const bool has_time = has_micro || v.hour || v.minute || v.second;
    const bool has_date = has_time || v.year || v.month || v.day;
    writer.write_u8(has_micro ? 11 : has_time ? 7 : has_date ? 4 : 0);
    if (has_date) {
        writer.write_u16(v.year);
        writer.write_u8(v.month);
        writer.write_u8(v.day);
    }
    if (has_time) {
        writer.write_u8(v.hour);
        writer.write_u8(v.minute);
        writer.write_u8(v.second);
    }
    if (has_micro) {
        writer.write_u32(v.microsecond);
    }
}

void write_time(const TimeValue& v, ByteWriter& writer) {
    const bool has_micro = v.microseconds != 0;
    const bool has_time = has_micro || v.negative || v.days || v.hours || v.minutes || v.seconds;
    writer.write_u8(has_micro ? 12 : has_time ? 8 : 0);
    if (has_time) {
        writer.write_u8(v.negative ? 1 : 0);
        writer.write_u32(v.days);
        writer.write_u8(v.hours);
        writer.write_u8(v.minutes);
        writer.write_u8(v.seconds);
    }
    if (has_micro) {
        writer.write_u32(v.microseconds);
    }
}

bool is_integer(const BinaryValue& value) {
    return std::holds_alternative<std::int64_t>(value) ||
           std::holds_alternative<std::uint64_t>(value);
}

template <class T> std::string number_text(T value) {
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    return std::string(buffer, result.ptr);
}

std::string datetime_text(const DateTimeValue& v) {
    char buffer[40];
    int n = std::snprintf(buffer, sizeof buffer, "%04u-%02u-%02u", unsigned(v.year),
                          unsigned(v.month), unsigned(v.day));
    if (v.hour || v.minute || v.second || v.microsecond) {
        n += std::snprintf(buffer + n, sizeof buffer - n, " %02u:%02u:%02u", unsigned(v.hour),
                           unsigned(v.minute), unsigned(v.second));
    }
    if (v.microsecond) {
        std::snprintf(buffer + n, sizeof buffer - n, ".%06u", unsigned(v.microsecond));
    }
    return buffer;
}

std::string time_text(const TimeValue& v) {
    char buffer[48];
    const unsigned long hours = v.days * 24ul + v.hours;
    int n = std::snprintf(buffer, sizeof buffer, "%s%02lu:%02u:%02u", v.negative ? "-" : "", hours,
                          unsigned(v.minutes), unsigned(v.seconds));
    if (v.microseconds) {
        std::snprintf(buffer + n, sizeof buffer - n, ".%06u", unsigned(v.microseconds));
    }
    return buffer;
}

template <class T> bool parse_whole(std::string_view text, T& out) {
    const char* end = text.data() + text.size();
    const auto result = std::from_chars(text.data(), end, out);
    return !text.empty() && result.ec == std::errc{} && result.ptr == end;
}

/// Reads `count` digits at `at`; false when they are not all digits.
bool read_digits(std::string_view text, std::size_t at, std::size_t count, unsigned& out) {
    if (at + count > text.size()) {
        return false;
    }
    out = 0;
    for (std::size_t i = at; i < at + count; ++i) {
        if (text[i] < '0' || text[i] > '9') {
            return false;
        }
        out = out * 10 + static_cast<unsigned>(text[i] - '0');
    }
    return true;
}

/// ".ffffff" (1 to 6 digits) at `at`, as microseconds; true when absent.
bool read_fraction(std::string_view text, std::size_t at, std::uint32_t& out) {
    out = 0;
    if (at == text.size()) {
        return true;
    }
    const std::size_t digits = text.size() - at - 1;
    if (text[at] != '.' || digits == 0 || digits > 6) {
        return false;
    }
    unsigned value = 0;
    if (!read_digits(text, at + 1, digits, value)) {
        return false;
    }
    for (std::size_t i = digits; i < 6; ++i) {
        value *= 10;
    }
    out = value;
    return true;
}

std::optional<BinaryValue> datetime_from_text(std::string_view text) {
    // YYYY-MM-DD[ hh:mm:ss[.ffffff]]
    unsigned year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (!read_digits(text, 0, 4, year) || text.size() < 10 || text[4] != '-' || text[7] != '-' ||
        !read_digits(text, 5, 2, month) || !read_digits(text, 8, 2, day)) {
        return std::nullopt;
    }
    DateTimeValue v{static_cast<std::uint16_t>(year), static_cast<std::uint8_t>(month),
                    static_cast<std::uint8_t>(day)};
    if (text.size() == 10) {
        return v;
    }
    if (text.size() < 19 || text[10] != ' ' || text[13] != ':' || text[16] != ':' ||
        !read_digits(text, 11, 2, hour) || !read_digits(text, 14, 2, minute) ||
        !read_digits(text, 17, 2, second) || !read_fraction(text, 19, v.microsecond)) {
        return std::nullopt;
    }
    v.hour = static_cast<std::uint8_t>(hour);
    v.minute = static_cast<std::uint8_t>(minute);
    v.second = static_cast<std::uint8_t>(second);
    return v;
}

std::optional<BinaryValue> time_from_text(std::string_view text) {
    // [-]h+:mm:ss[.ffffff]
    TimeValue v;
    std::size_t at = 0;
    if (!text.empty() && text[0] == '-') {
        v.negative = true;
        at = 1;
    }
    const auto colon = text.find(':', at);
    unsigned long hours = 0;
    unsigned minute = 0, second = 0;
    if (colon == std::string_view::npos || colon == at || colon - at > 6 ||
        !parse_whole(text.substr(at, colon - at), hours) || text.size() < colon + 6 ||
        text[colon + 3] != ':' || !read_digits(text, colon + 1, 2, minute) ||
        !read_digits(text, colon + 4, 2, second) ||
        !read_fraction(text, colon + 6, v.microseconds)) {
        return std::nullopt;
    }
    v.days = static_cast<std::uint32_t>(hours / 24);
    v.hours = static_cast<std::uint8_t>(hours % 24);
    v.minutes = static_cast<std::uint8_t>(minute);
    v.seconds = static_cast<std::uint8_t>(second);
    return v;
}

} // namespace

bool read_binary_value(ByteReader& reader, ParamType type, BinaryValue& out) {
    std::string_view text;
    switch (encoding_of(type.type)) {
    case Encoding::none:
        out = std::monostate{};
        return true;
    case Encoding::int1:
        return read_integer(reader, 1, type, out);
    case Encoding::int2:
        return read_integer(reader, 2, type, out);
    case Encoding::int4:
        return read_integer(reader, 4, type, out);
    case Encoding::int8:
        return read_integer(reader, 8, type, out);
    case Encoding::float4:
        return read_float(reader, false, out);
    case Encoding::double8:
        return read_float(reader, true, out);
    case Encoding::datetime:
        return read_datetime(reader, out);
    case Encoding::time:
        return read_time(reader, out);
    case Encoding::string:
        if (!reader.read_lenenc_string(text)) {
            return false;
        }
        out = text;
        return true;
    }
    return false;
}

Decoded<BinaryValue> decode_binary_value(Bytes input, ParamType type) {
    ByteReader reader(input);
    BinaryValue value;
    if (!read_binary_value(reader, type, value)) {
        return decode_error<BinaryValue>("binary value of type " + std::to_string(type.type) +
                                         " is truncated or malformed");
    }
    return Decoded<BinaryValue>(value, reader.position());
}

bool encode_binary_value(const BinaryValue& value, ParamType type, Buffer& out) {
    ByteWriter writer(out);
    if (std::holds_alternative<std::monostate>(value)) {
        return true;
    }
    const Encoding encoding = encoding_of(type.type);
    if (encoding >= Encoding::int1 && encoding <= Encoding::int8 && is_integer(value)) {
        const std::uint64_t bits = integer_bits(value);
        const std::size_t width = encoding == Encoding::int1   ? 1
                                  : encoding == Encoding::int2 ? 2
                                  : encoding == Encoding::int4 ? 4
                                                               : 8;
        if (width < 8) {
            // A value the column's width cannot hold is refused, not cut to its low bytes.
            const unsigned shift = 8 * static_cast<unsigned>(width);
            const bool is_unsigned = type.is_unsigned || type.type == MYSQL_TYPE_YEAR;
            const bool fits =
                std::holds_alternative<std::uint64_t>(value)
                    ? bits < (std::uint64_t{1} << (is_unsigned ? shift : shift - 1))
                : is_unsigned
                    ? std::get<std::int64_t>(value) >= 0 && bits < (std::uint64_t{1} << shift)
                    : std::get<std::int64_t>(value) >= -(std::int64_t{1} << (shift - 1)) &&
                          std::get<std::int64_t>(value) < (std::int64_t{1} << (shift - 1));
            if (!fits) {
                return false;
            }
        }
        for (std::size_t i = 0; i < width; ++i) {
            writer.write_u8(static_cast<std::uint8_t>(bits >> (8 * i)));
        }
        return true;
    }
    if (encoding == Encoding::float4 && std::holds_alternative<float>(value)) {
        writer.write_u32(std::bit_cast<std::uint32_t>(std::get<float>(value)));
        return true;
    }
    if (encoding == Encoding::double8 && std::holds_alternative<double>(value)) {
        writer.write_u64(std::bit_cast<std::uint64_t>(std::get<double>(value)));
        return true;
    }
    if (encoding == Encoding::datetime && std::holds_alternative<DateTimeValue>(value)) {
        write_datetime(std::get<DateTimeValue>(value), writer);
        return true;
    }
    if (encoding == Encoding::time && std::holds_alternative<TimeValue>(value)) {
        write_time(std::get<TimeValue>(value), writer);
        return true;
    }
    if (encoding == Encoding::string && std::holds_alternative<std::string_view>(value)) {
        writer.write_lenenc_string(std::get<std::string_view>(value));
        return true;
    }
    return false;
}

std::optional<std::int64_t> binary_value_as_integer(const BinaryValue& value) {
    if (const auto* s = std::get_if<std::int64_t>(&value)) {
        return *s;
    }
    if (const auto* u = std::get_if<std::uint64_t>(&value)) {
        if (*u > std::uint64_t(std::numeric_limits<std::int64_t>::max())) {
            return std::nullopt;
        }
        return static_cast<std::int64_t>(*u);
    }
    if (const auto* text = std::get_if<std::string_view>(&value)) {
        std::int64_t parsed = 0;
        const char* end = text->data() + text->size();
        const auto result = std::from_chars(text->data(), end, parsed);
        if (text->empty() || result.ec != std::errc{} || result.ptr != end) {
            return std::nullopt;
        }
        return parsed;
    }
    return std::nullopt;
}

std::optional<std::string> binary_value_as_text(const BinaryValue& value) {
    struct Visitor {
        std::optional<std::string> operator()(std::monostate) const { return std::nullopt; }
        std::optional<std::string> operator()(std::int64_t v) const { return number_text(v); }
        std::optional<std::string> operator()(std::uint64_t v) const { return number_text(v); }
        std::optional<std::string> operator()(float v) const { return number_text(v); }
        std::optional<std::string> operator()(double v) const { return number_text(v); }
        std::optional<std::string> operator()(std::string_view v) const { return std::string(v); }
        std::optional<std::string> operator()(const DateTimeValue& v) const {
            return datetime_text(v);
        }
        std::optional<std::string> operator()(const TimeValue& v) const { return time_text(v); }
    };
    return std::visit(Visitor{}, value);
}

std::optional<BinaryValue> binary_value_from_text(std::string_view text, ParamType type) {
    switch (encoding_of(type.type)) {
    case Encoding::none:
        return std::nullopt; // a NULL-typed column has no values
    case Encoding::int1:
    case Encoding::int2:
    case Encoding::int4:
    case Encoding::int8:
        if (type.is_unsigned || type.type == MYSQL_TYPE_YEAR) {
            std::uint64_t u = 0;
            return parse_whole(text, u) ? std::optional<BinaryValue>(u) : std::nullopt;
        } else {
            std::int64_t i = 0;
            return parse_whole(text, i) ? std::optional<BinaryValue>(i) : std::nullopt;
        }
    case Encoding::float4: {
        float f = 0;
        return parse_whole(text, f) ? std::optional<BinaryValue>(f) : std::nullopt;
    }
    case Encoding::double8: {
        double d = 0;
        return parse_whole(text, d) ? std::optional<BinaryValue>(d) : std::nullopt;
    }
    case Encoding::datetime:
        return datetime_from_text(text);
    case Encoding::time:
        return time_from_text(text);
    case Encoding::string:
        return BinaryValue(text);
    }
    return std::nullopt;
}

} // namespace shardgate::protocol::mysql
