// Timestamp parsing and interval buckets for the time scheme (proleptic Gregorian, UTC).
#include "shardgate/shardmaps/time_bucket.hpp"

#include <charconv>
#include <chrono>
#include <cstdio>

namespace shardgate::shardmaps {
namespace {

using namespace std::chrono;

constexpr std::int64_t seconds_per_day = 86400;

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    const std::int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

// Reads exactly `width` digits at `pos`.
bool read_digits(std::string_view text, std::size_t pos, std::size_t width, int& out) {
    if (pos + width > text.size()) {
        return false;
    }
    const char* begin = text.data() + pos;
    for (std::size_t i = 0; i < width; ++i) {
        if (begin[i] < '0' || begin[i] > '9') {
            return false;
        }
    }
    return std::from_chars(begin, begin + width, out).ec == std::errc{};
}

std::optional<std::int64_t> days_of(int y, int m, int d) {
    const year_month_day ymd{year{y}, month{static_cast<unsigned>(m)},
                             day{static_cast<unsigned>(d)}};
    if (!ymd.ok()) {
        return std::nullopt;
    }
    return sys_days{ymd}.time_since_epoch().count();
}

year_month_day civil(std::int64_t days) {
    return year_month_day{sys_days{std::chrono::days{days}}};
}

// Parses "HH:MM[:SS[.frac]]" starting at pos; returns seconds of day and advances pos.
std::optional<std::int64_t> parse_clock(std::string_view text, std::size_t& pos) {
    int h = 0, mi = 0, s = 0;
    if (!read_digits(text, pos, 2, h) || pos + 2 >= text.size() || text[pos + 2] != ':' ||
        !read_digits(text, pos + 3, 2, mi) || h > 23 || mi > 59) {
        return std::nullopt;
    }
    pos += 5;
    if (pos < text.size() && text[pos] == ':') {
        if (!read_digits(text, pos + 1, 2, s) || s > 60) {
            return std::nullopt;
        }
        pos += 3;
        if (pos < text.size() && text[pos] == '.') {
            ++pos;
            while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
                ++pos; // sub-second digits never change the bucket
            }
        }
    }
    return std::int64_t{h} * 3600 + mi * 60 + s;
}

// Parses "", "Z", "+HH", "+HH:MM", "+HHMM" (or '-') at pos to the end; seconds east of UTC.
std::optional<std::int64_t> parse_offset(std::string_view text, std::size_t pos) {
    if (pos == text.size()) {
        return 0;
    }
    if (text.substr(pos) == "Z" || text.substr(pos) == "z") {
        return 0;
    }
    if (text[pos] != '+' && text[pos] != '-') {
        return std::nullopt;
    }
    const int sign = text[pos] == '-' ? -1 : 1;
    int h = 0, m = 0;
    if (!read_digits(text, pos + 1, 2, h)) {
        return std::nullopt;
    }
    std::size_t next = pos + 3;
    if (next < text.size() && text[next] == ':') {
        ++next;
    }
    if (next < text.size()) {
        if (!read_digits(text, next, 2, m) || next + 2 != text.size()) {
            return std::nullopt;
        }
    }
    return sign * (std::int64_t{h} * 3600 + m * 60);
}

} // namespace

std::string_view interval_name(Interval interval) {
    switch (interval) {
    case Interval::day:
        return "day";
    case Interval::week:
        return "week";
    case Interval::month:
        return "month";
    case Interval::quarter:
        return "quarter";
    case Interval::year:
        return "year";
    }
    return "?";
}

std::optional<Interval> parse_interval(std::string_view name) {
    for (auto interval :
         {Interval::day, Interval::week, Interval::month, Interval::quarter, Interval::year}) {
        if (interval_name(interval) == name) {
            return interval;
        }
    }
    return std::nullopt;
}

namespace {

/// parse_timestamp() and parse_wall_clock(): the offset, when there is one, must be valid in
/// both; only parse_timestamp() applies it.
std::optional<std::int64_t> parse_time(std::string_view text, bool apply_offset) {
    int y = 0, m = 0, d = 0;
    if (!read_digits(text, 0, 4, y) || text.size() < 10 || text[4] != '-' || text[7] != '-' ||
        !read_digits(text, 5, 2, m) || !read_digits(text, 8, 2, d)) {
        return std::nullopt;
    }
    const auto days = days_of(y, m, d);
    if (!days) {
        return std::nullopt;
    }
    std::int64_t seconds = *days * seconds_per_day;
    if (text.size() == 10) {
        return seconds;
    }
    if (text[10] != ' ' && text[10] != 'T' && text[10] != 't') {
        return std::nullopt;
    }
    std::size_t pos = 11;
    const auto clock = parse_clock(text, pos);
    const auto offset = clock ? parse_offset(text, pos) : std::nullopt;
    if (!offset) {
        return std::nullopt;
    }
    return seconds + *clock - (apply_offset ? *offset : 0);
}

} // namespace

std::optional<std::int64_t> parse_timestamp(std::string_view text) {
    return parse_time(text, true);
}

std::optional<std::int64_t> parse_wall_clock(std::string_view text) {
    return parse_time(text, false);
}

std::size_t fraction_point(std::string_view text) {
    // (the first ':' is the time's: an offset "+09:00" has one too)
    const auto colon = text.find(':');
    return colon == std::string_view::npos ? colon : text.find('.', colon);
}

bool has_subsecond(std::string_view text) {
    const auto point = fraction_point(text);
    if (point == std::string_view::npos) {
        return false;
    }
    for (std::size_t i = point + 1; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
        if (text[i] != '0') {
            return true;
        }
    }
    return false;
}

bool has_utc_offset(std::string_view text) {
    // (the date's own '-' are at 4 and 7; a time of day starts at 11)
    return text.size() > 11 && text.find_first_of("Zz+-", 11) != std::string_view::npos;
}

std::int64_t bucket_of(std::int64_t seconds, Interval interval) {
    const std::int64_t days = floor_div(seconds, seconds_per_day);
    if (interval == Interval::day) {
        return days;
    }
    if (interval == Interval::week) {
        return floor_div(days + 3, 7); // day -3 is Monday 1969-12-29
    }
    const auto ymd = civil(days);
    const std::int64_t y = int{ymd.year()};
    const std::int64_t m = unsigned{ymd.month()};
    switch (interval) {
    case Interval::month:
        return y * 12 + m - 1;
    case Interval::quarter:
        return y * 4 + (m - 1) / 3;
    default:
        return y;
    }
}

std::optional<std::int64_t> parse_bucket(std::string_view label, Interval interval) {
    int y = 0, part = 0;
    switch (interval) {
    case Interval::day:
    case Interval::week: {
        if (label.size() != 10) {
            return std::nullopt;
        }
        const auto seconds = parse_timestamp(label);
        return seconds ? std::optional(bucket_of(*seconds, interval)) : std::nullopt;
    }
    case Interval::month:
        if (label.size() != 7 || !read_digits(label, 0, 4, y) || label[4] != '-' ||
            !read_digits(label, 5, 2, part) || part < 1 || part > 12) {
            return std::nullopt;
        }
        return std::int64_t{y} * 12 + part - 1;
    case Interval::quarter:
        if (label.size() != 7 || !read_digits(label, 0, 4, y) || label.substr(4, 2) != "-Q" ||
            !read_digits(label, 6, 1, part) || part < 1 || part > 4) {
            return std::nullopt;
        }
        return std::int64_t{y} * 4 + part - 1;
    case Interval::year:
        if (label.size() != 4 || !read_digits(label, 0, 4, y)) {
            return std::nullopt;
        }
        return y;
    }
    return std::nullopt;
}

std::string bucket_label(std::int64_t bucket, Interval interval) {
    char text[80]; // room for any int64 year
    if (interval == Interval::day || interval == Interval::week) {
        const std::int64_t days = interval == Interval::day ? bucket : bucket * 7 - 3;
        const auto ymd = civil(days);
        std::snprintf(text, sizeof text, "%04d-%02u-%02u", int{ymd.year()}, unsigned{ymd.month()},
                      unsigned{ymd.day()});
    } else if (interval == Interval::month) {
        std::snprintf(text, sizeof text, "%04lld-%02lld",
                      static_cast<long long>(floor_div(bucket, 12)),
                      static_cast<long long>(bucket - floor_div(bucket, 12) * 12 + 1));
    } else if (interval == Interval::quarter) {
        std::snprintf(text, sizeof text, "%04lld-Q%lld",
                      static_cast<long long>(floor_div(bucket, 4)),
                      static_cast<long long>(bucket - floor_div(bucket, 4) * 4 + 1));
    } else {
        std::snprintf(text, sizeof text, "%04lld", static_cast<long long>(bucket));
    }
    return text;
}

} // namespace shardgate::shardmaps
