// The shard-key values a key expression pins its key to, as hashes: what the `hash`
// balancing policy keys on for a single-shard read.
#pragma once

#include "mix64.hpp"
#include "small_vector.hpp"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <optional>
#include <utility>
#include <vector>

namespace shardgate::router {

/// Either "any value" (the expression does not pin the key to values: no restriction, a
/// range, an unknown parameter) or a sorted, duplicate-free set of key hashes.
class KeyHashes {
public:
    static KeyHashes any() { return KeyHashes(true); }
    static KeyHashes none() { return KeyHashes(false); }

    bool is_any() const { return any_; }

    /// Adds one value's hash (to a set of values).
    void add(std::uint64_t hash) {
        auto it = std::lower_bound(hashes_.begin(), hashes_.end(), hash);
        if (it == hashes_.end() || *it != hash) {
            hashes_.insert(it, hash);
        }
    }
    /// `a OR b`: values of either; any value when either side allows any.
    void unite(const KeyHashes& other) {
        if (any_ || other.any_) {
            any_ = true;
            hashes_.clear();
            return;
        }
        if (hashes_.empty()) {
            hashes_.assign(other.hashes_.begin(), other.hashes_.end());
            return;
        }
        Hashes out;
        std::set_union(hashes_.begin(), hashes_.end(), other.hashes_.begin(), other.hashes_.end(),
                       std::back_inserter(out));
        hashes_.assign(out.begin(), out.end());
    }
    /// `a AND b`: values both allow; a side that allows any value does not narrow.
    void intersect(const KeyHashes& other) {
        if (other.any_) {
            return;
        }
        if (any_) {
            any_ = false;
            hashes_.assign(other.hashes_.begin(), other.hashes_.end());
            return;
        }
        Hashes out;
        std::set_intersection(hashes_.begin(), hashes_.end(), other.hashes_.begin(),
                              other.hashes_.end(), std::back_inserter(out));
        hashes_.assign(out.begin(), out.end());
    }

    /// One hash for the whole set: the value's own hash for one value; for several, their
    /// sorted hashes mixed in order (so `IN (1, 2)` and `IN (2, 1)` agree). Empty for "any
    /// value" and for no value at all.
    std::optional<std::uint64_t> combined() const {
        if (any_ || hashes_.empty()) {
            return std::nullopt;
        }
        if (hashes_.size() == 1) {
            return hashes_.front();
        }
        std::uint64_t h = 0x6a09e667f3bcc908ULL;
        for (auto hash : hashes_) {
            h = mix64(h ^ hash);
        }
        return h;
    }

private:
    explicit KeyHashes(bool any) : any_(any) {}

    // (inline up to 4 values: `key = v` and short IN lists allocate nothing)
    using Hashes = boost::container::small_vector<std::uint64_t, 4>;

    bool any_ = true;
    Hashes hashes_;
};

} // namespace shardgate::router
