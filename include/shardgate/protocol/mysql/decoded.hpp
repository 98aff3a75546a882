// Three-valued decode result (need more bytes / value + bytes consumed / error) used by every
// MySQL codec function.
#pragma once

#include "shardgate/result.hpp"

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

/// Why a MySQL message could not be decoded: a message naming the problem and the MySQL
/// error number to report.
struct DecodeError {
    std::string message;
    std::uint16_t code = ER_MALFORMED_PACKET;
};

/// Outcome of decoding one message: need more bytes, the value and how many input bytes it
/// used, or a DecodeError (shardgate::DecodeResult's vocabulary: ok(), need_more(),
/// is_error(), value(), consumed(), error()).
template <class T> using Decoded = shardgate::DecodeResult<T, DecodeError>;
using shardgate::DecodeStatus;

/// A failed decode of a T.
template <class T>
Decoded<T> decode_error(std::string message, std::uint16_t code = ER_MALFORMED_PACKET) {
    return DecodeError{std::move(message), code};
}

/// Re-types a need-more or error result (not valid on ok).
template <class T, class U> Decoded<T> forward_failure(const Decoded<U>& other) {
    if (other.need_more()) {
        return Decoded<T>::incomplete(other.needed());
    }
    return other.error();
}

} // namespace shardgate::protocol::mysql
