// Shadow reads (`shardctl reshard shadow`): while a resharding workflow runs, a sample of the
// read statements in its scope is run again off the client's path, on one thread of its own:
// once under the running map and once under the workflow's target map, on the shards'
// primaries, and the two answers compared (rows as a multiset: a 64-bit hash of each row's
// values, summed, and the row count). A difference is looked at again 0.3 s and 1.3 s later:
// equal then, it was a write in flight ("settled"); when the old layout's answer
// held still between two looks and the new one still differs, it is a mismatch, counted and
// logged (event shadow_mismatch, with the statement's fingerprint); an answer that changed at
// every look (an aggregate under constant writes) gets no verdict ("unsettled").
// Text statements qualify (PostgreSQL's simple Query, MySQL's COM_QUERY), and prepared ones
// with their parameters written in as literals (the extended protocol's Bind, MySQL's
// COM_STMT_EXECUTE), outside transactions; a cross-shard read whose answer needs a merge (ORDER BY
// with LIMIT, aggregates, DISTINCT, ...) is skipped. On MariaDB (no row-level security) each
// shard's statement of a cross-shard read carries the ownership filter of the layout it runs
// under (owned_rows.hpp), as the proxy's own reads do. Each run logs in as
// the client's own backend login, inside a read-only transaction that is rolled back, with
// the session's locks released after it; an answer over 10,000 rows is skipped.
// docs/resharding.md, "Shadow reads".
#pragma once

#include "shardgate/monitor/client_login.hpp"
#include "shardgate/router/merge.hpp"
#include "shardgate/router/plan.hpp"
#include "shardgate/shardmaps/shard_map.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>

namespace shardgate::proxy {

class ShadowReads {
public:
    /// The running map (the old layout), read for each comparison.
    using RunningMap = std::function<shardmaps::ShardMapPtr()>;
    /// owned_rows() over the tables in mid-move now, for a cross-shard read of `sql` planned
    /// under a map: one filter per shard of the plan (empty: none moving), or nullopt and why.
    using OwnedRows = std::function<std::optional<std::vector<router::OwnershipFilter>>(
        const shardmaps::ShardMap& planned, const router::Plan& plan, std::string_view sql,
        std::string& why)>;

    ShadowReads(monitor::ClientTls tls, std::chrono::milliseconds timeout, RunningMap running,
                OwnedRows owned_rows);
    ~ShadowReads();
    ShadowReads(const ShadowReads&) = delete;
    ShadowReads& operator=(const ShadowReads&) = delete;

    /// Starts a shadow, or replaces the running one (its figures start again), from
    /// {"workflow", "database", "tables": [...], "sample": 0..1, "map": target map YAML};
    /// "sample": 0 ends it. "" when done, else why it was refused.
    std::string configure(const nlohmann::json& spec);
    /// The spec's workflow and map text while a shadow runs ("" when none): to tell whether
    /// a newly read spec is the same.
    std::string current() const;

    /// A statement a session is about to run (cheap when no shadow runs, or when the sample
    /// passes it by: no lock): taken, by the sample rate, when it is a read in the shadow's
    /// scope sent as text without parameters outside a transaction; run again as `user`
    /// (the session's backend login). Never blocks: a full queue drops it (counted).
    void offer(const router::Plan& plan, std::string_view sql, bool in_transaction,
               const std::string& user, const std::string& password) {
        if (sampled(plan, in_transaction)) {
            offer_sampled(plan, sql, user, password);
        }
    }
    /// offer() in two steps, for a prepared statement whose text with its parameters written
    /// in is made only when the sample takes it: whether it does (cheap; no lock), then the
    /// statement's text (queued when it is in the shadow's scope; `template_sql`, the text
    /// with its placeholders, is what is checked for INTO, when given).
    bool sampled(const router::Plan& plan, bool in_transaction) const;
    void offer_sampled(const router::Plan& plan, std::string_view sql, const std::string& user,
                       const std::string& password, std::string_view template_sql = {});
    /// A sampled read in the shadow's scope that cannot be run again (its parameters have no
    /// literal here): counted as offered and skipped, with `why`.
    void offer_skipped(const router::Plan& plan, const std::string& why);

    /// {"active", "workflow", "database", "tables", "sample", "running_s", "offered",
    /// "compared", "settled", "unsettled", "mismatches", "skipped", "errors", "dropped",
    /// "queued", "last_mismatch", "last_error", "last_skipped"}.
    nlohmann::json status() const;

private:
    struct Spec;
    struct Job {
        std::shared_ptr<const Spec> spec;
        std::string sql;
        std::string user;
        std::string password;
    };
    struct Answer;
    class Runner; ///< the thread's sessions and planners

    void run();
    /// Compares one statement's answers (compare), counting an exception as an error.
    void check(Runner& runner, const Job& job);
    void compare(Runner& runner, const Job& job);

    const monitor::ClientTls tls_;
    const std::chrono::milliseconds timeout_;
    const RunningMap running_;
    const OwnedRows owned_rows_;

    std::atomic<bool> active_{false};
    std::atomic<double> sample_{0}; ///< the spec's, read without the lock
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::shared_ptr<const Spec> spec_;
    std::deque<Job> queue_;
    bool stopping_ = false;
    std::thread thread_;
    std::chrono::steady_clock::time_point since_;
    std::uint64_t offered_ = 0;
    std::uint64_t compared_ = 0;
    std::uint64_t settled_ = 0;
    std::uint64_t unsettled_ = 0;
    std::uint64_t mismatches_ = 0;
    std::uint64_t skipped_ = 0;
    std::uint64_t errors_ = 0;
    std::uint64_t dropped_ = 0;
    nlohmann::json last_mismatch_;
    std::string last_error_;
    std::string last_skipped_;
};

} // namespace shardgate::proxy
