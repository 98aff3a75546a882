// Result<T, E>: a value or an error, the one spelling every library of shardgate uses to
// report failures without exceptions (parser, shardmaps, protocol codecs, the proxy's
// session core). DecodeResult<T, E> adds "need more bytes" for stream decoders.
#pragma once

#include <cstddef>
#include <type_traits>
#include <utility>
#include <variant>

namespace shardgate {

/// Either a T or an E. Cheap to move; check ok() before value(), !ok() before error().
template <class T, class E> class [[nodiscard]] Result {
public:
    using value_type = T;
    using error_type = E;
    Result(T value) : data_(std::in_place_index<0>, std::move(value)) {}
    Result(E error) : data_(std::in_place_index<1>, std::move(error)) {}
    /// A successful Result of a step that yields no value (T = std::monostate).
    Result() requires std::is_same_v<T, std::monostate> : data_(std::in_place_index<0>) {}

    bool ok() const { return data_.index() == 0; }
    explicit operator bool() const { return ok(); }
    /// Precondition: ok().
    T& value() & { return std::get<0>(data_); }
    const T& value() const& { return std::get<0>(data_); }
    T&& value() && { return std::get<0>(std::move(data_)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    /// Precondition: !ok().
    const E& error() const { return std::get<1>(data_); }

private:
    std::variant<T, E> data_;
};

/// The outcome of a step that yields no value.
template <class E> using Status = Result<std::monostate, E>;

/// The three outcomes of decoding from a byte stream.
enum class DecodeStatus { need_more, ok, error };

/// need_more (with the minimum total buffer size that could make progress, 0 when unknown),
/// ok (the value and how many bytes of the input it used), or an error.
template <class T, class E> class [[nodiscard]] DecodeResult {
public:
    using value_type = T;
    using error_type = E;
    /// The input holds a prefix of a message; at least `needed` bytes in total are required.
    static DecodeResult incomplete(std::size_t needed = 0) {
        return DecodeResult(NeedMore{needed});
    }
    DecodeResult(T value, std::size_t consumed)
        : data_(std::in_place_index<1>, Decoded{std::move(value), consumed}) {}
    DecodeResult(E error) : data_(std::in_place_index<2>, std::move(error)) {}

    DecodeStatus status() const { return static_cast<DecodeStatus>(data_.index()); }
    bool need_more() const { return data_.index() == 0; }
    bool ok() const { return data_.index() == 1; }
    bool is_error() const { return data_.index() == 2; }

    /// Precondition: need_more().
    std::size_t needed() const { return std::get<0>(data_).needed; }
    /// Precondition: ok().
    T& value() & { return std::get<1>(data_).value; }
    const T& value() const& { return std::get<1>(data_).value; }
    T&& value() && { return std::move(std::get<1>(data_).value); }
    /// Precondition: ok(). Bytes of the input the value spans (0 otherwise).
    std::size_t consumed() const { return ok() ? std::get<1>(data_).consumed : 0; }
    /// Precondition: is_error().
    const E& error() const { return std::get<2>(data_); }

private:
    struct NeedMore {
        std::size_t needed;
    };
    struct Decoded {
        T value;
        std::size_t consumed;
    };
    explicit DecodeResult(NeedMore more) : data_(std::in_place_index<0>, more) {}

    std::variant<NeedMore, Decoded, E> data_;
};

} // namespace shardgate
