// The shard-key column of a table, the key types a map can declare, and key values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace shardgate::shardmaps {

/// The declared SQL type of a shard-key column. Integer widths matter: the validator rejects
/// range bounds a column of that type cannot hold. The two time types differ in what a time
/// written with a UTC offset means: `timestamp` is a wall-clock time (PostgreSQL `timestamp
/// without time zone`, MariaDB `DATETIME`: the server drops the offset and ignores the
/// session's zone), `timestamptz` an instant (PostgreSQL `timestamptz`, MariaDB `TIMESTAMP`:
/// an offset is applied, a time without one is read in the session's zone).
enum class KeyType { smallint, integer, bigint, text, date, timestamp, timestamptz };

/// "smallint", "int", "bigint", "text", "date", "timestamp", "timestamptz".
std::string_view key_type_name(KeyType type);
/// Parses a key type name (also accepts "integer", "int4", "int8", "varchar", "string", and
/// "datetime" for timestamp).
std::optional<KeyType> parse_key_type(std::string_view name);
/// True for smallint, integer and bigint.
bool is_integer_type(KeyType type);
/// True for date, timestamp and timestamptz.
bool is_time_type(KeyType type);
/// Smallest and largest value an integer key type can hold.
std::int64_t key_type_min(KeyType type);
std::int64_t key_type_max(KeyType type);

/// The column a horizontally sharded table is split by.
struct ShardKey {
    std::string column;
    KeyType type = KeyType::bigint;
    /// Strings are lower-cased before hashing / comparing (MariaDB's default collations are
    /// case-insensitive). Only meaningful for text keys.
    bool case_insensitive = false;
    /// Time keys: the fractional digits of a second the column keeps. PostgreSQL rounds the
    /// rest (`timestamp(p)`: p, 6 without a precision), so '23:59:59.6' is stored in a
    /// timestamp(0) column as the next second, which can be the next bucket; -1: the rest is
    /// cut (MariaDB), which never changes the second.
    int fraction_digits = -1;

    /// The same key: rows are placed alike only under an equal key (a precision change moves
    /// the rows of a bucket's last fraction of a second).
    bool operator==(const ShardKey&) const = default;
};

/// A key value as the planner sees it in SQL: an integer literal, or text (a string literal,
/// a bound parameter's text, or a timestamp such as "2025-03-14 10:00:00").
/// The string_view is not owned: it must outlive the call it is passed to.
using KeyValue = std::variant<std::int64_t, std::string_view>;

/// One end of a value range [lo, hi] used for BETWEEN and < <= > >= predicates.
/// An absent bound (std::nullopt) means unbounded on that side.
struct KeyBound {
    KeyValue value;
    bool inclusive = true;
};

} // namespace shardgate::shardmaps
