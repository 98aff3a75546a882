// PostgreSQL mechanics of `shardctl reshard`: moved rows are copied and kept up to date by the
// servers' own logical replication — a publication on the source with a row filter (the
// placement function in SQL) and a subscription on the target that takes the snapshot and then
// streams changes — and sent back the other way after the cutover so that a rollback loses
// nothing. docs/resharding.md.
#pragma once

#include "reshard_stream.hpp"

namespace shardctl::reshard::pg {

/// The steps of a PostgreSQL stream.
extern const Mechanics mechanics;

} // namespace shardctl::reshard::pg
