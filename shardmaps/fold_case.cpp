// Case folding of case-insensitive string keys (ASCII, Latin-1, Latin Extended-A, Greek,
// Cyrillic capitals), matching what LOWER() gives in both engines for those letters.
#include "shardgate/shardmaps/canonical_key.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace shardgate::shardmaps {
namespace {

// Lower case of a code point from U+0080..U+07FF; every mapping stays in that range, so
// folding never changes the UTF-8 length.
std::uint32_t lower_two_byte(std::uint32_t c) {
    if ((c >= 0xC0 && c <= 0xDE && c != 0xD7) || (c >= 0x391 && c <= 0x3A9 && c != 0x3A2) ||
        (c >= 0x410 && c <= 0x42F)) {
        return c + 0x20;
    }
    if (c >= 0x400 && c <= 0x40F) {
        return c + 0x50;
    }
    // Latin Extended-A pairs capital/small; the dotted and dotless i (U+0130/U+0131) have
    // no same-length lower case and are left alone.
    const bool even_pairs =
        (c >= 0x100 && c <= 0x12F) || (c >= 0x132 && c <= 0x137) || (c >= 0x14A && c <= 0x177);
    const bool odd_pairs = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
    if ((even_pairs && c % 2 == 0) || (odd_pairs && c % 2 == 1)) {
        return c + 1;
    }
    if (c == 0x178) {
        return 0xFF;
    }
    return c;
}

} // namespace

std::string fold_case(std::string_view text) {
    std::string out(text);
    for (std::size_t i = 0; i < out.size(); ++i) {
        const auto byte = static_cast<unsigned char>(out[i]);
        if (byte >= 'A' && byte <= 'Z') {
            out[i] = static_cast<char>(byte + 32);
            continue;
        }
        const bool two_byte_lead = (byte & 0xE0) == 0xC0;
        if (!two_byte_lead || i + 1 >= out.size() ||
            (static_cast<unsigned char>(out[i + 1]) & 0xC0) != 0x80) {
            continue;
        }
        const std::uint32_t c =
            (byte & 0x1Fu) << 6 | (static_cast<unsigned char>(out[i + 1]) & 0x3Fu);
        const std::uint32_t lower = lower_two_byte(c);
        out[i] = static_cast<char>(0xC0 | (lower >> 6));
        out[i + 1] = static_cast<char>(0x80 | (lower & 0x3F));
        ++i;
    }
    return out;
}

} // namespace shardgate::shardmaps
