// Fuzzes the cross-shard merge's value handling with what a broken or hostile shard could send:
// comparisons of every value kind (must be antisymmetric and never crash), exact decimal sums,
// PostgreSQL binary numeric decoding (and its round trip), and the ORDER BY / GROUP BY merges
// over rows built from the input.
#include "shardgate/router/merge.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

using namespace shardgate::router;

int sign(int c) {
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

/// Decimal text as shards send it (sign, digits, one point); `max` bounds the fuzzed inputs.
bool decimal_text(std::string_view s, std::size_t max = 60) {
    if (s.empty() || s.size() > max) {
        return false;
    }
    std::size_t i = s.front() == '-' ? 1 : 0;
    bool digits = false;
    bool point = false;
    for (; i < s.size(); ++i) {
        if (s[i] == '.' && !point) {
            point = true;
        } else if (s[i] >= '0' && s[i] <= '9') {
            digits = true;
        } else {
            return false;
        }
    }
    return digits && s.back() != '.';
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) {
        return 0;
    }
    const auto kind = static_cast<ValueKind>(data[0] % 12);
    const std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
    const auto cut = rest.find('\0');
    const auto a = rest.substr(0, cut);
    const auto b = cut == std::string_view::npos ? std::string_view{} : rest.substr(cut + 1);

    // Comparisons: defined for any bytes, antisymmetric.
    if (sign(compare_values(kind, a, b)) != -sign(compare_values(kind, b, a))) {
        std::abort();
    }
    if (decimal_text(a) && decimal_text(b)) {
        const auto sum = add_decimal(a, b);
        if (!decimal_text(sum, 1024) ||
            compare_values(ValueKind::decimal, add_decimal(sum, "0"), sum) != 0) {
            std::abort();
        }
    }
    if (const auto text = numeric_binary_to_text(a); text && decimal_text(*text, 1 << 20)) {
        const auto again = numeric_binary_to_text(numeric_text_to_binary(*text));
        if (!again || compare_values(ValueKind::decimal, *again, *text) != 0) {
            std::abort();
        }
    }

    // Merges over rows made of the input's pieces.
    Row first{Cell{std::string(a)}, Cell{std::string(b)}};
    Row second{Cell{std::string(b)}, b.empty() ? Cell{} : Cell{std::string(a)}};
    const RowOrder order({ResolvedKey{0, kind, (data[0] & 0x10) != 0, (data[0] & 0x20) != 0},
                          ResolvedKey{1, kind, false, false}});
    StreamMerge merge(order, 2);
    merge.set(0, &first);
    merge.set(1, &second);
    (void)merge.next();
    GroupMerge groups({ResolvedKey{0, kind, false, false}},
                      {ResolvedAggregate{1, shardgate::parser::Aggregate::max, kind}}, 4, false);
    (void)groups.add(first);
    (void)groups.add(second);
    (void)groups.take();
    return 0;
}
