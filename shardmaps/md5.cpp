// MD5 compression function and padding, following the steps of RFC 1321 section 3.
#include "md5.hpp"

#include <bit>
#include <cstring>

namespace shardgate::shardmaps::detail {
namespace {

// T[i] = floor(2^32 * |sin(i + 1)|), RFC 1321 section 3.4.
constexpr std::uint32_t sine_table[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
};

// Per-round left-rotation amounts, four per round.
constexpr int rotations[4][4] = {{7, 12, 17, 22}, {5, 9, 14, 20}, {4, 11, 16, 23}, {6, 10, 15, 21}};

std::uint32_t load_le32(const std::uint8_t* p) {
    return std::uint32_t(p[0]) | std::uint32_t(p[1]) << 8 | std::uint32_t(p[2]) << 16 |
           std::uint32_t(p[3]) << 24;
}

} // namespace

Md5::Md5() : state_{0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476} {}

// One MD5 step: a = b + rotl(a + f + x[g] + T[i], s), then the registers rotate.
#define SHARDGATE_MD5_STEP(f, g)                                                                   \
    do {                                                                                           \
        const std::uint32_t rotated =                                                              \
            std::rotl(a + (f) + x[(g)] + sine_table[i], rotations[i / 16][i % 4]);                 \
        a = d;                                                                                     \
        d = c;                                                                                     \
        c = b;                                                                                     \
        b = b + rotated;                                                                           \
    } while (false)

void Md5::compress(const std::uint8_t* block) {
    std::uint32_t x[16];
    for (int i = 0; i < 16; ++i) {
        x[i] = load_le32(block + 4 * i);
    }
    std::uint32_t a = state_[0], b = state_[1], c = state_[2], d = state_[3];
    // Four rounds of 16 steps, each its own loop so the compiler can unroll them without
    // per-step branching on the round.
    for (int i = 0; i < 16; ++i) {
        SHARDGATE_MD5_STEP((b & c) | (~b & d), i);
    }
    for (int i = 16; i < 32; ++i) {
        SHARDGATE_MD5_STEP((b & d) | (c & ~d), (5 * i + 1) % 16);
    }
    for (int i = 32; i < 48; ++i) {
        SHARDGATE_MD5_STEP(b ^ c ^ d, (3 * i + 5) % 16);
    }
    for (int i = 48; i < 64; ++i) {
        SHARDGATE_MD5_STEP(c ^ (b | ~d), (7 * i) % 16);
    }
    state_[0] += a;
    state_[1] += b;
    state_[2] += c;
    state_[3] += d;
}

#undef SHARDGATE_MD5_STEP

void Md5::update(std::string_view bytes) {
    const auto* p = reinterpret_cast<const std::uint8_t*>(bytes.data());
    std::size_t n = bytes.size();
    total_ += n;
    if (buffered_ > 0) {
        const std::size_t take = std::min(n, 64 - buffered_);
        std::memcpy(buffer_.data() + buffered_, p, take);
        buffered_ += take;
        p += take;
        n -= take;
        if (buffered_ < 64) {
            return;
        }
        compress(buffer_.data());
        buffered_ = 0;
    }
    for (; n >= 64; p += 64, n -= 64) {
        compress(p);
    }
    std::memcpy(buffer_.data(), p, n);
    buffered_ = n;
}

std::array<std::uint8_t, 16> Md5::finish() {
    // Padding: a 1 bit, zeros to 56 mod 64 bytes, then the bit length little-endian.
    const std::uint64_t bit_length = total_ * 8;
    buffer_[buffered_++] = 0x80;
    if (buffered_ > 56) {
        std::memset(buffer_.data() + buffered_, 0, 64 - buffered_);
        compress(buffer_.data());
        buffered_ = 0;
    }
    std::memset(buffer_.data() + buffered_, 0, 56 - buffered_);
    for (int i = 0; i < 8; ++i) {
        buffer_[56 + i] = static_cast<std::uint8_t>(bit_length >> (8 * i));
    }
    compress(buffer_.data());
    std::array<std::uint8_t, 16> digest;
    for (int i = 0; i < 4; ++i) {
        for (int j = 0; j < 4; ++j) {
            digest[4 * i + j] = static_cast<std::uint8_t>(state_[i] >> (8 * j));
        }
    }
    return digest;
}

} // namespace shardgate::shardmaps::detail
