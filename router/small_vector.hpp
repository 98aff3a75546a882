// Boost's small_vector (inline storage, heap only past N elements) for the router's per-statement
// sets. GCC 12 reports a false -Wstringop-overread inside Boost's move of an inline
// small_vector (it assumes a size the inline buffer never has): silenced for Boost's code only.
#pragma once

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstringop-overread"
#include <boost/container/small_vector.hpp>
#pragma GCC diagnostic pop
#else
#include <boost/container/small_vector.hpp>
#endif
