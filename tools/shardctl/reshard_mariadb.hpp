// MariaDB mechanics of `shardctl reshard`: the moved rows are copied in primary-key chunks and
// kept up to date from the source's row-based binlog, read from a GTID position taken with a
// consistent snapshot before the copy. A change applier (a `shardctl reshard apply` process
// started in the background) cuts the keys of every changed row of a moving table out of the
// binlog, reads those rows again on the source (a locking read, so a committing writer is
// waited for) and writes them — or deletes them when gone or moved out of the range — on the
// target, in one transaction with its binlog position, so a restart resumes exactly where it
// stopped. After the cutover a second applier sends the target's changes back to the source
// so that a rollback loses nothing. docs/resharding.md.
#pragma once

#include "reshard_stream.hpp"

#include <ostream>

namespace shardctl::reshard::mariadb {

/// The steps of a MariaDB stream: `start_stream` checks the servers (ROW binlog with full
/// images), creates the marker and position tables and the stream's position (a GTID taken with
/// a consistent snapshot) unless it exists, then starts the stream's applier.
extern const Mechanics mechanics;

/// The applier of one direction of `stream` (`back`: target -> source, stream.back's
/// position), as run by `shardctl reshard apply`: copies first when the position says so, then
/// applies binlog changes until its position is stopped or removed. Returns the exit code.
int apply(const Stream& stream, bool back, const ShardServer& source, const ShardServer& target,
          std::ostream& log);
/// The same, with the stream and servers from the document spawn_background passed.
int apply_from_document(const nlohmann::json& doc, std::ostream& log);

} // namespace shardctl::reshard::mariadb
