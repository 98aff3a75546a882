// PostgreSQL mechanics of `shardctl reshard`: moved rows are copied and kept up to date by the
// servers' own logical replication — a publication on the source with a row filter (the
// placement function in SQL) and a subscription on the target that takes the snapshot and then
// streams changes — and sent back the other way after the cutover so that a rollback loses
// nothing. A throttled copy is shardctl's own (copy_from_document). docs/resharding.md.
#pragma once

#include "reshard_stream.hpp"

#include <ostream>

namespace shardctl::reshard::pg {

/// The steps of a PostgreSQL stream.
extern const Mechanics mechanics;

/// A stream's chunked copy (Stream::chunked_copy), as run by `shardctl reshard apply`: a
/// replication slot made with an exported snapshot, the moved rows read in that snapshot and
/// written on the target in chunks under the stream's throttles, then the subscription made
/// on the slot without a copy of its own. Starts over from nothing after a failure (the
/// snapshot ends with its session). Returns the exit code.
int copy_from_document(const nlohmann::json& doc, std::ostream& log);

} // namespace shardctl::reshard::pg
