// ns per row of a cross-shard ORDER BY merge: 8 sorted streams (integer keys, then text keys)
// merged the way common/scatter merges them (router::StreamMerge: keys decoded once per row,
// a tournament tree),
// and
// of a GROUP BY merge of partial groups. Rows are prebuilt: the figure is the merge alone.
// Run: build/bench/router/merge_bench
#include "shardgate/router/merge.hpp"

#include <algorithm>
#include <benchmark/benchmark.h>
#include <optional>
#include <random>

namespace {

using namespace shardgate::router;

constexpr std::size_t streams = 8;
constexpr std::size_t rows_per_stream = 4096;

std::vector<std::vector<Row>> sorted_streams(bool text) {
    std::mt19937_64 rng(42);
    std::vector<std::vector<Row>> out(streams);
    for (auto& stream : out) {
        std::vector<std::int64_t> keys(rows_per_stream);
        for (auto& k : keys) {
            k = static_cast<std::int64_t>(rng() % 10'000'000) - 5'000'000;
        }
        std::sort(keys.begin(), keys.end());
        if (text) {
            std::vector<std::string> words;
            for (const auto k : keys) {
                words.push_back("customer-" + std::to_string(k + 5'000'000));
            }
            std::sort(words.begin(), words.end());
            for (auto& w : words) {
                stream.push_back(Row{Cell{std::move(w)}, Cell{"payload"}});
            }
        } else {
            for (const auto k : keys) {
                stream.push_back(Row{Cell{std::to_string(k)}, Cell{"payload"}});
            }
        }
    }
    return out;
}

void ordered_merge(benchmark::State& state) {
    const bool text = state.range(0) == 1;
    const auto input = sorted_streams(text);
    const RowOrder order(
        {ResolvedKey{0, text ? ValueKind::binary : ValueKind::integer, false, false}});
    std::size_t rows = 0;
    for (auto _ : state) {
        StreamMerge merge(order, streams);
        std::vector<std::size_t> at(streams, 0);
        for (std::size_t i = 0; i < streams; ++i) {
            merge.set(i, &input[i][0]);
        }
        while (const auto best = merge.next()) {
            benchmark::DoNotOptimize(input[*best][at[*best]]);
            const auto i = ++at[*best];
            merge.set(*best, i < input[*best].size() ? &input[*best][i] : nullptr);
            ++rows;
        }
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(rows));
    state.SetLabel(text ? "8 streams, text keys" : "8 streams, integer keys");
}

void grouped_merge(benchmark::State& state) {
    // 8 shards x 1,000 partial groups (the same 1,000 keys): COUNT and SUM combined.
    std::vector<Row> partials;
    for (std::size_t shard = 0; shard < streams; ++shard) {
        for (int g = 0; g < 1000; ++g) {
            partials.push_back(Row{Cell{"group-" + std::to_string(g)},
                                   Cell{std::to_string(g % 17 + 1)},
                                   Cell{std::to_string(g * 3) + ".25"}});
        }
    }
    for (auto _ : state) {
        GroupMerge merge(
            {ResolvedKey{0, ValueKind::binary, false, false}},
            {ResolvedAggregate{1, shardgate::parser::Aggregate::count, ValueKind::integer},
             ResolvedAggregate{2, shardgate::parser::Aggregate::sum, ValueKind::decimal}},
            100'000, false);
        for (const auto& row : partials) {
            auto copy = row;
            benchmark::DoNotOptimize(merge.add(std::move(copy)));
        }
        benchmark::DoNotOptimize(merge.take());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * partials.size()));
    state.SetLabel("8 shards x 1000 groups, count+sum");
}

BENCHMARK(ordered_merge)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK(grouped_merge)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
