// Query digest tables: latency buckets and percentiles, merging workers' tables, the bounded
// table's eviction of the least total time, stale slots, and the JSON served to operators.
#include "shardgate/proxy/query_digests.hpp"
#include "shardgate/shardmaps/loader.hpp"

#include <gtest/gtest.h>

namespace shardgate::proxy {
namespace {

TEST(DigestBuckets, EveryLatencyFallsInABucketThatHoldsIt) {
    for (std::uint64_t us :
         {0ull, 1ull, 3ull, 4ull, 5ull, 7ull, 8ull, 9ull, 100ull, 1000ull, 123456ull, 1ull << 32}) {
        const auto bucket = digest_bucket(us);
        ASSERT_LT(bucket, digest_buckets);
        EXPECT_GE(digest_bucket_upper(bucket), us) << us;
        if (bucket > 0) {
            EXPECT_LT(digest_bucket_upper(bucket - 1), us) << us;
        }
        // at most 25% above the value it stands for
        EXPECT_LE(static_cast<double>(digest_bucket_upper(bucket)), us * 1.25 + 1) << us;
    }
    EXPECT_EQ(digest_bucket(~0ull), digest_buckets - 1);
}

TEST(DigestTable, CountsLatenciesRowsErrorsAndPercentiles) {
    DigestTable table(10);
    const auto slot = table.enter(42, "SELECT * FROM t WHERE id = ?", "shop", "route", 0b10);
    ASSERT_TRUE(slot);
    for (int i = 1; i <= 100; ++i) {
        table.finish(*slot, 42, static_cast<std::uint64_t>(i) * 100, i == 100, 1, 1000 + i);
    }
    std::unordered_map<std::uint64_t, Digest> merged;
    table.merge_into(merged);
    ASSERT_EQ(merged.size(), 1u);
    const auto& d = merged.at(42);
    EXPECT_EQ(d.count, 100u);
    EXPECT_EQ(d.errors, 1u);
    EXPECT_EQ(d.rows, 100u);
    EXPECT_EQ(d.min_us, 100u);
    EXPECT_EQ(d.max_us, 10000u);
    EXPECT_EQ(d.total_us, 505000u);
    EXPECT_EQ(d.first_seen_ms, 1001);
    EXPECT_EQ(d.last_seen_ms, 1100);
    const auto p99 = d.percentile_us(0.99);
    EXPECT_GE(p99, 9900u);
    EXPECT_LE(p99, 10000u); // never above the maximum
    const auto p50 = d.percentile_us(0.50);
    EXPECT_GE(p50, 5000u);
    EXPECT_LE(p50, 6250u);
}

TEST(DigestTable, MergesTheSameFingerprintOfSeveralWorkers) {
    DigestTable a(10);
    DigestTable b(10);
    a.finish(*a.enter(7, "q", "shop", "route", 0b01), 7, 100, false, 2, 50);
    b.finish(*b.enter(7, "q", "shop", "scatter", 0b10), 7, 300, true, 3, 40);
    std::unordered_map<std::uint64_t, Digest> merged;
    a.merge_into(merged);
    b.merge_into(merged);
    const auto& d = merged.at(7);
    EXPECT_EQ(d.count, 2u);
    EXPECT_EQ(d.errors, 1u);
    EXPECT_EQ(d.rows, 5u);
    EXPECT_EQ(d.min_us, 100u);
    EXPECT_EQ(d.max_us, 300u);
    EXPECT_EQ(d.shard_mask, 0b11u);
    EXPECT_EQ(d.first_seen_ms, 40);
    EXPECT_EQ(d.last_seen_ms, 50);
    EXPECT_EQ(d.plan_kind, "route"); // of the latest run
}

TEST(DigestTable, AFullTableEvictsTheLeastTotalTimeAndIgnoresStaleSlots) {
    DigestTable table(2);
    const auto slow = table.enter(1, "slow", "db", "route", 0);
    table.finish(*slow, 1, 5000, false, 0, 1);
    const auto fast = table.enter(2, "fast", "db", "route", 0);
    table.finish(*fast, 2, 10, false, 0, 1);
    const auto pending = table.enter(2, "fast", "db", "route", 0); // a run still going
    const auto fresh = table.enter(3, "new", "db", "route", 0);
    ASSERT_TRUE(fresh);
    EXPECT_EQ(*fresh, *fast); // "fast" had the least total time
    EXPECT_EQ(table.size(), 2u);
    EXPECT_EQ(table.evictions(), 1u);
    table.finish(*pending, 2, 999999, false, 0, 2); // its slot belongs to "new" now: ignored
    std::unordered_map<std::uint64_t, Digest> merged;
    table.merge_into(merged);
    EXPECT_EQ(merged.count(2), 0u);
    EXPECT_EQ(merged.count(3), 0u); // entered but never finished: not reported
    EXPECT_EQ(merged.at(1).total_us, 5000u);
    table.clear();
    EXPECT_EQ(table.size(), 0u);
    DigestTable off(0);
    EXPECT_FALSE(off.enter(1, "x", "db", "route", 0));
}

TEST(DigestTable, LongFingerprintsAreCut) {
    DigestTable table(1);
    const std::string text(5000, 'x');
    table.finish(*table.enter(9, text, "db", "route", 0), 9, 1, false, 0, 1);
    std::unordered_map<std::uint64_t, Digest> merged;
    table.merge_into(merged);
    EXPECT_EQ(merged.at(9).fingerprint.size(), digest_text_limit);
}

TEST(DigestsJson, OrdersByTotalTimeNamesShardsAndLimits) {
    const auto map = shardmaps::parse_shard_map(R"(format_version: 1
epoch: 1
databases:
  shop:
    engine: postgresql
    default_shard: s0
    shards:
      s0: {primary: 127.0.0.1:5432}
      s1: {primary: 127.0.0.1:5433}
    tables:
      orders: {scheme: hash, key: customer_id, key_type: bigint}
)",
                                                "map.yaml");
    DigestTable table(10);
    table.finish(*table.enter(1, "a", "shop", "route", 0b01), 1, 10, false, 0, 1);
    table.finish(*table.enter(2, "b", "shop", "scatter", 0b11), 2, 2000, false, 4, 1);
    table.finish(*table.enter(3, "c", "shop", "route", 0b10), 3, 500, false, 0, 1);
    std::unordered_map<std::uint64_t, Digest> merged;
    table.merge_into(merged);
    const auto doc = digests_json(merged, 0, *map, 2);
    ASSERT_EQ(doc["digests"].size(), 2u);
    EXPECT_EQ(doc["fingerprints"], 3);
    EXPECT_EQ(doc["digests"][0]["fingerprint"], "b");
    EXPECT_EQ(doc["digests"][0]["shards"], nlohmann::json::array({"s0", "s1"}));
    EXPECT_EQ(doc["digests"][0]["rows"], 4);
    EXPECT_DOUBLE_EQ(doc["digests"][0]["total_ms"].get<double>(), 2.0);
    EXPECT_EQ(doc["digests"][1]["fingerprint"], "c");
    EXPECT_EQ(doc["digests"][1]["shards"], nlohmann::json::array({"s1"}));
}

} // namespace
} // namespace shardgate::proxy
