// PostgreSQL mechanics of `shardctl reshard`: moved rows are copied and kept up to date by the
// servers' own logical replication — a publication on the source with a row filter (the
// placement function in SQL) and a subscription on the target that takes the snapshot and then
// streams changes — and sent back the other way after the cutover so that a rollback loses
// nothing. docs/resharding.md.
#pragma once

#include "reshard_stream.hpp"

namespace shardctl::reshard::pg {

/// Creates missing target tables (as on the source), the publication and the subscription
/// (which copies a snapshot, then streams changes).
void start_stream(Stream& stream, const ShardServer& source, const ShardServer& target);
Progress progress(const Stream& stream, const ShardServer& source, const ShardServer& target);
/// Waits until the target applied everything the source committed before this call (a marker
/// row written on the source and seen on the target); false after `timeout_ms`.
bool caught_up(const Stream& stream, const ShardServer& source, const ShardServer& target,
               unsigned timeout_ms);
/// Stops (false) or restarts (true) the copy and change capture into the target.
void set_enabled(const Stream& stream, const ShardServer& target, bool enabled);
/// Rows and an order-independent checksum of the moved rows of each table, on the source and
/// on the target (after the stream caught up); the tables whose figures differ.
std::vector<Difference> verify(const Stream& stream, const ShardServer& source,
                               const ShardServer& target);
/// Writes paused and caught up: every sequence behind a moved table's column (identity,
/// serial) on `to` is set past what `from`'s sequence handed out and past the largest value
/// in the column there, so new rows on `to` do not collide with copied ones.
void sync_sequences(const Stream& stream, const ShardServer& from, const ShardServer& to);
/// Before the cutover's pause: the reverse stream's publication, slot and (disabled)
/// subscription, so that starting it during the pause takes milliseconds.
void prepare_reverse(const Stream& stream, const ShardServer& source, const ShardServer& target);
/// At the cutover, writes paused: the forward subscription stops and the reverse stream starts
/// (publication on the target, subscription on the source without a copy).
void reverse(const Stream& stream, const ShardServer& source, const ShardServer& target);
/// After a rollback: the reverse stream caught up is dropped; the target keeps its copy.
void drop_reverse(const Stream& stream, const ShardServer& source, const ShardServer& target);
/// `complete`: every replication object dropped, the moved rows deleted on the source in
/// chunks (a whole-table move drops the source table).
void complete(const Stream& stream, const ShardServer& source, const ShardServer& target);
/// `abort` before the cutover: replication objects dropped, the target's copies removed.
void abort(const Stream& stream, const ShardServer& source, const ShardServer& target);

} // namespace shardctl::reshard::pg
