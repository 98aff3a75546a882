// Calendar arithmetic for the time scheme: timestamps, intervals and bucket numbers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace shardgate::shardmaps {

/// The width of a time bucket. Weeks start on Monday; quarters are Jan-Mar, Apr-Jun, ...
enum class Interval { day, week, month, quarter, year };

/// "day", "week", "month", "quarter", "year".
std::string_view interval_name(Interval interval);
std::optional<Interval> parse_interval(std::string_view name);

/// Parses "YYYY-MM-DD", "YYYY-MM-DD HH:MM[:SS[.frac]]" or the same with 'T', optionally
/// followed by "Z" or an offset "+HH[:MM]" / "-HH[:MM]" (converted to UTC; no offset means
/// UTC). Returns seconds since 1970-01-01 00:00:00 UTC.
std::optional<std::int64_t> parse_timestamp(std::string_view text);
/// The same text as a wall-clock time: an offset is read (it must be valid) and dropped, as
/// PostgreSQL does for `timestamp without time zone` ('2026-01-01 05:00+09' is 2026-01-01
/// 05:00). Seconds since 1970-01-01 00:00:00 of the same calendar.
std::optional<std::int64_t> parse_wall_clock(std::string_view text);

/// Whether a timestamp key's text names its instant by itself: it ends in "Z" or a UTC
/// offset. Without one, a timestamptz (PostgreSQL) or TIMESTAMP (MariaDB) column — key type
/// timestamptz — reads it in the session's time zone, while parse_timestamp() reads it as UTC.
bool has_utc_offset(std::string_view text);

/// Where the fraction of a second of "... HH:MM:SS.fff[offset]" starts (its '.'), or npos.
std::size_t fraction_point(std::string_view text);
/// Whether a time's text has a fraction of a second other than zero ("00:00:00.4").
bool has_subsecond(std::string_view text);

/// The bucket number holding a time: days since the epoch for day, weeks since Monday
/// 1969-12-29 for week, year*12+month-1 for month, year*4+quarter-1 for quarter, the year.
std::int64_t bucket_of(std::int64_t seconds, Interval interval);

/// Parses a bucket label: "2025-01-15" (day; for week, any day of it), "2025-01" (month),
/// "2025-Q1" (quarter), "2025" (year).
std::optional<std::int64_t> parse_bucket(std::string_view label, Interval interval);

/// The label of a bucket, as parse_bucket() reads it (weeks by their Monday).
std::string bucket_label(std::int64_t bucket, Interval interval);

} // namespace shardgate::shardmaps
