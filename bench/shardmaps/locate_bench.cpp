// ns per Table::locate for every scheme (targets: < 200 ns hash/range/list/time, < 300 ns
// consistent_hash with 64 vnodes x 16 shards). Run: build/bench/shardmaps/shardmaps_bench
#include "shardgate/shardmaps/keyspace_id.hpp"
#include "shardgate/shardmaps/loader.hpp"

#include <benchmark/benchmark.h>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace {

using namespace shardgate::shardmaps;

// A map with one table per scheme over 16 shards, built in memory so the benchmark needs no
// files.
std::string bench_map() {
    std::ostringstream yaml;
    yaml << "format_version: 1\nepoch: 1\ndatabases:\n  db:\n    engine: postgresql\n"
         << "    default_shard: s0\n    shards:\n";
    for (int i = 0; i < 16; ++i) {
        yaml << "      s" << i << ": {primary: 10.0.0." << i + 1 << ":5432}\n";
    }
    yaml << "    tables:\n"
         << "      h: {scheme: hash, key: id}\n"
         << "      ht: {scheme: hash, key: name, key_type: text, case_insensitive: true}\n"
         << "      c: {scheme: consistent_hash, key: id}\n"
         << "      r:\n        scheme: range\n        key: id\n        ranges:\n";
    for (int i = 0; i < 16; ++i) {
        yaml << "          - {from: " << i * 1000000 << ", to: " << i * 1000000 + 999999
             << ", shard: s" << i << "}\n";
    }
    yaml << "      l:\n        scheme: list\n        key: country\n        lists:\n";
    for (int i = 0; i < 16; ++i) {
        yaml << "          - {shard: s" << i << ", values: [c" << i << "a, c" << i << "b, c" << i
             << "c]}\n";
    }
    yaml << "      t:\n        scheme: time\n        key: at\n        interval: month\n"
         << "        ranges:\n";
    for (int i = 0; i < 16; ++i) {
        yaml << "          - {from: " << 2020 + i << "-01, to: " << 2020 + i << "-12, shard: s" << i
             << "}\n";
    }
    return yaml.str();
}

const Database& database() {
    static const ShardMapPtr map = parse_shard_map(bench_map(), "bench");
    return *map->find_database("db");
}

void integer_keys(benchmark::State& state, const char* table, std::int64_t modulo) {
    const Table& t = database().placement(table);
    std::mt19937_64 random(1);
    std::vector<std::int64_t> keys(1024);
    for (auto& key : keys) {
        key = static_cast<std::int64_t>(random() % static_cast<std::uint64_t>(modulo));
    }
    std::size_t i = 0;
    for (auto _ : state) {
        auto location = t.locate(keys[i++ & 1023]);
        benchmark::DoNotOptimize(location);
    }
}

void text_keys(benchmark::State& state, const char* table, std::vector<std::string> keys) {
    const Table& t = database().placement(table);
    std::size_t i = 0;
    for (auto _ : state) {
        auto location = t.locate(std::string_view(keys[i++ % keys.size()]));
        benchmark::DoNotOptimize(location);
    }
}

// The placement function alone (MD5 of a short key), to separate it from the lookup.
void BM_keyspace_id_only(benchmark::State& state) {
    const std::string keys[4] = {"42", "-9223372036854775808", "123456789", "7"};
    std::size_t i = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(keyspace_id(keys[i++ & 3]));
    }
}

void BM_locate_hash(benchmark::State& state) {
    integer_keys(state, "h", INT64_MAX);
}
void BM_locate_hash_text_ci(benchmark::State& state) {
    text_keys(state, "ht", {"Alice@Example.com", "bob", "Carol Smith", "dave.jones@mail"});
}
void BM_locate_consistent_hash_64x16(benchmark::State& state) {
    integer_keys(state, "c", INT64_MAX);
}
void BM_locate_range_16(benchmark::State& state) {
    integer_keys(state, "r", 16000000);
}
void BM_locate_list_48(benchmark::State& state) {
    text_keys(state, "l", {"c3a", "c15c", "c7b", "c0a", "c11b", "c9c"});
}
void BM_locate_time_month(benchmark::State& state) {
    text_keys(state, "t",
              {"2021-03-04 10:00:00", "2033-11-30 23:59:59", "2027-07-01", "2020-01-01T00:00:00Z"});
}
void BM_locate_vertical(benchmark::State& state) {
    text_keys(state, "not_in_map", {"1"});
}

} // namespace

BENCHMARK(BM_keyspace_id_only);
BENCHMARK(BM_locate_hash);
BENCHMARK(BM_locate_hash_text_ci);
BENCHMARK(BM_locate_consistent_hash_64x16);
BENCHMARK(BM_locate_range_16);
BENCHMARK(BM_locate_list_48);
BENCHMARK(BM_locate_time_month);
BENCHMARK(BM_locate_vertical);

BENCHMARK_MAIN();
