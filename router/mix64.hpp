// A 64-bit finaliser (xor-shift-multiply) that spreads nearby inputs over the whole range;
// used where hashes are combined (key hashes, balancer scores).
#pragma once

#include <cstdint>

namespace shardgate::router {

inline std::uint64_t mix64(std::uint64_t x) {
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

} // namespace shardgate::router
