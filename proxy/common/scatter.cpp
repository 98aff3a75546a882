// The cross-shard read executor (see scatter.hpp and docs/cross-shard.md).
#include "common/scatter.hpp"

#include <algorithm>

namespace shardgate::proxy {

namespace {

using router::MergeProgram;
using router::Row;

/// Rows between two drains of the client buffer.
constexpr std::uint64_t drain_every = 256;

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
    Run(const router::Plan& plan, std::vector<std::unique_ptr<ScatterLeg>>& legs, ScatterSink& sink,
        const ScatterSettings& settings)
        : plan_(plan), legs_(legs), sink_(sink), settings_(settings) {}

    asio::awaitable<ScatterOutcome> go() {
        for (auto& leg : legs_) {
            const bool opened = co_await leg->open();
            if (!opened) {
                failure_ = leg_failure(*leg);
                co_return co_await finish();
            }
        }
        std::vector<std::vector<router::MergeColumn>> columns;
        std::vector<std::string> shards;
        for (const auto& leg : legs_) {
            columns.push_back(leg->columns());
            shards.push_back(leg->shard());
        }
        // (GCC 12: no temporaries or if-declarations around a co_await; it destroys them
        // twice)
        const auto drift = router::column_drift(columns, shards);
        if (drift) {
            failure_ = ScatterFailure{"42804", *drift, 0};
            co_return co_await finish();
        }
        if (settings_.refine_columns) {
            co_await settings_.refine_columns(columns.front());
        }
        auto program = router::prepare_merge(plan_, columns.front(), settings_.engine);
        if (!program) {
            failure_ = refusal(program.error());
            co_return co_await finish();
        }
        program_ = std::move(program.value());
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
        if (++outcome_.rows_out % drain_every != 0) {
            co_return true;
        }
        const bool alive = co_await sink_.drain();
        outcome_.client_alive = alive;
        co_return alive;
    }

    asio::awaitable<bool> concat() {
        Row row;
        for (auto& leg : legs_) {
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
        router::GroupMerge merge(program_.group_keys, program_.aggregates, settings_.max_groups,
                                 program_.whole_result);
        for (auto& leg : legs_) {
            for (;;) {
                Row row;
                const bool got = co_await read(*leg, row);
                if (!got) {
                    break;
                }
                if (auto added = merge.add(std::move(row)); !added) {
                    failure_ = refusal(added.error());
                    co_return false;
                }
            }
            if (failure_) {
                co_return false;
            }
        }
        auto rows = merge.take();
        for (auto& row : rows) {
            if (auto done = router::finish_averages(program_, row); !done) {
                failure_ = refusal(done.error());
                co_return false;
            }
        }
        outcome_.peak_buffered_rows = rows.size();
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
            co_await leg->close();
        }
        co_return outcome_;
    }

    const router::Plan& plan_;
    std::vector<std::unique_ptr<ScatterLeg>>& legs_;
    ScatterSink& sink_;
    const ScatterSettings& settings_;
    MergeProgram program_;
    std::vector<router::MergeColumn> columns_;
    std::vector<std::size_t> checked_;
    std::optional<ScatterFailure> failure_;
    ScatterOutcome outcome_;
    bool begun_ = false;
    std::uint64_t skipped_ = 0;
};

} // namespace

asio::awaitable<ScatterOutcome> run_scatter(const router::Plan& plan,
                                            std::vector<std::unique_ptr<ScatterLeg>>& legs,
                                            ScatterSink& sink, const ScatterSettings& settings) {
    Run run(plan, legs, sink, settings);
    co_return co_await run.go();
}

} // namespace shardgate::proxy
