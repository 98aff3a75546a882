// Boost.Asio, preceded by the one include Boost 1.74's awaitable.hpp forgets (std::exchange
// from <utility>). Include this before any Boost.Asio header.
#pragma once

// clang-format off
#include <utility>
#include <boost/asio/awaitable.hpp>
// clang-format on
