// Keyword lookup: a small open-addressing table built once, probed without allocation.
#include "shardgate/parser/keyword.hpp"

#include <array>
#include <cstdint>
#include <string>

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

char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}

std::uint32_t hash_lower(std::string_view word) {
    std::uint32_t h = 2166136261u;
    for (char c : word) {
        h = (h ^ static_cast<unsigned char>(lower(c))) * 16777619u;
    }
    return h;
}

bool equal_lower(std::string_view word, std::string_view keyword) {
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

struct Table {
    std::array<std::uint8_t, table_size> slots{};
    std::array<std::string_view, entries.size()> upper_names{};
    std::array<std::string, entries.size()> upper_storage{};

    Table() {
        for (std::size_t i = 1; i < entries.size(); ++i) {
            std::size_t h = hash_lower(entries[i].text) % table_size;
            while (slots[h] != 0) {
                h = (h + 1) % table_size;
            }
            slots[h] = static_cast<std::uint8_t>(i);
            for (char c : entries[i].text) {
                upper_storage[i] += static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
            }
            upper_names[i] = upper_storage[i];
        }
    }
};

const Table& table() {
    static const Table instance;
    return instance;
}

} // namespace

Keyword find_keyword(std::string_view word) {
    if (word.size() < 2 || word.size() > max_keyword_length) {
        return Keyword::none;
    }
    const Table& t = table();
    std::size_t h = hash_lower(word) % table_size;
    while (t.slots[h] != 0) {
        if (equal_lower(word, entries[t.slots[h]].text)) {
            return static_cast<Keyword>(t.slots[h]);
        }
        h = (h + 1) % table_size;
    }
    return Keyword::none;
}

std::string_view keyword_text(Keyword keyword) {
    return table().upper_names[static_cast<std::size_t>(keyword)];
}

KeywordFlags keyword_flags(Keyword keyword) {
    const std::uint8_t flags = entries[static_cast<std::size_t>(keyword)].flags;
    return {(flags & r) != 0, (flags & (a | r)) != 0, (flags & f) != 0};
}

} // namespace shardgate::parser
