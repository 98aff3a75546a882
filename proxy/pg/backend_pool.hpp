// The PostgreSQL data plane's per-worker backend pool (common/backend_pool.hpp) and how its
// failures read as PostgreSQL errors.
#pragma once

#include "backend_connection.hpp"
#include "common/backend_pool.hpp"

#include <string_view>

namespace shardgate::proxy::pg {

using BackendPool = proxy::BackendPool<BackendConnection, BackendTarget>;
using Acquired = proxy::Acquired<BackendConnection>;

/// 08006 for an unavailable backend, 53300 (too many connections) for a pool that stayed busy.
inline std::string_view sqlstate_of(Acquired::Failure failure) {
    return failure == Acquired::Failure::busy ? "53300" : "08006";
}

} // namespace shardgate::proxy::pg
