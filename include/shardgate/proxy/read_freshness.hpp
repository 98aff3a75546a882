// Read-your-writes state of one client session: where its last write on each shard ended.
#pragma once

#include "shardgate/shardmaps/shard.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shardgate::proxy {

/// The end of a session's last write on one shard.
struct WriteMark {
    std::chrono::steady_clock::time_point at; ///< when the write's transaction ended
    /// PostgreSQL: the primary's WAL position (pg_current_wal_lsn()) after the commit.
    std::optional<std::int64_t> lsn;
    /// MariaDB: the session's last GTID (session_track_gtids / @@last_gtid), "domain-server-seq".
    std::string gtid;
};

/// Per session, per shard of its database. Owned by the session (one thread, no locks).
class ReadFreshness {
public:
    void wrote(shardmaps::ShardId shard, WriteMark mark);
    /// The last write on `shard`, or nullptr when the session never wrote there.
    const WriteMark* last_write(shardmaps::ShardId shard) const;
    void clear() { marks_.clear(); }

private:
    std::vector<std::optional<WriteMark>> marks_;
};

/// The newest commit this proxy acknowledged on one shard, from any session of either data
/// plane on any worker (read_your_writes: proxy). Lock-free; positions only move forward.
/// A MariaDB GTID in a replication domain other than the first one seen makes the position
/// unknown (mark() without lsn or gtid: only the primary is safe) until restart. A commit
/// whose position was not learnt does not move it (its session's own mark still does).
class CommitWatermark {
public:
    void advance(const WriteMark& mark);
    /// The watermark as a write mark, or nullopt while nothing was committed.
    std::optional<WriteMark> mark() const;

private:
    std::atomic<std::int64_t> lsn_{-1};
    std::atomic<std::uint64_t> gtid_sequence_{0};
    std::atomic<std::uint64_t> gtid_domain_{0};
    std::atomic<bool> gtid_seen_{false};
    std::atomic<bool> unknown_{false};
};

/// True when a replica whose @@gtid_slave_pos is `replica_position` has applied `gtid`
/// (same replication domain, sequence number at least as high). Positions are lists
/// "d-s-n,d-s-n"; a malformed or empty `gtid` is never covered.
bool gtid_covered(std::string_view replica_position, std::string_view gtid);

} // namespace shardgate::proxy
