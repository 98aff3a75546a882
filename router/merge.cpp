// Cross-shard merges over text-form rows (see include/shardgate/router/merge.hpp and
// docs/cross-shard.md).
#include "shardgate/router/merge.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>

namespace shardgate::router {

std::string_view value_kind_name(ValueKind kind) {
    switch (kind) {
    case ValueKind::integer:
        return "integer";
    case ValueKind::decimal:
        return "decimal";
    case ValueKind::floating:
        return "floating";
    case ValueKind::binary:
        return "binary";
    case ValueKind::binary_padded:
        return "binary (trailing spaces ignored)";
    case ValueKind::folded:
        return "case-insensitive";
    case ValueKind::temporal:
        return "temporal";
    case ValueKind::boolean:
        return "boolean";
    case ValueKind::be_integer:
        return "binary integer";
    case ValueKind::be_numeric:
        return "binary numeric";
    case ValueKind::be_float:
        return "binary float";
    case ValueKind::opaque:
        return "opaque";
    }
    return "?";
}

namespace {

/// A decimal number's text split into sign, integer digits (no leading zeros) and fraction
/// digits (no trailing zeros).
struct DecimalParts {
    bool negative = false;
    std::string_view whole;
    std::string_view fraction;
    bool nan = false;
    bool infinite = false; ///< PostgreSQL 14+ numeric Infinity / -Infinity
};

DecimalParts split_decimal(std::string_view text) {
    DecimalParts parts;
    if (text == "NaN") {
        parts.nan = true;
        return parts;
    }
    if (text == "Infinity" || text == "-Infinity") {
        parts.infinite = true;
        parts.negative = text.front() == '-';
        return parts;
    }
    if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
        parts.negative = text.front() == '-';
        text.remove_prefix(1);
    }
    const auto point = text.find('.');
    parts.whole = text.substr(0, point);
    parts.fraction = point == std::string_view::npos ? std::string_view{} : text.substr(point + 1);
    while (!parts.whole.empty() && parts.whole.front() == '0') {
        parts.whole.remove_prefix(1);
    }
    while (!parts.fraction.empty() && parts.fraction.back() == '0') {
        parts.fraction.remove_suffix(1);
    }
    if (parts.whole.empty() && parts.fraction.empty()) {
        parts.negative = false; // -0 is 0
    }
    return parts;
}

int compare_magnitude(const DecimalParts& a, const DecimalParts& b) {
    if (a.whole.size() != b.whole.size()) {
        return a.whole.size() < b.whole.size() ? -1 : 1;
    }
    if (const int c = a.whole.compare(b.whole); c != 0) {
        return c < 0 ? -1 : 1;
    }
    const int c = a.fraction.compare(b.fraction); // no trailing zeros: prefix is smaller
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

int compare_decimal(std::string_view a, std::string_view b) {
    const auto x = split_decimal(a);
    const auto y = split_decimal(b);
    if (x.nan || y.nan) { // PostgreSQL: NaN equals NaN and is above every number
        return x.nan == y.nan ? 0 : (x.nan ? 1 : -1);
    }
    if (x.infinite || y.infinite) { // -Infinity < every number < Infinity
        const int xs = x.infinite ? (x.negative ? -1 : 1) : 0;
        const int ys = y.infinite ? (y.negative ? -1 : 1) : 0;
        if (xs != ys) {
            return xs < ys ? -1 : 1;
        }
        if (xs != 0) {
            return 0;
        }
    }
    if (x.negative != y.negative) {
        return x.negative ? -1 : 1;
    }
    const int magnitude = compare_magnitude(x, y);
    return x.negative ? -magnitude : magnitude;
}

double to_double(std::string_view text) {
    std::string copy(text);
    return std::strtod(copy.c_str(), nullptr);
}

int compare_doubles(double x, double y) {
    const bool xn = std::isnan(x);
    const bool yn = std::isnan(y);
    if (xn || yn) { // NaN equals NaN and is above every number, as in PostgreSQL
        return xn == yn ? 0 : (xn ? 1 : -1);
    }
    return x < y ? -1 : (x > y ? 1 : 0);
}

int compare_floating(std::string_view a, std::string_view b) {
    return compare_doubles(to_double(a), to_double(b));
}

std::uint64_t be_bits(std::string_view bytes) {
    std::uint64_t raw = 0;
    for (const char c : bytes) {
        raw = (raw << 8) | static_cast<unsigned char>(c);
    }
    return raw;
}

std::string be_bytes(std::uint64_t raw, std::size_t width) {
    std::string out(width, '\0');
    for (std::size_t i = 0; i < width; ++i) {
        out[width - 1 - i] = static_cast<char>(raw & 0xff);
        raw >>= 8;
    }
    return out;
}

std::int64_t be_integer_value(std::string_view bytes) {
    auto raw = be_bits(bytes);
    const auto bits = bytes.size() * 8;
    if (bits > 0 && bits < 64 && (raw >> (bits - 1)) != 0) {
        raw |= ~std::uint64_t{0} << bits; // sign-extend
    }
    return static_cast<std::int64_t>(raw);
}

double be_float_value(std::string_view bytes) {
    const auto raw = be_bits(bytes);
    if (bytes.size() == 4) {
        const auto narrow = static_cast<std::uint32_t>(raw);
        float f = 0;
        std::memcpy(&f, &narrow, sizeof f);
        return f;
    }
    double d = 0;
    std::memcpy(&d, &raw, sizeof d);
    return d;
}

std::string be_float_bytes(double value, std::size_t width) {
    if (width == 4) {
        const auto f = static_cast<float>(value);
        std::uint32_t narrow = 0;
        std::memcpy(&narrow, &f, sizeof narrow);
        return be_bytes(narrow, 4);
    }
    std::uint64_t raw = 0;
    std::memcpy(&raw, &value, sizeof raw);
    return be_bytes(raw, 8);
}

std::string_view trim_trailing_spaces(std::string_view text) {
    while (!text.empty() && text.back() == ' ') {
        text.remove_suffix(1);
    }
    return text;
}

int compare_folded(std::string_view a, std::string_view b) {
    a = trim_trailing_spaces(a);
    b = trim_trailing_spaces(b);
    const auto n = std::min(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i) {
        // *_general_ci weights are the upper-case letters: '_' sorts after 'a'.
        const int x = std::toupper(static_cast<unsigned char>(a[i]));
        const int y = std::toupper(static_cast<unsigned char>(b[i]));
        if (x != y) {
            return x < y ? -1 : 1;
        }
    }
    return a.size() == b.size() ? 0 : (a.size() < b.size() ? -1 : 1);
}

int sign_of(int c) {
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

/// Adds (or subtracts) two digit strings aligned to the same scale.
std::string add_magnitudes(const std::string& a, const std::string& b) {
    std::string out;
    int carry = 0;
    for (std::size_t i = 0; i < std::max(a.size(), b.size()) || carry; ++i) {
        const int x = i < a.size() ? a[a.size() - 1 - i] - '0' : 0;
        const int y = i < b.size() ? b[b.size() - 1 - i] - '0' : 0;
        const int s = x + y + carry;
        out.push_back(static_cast<char>('0' + s % 10));
        carry = s / 10;
    }
    std::reverse(out.begin(), out.end());
    return out;
}

/// a - b for digit strings with a >= b.
std::string subtract_magnitudes(const std::string& a, const std::string& b) {
    std::string out;
    int borrow = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        int x = a[a.size() - 1 - i] - '0' - borrow;
        const int y = i < b.size() ? b[b.size() - 1 - i] - '0' : 0;
        borrow = x < y ? 1 : 0;
        x += borrow * 10;
        out.push_back(static_cast<char>('0' + x - y));
    }
    std::reverse(out.begin(), out.end());
    return out;
}

int compare_digits(const std::string& a, const std::string& b) {
    const auto strip = [](const std::string& s) {
        const auto first = s.find_first_not_of('0');
        return first == std::string::npos ? std::string_view{} : std::string_view(s).substr(first);
    };
    const auto x = strip(a);
    const auto y = strip(b);
    if (x.size() != y.size()) {
        return x.size() < y.size() ? -1 : 1;
    }
    return sign_of(x.compare(y));
}

/// The digits of `text` scaled to `scale` fraction digits, without the point.
std::string scaled_digits(std::string_view text, std::size_t scale) {
    if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
        text.remove_prefix(1);
    }
    const auto point = text.find('.');
    std::string digits(text.substr(0, point));
    std::string_view fraction =
        point == std::string_view::npos ? std::string_view{} : text.substr(point + 1);
    digits.append(fraction);
    digits.append(scale - fraction.size(), '0');
    return digits;
}

std::size_t scale_of(std::string_view text) {
    const auto point = text.find('.');
    return point == std::string_view::npos ? 0 : text.size() - point - 1;
}

std::string floating_text(double value) {
    if (std::isnan(value)) {
        return "NaN";
    }
    if (std::isinf(value)) {
        return value < 0 ? "-Infinity" : "Infinity";
    }
    char buffer[64];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    if (ec != std::errc{}) {
        return "NaN";
    }
    return std::string(buffer, end);
}

bool orderable(ValueKind kind) {
    return kind != ValueKind::opaque;
}

bool has_non_ascii(std::string_view text) {
    return std::any_of(text.begin(), text.end(),
                       [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
}

/// The bare column name an ORDER BY / GROUP BY key text names ("t.Name DESC" -> "Name"),
/// or "" when it is an expression.
std::string key_name(std::string_view text) {
    std::size_t end = 0;
    while (end < text.size() &&
           (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_' ||
            text[end] == '.' || text[end] == '"' || text[end] == '`')) {
        ++end;
    }
    auto rest = text.substr(end);
    while (!rest.empty() && rest.front() == ' ') {
        rest.remove_prefix(1);
    }
    std::string lower(rest);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (const auto* suffix : {"", "asc", "desc", "nulls first", "nulls last", "asc nulls first",
                               "asc nulls last", "desc nulls first", "desc nulls last"}) {
        if (lower == suffix) {
            auto name = text.substr(0, end);
            if (const auto dot = name.rfind('.'); dot != std::string_view::npos) {
                name = name.substr(dot + 1);
            }
            std::string out;
            for (const char c : name) {
                if (c != '"' && c != '`') {
                    out.push_back(c);
                }
            }
            return out;
        }
    }
    return "";
}

bool same_name(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

/// `word` (any case) stands in `text` as a word of its own: not part of a longer name.
bool has_word(std::string_view text, std::string_view word) {
    const auto word_char = [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
    };
    for (std::size_t at = 0; at + word.size() <= text.size(); ++at) {
        if (same_name(text.substr(at, word.size()), word) &&
            (at == 0 || !word_char(text[at - 1])) &&
            (at + word.size() == text.size() || !word_char(text[at + word.size()]))) {
            return true;
        }
    }
    return false;
}

Result<ResolvedKey, MergeRefusal> resolve_key(const MergeKey& key,
                                              const std::vector<MergeColumn>& columns,
                                              MergeEngine engine, std::string_view clause) {
    std::optional<std::size_t> column;
    if (key.output >= 0 && static_cast<std::size_t>(key.output) < columns.size()) {
        column = static_cast<std::size_t>(key.output);
    } else if (const auto name = key_name(key.text); !name.empty()) {
        for (std::size_t i = 0; i < columns.size(); ++i) {
            if (!same_name(columns[i].name, name)) {
                continue;
            }
            if (column) {
                return MergeRefusal{std::string(clause) + " " + key.text +
                                    " across shards: the name matches several result columns"};
            }
            column = i;
        }
    }
    if (!column) {
        const auto what = key.text.empty() ? std::string("an expression") : key.text;
        return MergeRefusal{"not supported yet: " + std::string(clause) + " " + what +
                            " across shards needs the key among the selected columns (by name "
                            "or position)"};
    }
    const auto& c = columns[*column];
    ResolvedKey resolved;
    resolved.column = *column;
    resolved.kind = c.kind;
    resolved.descending = key.descending;
    const bool engine_default_first =
        engine == MergeEngine::postgresql ? key.descending : !key.descending;
    resolved.nulls_first = key.nulls == parser::ast::NullsOrder::unspecified
                               ? engine_default_first
                               : key.nulls == parser::ast::NullsOrder::first;
    return resolved;
}

MergeRefusal cannot_compare(std::string_view clause, const MergeKey& key, const MergeColumn& c) {
    return MergeRefusal{"not supported yet: " + std::string(clause) + " " + key.text +
                        " across shards: shardgate cannot reproduce the order of column \"" +
                        c.name + "\" (" +
                        (c.kind_detail.empty() ? std::string("this type") : c.kind_detail) + ")"};
}

} // namespace

namespace {

/// Integers that fit 64 bits compare as numbers without the digit-string path.
std::optional<std::int64_t> small_integer(std::string_view text) {
    // Up to 18 digits cannot overflow: the loop is the common case (from_chars otherwise).
    const bool negative = !text.empty() && text[0] == '-';
    const std::size_t start = negative ? 1 : 0;
    if (text.size() > start && text.size() - start <= 18) {
        std::uint64_t value = 0;
        for (const char c : text.substr(start)) {
            const auto digit = static_cast<std::uint64_t>(static_cast<unsigned char>(c) - '0');
            if (digit > 9) {
                return std::nullopt;
            }
            value = value * 10 + digit;
        }
        const auto magnitude = static_cast<std::int64_t>(value);
        return negative ? -magnitude : magnitude;
    }
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

} // namespace

std::optional<std::string> numeric_binary_to_text(std::string_view bytes) {
    if (bytes.size() < 8) {
        return std::nullopt;
    }
    const auto u16 = [&](std::size_t at) {
        return static_cast<std::uint16_t>((static_cast<unsigned char>(bytes[at]) << 8) |
                                          static_cast<unsigned char>(bytes[at + 1]));
    };
    const auto ndigits = u16(0);
    const auto weight = static_cast<std::int16_t>(u16(2));
    const auto sign = u16(4);
    const auto dscale = u16(6);
    if (bytes.size() != 8 + 2 * std::size_t{ndigits}) {
        return std::nullopt;
    }
    if (sign == 0xC000) {
        return std::string("NaN");
    }
    if (sign == 0xD000 || sign == 0xF000) {
        return std::string(sign == 0xD000 ? "Infinity" : "-Infinity");
    }
    if (weight > 8192 || weight < -8192 || dscale > 16383) {
        return std::nullopt; // beyond what PostgreSQL stores
    }
    const auto digit = [&](int i) {
        return i >= 0 && i < ndigits ? u16(8 + 2 * std::size_t(i)) : 0;
    };
    const auto four = [](int value) {
        char text[8];
        std::snprintf(text, sizeof text, "%04d", value % 10000);
        return std::string(text);
    };
    std::string whole; // digit i is worth 10000^(weight - i)
    for (int i = 0; i <= weight; ++i) {
        whole += four(digit(i));
    }
    const auto first = whole.find_first_not_of('0');
    whole = first == std::string::npos ? "0" : whole.substr(first);
    std::string fraction;
    for (int j = 1; j <= (dscale + 3) / 4; ++j) {
        fraction += four(digit(weight + j));
    }
    fraction.resize(dscale);
    std::string out = sign == 0x4000 ? "-" : "";
    out += whole;
    if (dscale > 0) {
        out += "." + fraction;
    }
    return out;
}

std::string numeric_text_to_binary(std::string_view text) {
    const auto put16 = [](std::string& out, std::uint16_t v) {
        out.push_back(static_cast<char>(v >> 8));
        out.push_back(static_cast<char>(v & 0xff));
    };
    std::string out;
    if (text == "NaN" || text == "Infinity" || text == "-Infinity") {
        put16(out, 0);
        put16(out, 0);
        put16(out, text == "NaN" ? 0xC000 : (text == "Infinity" ? 0xD000 : 0xF000));
        put16(out, 0);
        return out;
    }
    const bool negative = !text.empty() && text.front() == '-';
    if (negative || (!text.empty() && text.front() == '+')) {
        text.remove_prefix(1);
    }
    const auto point = text.find('.');
    std::string whole(text.substr(0, point));
    std::string fraction(point == std::string_view::npos ? "" : text.substr(point + 1));
    const auto dscale = fraction.size();
    whole.insert(0, (4 - whole.size() % 4) % 4, '0');
    fraction.append((4 - fraction.size() % 4) % 4, '0');
    std::vector<std::uint16_t> digits;
    for (std::size_t i = 0; i < whole.size(); i += 4) {
        digits.push_back(static_cast<std::uint16_t>(std::stoi(whole.substr(i, 4))));
    }
    for (std::size_t i = 0; i < fraction.size(); i += 4) {
        digits.push_back(static_cast<std::uint16_t>(std::stoi(fraction.substr(i, 4))));
    }
    int weight = static_cast<int>(whole.size() / 4) - 1;
    std::size_t begin = 0;
    while (begin < digits.size() && digits[begin] == 0) {
        ++begin;
        --weight;
    }
    std::size_t end = digits.size();
    while (end > begin && digits[end - 1] == 0) {
        --end;
    }
    if (begin == end) {
        weight = 0;
    }
    put16(out, static_cast<std::uint16_t>(end - begin));
    put16(out, static_cast<std::uint16_t>(static_cast<std::int16_t>(weight)));
    put16(out, negative && begin != end ? 0x4000 : 0x0000);
    put16(out, static_cast<std::uint16_t>(dscale));
    for (auto i = begin; i < end; ++i) {
        put16(out, digits[i]);
    }
    return out;
}

int compare_values(ValueKind kind, std::string_view a, std::string_view b) {
    switch (kind) {
    case ValueKind::integer:
        if (const auto x = small_integer(a)) {
            if (const auto y = small_integer(b)) {
                return *x < *y ? -1 : (*x > *y ? 1 : 0);
            }
        }
        return compare_decimal(a, b);
    case ValueKind::decimal:
        return compare_decimal(a, b);
    case ValueKind::be_integer: {
        const auto x = be_integer_value(a);
        const auto y = be_integer_value(b);
        return x < y ? -1 : (x > y ? 1 : 0);
    }
    case ValueKind::be_float:
        return compare_doubles(be_float_value(a), be_float_value(b));
    case ValueKind::be_numeric: {
        const auto x = numeric_binary_to_text(a);
        const auto y = numeric_binary_to_text(b);
        if (!x || !y) {
            return sign_of(a.compare(b));
        }
        return compare_decimal(*x, *y);
    }
    case ValueKind::floating:
        return compare_floating(a, b);
    case ValueKind::folded:
        return compare_folded(a, b);
    case ValueKind::binary_padded:
        return sign_of(trim_trailing_spaces(a).compare(trim_trailing_spaces(b)));
    case ValueKind::binary:
    case ValueKind::temporal:
    case ValueKind::boolean:
    case ValueKind::opaque:
        return sign_of(a.compare(b));
    }
    return 0;
}

std::string add_decimal(std::string_view a, std::string_view b) {
    // NaN absorbs everything; Infinity absorbs numbers; Infinity + -Infinity is NaN.
    const auto pa = split_decimal(a);
    const auto pb = split_decimal(b);
    if (pa.nan || pb.nan || (pa.infinite && pb.infinite && pa.negative != pb.negative)) {
        return "NaN";
    }
    if (pa.infinite || pb.infinite) {
        return (pa.infinite ? pa.negative : pb.negative) ? "-Infinity" : "Infinity";
    }
    const std::size_t scale = std::max(scale_of(a), scale_of(b));
    const bool a_negative = !a.empty() && a.front() == '-';
    const bool b_negative = !b.empty() && b.front() == '-';
    const auto x = scaled_digits(a, scale);
    const auto y = scaled_digits(b, scale);
    std::string digits;
    bool negative = false;
    if (a_negative == b_negative) {
        digits = add_magnitudes(x, y);
        negative = a_negative;
    } else if (compare_digits(x, y) >= 0) {
        digits = subtract_magnitudes(x, y);
        negative = a_negative;
    } else {
        digits = subtract_magnitudes(y, x);
        negative = b_negative;
    }
    if (digits.size() < scale + 1) {
        digits.insert(0, scale + 1 - digits.size(), '0');
    }
    std::string whole = digits.substr(0, digits.size() - scale);
    const auto first = whole.find_first_not_of('0');
    whole = first == std::string::npos ? "0" : whole.substr(first);
    std::string out;
    const bool zero =
        whole == "0" && digits.find_first_not_of('0', digits.size() - scale) == std::string::npos;
    if (negative && !zero) {
        out.push_back('-');
    }
    out.append(whole);
    if (scale > 0) {
        out.push_back('.');
        out.append(digits, digits.size() - scale, scale);
    }
    return out;
}

void RowOrder::decode(const Row& row, std::vector<SortValue>& out) const {
    out.resize(keys_.size());
    decode(row, out.data());
}

void RowOrder::decode(const Row& row, SortValue* out) const {
    for (std::size_t k = 0; k < keys_.size(); ++k) {
        const auto& cell = row[keys_[k].column];
        auto& value = out[k];
        value = SortValue{};
        if (!cell) {
            continue;
        }
        value.text = *cell;
        value.form = SortValue::Form::text;
        switch (keys_[k].kind) {
        case ValueKind::integer:
            if (const auto n = small_integer(*cell)) {
                value.form = SortValue::Form::integer;
                value.integer = *n;
            }
            break;
        case ValueKind::be_integer:
            value.form = SortValue::Form::integer;
            value.integer = be_integer_value(*cell);
            break;
        case ValueKind::floating:
            value.form = SortValue::Form::floating;
            value.floating = to_double(*cell);
            break;
        case ValueKind::be_float:
            value.form = SortValue::Form::floating;
            value.floating = be_float_value(*cell);
            break;
        default:
            break;
        }
    }
}

bool RowOrder::before(const SortValue* a, const SortValue* b) const {
    using Form = SortValue::Form;
    for (std::size_t k = 0; k < keys_.size(); ++k) {
        const auto& key = keys_[k];
        const auto& x = a[k];
        const auto& y = b[k];
        if (x.form == Form::null || y.form == Form::null) {
            if (x.form == y.form) {
                continue;
            }
            return x.form != Form::null ? !key.nulls_first : key.nulls_first;
        }
        int c = 0;
        if (x.form == Form::integer && y.form == Form::integer) {
            c = x.integer < y.integer ? -1 : (x.integer > y.integer ? 1 : 0);
        } else if (x.form == Form::floating && y.form == Form::floating) {
            c = compare_doubles(x.floating, y.floating);
        } else {
            c = compare_values(key.kind, x.text, y.text);
        }
        if (key.descending) {
            c = -c;
        }
        if (c != 0) {
            return c < 0;
        }
    }
    return false;
}

bool RowOrder::before(const Row& a, const Row& b) const {
    for (const auto& key : keys_) {
        const auto& x = a[key.column];
        const auto& y = b[key.column];
        if (!x || !y) {
            if (!x && !y) {
                continue;
            }
            return x ? !key.nulls_first : key.nulls_first;
        }
        int c = compare_values(key.kind, *x, *y);
        if (key.descending) {
            c = -c;
        }
        if (c != 0) {
            return c < 0;
        }
    }
    return false;
}

StreamMerge::StreamMerge(const RowOrder& order, std::size_t streams)
    : order_(order), width_(order.keys().size()), keys_(streams * order.keys().size()) {
    if (width_ == 1) {
        const auto& key = order.keys().front();
        one_integer_key_ = key.kind == ValueKind::integer || key.kind == ValueKind::be_integer;
        descending_ = key.descending;
    }
    while (leaves_ < streams) {
        leaves_ *= 2;
    }
    tree_.assign(2 * leaves_, -1);
}

int StreamMerge::winner(int a, int b) const {
    if (a < 0 || b < 0) {
        return a < 0 ? b : a;
    }
    // b wins only when strictly before a: a (the left, lower indices) keeps ties
    if (one_integer_key_) {
        const auto& x = keys_[static_cast<std::size_t>(b)];
        const auto& y = keys_[static_cast<std::size_t>(a)];
        if (x.form == SortValue::Form::integer && y.form == SortValue::Form::integer) {
            return (descending_ ? y.integer < x.integer : x.integer < y.integer) ? b : a;
        }
    }
    return order_.before(&keys_[static_cast<std::size_t>(b) * width_],
                         &keys_[static_cast<std::size_t>(a) * width_])
               ? b
               : a;
}

void StreamMerge::set(std::size_t stream, const Row* row) {
    auto node = leaves_ + stream;
    if (row != nullptr) {
        order_.decode(*row, &keys_[stream * width_]);
        tree_[node] = static_cast<int>(stream);
    } else {
        tree_[node] = -1;
    }
    for (node /= 2; node >= 1; node /= 2) {
        tree_[node] = winner(tree_[2 * node], tree_[2 * node + 1]);
    }
}

std::optional<std::size_t> StreamMerge::next() const {
    const int best = tree_.size() > 1 ? tree_[1] : -1;
    if (best < 0) {
        return std::nullopt;
    }
    return static_cast<std::size_t>(best);
}

GroupMerge::GroupMerge(std::vector<ResolvedKey> keys, std::vector<ResolvedAggregate> aggregates,
                       std::size_t max_groups, bool whole_result, std::size_t max_bytes,
                       MergeBudget* shared)
    : keys_(std::move(keys)), aggregates_(std::move(aggregates)), max_groups_(max_groups),
      max_bytes_(max_bytes), shared_(shared), whole_result_(whole_result) {}

GroupMerge::~GroupMerge() {
    if (shared_ != nullptr) {
        shared_->release(bytes_);
    }
}

std::string GroupMerge::key_of(const Row& row) const {
    std::string key;
    for (const auto& k : keys_) {
        const auto& cell = row[k.column];
        if (!cell) {
            key += '\x01';
            continue;
        }
        std::string part;
        switch (k.kind) {
        case ValueKind::integer:
        case ValueKind::decimal: {
            const auto d = split_decimal(*cell);
            part = d.nan        ? "NaN"
                   : d.infinite ? std::string(d.negative ? "-" : "") + "Infinity"
                                : std::string(d.negative ? "-" : "") + std::string(d.whole) + "." +
                                      std::string(d.fraction);
            break;
        }
        case ValueKind::be_numeric: { // 1.0 and 1.00 are one value: key by the number
            const auto text = numeric_binary_to_text(*cell);
            const std::string number = text.value_or(std::string()); // d views into it
            const auto d = split_decimal(number);
            part = !text        ? *cell
                   : d.nan      ? "NaN"
                   : d.infinite ? std::string(d.negative ? "-" : "") + "Infinity"
                                : std::string(d.negative ? "-" : "") + std::string(d.whole) + "." +
                                      std::string(d.fraction);
            break;
        }
        case ValueKind::folded:
            for (const char c : trim_trailing_spaces(*cell)) {
                part.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
            }
            break;
        case ValueKind::binary_padded:
            part = trim_trailing_spaces(*cell);
            break;
        default:
            part = *cell;
        }
        key += '\x02';
        key += std::to_string(part.size());
        key += ':';
        key += part;
    }
    return key;
}

Status<MergeRefusal> GroupMerge::combine(Row& into, Row& from) const {
    for (const auto& aggregate : aggregates_) {
        auto& target = into[aggregate.column];
        auto& value = from[aggregate.column];
        if (!value) {
            continue; // NULL partial: nothing to add, nothing to compare
        }
        if (!target) {
            target = std::move(value);
            continue;
        }
        switch (aggregate.function) {
        case parser::Aggregate::count:
        case parser::Aggregate::sum:
            if (aggregate.kind == ValueKind::be_integer) {
                std::int64_t total = 0;
                if (__builtin_add_overflow(be_integer_value(*target), be_integer_value(*value),
                                           &total)) {
                    return MergeRefusal{"the sum of column " +
                                            std::to_string(aggregate.column + 1) +
                                            " across shards is out of range for its type",
                                        "22003"};
                }
                target = be_bytes(static_cast<std::uint64_t>(total), target->size());
            } else if (aggregate.kind == ValueKind::be_float) {
                target = be_float_bytes(be_float_value(*target) + be_float_value(*value),
                                        target->size());
            } else if (aggregate.kind == ValueKind::be_numeric) {
                const auto x = numeric_binary_to_text(*target);
                const auto y = numeric_binary_to_text(*value);
                if (!x || !y) {
                    return MergeRefusal{"a shard sent a malformed binary numeric", "08P01"};
                }
                target = numeric_text_to_binary(add_decimal(*x, *y));
            } else if (aggregate.kind == ValueKind::floating) {
                target = floating_text(to_double(*target) + to_double(*value));
            } else {
                target = add_decimal(*target, *value);
            }
            break;
        case parser::Aggregate::min:
            if (compare_values(aggregate.kind, *value, *target) < 0) {
                target = std::move(value);
            }
            break;
        case parser::Aggregate::max:
            if (compare_values(aggregate.kind, *value, *target) > 0) {
                target = std::move(value);
            }
            break;
        default:
            return MergeRefusal{"internal: aggregate without a merge"};
        }
    }
    return {};
}

Status<MergeRefusal> GroupMerge::add(Row row) {
    const auto key = whole_result_ ? std::string() : key_of(row);
    const auto [it, inserted] = index_.try_emplace(key, rows_.size());
    if (inserted) {
        if (rows_.size() >= max_groups_) {
            index_.erase(it); // refused: no group of that key
            return MergeRefusal{"a cross-shard GROUP BY / DISTINCT produced more than " +
                                    std::to_string(max_groups_) +
                                    " groups (scatter_max_groups); add a WHERE that narrows it",
                                "54000"};
        }
        // the map's node and key, the row's cells and their text
        std::size_t size = 64 + 2 * key.size() + row.size() * sizeof(Cell);
        for (const auto& cell : row) {
            size += cell ? cell->size() : 0;
        }
        if (bytes_ + size > max_bytes_) {
            index_.erase(it);
            return MergeRefusal{"a cross-shard GROUP BY / DISTINCT holds more than " +
                                    std::to_string(max_bytes_) +
                                    " bytes of groups (scatter_max_buffered_bytes); add a WHERE "
                                    "that narrows it",
                                "54000"};
        }
        if (shared_ != nullptr && !shared_->reserve(size)) {
            index_.erase(it);
            return MergeRefusal{"the cross-shard GROUP BY / DISTINCT merges of all sessions hold " +
                                    std::to_string(shared_->held()) + " of " +
                                    std::to_string(shared_->limit()) +
                                    " bytes (scatter_max_buffered_bytes_total); try again when "
                                    "fewer run, or add a WHERE that narrows it",
                                "53200"};
        }
        bytes_ += size;
        rows_.push_back(std::move(row));
        return {};
    }
    return combine(rows_[it->second], row);
}

std::vector<Row> GroupMerge::take() {
    index_.clear();
    return std::move(rows_);
}

std::optional<MergeRefusal> check_value(const MergeColumn& column, const Cell& value) {
    if (column.kind == ValueKind::folded && value && has_non_ascii(*value)) {
        return MergeRefusal{"not supported yet: comparing non-ASCII text of column \"" +
                            column.name + "\" across shards (" + column.kind_detail +
                            "); shardgate reproduces that collation for ASCII text only"};
    }
    return std::nullopt;
}

std::optional<std::string> column_drift(const std::vector<std::vector<MergeColumn>>& columns,
                                        const std::vector<std::string>& shards) {
    for (std::size_t leg = 1; leg < columns.size(); ++leg) {
        const auto& a = columns[0];
        const auto& b = columns[leg];
        bool same = a.size() == b.size();
        for (std::size_t i = 0; same && i < a.size(); ++i) {
            same = a[i].name == b[i].name && a[i].type == b[i].type;
        }
        if (!same) {
            return "the shards disagree on the result's columns (schema drift between shard " +
                   shards[0] + " and shard " + shards[leg] +
                   "): make the tables the same on every shard";
        }
    }
    return std::nullopt;
}

namespace {

/// "lower(name) DESC NULLS LAST" -> "lower(name)".
std::string_view key_expression(std::string_view text) {
    const auto trim = [](std::string_view t) {
        while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) {
            t.remove_suffix(1);
        }
        return t;
    };
    const auto drop_word = [&](std::string_view& t, std::string_view word) {
        if (t.size() > word.size() &&
            std::isspace(static_cast<unsigned char>(t[t.size() - word.size() - 1])) &&
            same_name(t.substr(t.size() - word.size()), word)) {
            t = trim(t.substr(0, t.size() - word.size()));
            return true;
        }
        return false;
    };
    text = trim(text);
    if (drop_word(text, "first") || drop_word(text, "last")) {
        drop_word(text, "nulls");
    }
    if (!drop_word(text, "asc")) {
        drop_word(text, "desc");
    }
    return text;
}

/// ORDER BY keys the shards must add as hidden columns: not in the select list (and the list
/// has no `*` to find them in by name), for a plain ordered scatter of one SELECT.
std::vector<const MergeKey*> hidden_keys(const MergeSpec& m) {
    std::vector<const MergeKey*> out;
    if (m.select_star || !m.select_end || !m.group_by.empty() || !m.aggregates.empty() ||
        m.distinct) {
        return out;
    }
    for (const auto& key : m.order_by) {
        if (key.output < 0 && !key_expression(key.text).empty()) {
            out.push_back(&key);
        }
    }
    return out;
}

/// The argument of an aggregate of DISTINCT values without the DISTINCT (`x` of
/// `count(DISTINCT x)`); "" when there is none.
std::string distinct_argument_of(const MergeAggregate& aggregate) {
    std::string_view text = aggregate.argument;
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
        text.remove_prefix(1);
    }
    constexpr std::string_view word = "distinct";
    if (!aggregate.distinct || text.size() <= word.size() ||
        !std::equal(
            word.begin(), word.end(), text.begin(),
            [](char a, char b) { return a == std::tolower(static_cast<unsigned char>(b)); }) ||
        !std::isspace(static_cast<unsigned char>(text[word.size()]))) {
        return "";
    }
    text.remove_prefix(word.size());
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
        text.remove_prefix(1);
    }
    return std::string(text);
}

/// The one argument the statement's COUNT/SUM/AVG of DISTINCT values share (the shards then
/// group by it too); "" when there are none or they differ (refused by prepare_merge).
std::string distinct_argument(const MergeSpec& m) {
    std::string argument;
    for (const auto& aggregate : m.aggregates) {
        if (!aggregate.distinct || aggregate.function == parser::Aggregate::min ||
            aggregate.function == parser::Aggregate::max) {
            continue;
        }
        const auto own = distinct_argument_of(aggregate);
        if (own.empty() || (!argument.empty() && own != argument)) {
            return "";
        }
        argument = own;
    }
    if (argument.empty() || !m.select_end || m.distinct || m.has_limit ||
        (!m.group_by_end && !m.clauses_at) || (m.group_by.empty() && m.group_by_end)) {
        return "";
    }
    return argument;
}

/// AVG aggregates the shards answer with a hidden SUM and COUNT of the argument.
std::vector<const MergeAggregate*> average_parts(const MergeSpec& m) {
    std::vector<const MergeAggregate*> out;
    if (!m.select_end || m.distinct) {
        return out;
    }
    const bool distinct = !distinct_argument(m).empty();
    for (const auto& aggregate : m.aggregates) {
        if (aggregate.function == parser::Aggregate::avg && !aggregate.argument.empty() &&
            (!aggregate.distinct || distinct)) {
            out.push_back(&aggregate);
        }
    }
    return out;
}

bool same_aggregate(const parser::HavingOperand& a, const parser::HavingOperand& b) {
    return a.function == b.function && a.distinct == b.distinct && a.star == b.star &&
           same_name(a.column.name, b.column.name) &&
           same_name(a.column.qualifier, b.column.qualifier);
}

/// The select-list aggregate a HAVING operand names (same function and argument), or null.
const MergeAggregate* selected_aggregate(const MergeSpec& m, const parser::HavingOperand& o) {
    for (const auto& aggregate : m.aggregates) {
        if (aggregate.function == o.function && aggregate.distinct == o.distinct &&
            aggregate.argument_star == o.star &&
            (o.star || same_name(aggregate.argument_column, o.column.name))) {
            return &aggregate;
        }
    }
    return nullptr;
}

/// HAVING aggregates that are not in the select list: the shards add them as hidden columns
/// after the other hidden ones, each once.
std::vector<const parser::HavingOperand*> having_parts(const MergeSpec& m) {
    std::vector<const parser::HavingOperand*> out;
    if (!m.having || !m.select_end || !m.having_begin) {
        return out;
    }
    for (const auto& node : m.having_nodes) {
        for (const auto* operand : {&node.lhs, &node.rhs}) {
            if (operand->kind != parser::HavingOperand::Kind::aggregate ||
                selected_aggregate(m, *operand) != nullptr) {
                continue;
            }
            if (std::none_of(out.begin(), out.end(), [&](const parser::HavingOperand* seen) {
                    return same_aggregate(*seen, *operand);
                })) {
                out.push_back(operand);
            }
        }
    }
    return out;
}

bool plain_identifier(std::string_view name) {
    return !name.empty() && !std::isdigit(static_cast<unsigned char>(name.front())) &&
           std::all_of(name.begin(), name.end(), [](char c) {
               return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
           });
}

/// The SQL of a hidden HAVING aggregate (`count(*)`, `sum(t.amount)`); "" when its column
/// name would need quoting.
std::string having_aggregate_sql(const parser::HavingOperand& o) {
    std::string name;
    switch (o.function) {
    case parser::Aggregate::count:
        name = "count";
        break;
    case parser::Aggregate::sum:
        name = "sum";
        break;
    case parser::Aggregate::min:
        name = "min";
        break;
    case parser::Aggregate::max:
        name = "max";
        break;
    case parser::Aggregate::bool_and:
        name = "bool_and";
        break;
    case parser::Aggregate::bool_or:
        name = "bool_or";
        break;
    default:
        return "";
    }
    if (o.star) {
        return name + "(*)";
    }
    if (!plain_identifier(o.column.name) ||
        (!o.column.qualifier.empty() && !plain_identifier(o.column.qualifier))) {
        return "";
    }
    return name + "(" + (o.distinct ? "DISTINCT " : "") +
           (o.column.qualifier.empty() ? "" : o.column.qualifier + ".") + o.column.name + ")";
}

} // namespace

std::string divide_decimal(std::string_view dividend, std::string_view divisor, int scale) {
    // Long division of the digits of |dividend| * 10^(scale + 1) by the integer divisor, then
    // one digit of rounding, half away from zero.
    const bool negative = !dividend.empty() && dividend.front() == '-';
    const auto have = static_cast<int>(scale_of(dividend));
    std::string digits =
        scaled_digits(dividend, static_cast<std::size_t>(std::max(have, scale + 1)));
    if (have > scale + 1) {
        digits.resize(digits.size() - static_cast<std::size_t>(have - scale - 1)); // truncated
    }
    unsigned __int128 d = 0;
    for (const char c : divisor) {
        if (c >= '0' && c <= '9') {
            d = d * 10 + static_cast<unsigned>(c - '0');
        }
    }
    if (d == 0) {
        return "";
    }
    std::string quotient;
    unsigned __int128 remainder = 0;
    for (const char c : digits) {
        remainder = remainder * 10 + static_cast<unsigned>(c - '0');
        quotient.push_back(static_cast<char>('0' + static_cast<int>(remainder / d)));
        remainder %= d;
    }
    // quotient has scale + 1 fraction digits: round the last one away
    const bool up = quotient.back() >= '5';
    quotient.pop_back();
    if (up) {
        quotient = add_magnitudes(quotient, "1");
    }
    if (quotient.size() < static_cast<std::size_t>(scale) + 1) {
        quotient.insert(0, static_cast<std::size_t>(scale) + 1 - quotient.size(), '0');
    }
    std::string whole = quotient.substr(0, quotient.size() - static_cast<std::size_t>(scale));
    const auto first = whole.find_first_not_of('0');
    whole = first == std::string::npos ? "0" : whole.substr(first);
    std::string out = whole;
    if (scale > 0) {
        out += "." + quotient.substr(quotient.size() - static_cast<std::size_t>(scale));
    }
    const bool zero = out.find_first_not_of("0.") == std::string::npos;
    return negative && !zero ? "-" + out : out;
}

namespace {

/// PostgreSQL's base-10000 weight and first digit of a decimal text (0, 0 for zero).
std::pair<int, int> base10000_lead(std::string_view text) {
    const auto parts = split_decimal(text);
    if (!parts.whole.empty()) {
        const auto n = static_cast<int>(parts.whole.size());
        const int weight = (n - 1) / 4;
        const auto lead = static_cast<std::size_t>(n - weight * 4);
        return {weight, std::stoi(std::string(parts.whole.substr(0, lead)))};
    }
    const auto first = parts.fraction.find_first_not_of('0');
    if (first == std::string_view::npos) {
        return {0, 0};
    }
    const auto group = static_cast<int>(first / 4); // fraction group 0 is 10000^-1
    std::string block(parts.fraction.substr(static_cast<std::size_t>(group) * 4, 4));
    block.append(4 - block.size(), '0');
    return {-(group + 1), std::stoi(block)};
}

} // namespace

int postgres_division_scale(std::string_view dividend, std::string_view divisor) {
    // select_div_scale in PostgreSQL's numeric.c: at least 16 significant digits, never fewer
    // fraction digits than either input shows.
    const auto [weight1, first1] = base10000_lead(dividend);
    const auto [weight2, first2] = base10000_lead(divisor);
    int qweight = weight1 - weight2;
    if (first1 <= first2) {
        --qweight;
    }
    int scale = 16 - qweight * 4;
    scale = std::max(scale, static_cast<int>(scale_of(dividend)));
    scale = std::max(scale, static_cast<int>(scale_of(divisor)));
    return std::clamp(scale, 0, 1000);
}

Status<MergeRefusal> finish_averages(const MergeProgram& program, Row& row) {
    for (const auto& average : program.averages) {
        // as text, whatever the format the shards answered in
        const auto text_of = [](const Cell& cell, ValueKind kind) -> std::optional<std::string> {
            if (!cell) {
                return std::nullopt;
            }
            if (kind == ValueKind::be_integer) {
                return std::to_string(be_integer_value(*cell));
            }
            if (kind == ValueKind::be_numeric) {
                return numeric_binary_to_text(*cell);
            }
            return cell;
        };
        const auto sum = text_of(row[average.sum], average.sum_kind);
        const auto count = text_of(row[average.count], average.count_kind);
        auto& out = row[average.output];
        if (!sum || !count || *count == "0") {
            out.reset(); // AVG of no values is NULL
            continue;
        }
        const int scale = program.engine == MergeEngine::postgresql
                              ? postgres_division_scale(*sum, *count)
                              : std::max(average.scale, 0);
        auto value = divide_decimal(*sum, *count, scale);
        if (value.empty()) {
            return MergeRefusal{"a shard sent an AVG count shardgate cannot read", "08P01"};
        }
        out = average.kind == ValueKind::be_numeric ? numeric_text_to_binary(value) : value;
    }
    return {};
}

std::size_t hidden_columns(const Plan& plan) {
    return hidden_keys(plan.merge).size() + 2 * average_parts(plan.merge).size() +
           having_parts(plan.merge).size() + (distinct_argument(plan.merge).empty() ? 0 : 1);
}

bool copies_text_naming(const Plan& plan, std::string_view word) {
    const auto names = [&](std::string_view text) {
        return !word.empty() &&
               std::search(text.begin(), text.end(), word.begin(), word.end(), [](char a, char b) {
                   return std::tolower(static_cast<unsigned char>(a)) ==
                          std::tolower(static_cast<unsigned char>(b));
               }) != text.end();
    };
    const auto& m = plan.merge;
    for (const auto* key : hidden_keys(m)) {
        if (names(key->text)) {
            return true;
        }
    }
    for (const auto* average : average_parts(m)) {
        if (names(average->argument)) {
            return true;
        }
    }
    for (const auto* operand : having_parts(m)) {
        if (names(having_aggregate_sql(*operand))) {
            return true;
        }
    }
    return names(distinct_argument(m));
}

std::optional<std::string> shard_statement(const Plan& plan, std::string_view sql,
                                           std::string_view condition) {
    return shard_statement(plan, sql, OwnershipFilter{std::string(condition), {}});
}

std::optional<std::string> shard_statement(const Plan& plan, std::string_view sql,
                                           const OwnershipFilter& owned) {
    const auto& m = plan.merge;
    const auto& filter = owned.condition;
    struct Edit {
        std::uint32_t at;
        std::size_t length;
        std::string text;
        bool digits = true; ///< replaces the digits of a number (checked), else any text
        /// Of insertions at one offset, the higher rank goes in first, so it ends up after.
        int rank = 0;
    };
    std::vector<Edit> edits;
    if (!filter.empty()) {
        if (!m.filter_at) {
            return std::string(); // (callers check owned_rows_placeable)
        }
        std::string tail(m.where_at ? ") AND (" : " WHERE (");
        tail.append(filter).append(") ");
        edits.push_back({*m.filter_at, 0, std::move(tail), false, 0});
        if (m.where_at) {
            edits.push_back({*m.where_at, 0, " (", false, 0});
        }
    }
    const bool having_dropped =
        m.having && m.having_begin && m.having_end && *m.having_end > *m.having_begin;
    for (const auto& replacement : owned.replacements) {
        if (replacement.end <= replacement.begin || replacement.end > sql.size()) {
            return std::string();
        }
        if (having_dropped && replacement.begin >= *m.having_begin &&
            replacement.end <= *m.having_end) {
            continue; // (a table read in the HAVING clause, which the shards do not run)
        }
        edits.push_back(
            {replacement.begin, replacement.end - replacement.begin, replacement.text, false, 0});
    }
    const auto hidden = hidden_keys(m);
    const auto averages = average_parts(m);
    const auto having = having_parts(m);
    const auto distinct = distinct_argument(m);
    if (!hidden.empty() || !averages.empty() || !having.empty() || !distinct.empty()) {
        std::string columns;
        std::size_t n = 0;
        const auto add = [&](const std::string& expression) {
            columns += ", " + expression + " AS sg_hidden_" + std::to_string(++n);
        };
        for (const auto* key : hidden) {
            add(std::string(key_expression(key->text)));
        }
        for (const auto* average : averages) {
            add("sum(" + average->argument + ")");
            add("count(" + average->argument + ")");
        }
        for (const auto* operand : having) {
            const auto sql = having_aggregate_sql(*operand);
            if (sql.empty()) {
                return std::nullopt; // prepare_merge refuses the statement
            }
            add(sql);
        }
        if (!distinct.empty()) {
            add(distinct);
        }
        edits.push_back({*m.select_end, 0, columns + " "});
    }
    if (!distinct.empty()) {
        // each shard groups by the DISTINCT argument too: one row per group and value
        if (m.group_by_end) {
            edits.push_back({*m.group_by_end, 0, ", " + distinct + " "});
        } else { // (after an ownership filter at the same offset)
            edits.push_back({*m.clauses_at, 0, " GROUP BY " + distinct + " ", true, 1});
        }
    }
    if (having_dropped) {
        // the shards return every partial group; shardgate filters the merged ones
        edits.push_back({*m.having_begin, *m.having_end - *m.having_begin, " ", false});
    }
    const auto digits_at = [&](std::uint32_t at) {
        std::size_t end = at;
        while (end < sql.size() && std::isdigit(static_cast<unsigned char>(sql[end]))) {
            ++end;
        }
        return end - at;
    };
    if (m.offset && *m.offset > 0 && m.offset_at && (!m.has_limit || (m.limit && m.limit_at))) {
        edits.push_back({*m.offset_at, digits_at(*m.offset_at), "0"});
        if (m.limit_at) {
            edits.push_back(
                {*m.limit_at, digits_at(*m.limit_at), std::to_string(*m.limit + *m.offset)});
        }
    }
    if (edits.empty()) { // (a filter's tables were all in the HAVING clause the shards skip)
        return owned.empty() ? std::nullopt : std::optional<std::string>(sql);
    }
    // from the end backwards; at one offset a replacement before an insertion (the GROUP BY
    // argument goes where the HAVING clause was)
    std::sort(edits.begin(), edits.end(), [](const Edit& a, const Edit& b) {
        return a.at != b.at           ? a.at > b.at
               : a.length != b.length ? a.length > b.length
                                      : a.rank > b.rank;
    });
    // An edit that cannot be made: the statement unchanged, or "" when it was to hide rows.
    const auto unmade = [&]() -> std::optional<std::string> {
        if (owned.empty()) {
            return std::nullopt;
        }
        return std::string();
    };
    std::string out(sql);
    std::size_t before = out.size(); // where the edit made last (further on) begins
    for (const auto& edit : edits) {
        const bool insert = edit.length == 0;
        if (edit.at > out.size() || edit.at + edit.length > before ||
            (!insert && edit.text.empty())) {
            return unmade();
        }
        if (!insert && edit.digits && digits_at(edit.at) != edit.length) {
            return unmade();
        }
        out.replace(edit.at, edit.length, edit.text);
        before = edit.at;
    }
    return out;
}

namespace {

/// `[-+]digits[.digits]`: a number compare_values(decimal) reads exactly.
bool plain_number(std::string_view text) {
    if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
        text.remove_prefix(1);
    }
    bool digits = false;
    bool point = false;
    for (const char c : text) {
        if (c == '.' && !point) {
            point = true;
        } else if (std::isdigit(static_cast<unsigned char>(c))) {
            digits = true;
        } else {
            return false;
        }
    }
    return digits;
}

bool numeric_kind(ValueKind kind) {
    return kind == ValueKind::integer || kind == ValueKind::decimal ||
           kind == ValueKind::floating || kind == ValueKind::be_integer ||
           kind == ValueKind::be_float || kind == ValueKind::be_numeric;
}

/// A HAVING aggregate that is not selected: merged like a select-list one, checked the same.
Status<MergeRefusal> add_hidden_aggregate(const parser::HavingOperand& o, std::size_t column,
                                          const MergeColumn& c, MergeProgram& program) {
    bool fits = false;
    auto function = o.function;
    switch (o.function) {
    case parser::Aggregate::count:
        fits = c.kind == ValueKind::integer || c.kind == ValueKind::be_integer;
        break;
    case parser::Aggregate::sum:
        fits =
            numeric_kind(c.kind) && c.kind != ValueKind::floating && c.kind != ValueKind::be_float;
        break;
    case parser::Aggregate::min:
    case parser::Aggregate::max:
        fits = numeric_kind(c.kind) || c.kind == ValueKind::temporal || c.kind == ValueKind::binary;
        break;
    case parser::Aggregate::bool_and:
    case parser::Aggregate::bool_or:
        fits = c.kind == ValueKind::boolean || c.kind == ValueKind::binary;
        function = o.function == parser::Aggregate::bool_and ? parser::Aggregate::min
                                                             : parser::Aggregate::max;
        break;
    default:
        break;
    }
    if (o.distinct || !fits) {
        return MergeRefusal{"not supported yet: the HAVING aggregate " + c.name +
                            " across shards unless it is also in the select list"};
    }
    program.aggregates.push_back({column, function, c.kind});
    return {};
}

Status<MergeRefusal> resolve_having(const MergeSpec& spec, const std::vector<MergeColumn>& columns,
                                    std::size_t first_hidden,
                                    const std::vector<const parser::HavingOperand*>& hidden,
                                    MergeProgram& program) {
    const auto refuse = [](const std::string& why) {
        return MergeRefusal{"not supported yet: HAVING across shards with " + why +
                            " (conditions shardgate evaluates: comparisons of COUNT/SUM/MIN/"
                            "MAX/AVG of a column or of a selected group column with a number, "
                            "IS [NOT] NULL, AND, OR, NOT)"};
    };
    if (spec.having_values.size() != 2 * spec.having_nodes.size()) {
        return refuse("values shardgate was not given");
    }
    for (const auto* operand : hidden) {
        if (having_aggregate_sql(*operand).empty()) {
            return refuse("an aggregate of a column whose name needs quotes; select it");
        }
    }
    for (std::size_t k = 0; k < hidden.size(); ++k) {
        const auto column = first_hidden + k;
        if (column >= columns.size()) {
            return MergeRefusal{"the shards' result lacks the hidden columns", "XX000"};
        }
        if (auto added = add_hidden_aggregate(*hidden[k], column, columns[column], program);
            !added) {
            return added.error();
        }
    }
    const auto term = [&](const parser::HavingOperand& o, const HavingValue& value,
                          MergeProgram::HavingTerm& out) -> std::optional<MergeRefusal> {
        using Kind = parser::HavingOperand::Kind;
        switch (o.kind) {
        case Kind::literal:
            if (!value.known) {
                return refuse("a parameter or literal shardgate cannot read");
            }
            out.literal = true;
            out.text = value.text;
            return std::nullopt;
        case Kind::aggregate: {
            std::optional<std::size_t> column;
            if (const auto* selected = selected_aggregate(spec, o)) {
                column = static_cast<std::size_t>(selected->output);
            } else {
                for (std::size_t k = 0; k < hidden.size(); ++k) {
                    if (same_aggregate(*hidden[k], o)) {
                        column = first_hidden + k;
                    }
                }
            }
            if (!column || *column >= columns.size()) {
                return refuse("an aggregate it cannot place");
            }
            out.column = *column;
            out.kind = columns[*column].kind;
            return std::nullopt;
        }
        case Kind::column:
            for (std::size_t i = 0; i < columns.size(); ++i) {
                if (same_name(columns[i].name, o.column.name)) {
                    const bool grouped = std::any_of(
                        spec.group_by.begin(), spec.group_by.end(),
                        [&](const MergeKey& key) { return key.output == std::int32_t(i); });
                    if (!grouped) {
                        break;
                    }
                    out.column = i;
                    out.kind = columns[i].kind;
                    return std::nullopt;
                }
            }
            return refuse("the column " + o.column.name + " (name a selected GROUP BY column)");
        case Kind::other:
            break;
        }
        return refuse("an expression");
    };
    for (std::size_t i = 0; i < spec.having_nodes.size(); ++i) {
        const auto& node = spec.having_nodes[i];
        MergeProgram::HavingStep step;
        step.kind = node.kind;
        step.compare = node.compare;
        step.negated = node.negated;
        step.children = node.children;
        using Kind = parser::HavingNode::Kind;
        if (node.kind == Kind::other) {
            return refuse("a condition other than a comparison or IS NULL");
        }
        if (node.kind == Kind::compare || node.kind == Kind::is_null) {
            if (auto problem = term(node.lhs, spec.having_values[2 * i], step.lhs)) {
                return *problem;
            }
        }
        if (node.kind == Kind::compare) {
            if (auto problem = term(node.rhs, spec.having_values[2 * i + 1], step.rhs)) {
                return *problem;
            }
            // numbers with numbers; text only where shardgate compares like the database
            const auto comparable = [&](const MergeProgram::HavingTerm& t,
                                        const MergeProgram::HavingTerm& other) {
                if (t.literal) {
                    return !t.text || other.literal || !numeric_kind(other.kind) ||
                           plain_number(*t.text);
                }
                return numeric_kind(t.kind) || t.kind == ValueKind::binary ||
                       t.kind == ValueKind::binary_padded || t.kind == ValueKind::temporal;
            };
            const bool numbers = (!step.lhs.literal && numeric_kind(step.lhs.kind)) ||
                                 (!step.rhs.literal && numeric_kind(step.rhs.kind));
            if (!comparable(step.lhs, step.rhs) || !comparable(step.rhs, step.lhs) ||
                (!numbers && step.lhs.literal && step.rhs.literal)) {
                return refuse("a comparison of values it cannot compare like the database");
            }
            if (numbers && ((!step.lhs.literal && !numeric_kind(step.lhs.kind)) ||
                            (!step.rhs.literal && !numeric_kind(step.rhs.kind)))) {
                return refuse("a comparison of a number with text");
            }
            step.numeric = numbers;
        }
        program.having.push_back(std::move(step));
    }
    return {};
}

/// A HAVING term's value as text (binary-format numbers decoded); nullopt for NULL.
std::optional<std::string> having_text(const MergeProgram::HavingTerm& t, const Row& row) {
    if (t.literal) {
        return t.text;
    }
    const auto& cell = row[t.column];
    if (!cell) {
        return std::nullopt;
    }
    switch (t.kind) {
    case ValueKind::be_integer:
        return std::to_string(be_integer_value(*cell));
    case ValueKind::be_numeric:
        return numeric_binary_to_text(*cell);
    case ValueKind::be_float:
        return floating_text(be_float_value(*cell));
    default:
        return *cell;
    }
}

/// -1 unknown (NULL), 0 false, 1 true.
int having_value(const MergeProgram& program, std::size_t index, const Row& row) {
    using Kind = parser::HavingNode::Kind;
    const auto& step = program.having[index];
    switch (step.kind) {
    case Kind::and_:
    case Kind::or_: {
        const bool conjunction = step.kind == Kind::and_;
        int result = conjunction ? 1 : 0;
        for (const auto child : step.children) {
            const int v = having_value(program, child, row);
            if (v == (conjunction ? 0 : 1)) {
                return v;
            }
            if (v < 0) {
                result = -1;
            }
        }
        return result;
    }
    case Kind::not_: {
        const int v = having_value(program, step.children.front(), row);
        return v < 0 ? v : 1 - v;
    }
    case Kind::is_null: {
        const bool null = !having_text(step.lhs, row);
        return null != step.negated ? 1 : 0;
    }
    case Kind::compare: {
        const auto a = having_text(step.lhs, row);
        const auto b = having_text(step.rhs, row);
        if (!a || !b) {
            return -1;
        }
        int c = 0;
        if (step.numeric) {
            const bool floating =
                step.lhs.kind == ValueKind::floating || step.lhs.kind == ValueKind::be_float ||
                step.rhs.kind == ValueKind::floating || step.rhs.kind == ValueKind::be_float;
            c = floating ? compare_doubles(to_double(*a), to_double(*b))
                         : compare_values(ValueKind::decimal, *a, *b);
        } else {
            c = compare_values(step.lhs.literal ? step.rhs.kind : step.lhs.kind, *a, *b);
        }
        using C = parser::HavingNode::Compare;
        switch (step.compare) {
        case C::eq:
            return c == 0;
        case C::ne:
            return c != 0;
        case C::lt:
            return c < 0;
        case C::le:
            return c <= 0;
        case C::gt:
            return c > 0;
        case C::ge:
            return c >= 0;
        }
        return 0;
    }
    case Kind::other:
        break;
    }
    return -1;
}

} // namespace

Row empty_aggregate_row(const MergeProgram& program, std::size_t columns) {
    Row row(columns);
    for (const auto& aggregate : program.aggregates) {
        if (aggregate.function == parser::Aggregate::count) {
            row[aggregate.column] =
                aggregate.kind == ValueKind::be_integer ? std::string(8, '\0') : std::string("0");
        }
    }
    return row;
}

bool passes_having(const MergeProgram& program, const Row& row) {
    return program.having.empty() || having_value(program, program.having.size() - 1, row) == 1;
}

Result<MergeProgram, MergeRefusal>
prepare_merge(const Plan& plan, const std::vector<MergeColumn>& columns, MergeEngine engine) {
    const auto& spec = plan.merge;
    MergeProgram program;
    if (spec.split_insert_rows) {
        return MergeRefusal{"not supported yet: an INSERT whose rows belong to several shards"};
    }
    if (spec.having && (!spec.having_begin || !spec.select_end || spec.having_nodes.empty())) {
        return MergeRefusal{"not supported yet: HAVING across shards in this statement (a UNION "
                            "branch, or a clause shardgate cannot take out of the shards' "
                            "statement)"};
    }
    if (spec.window) {
        return MergeRefusal{"not supported yet: window functions across shards"};
    }
    if (spec.has_offset && (!spec.offset || (*spec.offset > 0 && !spec.offset_at) ||
                            (*spec.offset > 0 && spec.has_limit && !spec.limit_at))) {
        return MergeRefusal{"not supported yet: OFFSET across shards given as a parameter or an "
                            "expression (write the LIMIT and OFFSET values as numbers)"};
    }
    if (spec.has_limit && !spec.limit) {
        return MergeRefusal{"not supported yet: a LIMIT across shards whose value shardgate "
                            "cannot read (write a number or bind an integer parameter)"};
    }
    const bool grouped = !spec.group_by.empty() || !spec.aggregates.empty();
    if (grouped && spec.distinct) {
        return MergeRefusal{"not supported yet: SELECT DISTINCT with aggregates across shards"};
    }
    if (!spec.group_by.empty() && spec.limit) {
        return MergeRefusal{"not supported yet: GROUP BY with LIMIT across shards (each shard "
                            "would stop before its groups are complete)"};
    }
    // Hidden sort columns are the last ones of the shards' result (shard_statement).
    const auto hidden = hidden_keys(spec);
    const auto averages = average_parts(spec);
    const auto having_hidden = having_parts(spec);
    const auto distinct = distinct_argument(spec);
    program.hidden =
        hidden.size() + 2 * averages.size() + having_hidden.size() + (distinct.empty() ? 0 : 1);
    if (program.hidden > columns.size()) {
        return MergeRefusal{"the shards' result lacks the hidden columns", "XX000"};
    }
    program.engine = engine;
    const std::vector<MergeColumn> visible(
        columns.begin(), columns.end() - static_cast<std::ptrdiff_t>(program.hidden));
    std::vector<ResolvedKey> order_keys;
    for (const auto& key : spec.order_by) {
        if (has_word(key.text, "collate")) {
            // The shards sort by that collation; shardgate compares by the column's.
            return MergeRefusal{"not supported yet: ORDER BY " + key.text +
                                " across shards (an explicit COLLATE)"};
        }
        const auto it = std::find(hidden.begin(), hidden.end(), &key);
        if (it != hidden.end()) {
            const auto column = visible.size() + static_cast<std::size_t>(it - hidden.begin());
            MergeKey placed = key;
            placed.output = static_cast<std::int32_t>(column);
            auto resolved = resolve_key(placed, columns, engine, "ORDER BY");
            if (!orderable(resolved->kind)) {
                return cannot_compare("ORDER BY", key, columns[column]);
            }
            order_keys.push_back(*resolved);
            continue;
        }
        auto resolved = resolve_key(key, visible, engine, "ORDER BY");
        if (!resolved) {
            return resolved.error();
        }
        if (!orderable(resolved->kind)) {
            return cannot_compare("ORDER BY", key, columns[resolved->column]);
        }
        order_keys.push_back(*resolved);
    }
    program.order = RowOrder(std::move(order_keys));
    for (const auto& key : spec.group_by) {
        auto resolved = resolve_key(key, columns, engine, "GROUP BY");
        if (!resolved) {
            return resolved.error();
        }
        program.group_keys.push_back(*resolved);
    }
    for (const auto& aggregate : spec.aggregates) {
        const auto column = static_cast<std::size_t>(aggregate.output);
        if (aggregate.output < 0 || column >= columns.size()) {
            return MergeRefusal{"not supported yet: an aggregate shardgate cannot place in the "
                                "result"};
        }
        const auto& c = columns[column];
        const bool same_values = aggregate.function == parser::Aggregate::min ||
                                 aggregate.function == parser::Aggregate::max;
        if (aggregate.distinct && !same_values && distinct.empty()) {
            return MergeRefusal{
                "not supported yet: " + c.name +
                " across shards (aggregates of DISTINCT values need one shared argument, "
                "no LIMIT and no WITH ROLLUP)"};
        }
        const bool number = c.kind == ValueKind::integer || c.kind == ValueKind::decimal ||
                            c.kind == ValueKind::floating || c.kind == ValueKind::be_integer ||
                            c.kind == ValueKind::be_float || c.kind == ValueKind::be_numeric;
        switch (aggregate.function) {
        case parser::Aggregate::count:
            if (c.kind != ValueKind::integer && c.kind != ValueKind::be_integer) {
                return MergeRefusal{"not supported yet: COUNT column \"" + c.name +
                                    "\" across shards in this format (" +
                                    (c.kind_detail.empty() ? "not an integer" : c.kind_detail) +
                                    ")"};
            }
            break;
        case parser::Aggregate::sum: {
            if (!number) {
                return MergeRefusal{"not supported yet: SUM of column \"" + c.name +
                                    "\" across shards: its type is not a number shardgate adds"};
            }
            // single-precision text: the engine prints a float4 sum with fewer digits
            const bool single = c.kind == ValueKind::floating &&
                                (engine == MergeEngine::postgresql ? c.type == 700 : c.type == 4);
            if (single) {
                return MergeRefusal{"not supported yet: SUM of the single-precision column \"" +
                                    c.name + "\" across shards"};
            }
            break;
        }
        case parser::Aggregate::min:
        case parser::Aggregate::max:
            if (!orderable(c.kind)) {
                return MergeRefusal{"not supported yet: MIN/MAX of column \"" + c.name +
                                    "\" across shards: shardgate cannot compare its values (" +
                                    (c.kind_detail.empty() ? "this type" : c.kind_detail) + ")"};
            }
            break;
        case parser::Aggregate::bool_and: // false < true: AND is the least, OR the greatest
        case parser::Aggregate::bool_or: {
            const bool boolean =
                c.kind == ValueKind::boolean ||
                (engine == MergeEngine::postgresql && c.type == 16 && c.kind == ValueKind::binary);
            if (!boolean) {
                return MergeRefusal{"not supported yet: bool_and/bool_or of column \"" + c.name +
                                    "\" across shards: its values are not booleans"};
            }
            const auto combine = aggregate.function == parser::Aggregate::bool_and
                                     ? parser::Aggregate::min
                                     : parser::Aggregate::max;
            program.aggregates.push_back({column, combine, c.kind});
            continue;
        }
        case parser::Aggregate::avg: {
            const auto it = std::find(averages.begin(), averages.end(), &aggregate);
            if (it == averages.end()) {
                return MergeRefusal{"not supported yet: AVG across shards in this statement "
                                    "(use SUM and COUNT)"};
            }
            MergeProgram::Average average;
            average.output = column;
            average.sum = visible.size() + hidden.size() +
                          2 * static_cast<std::size_t>(it - averages.begin());
            average.count = average.sum + 1;
            average.kind = c.kind;
            average.scale = c.scale;
            const auto& sum = columns[average.sum];
            const auto& count = columns[average.count];
            const bool exact = c.kind == ValueKind::decimal || c.kind == ValueKind::be_numeric;
            if (!exact ||
                (sum.kind != ValueKind::integer && sum.kind != ValueKind::decimal &&
                 sum.kind != ValueKind::be_integer && sum.kind != ValueKind::be_numeric) ||
                (count.kind != ValueKind::integer && count.kind != ValueKind::be_integer)) {
                return MergeRefusal{"not supported yet: AVG of column \"" + c.name +
                                    "\" across shards: only exact (integer and decimal) averages "
                                    "are computed"};
            }
            average.sum_kind = sum.kind;
            average.count_kind = count.kind;
            program.aggregates.push_back(
                {average.sum, parser::Aggregate::sum, sum.kind, aggregate.distinct});
            program.aggregates.push_back(
                {average.count, parser::Aggregate::count, count.kind, aggregate.distinct});
            program.averages.push_back(average);
            continue;
        }
        default:
            return MergeRefusal{"not supported yet: the aggregate expression \"" + c.name +
                                "\" across shards (only COUNT, SUM, MIN, MAX of a column)"};
        }
        program.aggregates.push_back(
            {column, aggregate.function, c.kind, aggregate.distinct && !same_values});
    }
    if (!distinct.empty()) {
        // First per group and DISTINCT value (the shards' partial results for one value are
        // equal: keep one), then per group.
        const auto column = columns.size() - 1;
        program.distinct_column = column;
        program.distinct_keys = program.group_keys;
        program.distinct_keys.push_back({column, columns[column].kind, false, false});
        for (auto aggregate : program.aggregates) {
            if (aggregate.distinct) {
                aggregate.function = parser::Aggregate::min;
            }
            program.distinct_aggregates.push_back(aggregate);
        }
        if (columns[column].kind == ValueKind::opaque) {
            return MergeRefusal{
                "not supported yet: DISTINCT values of " + columns[column].name +
                " across shards: shardgate cannot tell equal values apart (" +
                (columns[column].kind_detail.empty() ? "this type" : columns[column].kind_detail) +
                ")"};
        }
    }
    if (spec.distinct) {
        for (std::size_t i = 0; i < columns.size(); ++i) {
            program.group_keys.push_back({i, columns[i].kind, false, false});
        }
    }
    if (spec.having) {
        auto having =
            resolve_having(spec, columns, visible.size() + hidden.size() + 2 * averages.size(),
                           having_hidden, program);
        if (!having) {
            return having.error();
        }
    }
    program.whole_result = spec.group_by.empty() && !spec.aggregates.empty();
    program.limit = spec.limit;
    program.offset = spec.offset.value_or(0);
    if (grouped || spec.distinct) {
        program.shape = MergeProgram::Shape::grouped;
    } else if (!program.order.empty()) {
        program.shape = MergeProgram::Shape::ordered;
    }
    return program;
}

} // namespace shardgate::router
