// Result<T>: a value or a parse error with a byte position; the parser never throws on data.
#pragma once

#include "shardgate/result.hpp"

#include <cstdint>
#include <string>
#include <utility>
#include <variant>

namespace shardgate::parser {

/// Why a statement was not understood: `position` is a byte offset into the statement text.
struct Error {
    std::uint32_t position = 0;
    std::string message;
};

/// A value or an Error (shardgate::Result: ok(), value(), error()).
template <class T> using Result = shardgate::Result<T, Error>;

/// Result of an operation that fills an output parameter: ok, or an Error.
using Status = shardgate::Status<Error>;

} // namespace shardgate::parser
