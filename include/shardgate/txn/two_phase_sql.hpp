// The SQL of shardgate's two-phase commit, for both engines, and its transaction ids: used by
// the proxies (which run the protocol, proxy/common/two_phase) and by every resolver (the
// proxies' own and `shardctl txn`). docs/cross-shard-writes.md.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shardgate::txn {

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
    /// The transactions whose decision is older than `seconds`: one column, txn.
    std::string old_decisions(unsigned seconds) const;
};

/// Quotes `text` as an SQL string literal of `engine` (no backslash escapes in either).
std::string sql_literal(TwoPhaseEngine engine, std::string_view text);

} // namespace shardgate::txn
