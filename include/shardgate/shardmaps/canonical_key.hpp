// A key value converted to the shard key's type: the form every scheme compares and hashes.
#pragma once

#include "shardgate/shardmaps/result.hpp"
#include "shardgate/shardmaps/shard_key.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace shardgate::shardmaps {

/// The canonical form of one key value (see docs/shardmaps.md, "Placement function"):
/// integers as int64 and plain decimal text; strings as UTF-8 bytes, lower-cased when the key
/// is case-insensitive; dates and timestamps as seconds since 1970-01-01 00:00:00 UTC.
/// Holds no pointers into itself, so it is freely copyable. May reference the caller's text
/// for case-sensitive strings: keep the KeyValue's text alive while using it.
class CanonicalKey {
public:
    /// Converts `value` for `key`; fails with bad_key when it cannot be read as that type
    /// (e.g. "12a" for an integer key, an integer for a timestamp key, 70000 for smallint).
    static Result<CanonicalKey> make(const KeyValue& value, const ShardKey& key);

    /// The key's type family after conversion.
    KeyType type() const { return type_; }
    /// Integer keys: the value. Time keys: seconds since the epoch (UTC).
    std::int64_t integer() const { return integer_; }
    /// Time keys: the text had a non-zero fraction of a second, dropped from integer() (the
    /// value is later than integer() seconds).
    bool subsecond() const { return subsecond_; }
    /// The canonical text hashed by keyspace_id(): decimal for integers, the (folded) bytes
    /// for strings. Empty for time keys.
    std::string_view text() const;

private:
    CanonicalKey() = default;

    KeyType type_ = KeyType::bigint;
    std::int64_t integer_ = 0;
    std::string_view borrowed_; // case-sensitive strings: the caller's bytes
    std::string owned_;         // case-folded strings
    bool uses_owned_ = false;
    std::array<char, 24> digits_{}; // decimal text of integer keys
    std::uint8_t digits_length_ = 0;
    bool subsecond_ = false;
};

/// Lower-cases UTF-8 text the way the map's case-insensitive keys are folded: ASCII,
/// Latin-1, Latin Extended-A, basic Greek and Cyrillic capitals; every other byte unchanged.
std::string fold_case(std::string_view text);

/// Reads a signed decimal integer ("42", "-7", "+007"); false when the text is not one or
/// does not fit int64.
bool parse_int64(std::string_view text, std::int64_t& out);

} // namespace shardgate::shardmaps
