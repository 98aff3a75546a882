// The MySQL data plane's per-worker backend pool (common/backend_pool.hpp, keyed by endpoint,
// user, database and wire options) and how its failures read as MySQL errors.
#pragma once

#include "backend_connection.hpp"
#include "common/backend_pool.hpp"

#include <cstdint>
#include <string_view>

namespace shardgate::proxy::mysql {

using BackendPool = proxy::BackendPool<BackendConnection, BackendTarget>;
using Acquired = proxy::Acquired<BackendConnection>;

/// CR_SERVER_LOST 2013 / 08S01 for an unavailable backend, ER_CON_COUNT_ERROR 1040 / 08004
/// for a pool that stayed busy.
struct PoolError {
    std::uint16_t code;
    std::string_view sqlstate;
};
inline PoolError error_of(Acquired::Failure failure) {
    return failure == Acquired::Failure::busy ? PoolError{1040, "08004"} : PoolError{2013, "08S01"};
}

} // namespace shardgate::proxy::mysql
