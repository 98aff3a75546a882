// What both data planes share about a transaction open on several shards: the connections it
// holds (the current one and the parked ones), the shards' ids for the two-phase commit, the
// decision tables known to exist, and the counters of a commit.
#pragma once

#include "common/session_core.hpp"
#include "common/session_stats.hpp"
#include "common/two_phase.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace shardgate::proxy {

/// The open transaction's connection on a shard other than the one running statements now.
template <class Connection> struct Parked {
    shardmaps::ShardId shard;
    BackendIndex backend;
    std::shared_ptr<Connection> connection;
};

/// One shard of the transaction with its connection, in the transaction's order.
template <class Connection> struct Held {
    shardmaps::ShardId shard;
    std::shared_ptr<Connection> connection;
};

/// The transaction's connections, coordinator (first shard) first: `current` for the pinned
/// shard, the parked ones for the others. A shard without a connection is left out.
template <class Connection>
std::vector<Held<Connection>> held_connections(const SessionCore& core,
                                               const std::shared_ptr<Connection>& current,
                                               const std::vector<Parked<Connection>>& parked) {
    std::vector<Held<Connection>> held;
    for (const auto shard : core.txn_shards()) {
        if (current && core.pinned_shard() == shard) {
            held.push_back({shard, current});
            continue;
        }
        for (const auto& one : parked) {
            if (one.shard == shard) {
                held.push_back({shard, one.connection});
            }
        }
    }
    return held;
}

/// The shards as commit_two_phase takes them: names, and each participant's prepared id.
template <class Connection>
std::vector<TxnShard> txn_shards(const SessionCore& core, std::string_view txn,
                                 const std::vector<Held<Connection>>& held) {
    std::vector<TxnShard> shards;
    for (const auto& one : held) {
        const auto& name = core.shard_name(one.shard);
        shards.push_back(
            {name,
             shards.empty()
                 ? std::string()
                 : participant_gid(txn, core.shard_name(held.front().shard), name).value_or("")});
    }
    return shards;
}

/// The open transaction holds no current connection (joining a shard failed after the current
/// one was parked): `shard`'s parked connection, if there is one, becomes the current one
/// (returned true), so the transaction goes on inside its branch there, never on a fresh
/// connection outside it.
template <class Connection>
bool resume_parked(SessionCore& core, std::shared_ptr<Connection>& current,
                   std::vector<Parked<Connection>>& parked, shardmaps::ShardId shard) {
    for (auto it = parked.begin(); it != parked.end(); ++it) {
        if (it->shard == shard) {
            current = std::move(it->connection);
            core.pin(it->shard, it->backend);
            parked.erase(it);
            return true;
        }
    }
    return false;
}

/// The open transaction moves on to `shard`: the current connection (`current`, pinned in
/// `core`) is parked inside its open transaction, and `shard`'s parked connection, if there is
/// one, becomes the current one (returned true). False: the shard joins the transaction now
/// (the caller acquires a connection and starts the transaction on it).
template <class Connection>
bool park_and_resume(SessionCore& core, std::shared_ptr<Connection>& current,
                     std::vector<Parked<Connection>>& parked, shardmaps::ShardId shard) {
    parked.push_back({*core.pinned_shard(), *core.pinned_backend(), std::move(current)});
    current = nullptr;
    core.unpin();
    if (resume_parked(core, current, parked, shard)) {
        return true;
    }
    ++core.stats().two_phase_joins;
    return false;
}

/// Whether `server` is known to have the decision table (ensure_decision_table saw it): a
/// commit then needs no connection to check.
bool decision_table_known(const std::string& server);

/// Creates shardgate's decision table through `run` (an idle primary connection, autocommit)
/// unless `server` is known to have it (process-wide memory).
asio::awaitable<void>
ensure_decision_table(const TwoPhaseSql& sql, const std::string& server,
                      const std::function<asio::awaitable<StepResult>(std::string)>& run);

/// Adds a commit's outcome to the counters (`started`: when the commit began).
void count_commit(SessionStats& stats, const CommitOutcome& outcome,
                  std::chrono::steady_clock::time_point started);

} // namespace shardgate::proxy
