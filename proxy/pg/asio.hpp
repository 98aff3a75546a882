// Boost.Asio with Boost 1.74's missing include fixed (see shardgate/proxy/net/asio.hpp).
#pragma once

#include "shardgate/proxy/net/asio.hpp"
