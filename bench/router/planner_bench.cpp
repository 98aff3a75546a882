// ns per statement through Planner::route: the plan-cache hit path (lex + fingerprint + cache
// lookup + shard-key extraction + locate) and the cold path (plus parse and analysis).
// Run: build/bench/router/router_bench
#include "shardgate/router/planner.hpp"
#include "shardgate/shardmaps/loader.hpp"

#include <benchmark/benchmark.h>

namespace {

using namespace shardgate;

shardmaps::ShardMapPtr demo_map() {
    static auto map = shardmaps::load_shard_map(std::string(SHARDGATE_SOURCE_DIR) +
                                                "/shardmaps/examples/demo.yaml");
    return map;
}

struct Workload {
    const char* database;
    parser::Dialect dialect;
    const char* prefix; // the key value is appended, then `suffix`
    const char* suffix;
};

const Workload workloads[] = {
    {"shop", parser::Dialect::pg, "SELECT abalance FROM pgbench_accounts WHERE aid = ", ";"},
    {"shop", parser::Dialect::pg,
     "UPDATE pgbench_accounts SET abalance = abalance + -1234 WHERE aid = ", ";"},
    {"shop", parser::Dialect::pg,
     "INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (3, 1, ",
     ", -1234, CURRENT_TIMESTAMP);"},
    {"social", parser::Dialect::mysql, "SELECT c FROM sbtest1 WHERE id=", ""},
    {"social", parser::Dialect::mysql, "SELECT c FROM sbtest1 WHERE id BETWEEN ",
     " AND 5099 ORDER BY c"},
    {"social", parser::Dialect::mysql, "UPDATE sbtest1 SET k=k+1 WHERE id=", ""},
    {"shop", parser::Dialect::pg, "SELECT * FROM customers WHERE id = ", ""},
    {"social", parser::Dialect::mysql, "SELECT * FROM users WHERE id = ", ""},
};

const char* names[] = {"pgbench_select", "pgbench_update",  "pgbench_insert", "sysbench_point",
                       "sysbench_range", "sysbench_update", "hash_customers", "consistent_users"};

std::vector<std::string> statements(const Workload& w, int count) {
    std::vector<std::string> out;
    for (int i = 0; i < count; ++i) {
        out.push_back(std::string(w.prefix) + std::to_string(1000 + i * 7919) + w.suffix);
    }
    return out;
}

void cache_hit(benchmark::State& state) {
    const auto& w = workloads[state.range(0)];
    router::Planner planner(demo_map(), w.database, w.dialect);
    const auto sqls = statements(w, 64);
    planner.route(sqls[0]);
    std::size_t i = 0;
    for (auto _ : state) {
        auto plan = planner.route(sqls[i++ & 63]);
        benchmark::DoNotOptimize(plan);
    }
    state.SetLabel(names[state.range(0)]);
    if (planner.cache_misses() != 1) {
        state.SkipWithError("expected cache hits only");
    }
}

/// The same, routed into one reused Plan (Planner::route(sql, context, out)): no allocation.
void cache_hit_into(benchmark::State& state) {
    const auto& w = workloads[state.range(0)];
    router::Planner planner(demo_map(), w.database, w.dialect);
    const auto sqls = statements(w, 64);
    router::Plan plan;
    planner.route(sqls[0], {}, plan);
    std::size_t i = 0;
    for (auto _ : state) {
        planner.route(sqls[i++ & 63], {}, plan);
        benchmark::DoNotOptimize(plan);
    }
    state.SetLabel(names[state.range(0)]);
    if (planner.cache_misses() != 1) {
        state.SkipWithError("expected cache hits only");
    }
}

void cold_parse(benchmark::State& state) {
    const auto& w = workloads[state.range(0)];
    // Capacity 1 and two alternating fingerprints: every statement misses the cache.
    router::Planner planner(demo_map(), w.database, w.dialect, 1);
    const auto a = std::string(w.prefix) + "17" + w.suffix;
    const auto b = std::string("/* x */ ") + w.prefix + "(17)" + w.suffix;
    std::size_t i = 0;
    for (auto _ : state) {
        auto plan = planner.route((i++ & 1) ? a : b);
        benchmark::DoNotOptimize(plan);
    }
    state.SetLabel(names[state.range(0)]);
}

BENCHMARK(cache_hit)->DenseRange(0, 7);
BENCHMARK(cache_hit_into)->DenseRange(0, 7);
BENCHMARK(cold_parse)->DenseRange(0, 7);

} // namespace

BENCHMARK_MAIN();
