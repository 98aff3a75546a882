// The data of a resharding workflow's streams (which rows go from which shard to which, and
// the replication objects that carry them), the same for both engines, and the steps of a
// stream, which run the engine's own mechanics (reshard_pg.hpp, reshard_mariadb.hpp).
// docs/resharding.md.
#pragma once

#include "shardgate/txn/resolver.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
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
    /// The key ranges the rows come from, as (label, SQL condition), when there are several
    /// (progress per range); `condition` is their OR.
    std::vector<std::pair<std::string, std::string>> ranges;
};

/// The rows going from one source shard to one target shard, and the replication objects
/// that carry them.
struct Stream {
    std::string from;
    std::string to;
    std::vector<TableMove> tables;
    std::string name; ///< publication, subscription and slot name of the forward stream
    std::string back; ///< the same for the reverse stream (after the cutover)
    /// Copy throttles: at most this many rows per second (0: no cap), and no chunk while a
    /// replica of either side lags more than max_replica_lag_ms (0: not watched); `replicas`
    /// are those replicas, host:port. MariaDB's copy always runs in chunks; PostgreSQL's only
    /// when `chunked_copy` (a throttle was asked for), else the subscription copies by itself.
    std::uint64_t max_rows_per_s = 0;
    std::uint64_t max_replica_lag_ms = 0;
    std::vector<std::string> replicas;
    bool chunked_copy = false;
};

/// Mechanics::visibility steps.
constexpr unsigned show_owner = 1;
constexpr unsigned hide_other = 2;

/// The moved rows of one key range of a table: on the source, and of them on the target.
struct RangeProgress {
    std::string range;
    std::uint64_t rows_total = 0;
    std::uint64_t rows_copied = 0;
};

/// One table's moved rows: on the source, and of them on the target (per range when the
/// table's rows come from several).
struct TableProgress {
    std::string table;
    std::uint64_t rows_total = 0;
    std::uint64_t rows_copied = 0;
    std::vector<RangeProgress> ranges;
};

/// A table's moved rows counted on the source and (when `target` is not null: the table
/// exists there) on the target; `quoted_table` in the engine's quoting. One query per side.
TableProgress count_moved(const TableMove& move, const std::string& quoted_table,
                          shardgate::txn::SqlSession& source, shardgate::txn::SqlSession* target);

/// Progress of one stream.
struct Progress {
    std::uint64_t rows_total = 0;  ///< moved rows on the source
    std::uint64_t rows_copied = 0; ///< of them on the target
    std::vector<TableProgress> tables;
    bool synced = false;        ///< every table's initial copy is done
    std::int64_t lag_bytes = 0; ///< WAL the subscription has not confirmed
    std::int64_t lag_ms = 0;
    std::string error; ///< the subscription's copy or apply failures, "" when none
};

using shardgate::txn::ShardServer;

/// Rows and an order-independent checksum of one table's moved rows on both sides, and the
/// key buckets where they differ: rows are grouped by the first byte of the MD5 of their key's
/// text, which for a hash table is the keyspace range 0xNN00000000000000-0xNNffffffffffffff.
struct Difference {
    std::string table;
    std::uint64_t source_rows = 0;
    std::uint64_t target_rows = 0;
    bool checksums_equal = false;
    std::vector<std::string> buckets; ///< two hex digits each
};

/// The Difference of `table` from each side's (bucket, rows, checksum) rows, as the engines'
/// verify queries return them; nullopt when both sides are equal.
std::optional<Difference>
compare_buckets(const std::string& table,
                const std::vector<shardgate::txn::SqlSession::Row>& source,
                const std::vector<shardgate::txn::SqlSession::Row>& target);

/// One moved row as verify compares it: its key as text, its key bucket (two hex digits), a
/// hash of the whole row's text.
struct RowHash {
    std::string key;
    std::string bucket;
    std::string hash;
};
/// Rows by an id of their key (the key's text, or its hex).
using RowHashes = std::map<std::string, RowHash>;

/// The rows of a table whose figures differed, compared one by one and again after each
/// catch-up until only real differences are left: a row whose source side did not change
/// between two reads, and whose target side still differs after the change capture applied
/// everything written before the second read, differs; a row that changed again is compared
/// once more (up to `rounds` times).
struct RowCheck {
    std::vector<RowHash> different; ///< on the source, and different or absent on the target
    std::vector<RowHash> extra;     ///< on the target only
    std::vector<RowHash> moving;    ///< still changing after the last round
    std::size_t rechecked = 0;      ///< rows that differed at first and were equal later
};

/// "0x4a00000000000000-0x4affffffffffffff" for bucket "4a".
std::string bucket_range(const std::string& bucket);

/// Returns a session to the process's pool when done with it (discarded when an exception is
/// on its way: its state is unknown).
struct SessionReturn {
    std::string key;
    int exceptions = 0;
    void operator()(shardgate::txn::SqlSession* session) const;
};
using PooledSession = std::unique_ptr<shardgate::txn::SqlSession, SessionReturn>;

/// A session to `server` from the process's pool, else a new one from `connect`. Logging in
/// costs tens of milliseconds (SCRAM), and a cutover's steps run while writes are paused: they
/// reuse what the steps before them opened. Thread-safe; a session serves one holder at a time.
PooledSession
pooled_session(const ShardServer& server,
               const std::function<std::unique_ptr<shardgate::txn::SqlSession>()>& connect);

nlohmann::json to_json(const Stream& stream);
Stream stream_from_json(const nlohmann::json& doc);

/// A shard's login as JSON (for a background process's environment), and back.
nlohmann::json server_to_json(const ShardServer& server);
ShardServer server_from_json(const nlohmann::json& doc);

/// Starts `shardctl reshard apply` in the background (its own session, output appended to
/// $SHARDCTL_LOG_DIR/shardctl-reshard-`log_name`.log, /tmp by default) with `doc` in its
/// environment: MariaDB's change applier, PostgreSQL's chunked copy (`doc`'s "engine").
void spawn_background(const nlohmann::json& doc, const std::string& log_name);

/// `shardctl reshard apply`: runs what spawn_background started; its exit code.
int run_background(std::ostream& log);

/// Rows per chunk of `complete`'s deletes: 5,000, or half a second's worth under a rows/s cap.
std::size_t delete_chunk_rows(const Stream& stream);

/// `complete`'s deletes on the source, before the first chunk and between chunks: at most the
/// stream's rows/s cap, and a wait while `lagging` says why ("" : no replica lags more than the
/// stream allows; asked at most every 500 ms), at most 5 minutes at a time (a replica gone
/// for good must not hold `complete` forever). The wait is said on stderr once per streak.
class DeletePacer {
public:
    DeletePacer(const Stream& stream, std::function<std::string()> lagging);
    /// After a chunk of `rows` deleted rows (0: before the first).
    void operator()(std::uint64_t rows);

private:
    const Stream& stream_;
    std::function<std::string()> lagging_;
    std::chrono::steady_clock::time_point since_ = std::chrono::steady_clock::now();
    std::chrono::steady_clock::time_point checked_{};
    std::uint64_t paced_ = 0;
};

/// The steps of a stream, one implementation per engine (reshard_pg.cpp: logical replication;
/// reshard_mariadb.cpp: chunked copy and a binlog change applier). Blocking; each opens its
/// own sessions (from the process's pool).
struct Mechanics {
    /// Creates missing target tables (as on the source) and starts the copy and change
    /// capture into the target. Idempotent (resume runs it again).
    void (*start_stream)(Stream& stream, const ShardServer& source, const ShardServer& target);
    Progress (*progress)(const Stream& stream, const ShardServer& source,
                         const ShardServer& target);
    /// Waits until the target applied everything the source committed before this call (a
    /// marker row written on the source and seen on the target); false after `timeout_ms`.
    bool (*caught_up)(const Stream& stream, const ShardServer& source, const ShardServer& target,
                      unsigned timeout_ms);
    /// Stops (false) or restarts (true) the copy and change capture into the target.
    void (*set_enabled)(const Stream& stream, const ShardServer& target, bool enabled);
    /// Rows and checksums of the moved rows of each table on both sides (after the stream
    /// caught up); the tables whose figures differ.
    std::vector<Difference> (*verify)(const Stream& stream, const ShardServer& source,
                                      const ShardServer& target);
    /// Writes paused and caught up: every sequence (identity, serial, AUTO_INCREMENT) behind a
    /// moved column on `to` is set past what `from` handed out and past the column's largest
    /// value there, so new rows on `to` do not collide with copied ones.
    void (*sync_sequences)(const Stream& stream, const ShardServer& from, const ShardServer& to);
    /// Before the cutover's pause: whatever makes starting the reverse stream fast.
    void (*prepare_reverse)(const Stream& stream, const ShardServer& source,
                            const ShardServer& target);
    /// At the cutover, writes paused: the forward stream stops and the reverse one (target ->
    /// source, so that a rollback loses nothing) starts. Idempotent.
    void (*reverse)(const Stream& stream, const ShardServer& source, const ShardServer& target);
    /// After a rollback (or an undone cutover): the reverse stream is stopped and dropped.
    void (*drop_reverse)(const Stream& stream, const ShardServer& source,
                         const ShardServer& target);
    /// `complete`: every replication object dropped, the moved rows deleted on the source in
    /// chunks (a whole-table move drops the source table).
    void (*complete)(const Stream& stream, const ShardServer& source, const ShardServer& target);
    /// `abort` before the cutover: replication objects dropped, the target's copies removed.
    void (*abort)(const Stream& stream, const ShardServer& source, const ShardServer& target);
    /// verify's second look: the moved rows of `move` on `server` whose key bucket is one of
    /// `buckets`, or (when `ids` is not empty) whose key id is one of `ids`.
    RowHashes (*row_hashes)(const TableMove& move, const ShardServer& server,
                            const std::vector<std::string>& buckets,
                            const std::vector<std::string>& ids);
    /// Which side shows the moving rows of tables that keep rows on both (key ranges) to the
    /// applications' logins: the target (`moved`, a cutover) or the source (before it, and a
    /// rollback). `steps`: show_owner (the owner shows them: before the switch, so reads the
    /// new map sends there find them) and/or hide_other (the other side hides them: after the
    /// switch). Idempotent.
    void (*visibility)(const Stream& stream, const ShardServer& source, const ShardServer& target,
                       bool moved, unsigned steps);
};

/// verify's row-level comparison of the buckets of `difference` (see RowCheck); `caught_up`
/// waits until the change capture applied everything written before its call (false: it did
/// not in time, and the rows still in question count as moving).
RowCheck check_rows(const Mechanics& engine, const TableMove& move, const ShardServer& source,
                    const ShardServer& target, const Difference& difference, unsigned rounds,
                    const std::function<bool()>& caught_up);

/// The mechanics of `server`'s engine (every shard of a database has the same engine).
const Mechanics& engine(const ShardServer& server);

} // namespace shardctl::reshard
