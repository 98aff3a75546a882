// Benchmarks of the parser's hot path (cache hit) and cold path on pgbench/sysbench statements.
#include "shardgate/parser/lexer.hpp"
#include "shardgate/parser/parser.hpp"
#include "shardgate/parser/plan_cache.hpp"

#include <benchmark/benchmark.h>
#include <charconv>
#include <vector>

namespace {

using namespace shardgate::parser;

struct Workload {
    Dialect dialect;
    std::vector<std::string> statements;
};

const Workload& pgbench() {
    static const Workload w{
        Dialect::pg,
        {"UPDATE pgbench_accounts SET abalance = abalance + -1234 WHERE aid = 48213;",
         "SELECT abalance FROM pgbench_accounts WHERE aid = 48213;",
         "UPDATE pgbench_tellers SET tbalance = tbalance + -1234 WHERE tid = 17;",
         "UPDATE pgbench_branches SET bbalance = bbalance + -1234 WHERE bid = 3;",
         "INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (17, 3, 48213, -1234, "
         "CURRENT_TIMESTAMP);"}};
    return w;
}

const Workload& sysbench() {
    static const Workload w{
        Dialect::mysql,
        {"SELECT c FROM sbtest1 WHERE id=5021", "SELECT c FROM sbtest1 WHERE id BETWEEN 12 AND 111",
         "SELECT SUM(k) FROM sbtest1 WHERE id BETWEEN 12 AND 111",
         "SELECT c FROM sbtest1 WHERE id BETWEEN 12 AND 111 ORDER BY c",
         "SELECT DISTINCT c FROM sbtest1 WHERE id BETWEEN 12 AND 111 ORDER BY c",
         "UPDATE sbtest1 SET k=k+1 WHERE id=5021",
         "UPDATE sbtest1 SET c='83868641912-28773972837-60736120486' WHERE id=5021",
         "DELETE FROM sbtest1 WHERE id=5021",
         "INSERT INTO sbtest1 (id, k, c, pad) VALUES (5021, 4992, '83868641912-28773972837', "
         "'67847967377-48000963322')"}};
    return w;
}

// What a planner would cache: where the shard key's value sits.
struct CachedPlan {
    std::int32_t key_slot = -1;
};

std::int32_t key_slot(const ParsedStatement& p) {
    if (const PredicateNode* w = p.facts.where()) {
        const PredicateNode& n =
            w->kind == PredicateNode::Kind::and_ ? p.facts.predicates[w->children.front()] : *w;
        if (n.kind == PredicateNode::Kind::comparison) {
            return n.comparison.values.front().slot;
        }
    }
    if (!p.facts.insert.rows.empty()) {
        return p.facts.insert.rows.front().front().slot;
    }
    return -1;
}

void cache_hit(benchmark::State& state, const Workload& w) {
    PlanCache<CachedPlan> cache(1024);
    LexedStatement lexed;
    for (const std::string& sql : w.statements) {
        auto parsed = parse(sql, w.dialect);
        cache.insert(parsed->fingerprint, CachedPlan{key_slot(*parsed)});
    }
    std::int64_t sum = 0;
    for (auto _ : state) {
        for (const std::string& sql : w.statements) {
            if (!lex(sql, w.dialect, lexed)) {
                state.SkipWithError("a workload statement does not lex");
                return;
            }
            const CachedPlan* plan = cache.find(lexed.fingerprint);
            if (plan != nullptr && plan->key_slot >= 0) {
                const Literal& key = *lexed.fingerprint.slot_begin(plan->key_slot);
                std::int64_t value = 0;
                std::from_chars(key.text.data(), key.text.data() + key.text.size(), value);
                sum += value;
            }
        }
    }
    benchmark::DoNotOptimize(sum);
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(w.statements.size()));
}

void cold_parse(benchmark::State& state, const Workload& w) {
    for (auto _ : state) {
        for (const std::string& sql : w.statements) {
            auto parsed = parse(sql, w.dialect);
            benchmark::DoNotOptimize(parsed);
        }
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(w.statements.size()));
}

void BM_CacheHit_Pgbench(benchmark::State& s) {
    cache_hit(s, pgbench());
}
void BM_CacheHit_Sysbench(benchmark::State& s) {
    cache_hit(s, sysbench());
}
void BM_ColdParse_Pgbench(benchmark::State& s) {
    cold_parse(s, pgbench());
}
void BM_ColdParse_Sysbench(benchmark::State& s) {
    cold_parse(s, sysbench());
}

BENCHMARK(BM_CacheHit_Pgbench);
BENCHMARK(BM_CacheHit_Sysbench);
BENCHMARK(BM_ColdParse_Pgbench);
BENCHMARK(BM_ColdParse_Sysbench);

} // namespace

BENCHMARK_MAIN();
