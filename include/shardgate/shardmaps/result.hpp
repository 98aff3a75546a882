// Result<T>: a value or a lookup error, so the data path reports failures without exceptions.
#pragma once

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

/// Either a T or a LookupError. Cheap to move; check ok() before value().
template <class T> class Result {
public:
    Result(T value) : state_(std::move(value)) {}
    Result(LookupError error) : state_(std::move(error)) {}

    /// True when a value is held.
    bool ok() const { return state_.index() == 0; }
    explicit operator bool() const { return ok(); }
    /// The value. Precondition: ok().
    const T& value() const& { return std::get<0>(state_); }
    T&& value() && { return std::get<0>(std::move(state_)); }
    const T& operator*() const& { return value(); }
    const T* operator->() const { return &value(); }
    /// The error. Precondition: !ok().
    const LookupError& error() const { return std::get<1>(state_); }

private:
    std::variant<T, LookupError> state_;
};

/// Shorthand used by the implementation to build an error result.
inline LookupError lookup_error(LookupErrorCode code, std::string message) {
    return LookupError{code, std::move(message)};
}

} // namespace shardgate::shardmaps
