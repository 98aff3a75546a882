// Conversion of key values to the canonical form of the shard key's type.
#include "shardgate/shardmaps/canonical_key.hpp"

#include "shardgate/shardmaps/time_bucket.hpp"

#include <charconv>
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
// fractional digits: it rounds the input to microseconds, then to the column's precision
// (half up). '23:59:59.6' in timestamp(0) is the next second; so is '23:59:59.9999996' in any.
bool rounds_up(std::string_view text, int digits) {
    const auto point = fraction_point(text);
    if (point == std::string_view::npos) {
        return false;
    }
    std::int64_t micros = 0;
    std::size_t i = point + 1;
    for (int d = 0; d < 6; ++d, ++i) {
        const bool digit = i < text.size() && text[i] >= '0' && text[i] <= '9';
        micros = micros * 10 + (digit ? text[i] - '0' : 0);
        if (!digit) {
            i = text.size(); // (the rest are zeros)
        }
    }
    if (i < text.size() && text[i] >= '5' && text[i] <= '9') {
        ++micros;
    }
    std::int64_t scale = 1;
    for (int d = digits; d < 6; ++d) {
        scale *= 10;
    }
    return (micros + scale / 2) / scale * scale >= 1'000'000;
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
        if (key.fraction_digits >= 0 && rounds_up(*text, key.fraction_digits)) {
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
