// Helpers shared by the codec fuzz targets: an input cursor and invariant checks that abort,
// so libFuzzer records the input as a crash.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string_view>

namespace shardgate::fuzz {

/// Aborts when an invariant does not hold (the fuzzer keeps the input as a crash).
inline void require(bool condition) {
    if (!condition) {
        std::abort();
    }
}

/// True when `inner` lies inside `outer` (both views of the same buffer).
template <class A, class B> bool inside(std::span<A> inner, std::span<B> outer) {
    const auto* begin = reinterpret_cast<const std::byte*>(outer.data());
    const auto* first = reinterpret_cast<const std::byte*>(inner.data());
    if (inner.empty()) {
        return true;
    }
    return first >= begin && first + inner.size_bytes() <= begin + outer.size_bytes();
}

template <class B> bool inside(std::string_view inner, std::span<B> outer) {
    return inside(std::span<const char>(inner.data(), inner.size()), outer);
}

/// Reads the fuzz input front to back; past the end every read gives zeros / empty views.
class Input {
public:
    Input(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}

    std::uint8_t byte() { return at_ < size_ ? data_[at_++] : 0; }
    std::uint16_t u16() { return static_cast<std::uint16_t>(byte() | (byte() << 8)); }
    std::uint32_t u32() { return u16() | (static_cast<std::uint32_t>(u16()) << 16); }
    /// Up to `count` bytes.
    std::span<const std::byte> take(std::size_t count) {
        count = std::min(count, size_ - at_);
        std::span<const std::byte> out(reinterpret_cast<const std::byte*>(data_ + at_), count);
        at_ += count;
        return out;
    }
    std::span<const std::byte> rest() { return take(size_ - at_); }
    /// The bytes up to the next `separator` (consumed, not returned), or all that is left.
    std::string_view text_until(char separator) {
        const auto left = rest();
        const std::string_view all(reinterpret_cast<const char*>(left.data()), left.size());
        const auto cut = all.find(separator);
        if (cut == std::string_view::npos) {
            return all;
        }
        at_ -= all.size() - cut - 1;
        return all.substr(0, cut);
    }
    bool empty() const { return at_ == size_; }

private:
    const std::uint8_t* data_;
    std::size_t size_;
    std::size_t at_ = 0;
};

} // namespace shardgate::fuzz
