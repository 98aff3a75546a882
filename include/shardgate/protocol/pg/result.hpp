// Result types of the PostgreSQL codec: need-more / decoded / error, without exceptions.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <variant>

namespace shardgate::protocol::pg {

/// Why a decode, encode precondition or authentication step failed. One value per failure
/// path, so a session can count each kind separately.
enum class ErrorCode {
    bad_length,         ///< a length field is negative, below its minimum or inconsistent
    too_large,          ///< a message exceeds the configured maximum size
    truncated,          ///< a field runs past the end of the message body
    missing_terminator, ///< a string field has no NUL terminator
    trailing_bytes,     ///< bytes are left after the last field of a message
    bad_value,          ///< a field holds a value the protocol does not allow
    unexpected_type,    ///< the message type byte does not fit the decoder or context
    unsupported,        ///< valid protocol that shardgate does not implement
    auth_failed,        ///< an authentication exchange failed (bad proof, nonce, signature)
    random_failed,      ///< the random source could not produce bytes
};

/// Stable snake_case name of an error code, for logs and statistics.
const char* to_string(ErrorCode code);

/// A failure with a human-readable message naming the message and field.
struct Error {
    ErrorCode code = ErrorCode::bad_value;
    std::string message;
};

/// Either a value or an Error. Used where "need more bytes" cannot happen: decoding the body
/// of an already framed message, authentication steps, parameter helpers.
template <class T> class [[nodiscard]] Result {
public:
    Result(T value) : data_(std::move(value)) {}
    Result(Error error) : data_(std::move(error)) {}

    bool ok() const { return data_.index() == 0; }
    explicit operator bool() const { return ok(); }
    /// Precondition: ok().
    T& value() { return std::get<0>(data_); }
    const T& value() const { return std::get<0>(data_); }
    /// Precondition: !ok().
    const Error& error() const { return std::get<1>(data_); }

private:
    std::variant<T, Error> data_;
};

/// Result of a step that yields no value.
using Status = Result<std::monostate>;

/// The three outcomes of decoding from a byte stream.
enum class DecodeStatus { need_more, ok, error };

/// need_more (with the minimum total buffer size that could make progress), ok (value and
/// the number of bytes consumed from the front of the buffer), or error. Used where input is
/// a stream that may end mid-message: framing and the buffer-level convenience decoders.
template <class T> class [[nodiscard]] DecodeResult {
public:
    /// The buffer holds a prefix of a message; at least `needed` bytes in total are required.
    static DecodeResult incomplete(std::size_t needed) { return DecodeResult(NeedMore{needed}); }
    DecodeResult(T value, std::size_t consumed) : data_(Decoded{std::move(value), consumed}) {}
    DecodeResult(Error error) : data_(std::move(error)) {}

    DecodeStatus status() const { return static_cast<DecodeStatus>(data_.index()); }
    bool need_more() const { return data_.index() == 0; }
    bool ok() const { return data_.index() == 1; }
    bool is_error() const { return data_.index() == 2; }

    /// Precondition: need_more(). Minimum total buffer size worth retrying with.
    std::size_t needed() const { return std::get<0>(data_).needed; }
    /// Precondition: ok().
    T& value() { return std::get<1>(data_).value; }
    const T& value() const { return std::get<1>(data_).value; }
    /// Precondition: ok(). Bytes of the buffer that the value spans.
    std::size_t consumed() const { return std::get<1>(data_).consumed; }
    /// Precondition: is_error().
    const Error& error() const { return std::get<2>(data_); }

private:
    struct NeedMore {
        std::size_t needed;
    };
    struct Decoded {
        T value;
        std::size_t consumed;
    };
    explicit DecodeResult(NeedMore more) : data_(more) {}

    std::variant<NeedMore, Decoded, Error> data_;
};

} // namespace shardgate::protocol::pg
