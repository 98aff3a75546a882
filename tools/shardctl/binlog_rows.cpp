// Keys out of MariaDB row-based binlog events (see binlog_rows.hpp).
#include "binlog_rows.hpp"

#include <algorithm>
#include <array>

namespace shardctl::binlog {
namespace {

// Column type codes of the binlog (MariaDB's enum_field_types).
enum : std::uint8_t {
    type_tiny = 1,
    type_short = 2,
    type_long = 3,
    type_float = 4,
    type_double = 5,
    type_null = 6,
    type_timestamp = 7,
    type_longlong = 8,
    type_int24 = 9,
    type_date = 10,
    type_time = 11,
    type_datetime = 12,
    type_year = 13,
    type_newdate = 14,
    type_varchar = 15,
    type_bit = 16,
    type_timestamp2 = 17,
    type_datetime2 = 18,
    type_time2 = 19,
    type_newdecimal = 246,
    type_enum = 247,
    type_set = 248,
    type_tiny_blob = 249,
    type_medium_blob = 250,
    type_long_blob = 251,
    type_blob = 252,
    type_var_string = 253,
    type_string = 254,
    type_geometry = 255,
};

/// Bytes of metadata a column type carries in TABLE_MAP.
int metadata_bytes(std::uint8_t type) {
    switch (type) {
    case type_float:
    case type_double:
    case type_timestamp2:
    case type_datetime2:
    case type_time2:
    case type_tiny_blob:
    case type_medium_blob:
    case type_long_blob:
    case type_blob:
    case type_geometry:
        return 1;
    case type_varchar:
    case type_var_string:
    case type_bit:
    case type_newdecimal:
    case type_enum:
    case type_set:
    case type_string:
        return 2;
    case type_tiny:
    case type_short:
    case type_long:
    case type_null:
    case type_timestamp:
    case type_longlong:
    case type_int24:
    case type_date:
    case type_time:
    case type_datetime:
    case type_year:
    case type_newdate:
        return 0;
    default:
        return -1;
    }
}

std::size_t decimal_bytes(unsigned precision, unsigned scale) {
    static constexpr std::array<std::size_t, 10> digits = {0, 1, 1, 2, 2, 3, 3, 4, 4, 4};
    const unsigned whole = precision - scale;
    return whole / 9 * 4 + digits[whole % 9] + scale / 9 * 4 + digits[scale % 9];
}

std::uint64_t little_endian(const std::uint8_t* p, std::size_t n) {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < n; ++i) {
        v |= std::uint64_t(p[i]) << (8 * i);
    }
    return v;
}

/// A STRING column's real type and maximum length in bytes (both packed in its metadata).
std::pair<std::uint8_t, unsigned> string_type(std::uint16_t meta) {
    const std::uint8_t first = meta >> 8;
    const std::uint8_t second = meta & 0xff;
    if ((first & 0x30) != 0x30) {
        return {std::uint8_t(first | 0x30),
                unsigned(second) | (unsigned((first & 0x30) ^ 0x30) << 4)};
    }
    return {first, second};
}

/// Where one value is in a row image: `prefix` length bytes, then `size` bytes of data.
struct Extent {
    std::size_t prefix = 0;
    std::size_t size = 0;
};

/// The extent of a value of `column` at `p` (`left` bytes remain); nullopt when it cannot be.
std::optional<Extent> extent(const Column& column, const std::uint8_t* p, std::size_t left) {
    const auto prefixed = [&](std::size_t bytes) -> std::optional<Extent> {
        if (bytes == 0 || bytes > 4 || left < bytes) {
            return std::nullopt;
        }
        return Extent{bytes, std::size_t(little_endian(p, bytes))};
    };
    const std::uint8_t first = column.meta >> 8;
    const std::uint8_t second = column.meta & 0xff;
    switch (column.type) {
    case type_tiny:
    case type_year:
        return Extent{0, 1};
    case type_short:
        return Extent{0, 2};
    case type_int24:
    case type_date:
    case type_time:
    case type_newdate:
        return Extent{0, 3};
    case type_long:
    case type_float:
    case type_timestamp:
        return Extent{0, 4};
    case type_longlong:
    case type_double:
    case type_datetime:
        return Extent{0, 8};
    case type_null:
        return Extent{0, 0};
    case type_timestamp2:
        return Extent{0, 4 + (std::size_t(first) + 1) / 2};
    case type_datetime2:
        return Extent{0, 5 + (std::size_t(first) + 1) / 2};
    case type_time2:
        return Extent{0, 3 + (std::size_t(first) + 1) / 2};
    case type_newdecimal:
        return first < second ? std::nullopt
                              : std::optional(Extent{0, decimal_bytes(first, second)});
    case type_bit:
        return Extent{0, std::size_t(second) + (first != 0)};
    case type_varchar:
    case type_var_string: // two bytes of maximum length, least significant first
        return prefixed((unsigned(first) | (unsigned(second) << 8)) < 256 ? 1 : 2);
    case type_tiny_blob:
    case type_medium_blob:
    case type_long_blob:
    case type_blob:
    case type_geometry:
        return prefixed(first);
    case type_string: {
        const auto [real, length] = string_type(column.meta);
        if (real == type_enum || real == type_set) {
            return Extent{0, length & 0xff};
        }
        return prefixed(length < 256 ? 1 : 2);
    }
    default:
        return std::nullopt;
    }
}

bool integer(std::uint8_t type) {
    return type == type_tiny || type == type_short || type == type_int24 || type == type_long ||
           type == type_longlong;
}

bool temporal(std::uint8_t type) {
    return type == type_date || type == type_newdate || type == type_datetime2 ||
           type == type_timestamp2;
}

std::uint64_t big_endian(const std::uint8_t* p, std::size_t n) {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < n; ++i) {
        v = (v << 8) | p[i];
    }
    return v;
}

void two(std::string& out, unsigned v) {
    out.push_back(char('0' + v / 10 % 10));
    out.push_back(char('0' + v % 10));
}

/// "YYYY-MM-DD" or "YYYY-MM-DD HH:MM:SS" (and ".ffffff" when `fsp`), as the server prints it.
std::string civil_text(unsigned year, unsigned month, unsigned day, int hour, unsigned minute,
                       unsigned second, unsigned fsp, std::uint64_t micros) {
    std::string out;
    two(out, year / 100);
    two(out, year % 100);
    out.push_back('-');
    two(out, month);
    out.push_back('-');
    two(out, day);
    if (hour < 0) {
        return out;
    }
    out.push_back(' ');
    two(out, unsigned(hour));
    out.push_back(':');
    two(out, minute);
    out.push_back(':');
    two(out, second);
    if (fsp > 0) {
        const auto digits = std::to_string(1000000 + micros % 1000000); // "1" + six digits
        out.push_back('.');
        out.append(digits, 1, std::min<std::size_t>(fsp, 6));
    }
    return out;
}

/// Microseconds from the fractional bytes of a TIME2/DATETIME2/TIMESTAMP2 value.
std::uint64_t fraction(const std::uint8_t* p, unsigned fsp) {
    const std::size_t bytes = (fsp + 1) / 2;
    const auto v = big_endian(p, bytes);
    return bytes == 1 ? v * 10000 : (bytes == 2 ? v * 100 : v);
}

/// A DATE, DATETIME or TIMESTAMP value (the binlog's packed forms) as SQL text, UTC for
/// TIMESTAMP.
std::string temporal_text(const Column& column, const std::uint8_t* p) {
    const unsigned fsp = column.meta >> 8;
    if (column.type == type_date || column.type == type_newdate) {
        const auto v = little_endian(p, 3);
        return civil_text(unsigned(v >> 9), unsigned(v >> 5 & 15), unsigned(v & 31), -1, 0, 0, 0,
                          0);
    }
    if (column.type == type_datetime2) {
        const auto packed = big_endian(p, 5) - 0x8000000000ULL;
        const auto ymd = packed >> 17;
        const auto hms = packed & 0x1ffff;
        return civil_text(unsigned(ymd >> 5) / 13, unsigned(ymd >> 5) % 13, unsigned(ymd & 31),
                          int(hms >> 12), unsigned(hms >> 6 & 63), unsigned(hms & 63), fsp,
                          fraction(p + 5, fsp));
    }
    // TIMESTAMP2: seconds since the epoch, then the fraction.
    const auto seconds = std::int64_t(big_endian(p, 4));
    const auto days = seconds / 86400;
    const auto z = days + 719468;
    const auto era = z / 146097;
    const auto doe = z - era * 146097;
    const auto yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const auto doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const auto mp = (5 * doy + 2) / 153;
    const auto day = doy - (153 * mp + 2) / 5 + 1;
    const auto month = mp < 10 ? mp + 3 : mp - 9;
    const auto year = yoe + era * 400 + (month <= 2);
    const auto rest = seconds % 86400;
    return civil_text(unsigned(year), unsigned(month), unsigned(day), int(rest / 3600),
                      unsigned(rest / 60 % 60), unsigned(rest % 60), fsp, fraction(p + 4, fsp));
}

bool text_like(const Column& column) {
    if (column.type == type_varchar || column.type == type_var_string) {
        return true;
    }
    return column.type == type_string && string_type(column.meta).first == type_string;
}

std::string integer_text(const Column& column, const std::uint8_t* p, std::size_t size) {
    const std::uint64_t raw = little_endian(p, size);
    if (column.is_unsigned || size == 8) {
        if (!column.is_unsigned) {
            return std::to_string(static_cast<std::int64_t>(raw));
        }
        return std::to_string(raw);
    }
    const unsigned bits = unsigned(size) * 8;
    const std::int64_t value = (raw & (std::uint64_t(1) << (bits - 1)))
                                   ? static_cast<std::int64_t>(raw) - (std::int64_t(1) << bits)
                                   : static_cast<std::int64_t>(raw);
    return std::to_string(value);
}

} // namespace

std::optional<std::vector<Column>> columns(std::span<const std::uint8_t> types,
                                           std::span<const std::uint8_t> metadata,
                                           std::string& why) {
    std::vector<Column> out;
    std::size_t at = 0;
    for (const auto type : types) {
        const int bytes = metadata_bytes(type);
        if (bytes < 0) {
            why = "column type " + std::to_string(type) + " is not supported";
            return std::nullopt;
        }
        if (at + std::size_t(bytes) > metadata.size()) {
            why = "the table map's metadata is short";
            return std::nullopt;
        }
        Column column{type, 0, false};
        if (bytes == 1) {
            column.meta = std::uint16_t(metadata[at] << 8);
        } else if (bytes == 2) {
            column.meta = std::uint16_t((metadata[at] << 8) | metadata[at + 1]);
        }
        at += std::size_t(bytes);
        out.push_back(column);
    }
    return out;
}

bool readable_key(const Column& column) {
    return integer(column.type) || text_like(column) || temporal(column.type);
}

std::optional<std::vector<std::vector<Value>>> rows(const std::vector<Column>& table,
                                                    std::span<const std::uint8_t> body, bool update,
                                                    const std::vector<std::size_t>& wanted,
                                                    std::string& why) {
    for (const auto index : wanted) {
        if (index >= table.size() || !readable_key(table[index])) {
            why = "a key column's type cannot be read from the binlog";
            return std::nullopt;
        }
    }
    const std::size_t count = table.size();
    const std::size_t null_bytes = (count + 7) / 8;
    std::vector<std::vector<Value>> out;
    std::size_t at = 0;
    while (at < body.size()) {
        for (int image = 0; image < (update ? 2 : 1); ++image) {
            const std::size_t image_start = at;
            if (body.size() - at < null_bytes) {
                why = "a row image ends inside its null bitmap";
                return std::nullopt;
            }
            const std::uint8_t* nulls = body.data() + at;
            at += null_bytes;
            std::vector<Value> values(wanted.size());
            for (std::size_t c = 0; c < table.size(); ++c) {
                if (nulls[c / 8] & (1u << (c % 8))) {
                    continue; // NULL: no bytes
                }
                const auto e = extent(table[c], body.data() + at, body.size() - at);
                if (!e || body.size() - at < e->prefix || body.size() - at - e->prefix < e->size) {
                    why = "a row image is shorter than its columns";
                    return std::nullopt;
                }
                const std::uint8_t* data = body.data() + at + e->prefix;
                for (std::size_t w = 0; w < wanted.size(); ++w) {
                    if (wanted[w] != c) {
                        continue;
                    }
                    values[w] =
                        integer(table[c].type)
                            ? integer_text(table[c], data, e->size)
                            : (temporal(table[c].type)
                                   ? temporal_text(table[c], data)
                                   : std::string(reinterpret_cast<const char*>(data), e->size));
                }
                at += e->prefix + e->size;
            }
            if (at == image_start) {
                why = "a row image of no bytes"; // a table of no columns: never ends
                return std::nullopt;
            }
            out.push_back(std::move(values));
        }
    }
    return out;
}

} // namespace shardctl::binlog
