// time scheme: monthly buckets, open ends, defaults and time-range pruning.
#include "shardgate/shardmaps/time_scheme.hpp"

#include <gtest/gtest.h>
#include <limits>

namespace {

using namespace shardgate::shardmaps;

const ShardKey key{"created_at", KeyType::timestamptz, false};
const ShardKey wall_key{"created_at", KeyType::timestamp, false};

CanonicalKey at(const char* text) {
    return *CanonicalKey::make(std::string_view(text), key);
}

TimeScheme demo_events(std::optional<ShardId> fallback = std::nullopt) {
    const auto jan25 = *parse_bucket("2025-01", Interval::month);
    const auto dec25 = *parse_bucket("2025-12", Interval::month);
    return TimeScheme(Interval::month,
                      {{jan25, dec25, 0}, {dec25 + 1, std::numeric_limits<std::int64_t>::max(), 1}},
                      fallback);
}

TEST(TimeScheme, MonthlyBucketsToShards) {
    const auto scheme = demo_events();
    EXPECT_EQ(scheme.locate(at("2025-01-01 00:00:00"))->shard, 0u);
    EXPECT_EQ(scheme.locate(at("2025-12-31 23:59:59"))->shard, 0u);
    EXPECT_EQ(scheme.locate(at("2026-01-01"))->shard, 1u);
    EXPECT_EQ(scheme.locate(at("2031-07-04T12:00:00Z"))->shard, 1u);
    EXPECT_EQ(scheme.locate(at("2026-01-01T00:30:00+01:00"))->shard, 0u); // 2025-12-31 23:30 UTC
    // A wall-clock key (a timestamp column) is bucketed by the written time, offset dropped.
    EXPECT_EQ(
        scheme.locate(*CanonicalKey::make(std::string_view("2026-01-01T00:30:00+01:00"), wall_key))
            ->shard,
        1u);
    const auto early = scheme.locate(at("2024-12-31 23:59:59"));
    ASSERT_FALSE(early.ok());
    EXPECT_NE(early.error().message.find("2024-12"), std::string::npos);
    EXPECT_EQ(demo_events(ShardId{1}).locate(at("2024-06-01"))->shard, 1u);
}

TEST(TimeScheme, TimeRangesPrune) {
    const auto scheme = demo_events();
    using V = std::vector<ShardId>;
    const auto b = [](const char* t, bool inclusive = true) {
        return CanonicalBound{at(t), inclusive};
    };
    EXPECT_EQ(scheme.shards_for_range(b("2025-03-01"), b("2025-04-01")), V{0});
    EXPECT_EQ(scheme.shards_for_range(b("2025-12-15"), b("2026-01-15")), V({0, 1}));
    EXPECT_EQ(scheme.shards_for_range(b("2026-02-01"), std::nullopt), V{1});
    EXPECT_EQ(scheme.shards_for_range(b("2026-02-01"), b("2025-02-01")), V{});
}

TEST(TimeScheme, ExclusiveUpperBoundOnABucketBoundary) {
    const auto scheme = demo_events();
    using V = std::vector<ShardId>;
    const auto b = [](const char* t, bool inclusive = true) {
        return CanonicalBound{at(t), inclusive};
    };
    // `< '2026-01-01'` ends with December: January is not touched.
    EXPECT_EQ(scheme.shards_for_range(b("2025-12-01"), b("2026-01-01", false)), V{0});
    EXPECT_EQ(scheme.shards_for_range(std::nullopt, b("2026-01-01 00:00:00", false)), V{0});
    // Inclusive, or a fraction of a second past midnight: January's first instants count.
    EXPECT_EQ(scheme.shards_for_range(b("2025-12-01"), b("2026-01-01")), V({0, 1}));
    EXPECT_EQ(scheme.shards_for_range(b("2025-12-01"), b("2026-01-01 00:00:00.5", false)),
              V({0, 1}));
    EXPECT_EQ(scheme.shards_for_range(b("2025-12-01"), b("2026-01-01 00:00:00.000", false)), V{0});
    // (a fraction followed by an offset is a fraction too)
    EXPECT_EQ(scheme.shards_for_range(b("2025-12-01"), b("2026-01-01 00:00:00.5+00:00", false)),
              V({0, 1}));
    // Not on a boundary: the bucket of the bound stays.
    EXPECT_EQ(scheme.shards_for_range(b("2025-12-01"), b("2026-01-02", false)), V({0, 1}));
    EXPECT_EQ(scheme.shards_for_range(b("2026-01-01"), b("2026-01-01", false)), V{});
}

TEST(TimeScheme, AFractionTheColumnRoundsUpIsPlacedInTheNextSecond) {
    // PostgreSQL rounds a time to microseconds, then to the column's precision (half up):
    // in the last second of a bucket that is the next bucket. MariaDB cuts (-1).
    const auto scheme = demo_events();
    const ShardKey pg6{"created_at", KeyType::timestamptz, false, 6};
    const ShardKey pg0{"created_at", KeyType::timestamp, false, 0};
    const ShardKey pg3{"created_at", KeyType::timestamp, false, 3};
    const auto shard = [&](const char* text, const ShardKey& k) {
        return scheme.locate(*CanonicalKey::make(std::string_view(text), k))->shard;
    };
    EXPECT_EQ(shard("2025-12-31 23:59:59.999999+00", pg6), 0u);
    EXPECT_EQ(shard("2025-12-31 23:59:59.9999996+00", pg6), 1u);
    EXPECT_EQ(shard("2025-12-31 23:59:59.9999994", pg6), 0u);
    EXPECT_EQ(shard("2025-12-31 23:59:59.5", pg0), 1u);
    EXPECT_EQ(shard("2025-12-31 23:59:59.4999", pg0), 0u);
    EXPECT_EQ(shard("2025-12-31 23:59:59.4999996", pg0), 1u); // (.500000 after microseconds)
    EXPECT_EQ(shard("2025-12-31 23:59:59.6+09:00", pg0), 1u); // (a wall clock: offset dropped)
    EXPECT_EQ(shard("2025-12-31 23:59:59.9994", pg3), 0u);
    EXPECT_EQ(shard("2025-12-31 23:59:59.9995", pg3), 1u);
    EXPECT_EQ(shard("2025-12-31 23:59:59", pg0), 0u);
    EXPECT_EQ(shard("2025-12-31 23:59:59.9999999", key), 0u);
    // Microseconds come from a double rounded half to even: .9999945 is 999994.5, then 999994.
    const ShardKey pg5{"created_at", KeyType::timestamptz, false, 5};
    EXPECT_EQ(shard("2025-12-31 23:59:59.9999945+00", pg5), 0u);
    EXPECT_EQ(shard("2025-12-31 23:59:59.99999949999999999+00", pg6), 1u); // (the double is 1)
    // Before 2000 (PostgreSQL's epoch) an exact half rounds down.
    const TimeScheme around_2000(
        Interval::year, {{1999, 1999, 0}, {2000, std::numeric_limits<std::int64_t>::max(), 1}},
        std::nullopt);
    const auto at_2000 = [&](const char* text, const ShardKey& k) {
        return around_2000.locate(*CanonicalKey::make(std::string_view(text), k))->shard;
    };
    const ShardKey pg0tz{"created_at", KeyType::timestamptz, false, 0};
    EXPECT_EQ(at_2000("1999-12-31 23:59:59.5+00", pg0tz), 0u);
    EXPECT_EQ(at_2000("1999-12-31 23:59:59.6+00", pg0tz), 1u);
    EXPECT_EQ(at_2000("2000-01-01 08:59:59.5+09", pg0tz), 0u); // (1999 in UTC)
    EXPECT_EQ(at_2000("1999-12-31 23:59:59.5", pg0), 0u);
    // A bound rounds the same way: `>= '...59.5'` in timestamp(0) starts in January.
    const auto b = [&](const char* text, bool inclusive) {
        return CanonicalBound{*CanonicalKey::make(std::string_view(text), pg0), inclusive};
    };
    EXPECT_EQ(scheme.shards_for_range(b("2025-12-31 23:59:59.5", true), std::nullopt),
              std::vector<ShardId>{1});
    EXPECT_EQ(scheme.shards_for_range(std::nullopt, b("2025-12-31 23:59:59.5", false)),
              std::vector<ShardId>{0});
    EXPECT_EQ(scheme.shards_for_range(std::nullopt, b("2026-01-01 00:00:00.2", false)),
              (std::vector<ShardId>{0, 1}));
}

} // namespace
