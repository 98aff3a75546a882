// Checks shared by the MySQL codec fuzz targets: decoded-size invariants and value
// comparisons that treat floats bit for bit (NaN equals itself after a round trip).
#pragma once

#include "fuzz_support.hpp"
#include "shardgate/protocol/mysql/binary_value.hpp"
#include "shardgate/protocol/mysql/constants.hpp"
#include "shardgate/protocol/mysql/decoded.hpp"

#include <bit>
#include <cstdint>
#include <variant>

namespace shardgate::fuzz::mysql {

using namespace shardgate::protocol::mysql;

/// A decode over `input` may only consume what it was given; need_more only when short.
template <class T> void require_consumed(const Decoded<T>& result, Bytes input) {
    if (result.ok()) {
        require(result.consumed() <= input.size());
    } else if (result.need_more() && result.needed() != 0) {
        require(result.needed() > input.size());
    }
}

/// Equality with floats compared by their bits.
inline bool same_value(const BinaryValue& a, const BinaryValue& b) {
    if (a.index() != b.index()) {
        return false;
    }
    if (const auto* f = std::get_if<float>(&a)) {
        return std::bit_cast<std::uint32_t>(*f) == std::bit_cast<std::uint32_t>(std::get<float>(b));
    }
    if (const auto* d = std::get_if<double>(&a)) {
        return std::bit_cast<std::uint64_t>(*d) ==
               std::bit_cast<std::uint64_t>(std::get<double>(b));
    }
    return a == b;
}

/// The text a value shows must read back, as a value of its type, to the same text.
inline void require_stable_text(const BinaryValue& value, ParamType type) {
    const auto text = binary_value_as_text(value);
    require(text.has_value() != std::holds_alternative<std::monostate>(value));
    (void)binary_value_as_integer(value);
    if (!text) {
        return;
    }
    if (const auto parsed = binary_value_from_text(*text, type)) {
        require(binary_value_as_text(*parsed) == text);
    }
}

/// Capability flags from one fuzz byte: the bits that change how packets are laid out.
inline std::uint32_t capabilities_from(std::uint8_t bits) {
    std::uint32_t caps = 0;
    const std::uint32_t choices[] = {CLIENT_PROTOCOL_41,       CLIENT_TRANSACTIONS,
                                     CLIENT_SESSION_TRACK,     CLIENT_DEPRECATE_EOF,
                                     CLIENT_SECURE_CONNECTION, CLIENT_PLUGIN_AUTH,
                                     CLIENT_CONNECT_WITH_DB,   CLIENT_CONNECT_ATTRS};
    for (int i = 0; i < 8; ++i) {
        if (bits & (1u << i)) {
            caps |= choices[i];
        }
    }
    return caps;
}

} // namespace shardgate::fuzz::mysql
