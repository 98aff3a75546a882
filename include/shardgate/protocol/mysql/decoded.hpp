// Three-valued decode result (need more bytes / value + bytes consumed / error) used by every
// MySQL codec function.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace shardgate::protocol::mysql {

/// Read-only view of wire bytes. Decoders never keep it beyond the call unless a result type
/// says it holds views (then the caller keeps the buffer alive).
using Bytes = std::span<const std::byte>;
/// Owned wire bytes; encoders append to one.
using Buffer = std::vector<std::byte>;

/// MySQL error numbers a decode failure maps to (ERR packet error code).
inline constexpr std::uint16_t ER_NET_PACKET_TOO_LARGE = 1153;
inline constexpr std::uint16_t ER_NET_PACKETS_OUT_OF_ORDER = 1156;
inline constexpr std::uint16_t ER_UNKNOWN_COM_ERROR = 1047;
inline constexpr std::uint16_t ER_MALFORMED_PACKET = 1835;

enum class DecodeStatus { need_more, ok, error };

/// Outcome of decoding one message. `ok` carries the value and how many input bytes it used;
/// `error` carries a message naming the problem and the MySQL error number to report.
template <class T> class Decoded {
public:
    static Decoded need_more() { return Decoded(DecodeStatus::need_more); }
    static Decoded ok(T value, std::size_t consumed) {
        Decoded d(DecodeStatus::ok);
        d.value_.emplace(std::move(value));
        d.consumed_ = consumed;
        return d;
    }
    static Decoded error(std::string message, std::uint16_t code = ER_MALFORMED_PACKET) {
        Decoded d(DecodeStatus::error);
        d.error_ = std::move(message);
        d.error_code_ = code;
        return d;
    }
    /// Re-types an error or need-more result (not valid on `ok`).
    template <class U> static Decoded from(const Decoded<U>& other) {
        if (other.status() == DecodeStatus::need_more) {
            return need_more();
        }
        return error(other.error_message(), other.error_code());
    }

    DecodeStatus status() const { return status_; }
    bool is_ok() const { return status_ == DecodeStatus::ok; }
    bool is_need_more() const { return status_ == DecodeStatus::need_more; }
    bool is_error() const { return status_ == DecodeStatus::error; }
    /// Precondition: is_ok().
    const T& value() const& { return *value_; }
    T& value() & { return *value_; }
    T&& value() && { return std::move(*value_); }
    /// Bytes of the input the value occupied (0 unless ok).
    std::size_t consumed() const { return consumed_; }
    const std::string& error_message() const { return error_; }
    std::uint16_t error_code() const { return error_code_; }

private:
    explicit Decoded(DecodeStatus status) : status_(status) {}

    DecodeStatus status_;
    std::optional<T> value_;
    std::size_t consumed_ = 0;
    std::string error_;
    std::uint16_t error_code_ = 0;
};

} // namespace shardgate::protocol::mysql
