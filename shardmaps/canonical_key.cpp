// Conversion of key values to the canonical form of the shard key's type.
#include "shardgate/shardmaps/canonical_key.hpp"

#include "shardgate/shardmaps/time_bucket.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <string>

namespace shardgate::shardmaps {

bool parse_int64(std::string_view text, std::int64_t& out) {
    // from_chars rejects '+', but "+7" is a valid SQL integer literal.
    if (text.size() > 1 && text[0] == '+' && text[1] != '-') {
        text.remove_prefix(1);
    }
    if (text.empty()) {
        return false;
    }
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
    return error == std::errc{} && end == text.data() + text.size();
}

namespace {

LookupError bad_key(std::string_view what, const ShardKey& key) {
    return lookup_error(LookupErrorCode::bad_key, std::string(what) + " is not a valid " +
                                                      std::string(key_type_name(key.type)) +
                                                      " value for key column " + key.column);
}

std::string quoted(std::string_view text) {
    return std::string("'").append(text) + "'";
}

} // namespace

namespace {

// Whether PostgreSQL stores the time `text` as the next second in a column that keeps `digits`
// fractional digits. It reads the fraction as a double and rounds it to microseconds half to
// even (rint), then rounds to the column's precision: half up for times from 2000-01-01 (its
// epoch), half down before (it rounds the distance from 2000 half away from zero).
// '23:59:59.6' in timestamp(0) is the next second; so is '23:59:59.9999996' in any column.
bool rounds_up(std::string_view text, int digits, bool before_2000) {
    const auto point = fraction_point(text);
    if (point == std::string_view::npos) {
        return false;
    }
    // "0.ddd" on the stack: routing allocates nothing (digits past 70 cannot move the double
    // across a microsecond's half any more).
    std::array<char, 72> buffer{'0', '.'};
    std::size_t length = 2;
    for (std::size_t i = point + 1;
         i < text.size() && text[i] >= '0' && text[i] <= '9' && length < buffer.size(); ++i) {
        buffer[length++] = text[i];
    }
    double fraction = 0;
    std::from_chars(buffer.data(), buffer.data() + length, fraction);
    const auto micros = static_cast<std::int64_t>(std::nearbyint(fraction * 1'000'000));
    if (micros >= 1'000'000) {
        return true;
    }
    if (digits >= 6) {
        return false;
    }
    std::int64_t scale = 1;
    for (int d = digits; d < 6; ++d) {
        scale *= 10;
    }
    const std::int64_t half = 1'000'000 - scale / 2; // the least that rounds up from 2000 on
    return before_2000 ? micros > half : micros >= half;
}

} // namespace

Result<CanonicalKey> CanonicalKey::make(const KeyValue& value, const ShardKey& key) {
    CanonicalKey result;
    result.type_ = key.type;
    if (is_integer_type(key.type)) {
        if (const auto* text = std::get_if<std::string_view>(&value)) {
            if (!parse_int64(*text, result.integer_)) {
                return bad_key(quoted(*text), key);
            }
        } else {
            result.integer_ = std::get<std::int64_t>(value);
        }
        if (result.integer_ < key_type_min(key.type) || result.integer_ > key_type_max(key.type)) {
            return bad_key(std::to_string(result.integer_), key);
        }
        auto* begin = result.digits_.data();
        const auto converted = std::to_chars(begin, begin + result.digits_.size(), result.integer_);
        result.digits_length_ = static_cast<std::uint8_t>(converted.ptr - begin);
        return result;
    }
    if (is_time_type(key.type)) {
        const auto* text = std::get_if<std::string_view>(&value);
        // (timestamp and date keys are wall-clock times: their columns drop an offset)
        const auto seconds = text == nullptr                    ? std::nullopt
                             : key.type == KeyType::timestamptz ? parse_timestamp(*text)
                                                                : parse_wall_clock(*text);
        if (!seconds) {
            return bad_key(text != nullptr ? quoted(*text)
                                           : std::to_string(std::get<std::int64_t>(value)),
                           key);
        }
        result.integer_ = *seconds;
        constexpr std::int64_t y2000 = 946'684'800; // 2000-01-01 00:00:00, in Unix seconds
        if (key.fraction_digits >= 0 &&
            rounds_up(*text, key.fraction_digits, result.integer_ < y2000)) {
            result.integer_ += 1; // the column stores the next second
        } else {
            result.subsecond_ = has_subsecond(*text);
        }
        return result;
    }
    // Text keys: an integer literal compares as its decimal text.
    if (const auto* number = std::get_if<std::int64_t>(&value)) {
        result.owned_ = std::to_string(*number);
        result.uses_owned_ = true;
    } else if (key.case_insensitive) {
        result.owned_ = fold_case(std::get<std::string_view>(value));
        result.uses_owned_ = true;
    } else {
        result.borrowed_ = std::get<std::string_view>(value);
    }
    return result;
}

std::string_view CanonicalKey::text() const {
    if (is_integer_type(type_)) {
        return {digits_.data(), digits_length_};
    }
    if (is_time_type(type_)) {
        return {};
    }
    return uses_owned_ ? std::string_view(owned_) : borrowed_;
}

} // namespace shardgate::shardmaps
