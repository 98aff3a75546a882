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

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shardgate::proxy {

enum class TwoPhaseEngine { postgresql, mysql };

/// Where the decision rows live on every shard (schema / database `shardgate`).
inline constexpr std::string_view decision_table = "shardgate.txn_decisions";
/// Every transaction id shardgate prepares starts with this (resolvers leave others alone).
inline constexpr std::string_view gid_prefix = "sg1.";

/// A new distributed transaction id: this process's random nonce and a sequence number.
std::string next_txn_id();

/// The transaction id a participant is prepared under:
/// "sg1.<txn>.<coordinator shard>.<participant shard>" (fits MariaDB's 64-byte gtrid).
/// nullopt when a shard name cannot be part of it (only [A-Za-z0-9_-], at most 20 bytes).
std::optional<std::string> participant_gid(std::string_view txn, std::string_view coordinator,
                                           std::string_view participant);

/// A prepared transaction's id taken apart; nullopt for ids shardgate did not make.
struct ParsedGid {
    std::string txn;
    std::string coordinator;
    std::string participant;
};
std::optional<ParsedGid> parse_gid(std::string_view gid);

/// The statements of the protocol in each engine's SQL.
struct TwoPhaseSql {
    TwoPhaseEngine engine;

    /// Starts a participant's transaction (MariaDB: XA START; PostgreSQL: the client's BEGIN).
    std::string start(std::string_view gid, std::string_view begin_sql) const;
    /// Prepares a participant (MariaDB: XA END, then XA PREPARE).
    std::vector<std::string> prepare(std::string_view gid) const;
    std::string commit_prepared(std::string_view gid) const;
    std::string rollback_prepared(std::string_view gid) const;
    /// Ends a participant that was not prepared (MariaDB: XA END, then XA ROLLBACK).
    std::vector<std::string> rollback_active(std::string_view gid) const;
    /// Creates the decision table if missing (run outside any transaction).
    std::vector<std::string> create_decision_table() const;
    /// Records the commit decision for `txn` (run inside the coordinator's transaction).
    std::string record_commit(std::string_view txn, std::string_view participants) const;
    /// Records an abort decision unless a decision exists (a resolver, autocommit).
    std::string record_abort(std::string_view txn) const;
    /// The decision for `txn`: one row, one column ('commit' or 'abort'), or no row.
    std::string read_decision(std::string_view txn) const;
    /// Lists the prepared transactions of this database: PostgreSQL one column (the gid),
    /// MariaDB XA RECOVER (formatID, gtrid_length, bqual_length, data).
    std::string list_prepared() const;
    /// Removes the decision row of a transaction finished on every shard.
    std::string forget_decision(std::string_view txn) const;
};

/// Quotes `text` as an SQL string literal of `engine` (no backslash escapes in either).
std::string sql_literal(TwoPhaseEngine engine, std::string_view text);

/// How one protocol statement ended on one shard.
struct StepResult {
    bool ok = false;
    std::string tag; ///< PostgreSQL: the CommandComplete tag (COMMIT of an aborted one: ROLLBACK)
    /// The connection broke (or never answered): the statement's effect is unknown.
    bool lost = false;
    std::string sqlstate;
    std::string message;
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
