// Binary protocol values (COM_STMT_EXECUTE parameters, binary result rows) and the helpers
// the router uses to read a bound parameter as a shard key.
// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_binary_resultset.html#sect_protocol_binary_resultset_row_value
#pragma once

#include "shardgate/protocol/mysql/byte_io.hpp"
#include "shardgate/protocol/mysql/decoded.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace shardgate::protocol::mysql {

/// Parameter / column type as sent in COM_STMT_EXECUTE: MYSQL_TYPE_* plus the unsigned flag
/// (0x80 in the second type byte).
struct ParamType {
    std::uint8_t type = 0;
    bool is_unsigned = false;

    bool operator==(const ParamType&) const = default;
};

/// DATE, DATETIME, TIMESTAMP.
struct DateTimeValue {
    std::uint16_t year = 0;
    std::uint8_t month = 0;
    std::uint8_t day = 0;
    std::uint8_t hour = 0;
    std::uint8_t minute = 0;
    std::uint8_t second = 0;
    std::uint32_t microsecond = 0;

    bool operator==(const DateTimeValue&) const = default;
};

/// TIME (a signed duration).
struct TimeValue {
    bool negative = false;
    std::uint32_t days = 0;
    std::uint8_t hours = 0;
    std::uint8_t minutes = 0;
    std::uint8_t seconds = 0;
    std::uint32_t microseconds = 0;

    bool operator==(const TimeValue&) const = default;
};

/// A decoded binary value. Signed integer types give int64, unsigned ones uint64; strings,
/// blobs, DECIMAL/NEWDECIMAL (as text), JSON, ENUM, SET, BIT and GEOMETRY give a view into
/// the payload; monostate is NULL.
using BinaryValue = std::variant<std::monostate, std::int64_t, std::uint64_t, float, double,
                                 std::string_view, DateTimeValue, TimeValue>;

/// Reads one value of `type` at the reader's position.
bool read_binary_value(ByteReader& reader, ParamType type, BinaryValue& out);
/// Decodes one value from the front of `input` (consumed = its wire size).
Decoded<BinaryValue> decode_binary_value(Bytes input, ParamType type);
/// Appends the binary encoding of `value` as `type` (the value's alternative must fit the
/// type: integers for integer types, string_view for string types, ...). NULL writes nothing
/// (NULL is in the bitmap). Returns false when value and type do not match.
bool encode_binary_value(const BinaryValue& value, ParamType type, Buffer& out);

/// A bound parameter as a shard-key integer: integer types, or a string holding a decimal
/// integer literal. nullopt for NULL, out-of-range unsigned, floats, dates and non-numeric
/// text.
std::optional<std::int64_t> binary_value_as_integer(const BinaryValue& value);
/// A bound parameter as text, as the server would show it: strings as is, integers in
/// decimal, dates as 'YYYY-MM-DD[ hh:mm:ss[.ffffff]]', times as '[-]hhh:mm:ss[.ffffff]',
/// floats in shortest round-trip form. nullopt for NULL.
std::optional<std::string> binary_value_as_text(const BinaryValue& value);
/// The inverse of binary_value_as_text for a result column of `type`: the value a binary row
/// carries for `text` (strings view `text`). nullopt when the text is not a value of the type.
std::optional<BinaryValue> binary_value_from_text(std::string_view text, ParamType type);

} // namespace shardgate::protocol::mysql
