// Parses the body of a `shardgate:` routing-hint comment.
#include "shardgate/parser/hints.hpp"

#include <charconv>

namespace shardgate::parser {
namespace {

bool is_separator(char c) {
    return c == ' ' || c == ',' || c == '\t' || c == '\n' || c == '\r';
}

void apply_hint(std::string_view key, std::string_view value, Hints& hints) {
    if (key == "shard" && !value.empty()) {
        hints.shard = std::string(value);
    } else if (key == "primary" && value.empty()) {
        hints.primary = true;
    } else if (key == "max_lag_ms") {
        std::uint32_t n = 0;
        const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
        if (ec == std::errc{} && end == value.data() + value.size()) {
            hints.max_lag_ms = n;
            return;
        }
        hints.other.emplace_back(key, value);
    } else {
        hints.other.emplace_back(key, value);
    }
}

} // namespace

void parse_hint_text(std::string_view text, Hints& hints) {
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && is_separator(text[i])) {
            ++i;
        }
        std::size_t start = i;
        while (i < text.size() && !is_separator(text[i])) {
            ++i;
        }
        if (i == start) {
            break;
        }
        const std::string_view word = text.substr(start, i - start);
        const std::size_t eq = word.find('=');
        if (eq == std::string_view::npos) {
            apply_hint(word, {}, hints);
        } else {
            apply_hint(word.substr(0, eq), word.substr(eq + 1), hints);
        }
    }
}

} // namespace shardgate::parser
