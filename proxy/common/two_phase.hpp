// Distributed transactions, engine-neutral: a client transaction that writes on several shards
// commits with two-phase commit. The shard the transaction started on is its coordinator: it
// runs as an ordinary transaction and commits last, in one phase, together with the commit
// decision (one row in shardgate's decision table on that shard). Every other shard
// (participant) is prepared first (PostgreSQL PREPARE TRANSACTION, MariaDB XA PREPARE) and
// committed after the decision is durable. Whoever finds a prepared participant later (a
// proxy's resolver, `shardctl txn resolve`) reads the decision on the coordinator shard, or
// decides abort by writing its own row there first: the decision table's primary key makes
// the coordinator's commit and a resolver's abort exclude each other.
// docs/cross-shard-writes.md explains the protocol, its guarantees and what it costs.
#pragma once

#include "shardgate/proxy/net/wire_io.hpp"
#include "shardgate/txn/two_phase_sql.hpp"

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shardgate::proxy {

using txn::decision_table;
using txn::gid_prefix;
using txn::next_txn_id;
using txn::parse_gid;
using txn::ParsedGid;
using txn::participant_gid;
using txn::sql_literal;
using txn::TwoPhaseEngine;
using txn::TwoPhaseSql;

/// How one protocol statement ended on one shard.
struct StepResult {
    bool ok = false;
    std::string tag; ///< PostgreSQL: the CommandComplete tag (COMMIT of an aborted one: ROLLBACK)
    /// The connection broke (or never answered): the statement's effect is unknown.
    bool lost = false;
    std::string sqlstate;
    std::string message;
    /// PostgreSQL: the first column of the first row, when the statement returned rows.
    std::optional<std::string> first_value;
    /// MySQL: the OK packet's last insert id.
    std::uint64_t last_insert_id = 0;
};

/// One shard of a distributed transaction, as the coordinator sees it. Index 0 is the
/// coordinator shard (the transaction's first), the others are participants.
struct TxnShard {
    std::string name;
    std::string gid; ///< participants: their prepared id (empty for the coordinator)
};

/// How a commit ended, for the client's answer and the counters.
struct CommitOutcome {
    enum class Result {
        committed, ///< decision recorded and the coordinator committed
        aborted,   ///< every shard rolled back (or will be: left prepared for the resolver)
        unknown    ///< the coordinator's COMMIT got no answer: the resolver decides
    };
    Result result = Result::aborted;
    std::string sqlstate; ///< aborted / unknown: why, naming the shard
    std::string message;
    /// Participants whose COMMIT/ROLLBACK PREPARED failed: prepared until a resolver ends them.
    std::vector<std::string> left_in_doubt;
};

/// Runs one protocol statement on shard `index` of the transaction (the plane's connection
/// held for it) and reads its answer to the end.
using RunStep = std::function<asio::awaitable<StepResult>(std::size_t index, std::string sql)>;

/// Commits a transaction open on `shards` (index 0 the coordinator; at least 2) with
/// two-phase commit: prepare every participant, record the decision and commit on the
/// coordinator, commit every participant. Any failure before the coordinator's commit rolls
/// every shard back.
asio::awaitable<CommitOutcome> commit_two_phase(const TwoPhaseSql& sql, std::string_view txn,
                                                const std::vector<TxnShard>& shards,
                                                const RunStep& run);

/// Rolls back a transaction open on `shards` (none prepared). Returns the shards whose
/// ROLLBACK failed (their connections should be closed: the server then rolls back).
asio::awaitable<std::vector<std::size_t>>
rollback_all(const TwoPhaseSql& sql, const std::vector<TxnShard>& shards, const RunStep& run);

} // namespace shardgate::proxy
