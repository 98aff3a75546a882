// Result types of the PostgreSQL codec: need-more / decoded / error, without exceptions.
#pragma once

#include "shardgate/result.hpp"

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

/// Either a value or an Error (shardgate::Result: ok(), value(), error()). Used where "need
/// more bytes" cannot happen: decoding the body of an already framed message,
/// authentication steps, parameter helpers.
template <class T> using Result = shardgate::Result<T, Error>;

/// Result of a step that yields no value.
using Status = shardgate::Status<Error>;

using shardgate::DecodeStatus;

/// need_more (with the minimum total buffer size that could make progress), ok (value and
/// the number of bytes consumed from the front of the buffer), or error
/// (shardgate::DecodeResult). Used where input is a stream that may end mid-message:
/// framing and the buffer-level convenience decoders.
template <class T> using DecodeResult = shardgate::DecodeResult<T, Error>;

} // namespace shardgate::protocol::pg
