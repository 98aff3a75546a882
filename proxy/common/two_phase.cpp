// The two-phase commit protocol (see two_phase.hpp and docs/cross-shard-writes.md).
#include "common/two_phase.hpp"

#include "common/distributed_txn.hpp"

#include <atomic>
#include <fmt/format.h>
#include <mutex>
#include <set>

namespace shardgate::proxy {

namespace {

std::string shard_error(const TxnShard& shard, const StepResult& step, std::string_view doing) {
    if (step.lost) {
        return fmt::format("shard {}: lost the connection during {}", shard.name, doing);
    }
    return fmt::format("shard {}: {} failed: {}", shard.name, doing, step.message);
}

} // namespace

asio::awaitable<CommitOutcome> commit_two_phase(const TwoPhaseSql& sql, std::string_view txn,
                                                const std::vector<TxnShard>& shards,
                                                const RunStep& run) {
    CommitOutcome out;
    std::vector<bool> prepared(shards.size(), false);
    std::vector<bool> ended(shards.size(), false); // no transaction left open there
    std::optional<StepResult> failure;
    std::string failed_doing;
    std::size_t failed_at = 0;

    for (std::size_t i = 1; i < shards.size() && !failure; ++i) {
        for (const auto& statement : sql.prepare(shards[i].gid)) {
            auto step = co_await run(i, statement);
            if (!step.ok) {
                failure = std::move(step);
                failed_doing = "PREPARE";
                failed_at = i;
                // A failed PREPARE TRANSACTION rolls the transaction back; a MariaDB branch
                // may still be idle after a failed XA PREPARE, so it gets XA ROLLBACK too.
                ended[i] = !failure->lost && sql.engine == TwoPhaseEngine::postgresql;
                break;
            }
        }
        prepared[i] = !failure;
    }
    if (!failure) {
        std::string names;
        for (std::size_t i = 1; i < shards.size(); ++i) {
            names += (i > 1 ? "," : "") + shards[i].name;
        }
        auto step = co_await run(0, sql.record_commit(txn, names));
        if (!step.ok) {
            failure = std::move(step);
            failed_doing = "recording the commit decision";
        }
    }
    if (!failure) {
        auto step = co_await run(0, "COMMIT");
        if (step.lost) {
            // The decision may or may not be durable: only the coordinator shard knows. The
            // participants stay prepared; a resolver reads the decision and ends them.
            out.result = CommitOutcome::Result::unknown;
            out.sqlstate = "08007";
            out.message = fmt::format("the commit of the distributed transaction {} on its "
                                      "coordinator shard {} got no answer; its outcome is "
                                      "unknown until shardgate's resolver ends it on every shard",
                                      txn, shards[0].name);
            for (std::size_t i = 1; i < shards.size(); ++i) {
                out.left_in_doubt.push_back(shards[i].name);
            }
            co_return out;
        }
        if (step.ok && step.tag != "ROLLBACK") {
            out.result = CommitOutcome::Result::committed;
            for (std::size_t i = 1; i < shards.size(); ++i) {
                const auto done = co_await run(i, sql.commit_prepared(shards[i].gid));
                if (!done.ok) {
                    out.left_in_doubt.push_back(shards[i].name);
                }
            }
            co_return out;
        }
        if (step.ok) {
            step.ok = false;
            step.message = "the transaction was rolled back";
        }
        failure = std::move(step);
        failed_doing = "COMMIT";
        ended[0] = true;
    }

    // Abort: nothing was decided, so every shard rolls back (a prepared participant whose
    // rollback fails is ended by a resolver: no decision row means abort).
    out.result = CommitOutcome::Result::aborted;
    out.sqlstate =
        failure->lost ? "08006" : (failure->sqlstate.empty() ? "40000" : failure->sqlstate);
    out.message = shard_error(shards[failed_at], *failure, failed_doing) +
                  "; the distributed transaction was rolled back on every shard";
    for (std::size_t i = 1; i < shards.size(); ++i) {
        if (prepared[i]) {
            const auto done = co_await run(i, sql.rollback_prepared(shards[i].gid));
            if (!done.ok) {
                out.left_in_doubt.push_back(shards[i].name);
            }
        } else if (!ended[i] && !(failure->lost && i == failed_at)) {
            for (const auto& statement : sql.rollback_active(shards[i].gid)) {
                co_await run(i, statement);
            }
        }
    }
    if (!ended[0] && !(failure->lost && failed_at == 0)) {
        co_await run(0, "ROLLBACK");
    }
    co_return out;
}

asio::awaitable<std::vector<std::size_t>>
rollback_all(const TwoPhaseSql& sql, const std::vector<TxnShard>& shards, const RunStep& run) {
    std::vector<std::size_t> failed;
    for (std::size_t i = 0; i < shards.size(); ++i) {
        const auto statements =
            i == 0 ? std::vector<std::string>{"ROLLBACK"} : sql.rollback_active(shards[i].gid);
        bool ok = true;
        for (const auto& statement : statements) {
            const auto step = co_await run(i, statement);
            ok = ok && step.ok;
            if (step.lost) {
                break;
            }
        }
        if (!ok) {
            failed.push_back(i);
        }
    }
    co_return failed;
}

namespace {

struct KnownTables {
    std::mutex mutex;
    std::set<std::string> servers;
};

KnownTables& known_tables() {
    static KnownTables tables;
    return tables;
}

} // namespace

bool decision_table_known(const std::string& server) {
    auto& known = known_tables();
    const std::lock_guard lock(known.mutex);
    return known.servers.contains(server);
}

asio::awaitable<void>
ensure_decision_table(const TwoPhaseSql& sql, const std::string& server,
                      const std::function<asio::awaitable<StepResult>(std::string)>& run) {
    auto& known = known_tables();
    {
        const std::lock_guard lock(known.mutex);
        if (known.servers.contains(server)) {
            co_return;
        }
    }
    bool ok = true;
    for (const auto& statement : sql.create_decision_table()) {
        const auto step = co_await run(statement);
        // Two sessions creating it at once: PostgreSQL may answer one of them with a unique
        // violation; the table exists either way.
        ok = ok && (step.ok || step.sqlstate == "23505" || step.sqlstate == "42P07");
        if (step.lost) {
            co_return; // the decision's INSERT then fails and says why
        }
    }
    if (ok) {
        const std::lock_guard lock(known.mutex);
        known.servers.insert(server);
    }
}

void count_commit(SessionStats& stats, const CommitOutcome& outcome,
                  std::chrono::steady_clock::time_point started) {
    stats.two_phase_left_prepared += outcome.left_in_doubt.size();
    switch (outcome.result) {
    case CommitOutcome::Result::committed:
        ++stats.two_phase_commits;
        stats.two_phase_commit_us +=
            static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                           std::chrono::steady_clock::now() - started)
                                           .count());
        break;
    case CommitOutcome::Result::unknown:
        ++stats.two_phase_unknown;
        break;
    case CommitOutcome::Result::aborted:
        ++stats.two_phase_aborts;
        break;
    }
}

} // namespace shardgate::proxy
