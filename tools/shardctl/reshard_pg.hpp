// PostgreSQL mechanics of `shardctl reshard`: moved rows are copied and kept up to date by the
// servers' own logical replication — a publication on the source with a row filter (the
// placement function in SQL) and a subscription on the target that takes the snapshot and then
// streams changes — and sent back the other way after the cutover so that a rollback loses
// nothing. docs/resharding.md.
#pragma once

#include "shardgate/txn/resolver.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace shardctl::reshard {

/// One table's rows that move from one shard to another.
struct TableMove {
    std::string table;
    std::string key;            ///< the shard key column ("" for a whole-table move)
    std::string condition;      ///< SQL selecting the moved rows on the source ("TRUE": all)
    bool whole_table = false;   ///< a vertical move: the source table goes at `complete`
    bool created_table = false; ///< shardctl created it on the target (dropped at `abort`)
    bool identity_full = false; ///< the source table was set to REPLICA IDENTITY FULL
    /// A reference table's copy for a new shard: after the cutover proxies write every copy
    /// themselves, so it has no reverse stream and the source keeps its rows.
    bool reference = false;
};

/// The rows going from one source shard to one target shard, and the replication objects
/// that carry them.
struct Stream {
    std::string from;
    std::string to;
    std::vector<TableMove> tables;
    std::string name; ///< publication, subscription and slot name of the forward stream
    std::string back; ///< the same for the reverse stream (after the cutover)
};

/// Progress of one stream.
struct Progress {
    std::uint64_t rows_total = 0;  ///< moved rows on the source
    std::uint64_t rows_copied = 0; ///< of them on the target
    bool synced = false;           ///< every table's initial copy is done
    std::int64_t lag_bytes = 0;    ///< WAL the subscription has not confirmed
    std::int64_t lag_ms = 0;
    std::string error; ///< the subscription's copy or apply failures, "" when none
};

using shardgate::txn::ShardServer;

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
struct Difference {
    std::string table;
    std::uint64_t source_rows = 0;
    std::uint64_t target_rows = 0;
    bool checksums_equal = false;
};
std::vector<Difference> verify(const Stream& stream, const ShardServer& source,
                               const ShardServer& target);
/// Writes paused and caught up: every sequence behind a moved table's column (identity,
/// serial) on `to` is set past what `from`'s sequence handed out and past the largest value
/// in the column there, so new rows on `to` do not collide with copied ones.
void sync_sequences(const Stream& stream, const ShardServer& from, const ShardServer& to);
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

} // namespace shardctl::reshard
