// Keyword lookup: a small open-addressing table built once, probed without allocation.
#include "shardgate/parser/keyword.hpp"

#include <array>
#include <cstdint>

namespace shardgate::parser {
namespace {

constexpr std::uint8_t r = 1, a = 2, f = 4;

struct Entry {
    std::string_view text;
    std::uint8_t flags;
};

// Names with a trailing '_' (C++ keywords) are spelled without it.
constexpr std::string_view trim_name(std::string_view name) {
    return name.back() == '_' ? name.substr(0, name.size() - 1) : name;
}

constexpr std::array entries{Entry{"", 0},
#define SHARDGATE_KEYWORD_ENTRY(name, flags) Entry{trim_name(#name), flags},
                             SHARDGATE_KEYWORDS(SHARDGATE_KEYWORD_ENTRY)
#undef SHARDGATE_KEYWORD_ENTRY
};

constexpr std::size_t table_size = 1024;
constexpr std::size_t max_keyword_length = 16;

constexpr char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}

constexpr std::uint32_t hash_lower(std::string_view word) {
    std::uint32_t h = 2166136261u;
    for (char c : word) {
        h = (h ^ static_cast<unsigned char>(lower(c))) * 16777619u;
    }
    return h;
}

constexpr bool equal_lower(std::string_view word, std::string_view keyword) {
    if (word.size() != keyword.size()) {
        return false;
    }
    for (std::size_t i = 0; i < word.size(); ++i) {
        if (lower(word[i]) != keyword[i]) {
            return false;
        }
    }
    return true;
}

// Built at compile time: no initialisation guard on the lexer's path.
constexpr auto slots = [] {
    std::array<std::uint8_t, table_size> out{};
    for (std::size_t i = 1; i < entries.size(); ++i) {
        std::size_t h = hash_lower(entries[i].text) % table_size;
        while (out[h] != 0) {
            h = (h + 1) % table_size;
        }
        out[h] = static_cast<std::uint8_t>(i);
    }
    return out;
}();

constexpr auto upper_names = [] {
    std::array<std::array<char, max_keyword_length>, entries.size()> out{};
    for (std::size_t i = 1; i < entries.size(); ++i) {
        for (std::size_t k = 0; k < entries[i].text.size(); ++k) {
            const char c = entries[i].text[k];
            out[i][k] = c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c;
        }
    }
    return out;
}();

static_assert(entries.size() < 256, "keyword ids are stored in one byte");
static_assert([] {
    for (const Entry& e : entries) {
        if (e.text.size() > max_keyword_length) {
            return false;
        }
    }
    return true;
}());

} // namespace

Keyword find_keyword(std::string_view word) {
    if (word.size() < 2 || word.size() > max_keyword_length) {
        return Keyword::none;
    }
    std::size_t h = hash_lower(word) % table_size;
    while (slots[h] != 0) {
        if (equal_lower(word, entries[slots[h]].text)) {
            return static_cast<Keyword>(slots[h]);
        }
        h = (h + 1) % table_size;
    }
    return Keyword::none;
}

std::string_view keyword_text(Keyword keyword) {
    const auto i = static_cast<std::size_t>(keyword);
    return {upper_names[i].data(), entries[i].text.size()};
}

KeywordFlags keyword_flags(Keyword keyword) {
    const std::uint8_t flags = entries[static_cast<std::size_t>(keyword)].flags;
    return {(flags & r) != 0, (flags & (a | r)) != 0, (flags & f) != 0};
}

} // namespace shardgate::parser
