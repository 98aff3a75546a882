// Result<T>: a value or a parse error with a byte position; the parser never throws on data.
#pragma once

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

/// A value or an Error. Cheap to move; check `ok()` before calling `value()`.
template <class T> class Result {
public:
    Result(T value) : data_(std::move(value)) {}
    Result(Error error) : data_(std::move(error)) {}

    bool ok() const { return data_.index() == 0; }
    explicit operator bool() const { return ok(); }
    T& value() { return std::get<0>(data_); }
    const T& value() const { return std::get<0>(data_); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() { return value(); }
    const T& operator*() const { return value(); }
    const Error& error() const { return std::get<1>(data_); }

private:
    std::variant<T, Error> data_;
};

/// Result of an operation that fills an output parameter.
struct Status {
    Status() = default;
    Status(Error error) : failed_(true), error_(std::move(error)) {}

    bool ok() const { return !failed_; }
    explicit operator bool() const { return ok(); }
    const Error& error() const { return error_; }

private:
    bool failed_ = false;
    Error error_;
};

} // namespace shardgate::parser
