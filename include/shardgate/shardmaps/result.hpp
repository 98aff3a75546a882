// Result<T>: a value or a lookup error, so the data path reports failures without exceptions.
#pragma once

#include "shardgate/result.hpp"

#include <string>
#include <utility>
#include <variant>

namespace shardgate::shardmaps {

/// Why a lookup failed. The planner maps each code to a protocol error (SQLSTATE / errno).
enum class LookupErrorCode {
    unknown_database, ///< the map has no database of that name
    bad_key,          ///< the key value cannot be read as the shard key's type
    no_shard,         ///< the key falls outside every range/list/bucket and there is no default
    not_sharded,      ///< a key-based question was asked of a vertical or reference table
};

/// A failed lookup: a code for programs and a one-line message for people.
struct LookupError {
    LookupErrorCode code;
    std::string message;
};

/// Either a T or a LookupError (shardgate::Result: ok(), value(), error()).
template <class T> using Result = shardgate::Result<T, LookupError>;

/// Shorthand used by the implementation to build an error result.
inline LookupError lookup_error(LookupErrorCode code, std::string message) {
    return LookupError{code, std::move(message)};
}

} // namespace shardgate::shardmaps
