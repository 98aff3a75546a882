// The cross-shard read executor (see scatter.hpp and docs/cross-shard.md).
#include "common/scatter.hpp"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <fmt/format.h>

namespace shardgate::proxy {

namespace {

using router::MergeProgram;
using router::Row;

/// Client bytes buffered before they are sent (and the client's pace is waited for).
constexpr std::size_t drain_at = 64 * 1024;

/// Refused by a bound of the statement's (54000) or of the whole process's (53200).
bool over_limit(const router::MergeRefusal& r) {
    return r.sqlstate == "54000" || r.sqlstate == "53200";
}

ScatterFailure refusal(const router::MergeRefusal& r) {
    return ScatterFailure{r.sqlstate, r.message, 0};
}

ScatterFailure leg_failure(const ScatterLeg& leg) {
    if (leg.failure()) {
        auto f = *leg.failure();
        f.message = "shard " + leg.shard() + ": " + f.message;
        return f;
    }
    return ScatterFailure{"08006", "shard " + leg.shard() + ": the answer ended early", 0};
}

/// The columns whose values a merge reads and cannot always compare (folded text).
std::vector<std::size_t> checked_columns(const MergeProgram& program,
                                         const std::vector<router::MergeColumn>& columns) {
    std::vector<std::size_t> out;
    auto add = [&](std::size_t column) {
        if (columns[column].kind == router::ValueKind::folded &&
            std::find(out.begin(), out.end(), column) == out.end()) {
            out.push_back(column);
        }
    };
    for (const auto& key : program.group_keys) {
        add(key.column);
    }
    for (const auto& key : program.distinct_keys) {
        add(key.column);
    }
    for (const auto& aggregate : program.aggregates) {
        if (aggregate.function != parser::Aggregate::count) {
            add(aggregate.column);
        }
    }
    for (const auto& key : program.order.keys()) {
        add(key.column);
    }
    return out;
}

class Run {
public:
    Run(const router::Plan& plan, std::size_t shards, const StartLeg& start, ScatterSink& sink,
        const ScatterSettings& settings)
        : plan_(plan), start_(start), sink_(sink), settings_(settings), legs_(shards),
          opened_(shards, false) {}

    asio::awaitable<ScatterOutcome> go() {
        if (legs_.empty()) {
            failure_ = ScatterFailure{"XX000", "internal: a cross-shard plan without shards", 0};
            co_return co_await finish();
        }
        const auto wave =
            std::min(legs_.size(), std::max<std::size_t>(1, settings_.limits.max_in_flight));
        outcome_.waves = wave < legs_.size();
        while (next_ < wave) {
            const bool started = co_await start_next();
            if (!started) {
                co_return co_await finish();
            }
        }
        std::vector<std::vector<router::MergeColumn>> columns;
        std::vector<std::string> shards;
        for (std::size_t i = 0; i < wave; ++i) {
            const bool opened = co_await legs_[i]->open();
            if (!opened) {
                failure_ = leg_failure(*legs_[i]);
                co_return co_await finish();
            }
            opened_[i] = true;
            columns.push_back(legs_[i]->columns());
            shards.push_back(legs_[i]->shard());
        }
        // (GCC 12: no temporaries or if-declarations around a co_await; it destroys them
        // twice)
        const auto drift = router::column_drift(columns, shards);
        if (drift) {
            failure_ = ScatterFailure{"42804", *drift, 0};
            co_return co_await finish();
        }
        reference_ = columns.front();
        first_shard_ = shards.front();
        if (settings_.refine_columns) {
            co_await settings_.refine_columns(columns.front());
        }
        auto program = router::prepare_merge(plan_, columns.front(), settings_.engine);
        if (!program) {
            failure_ = refusal(program.error());
            co_return co_await finish();
        }
        program_ = std::move(program.value());
        if (program_.shape == MergeProgram::Shape::ordered && outcome_.waves) {
            outcome_.over_limit = true;
            failure_ = ScatterFailure{"54000",
                                      "an ORDER BY across " + std::to_string(legs_.size()) +
                                          " shards merges them all at once, but at most " +
                                          std::to_string(wave) +
                                          " may run at once (scatter_max_shards_in_flight)",
                                      0};
            co_return co_await finish();
        }
        columns_ = columns.front();
        checked_ = checked_columns(program_, columns_);
        sink_.begin(*legs_.front(), columns_.size() - program_.hidden);
        begun_ = true;
        bool ok = true;
        switch (program_.shape) {
        case MergeProgram::Shape::concat:
            ok = co_await concat();
            break;
        case MergeProgram::Shape::ordered:
            ok = co_await ordered();
            break;
        case MergeProgram::Shape::grouped:
            ok = co_await grouped();
            break;
        }
        if (!ok) {
            co_return co_await finish();
        }
        sink_.end(outcome_.rows_out);
        co_return co_await finish();
    }

private:
    bool limit_reached() const { return program_.limit && outcome_.rows_out >= *program_.limit; }

    /// Starts the next shard's statement; false (with failure_) when it could not start.
    asio::awaitable<bool> start_next() {
        const auto index = next_++;
        auto started = co_await start_(index);
        if (!started.leg) {
            failure_ = std::move(started.failure);
            co_return false;
        }
        legs_[index] = std::move(started.leg);
        ++outcome_.legs;
        co_return true;
    }

    /// Leg `i`, opened and checked against the first shard's columns (legs of a later turn).
    asio::awaitable<ScatterLeg*> ready(std::size_t i) {
        while (next_ <= i) { // not started yet: only when a start failed earlier
            const bool started = co_await start_next();
            if (!started) {
                co_return nullptr;
            }
        }
        auto& leg = *legs_[i];
        if (!opened_[i]) {
            const bool opened = co_await leg.open();
            if (!opened) {
                failure_ = leg_failure(leg);
                co_return nullptr;
            }
            opened_[i] = true;
            const std::vector<std::vector<router::MergeColumn>> both{reference_, leg.columns()};
            const std::vector<std::string> shards{first_shard_, leg.shard()};
            const auto drift = router::column_drift(both, shards);
            if (drift) {
                failure_ = ScatterFailure{"42804", *drift, 0};
                co_return nullptr;
            }
        }
        co_return &leg;
    }

    /// Leg `i` was read to its end: its connection goes back, the next shard's turn starts.
    asio::awaitable<bool> retire(std::size_t i) {
        co_await legs_[i]->close();
        legs_[i].reset();
        if (next_ < legs_.size() && !limit_reached()) {
            const bool started = co_await start_next();
            co_return started;
        }
        co_return true;
    }

    /// Reads one row of `leg`; false at its end or on a failure (then `failed_` is set).
    asio::awaitable<bool> read(ScatterLeg& leg, Row& row) {
        const bool got = co_await leg.next(row);
        if (!got) {
            if (leg.failure()) {
                failure_ = leg_failure(leg);
            }
            co_return false;
        }
        ++outcome_.rows_in;
        for (const auto column : checked_) {
            if (auto problem = router::check_value(columns_[column], row[column])) {
                failure_ = refusal(*problem);
                co_return false;
            }
        }
        co_return true;
    }

    asio::awaitable<bool> emit(const Row& row) {
        if (skipped_ < program_.offset) {
            ++skipped_; // OFFSET: the shards returned their first LIMIT + OFFSET rows
            co_return true;
        }
        // (no co_await inside a && expression: GCC 12 miscompiles it)
        if (!sink_.row(row)) {
            failure_ = ScatterFailure{"XX000",
                                      "a merged value does not fit its column's type in the "
                                      "client's protocol",
                                      0};
            co_return false;
        }
        ++outcome_.rows_out;
        if (sink_.pending() < drain_at) {
            co_return true;
        }
        const bool alive = co_await sink_.drain();
        outcome_.client_alive = alive;
        co_return alive;
    }

    /// Waits until one of `legs` has bytes to read (or its connection ended); marks it in
    /// `woke`. One waiter per connection, all done before it returns.
    asio::awaitable<void> wait_any(const std::vector<std::size_t>& legs, std::vector<bool>& woke) {
        auto executor = co_await asio::this_coro::executor;
        // Over TLS, bytes already read from the socket may wait in the TLS layer's buffers,
        // where a readable socket says nothing about them: those legs are ready at once. The
        // TLS stream may also keep a little it could not hand to OpenSSL yet, so TLS legs are
        // read from anyway when no socket woke within tls_recheck.
        constexpr auto tls_recheck = std::chrono::milliseconds(10);
        bool ready = false;
        bool tls = false;
        for (const auto i : legs) {
            woke[i] = legs_[i]->stream().pending() > 0;
            ready = ready || woke[i];
            tls = tls || legs_[i]->stream().tls();
        }
        if (ready) {
            co_return;
        }
        asio::steady_timer wake(executor, tls ? std::chrono::steady_clock::now() + tls_recheck
                                              : std::chrono::steady_clock::time_point::max());
        std::size_t running = legs.size();
        for (const auto i : legs) {
            asio::co_spawn(
                executor,
                [&, i]() -> asio::awaitable<void> {
                    error_code ec;
                    co_await legs_[i]->stream().socket().async_wait(
                        tcp::socket::wait_read, asio::redirect_error(asio::use_awaitable, ec));
                    if (ec != asio::error::operation_aborted) {
                        woke[i] = true;
                        // (a wait that starts later completes at once)
                        wake.expires_at(std::chrono::steady_clock::time_point::min());
                    }
                    --running;
                },
                asio::detached);
        }
        error_code ec;
        co_await wake.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        for (const auto i : legs) {
            legs_[i]->stream().socket().cancel(ec); // only the waits are pending on these sockets
        }
        while (running > 0) {
            co_await asio::post(executor, asio::use_awaitable);
        }
        if (tls && std::none_of(legs.begin(), legs.end(), [&](auto i) { return woke[i]; })) {
            for (const auto i : legs) {
                woke[i] = legs_[i]->stream().tls();
            }
        }
    }

    /// A plain scatter with every shard started: rows are passed on from whichever shard has
    /// them (at most `burst` rows of one shard in a row), so a slow shard does not hold back
    /// the others' rows.
    asio::awaitable<bool> interleaved() {
        constexpr int burst = 64;
        std::vector<std::size_t> active;
        for (std::size_t i = 0; i < legs_.size(); ++i) {
            active.push_back(i);
        }
        std::vector<bool> woke(legs_.size(), false);
        Row row;
        while (!active.empty() && !limit_reached()) {
            bool progressed = false;
            for (std::size_t k = 0; k < active.size() && !limit_reached();) {
                const auto i = active[k];
                auto& leg = *legs_[i];
                error_code ec;
                if (!leg.buffered() && (woke[i] || leg.stream().socket().available(ec) > 0)) {
                    // what has arrived, never waiting for the rest (over TLS: at least a byte)
                    co_await leg.fill();
                    progressed = true;
                }
                woke[i] = false;
                if (!leg.buffered()) {
                    ++k; // no whole row yet: the other shards' turn
                    continue;
                }
                bool ended = false;
                for (int n = 0; n < burst && !limit_reached(); ++n) {
                    if (!leg.buffered()) {
                        break; // the rest has not arrived yet: the other shards' turn
                    }
                    const bool got = co_await read(leg, row);
                    if (!got) {
                        ended = true;
                        break;
                    }
                    const bool sent = co_await emit(row);
                    if (!sent) {
                        co_return false;
                    }
                }
                progressed = true;
                if (failure_) {
                    co_return false;
                }
                if (ended) {
                    active.erase(active.begin() + static_cast<std::ptrdiff_t>(k));
                } else {
                    ++k;
                }
            }
            if (!progressed && !active.empty() && !limit_reached()) {
                // the shards are slower than the client: it gets what there is meanwhile
                if (sink_.pending() > 0) {
                    const bool alive = co_await sink_.drain();
                    outcome_.client_alive = alive;
                    if (!alive) {
                        co_return false;
                    }
                }
                co_await wait_any(active, woke);
            }
        }
        co_return true;
    }

    asio::awaitable<bool> concat() {
        if (!outcome_.waves) {
            const bool done = co_await interleaved();
            co_return done;
        }
        Row row;
        for (std::size_t i = 0; i < legs_.size() && !limit_reached(); ++i) {
            auto* leg = co_await ready(i);
            if (!leg) {
                co_return false;
            }
            while (!limit_reached()) {
                const bool got = co_await read(*leg, row);
                if (!got) {
                    break;
                }
                const bool sent = co_await emit(row);
                if (!sent) {
                    co_return false;
                }
            }
            if (failure_) {
                co_return false;
            }
            const bool next = co_await retire(i);
            if (!next) {
                co_return false;
            }
        }
        co_return true;
    }

    /// k-way merge: each leg's answer is sorted by the same ORDER BY; the smallest head goes
    /// next (router::StreamMerge; ties in leg order, so the merge is stable).
    asio::awaitable<bool> ordered() {
        std::vector<Row> heads(legs_.size());
        router::StreamMerge merge(program_.order, legs_.size());
        for (std::size_t i = 0; i < legs_.size(); ++i) {
            const bool got = co_await read(*legs_[i], heads[i]);
            if (!got && failure_) {
                co_return false;
            }
            merge.set(i, got ? &heads[i] : nullptr);
        }
        while (!limit_reached()) {
            const auto best = merge.next();
            if (!best) {
                break;
            }
            const bool sent = co_await emit(heads[*best]);
            if (!sent) {
                co_return false;
            }
            const bool got = co_await read(*legs_[*best], heads[*best]);
            if (!got && failure_) {
                co_return false;
            }
            merge.set(*best, got ? &heads[*best] : nullptr);
        }
        co_return true;
    }

    asio::awaitable<bool> grouped() {
        const auto& limits = settings_.limits;
        const bool two_level = program_.distinct_column.has_value();
        // with DISTINCT aggregates the shards' rows are first combined per group and value
        router::GroupMerge merge(two_level ? program_.distinct_keys : program_.group_keys,
                                 two_level ? program_.distinct_aggregates : program_.aggregates,
                                 limits.max_groups, program_.whole_result && !two_level,
                                 limits.max_buffered_bytes, limits.shared_bytes);
        for (std::size_t i = 0; i < legs_.size(); ++i) {
            auto* leg = co_await ready(i);
            if (!leg) {
                co_return false;
            }
            for (;;) {
                Row row;
                const bool got = co_await read(*leg, row);
                if (!got) {
                    break;
                }
                auto added = merge.add(std::move(row));
                if (!added) {
                    outcome_.over_limit = over_limit(added.error());
                    failure_ = refusal(added.error());
                    co_return false;
                }
            }
            if (failure_) {
                co_return false;
            }
            const bool next = co_await retire(i);
            if (!next) {
                co_return false;
            }
        }
        auto rows = merge.take();
        if (two_level) {
            // (no reservation of its own: its groups are the first level's rows, moved, and
            // `merge` holds their bytes until the last row is sent)
            router::GroupMerge groups(program_.group_keys, program_.aggregates, limits.max_groups,
                                      program_.whole_result, limits.max_buffered_bytes);
            for (auto& row : rows) {
                auto added = groups.add(std::move(row));
                if (!added) {
                    outcome_.over_limit = over_limit(added.error());
                    failure_ = refusal(added.error());
                    co_return false;
                }
            }
            rows = groups.take();
            if (rows.empty() && program_.whole_result) { // no values at all: COUNT 0
                rows.push_back(router::empty_aggregate_row(program_, columns_.size()));
            }
        }
        for (auto& row : rows) {
            if (auto done = router::finish_averages(program_, row); !done) {
                failure_ = refusal(done.error());
                co_return false;
            }
        }
        if (!program_.having.empty()) { // HAVING: over the merged groups, not the shards'
            std::erase_if(rows,
                          [this](const Row& row) { return !router::passes_having(program_, row); });
        }
        if (!program_.order.empty()) {
            std::stable_sort(rows.begin(), rows.end(), [this](const Row& a, const Row& b) {
                return program_.order.before(a, b);
            });
        }
        for (const auto& row : rows) {
            if (limit_reached()) {
                break;
            }
            const bool sent = co_await emit(row);
            if (!sent) {
                co_return false;
            }
        }
        co_return true;
    }

    asio::awaitable<ScatterOutcome> finish() {
        if (failure_) {
            outcome_.failed = true;
            sink_.fail(*failure_, begun_);
        }
        for (auto& leg : legs_) {
            if (leg) {
                co_await leg->close();
                leg.reset();
            }
        }
        co_return outcome_;
    }

    const router::Plan& plan_;
    const StartLeg& start_;
    ScatterSink& sink_;
    const ScatterSettings& settings_;
    std::vector<std::unique_ptr<ScatterLeg>> legs_; ///< null before its start and after close
    std::vector<bool> opened_;
    std::size_t next_ = 0; ///< the next leg to start
    std::string first_shard_;
    MergeProgram program_;
    std::vector<router::MergeColumn> reference_; ///< the first shard's columns, as sent
    std::vector<router::MergeColumn> columns_;   ///< the same, refined for the merge
    std::vector<std::size_t> checked_;
    std::optional<ScatterFailure> failure_;
    ScatterOutcome outcome_;
    bool begun_ = false;
    std::uint64_t skipped_ = 0;
};

} // namespace

void count_scatter(SessionStats& stats, const ScatterOutcome& outcome) {
    ++stats.scatter_statements;
    stats.scatter_legs += outcome.legs;
    stats.scatter_rows_in += outcome.rows_in;
    stats.scatter_rows_out += outcome.rows_out;
    stats.scatter_failed += outcome.failed ? 1 : 0;
    stats.scatter_in_turns += outcome.waves ? 1 : 0;
    stats.scatter_in_transaction += outcome.in_transaction ? 1 : 0;
    stats.scatter_over_limit += outcome.over_limit ? 1 : 0;
}

asio::awaitable<ScatterOutcome> run_scatter(const router::Plan& plan, std::size_t shards,
                                            const StartLeg& start, ScatterSink& sink,
                                            const ScatterSettings& settings) {
    Run run(plan, shards, start, sink, settings);
    co_return co_await run.go();
}

asio::awaitable<ScatterOutcome> run_captured_scatter(const router::Plan& plan, std::size_t shards,
                                                     const CaptureLeg& capture, ScatterSink& sink,
                                                     const ScatterSettings& settings) {
    std::vector<std::unique_ptr<ScatterLeg>> legs;
    std::optional<ScatterFailure> failure;
    std::size_t budget = settings.limits.max_buffered_bytes;
    auto* shared = settings.limits.shared_bytes;
    std::size_t reserved = 0; // of `shared`, for the answers held
    ScatterOutcome outcome;
    outcome.in_transaction = true;
    for (std::size_t i = 0; i < shards && !failure; ++i) {
        auto captured = co_await capture(i, budget);
        outcome.legs += captured.bytes > 0 ? 1 : 0; // (a refused shard was sent nothing)
        if (!captured.client_alive) {
            outcome.client_alive = false;
            failure = ScatterFailure{"08006", "the client is gone", 0};
            break;
        }
        budget -= std::min(budget, captured.bytes);
        if (captured.over_budget) {
            outcome.over_limit = true;
            failure = ScatterFailure{
                "54000",
                fmt::format("a read of several shards inside a transaction holds the shards' "
                            "answers whole, and they are larger than scatter_max_buffered_bytes "
                            "({} bytes); read fewer rows at a time, or outside the transaction",
                            settings.limits.max_buffered_bytes),
                0};
        } else if (captured.failure) {
            failure = std::move(captured.failure);
        } else if (shared != nullptr && !shared->reserve(captured.bytes)) {
            outcome.over_limit = true;
            failure = ScatterFailure{
                "53200",
                fmt::format("the cross-shard merges and reads inside transactions of all sessions "
                            "hold {} of {} bytes (scatter_max_buffered_bytes_total); try again "
                            "when fewer run, or read fewer rows at a time",
                            shared->held(), shared->limit()),
                0};
        } else {
            reserved += shared != nullptr ? captured.bytes : 0;
        }
        if (captured.leg) {
            legs.push_back(std::move(captured.leg));
        }
    }
    ScatterOutcome merged;
    if (failure) {
        for (auto& leg : legs) {
            co_await leg->close();
        }
        outcome.failed = true;
        if (outcome.client_alive) {
            sink.fail(*failure, false);
        }
        merged = outcome;
    } else {
        // Every answer is held: the merge takes them all at once, in one turn.
        auto whole = settings;
        whole.limits.max_in_flight = legs.size();
        const StartLeg start = [&legs](std::size_t index) -> asio::awaitable<LegStart> {
            co_return LegStart{std::move(legs[index]), {}};
        };
        merged = co_await run_scatter(plan, legs.size(), start, sink, whole);
        merged.legs = outcome.legs;
        merged.in_transaction = true;
    }
    if (reserved > 0) {
        shared->release(reserved);
    }
    co_return merged;
}

} // namespace shardgate::proxy
