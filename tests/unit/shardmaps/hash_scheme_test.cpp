// hash scheme: range checks, lookups, and the split property.
#include "shardgate/shardmaps/hash_scheme.hpp"

#include <gtest/gtest.h>
#include <random>

namespace {

using namespace shardgate::shardmaps;

constexpr KeyspaceId half = 0x8000000000000000ULL;

CanonicalKey bigint(std::int64_t value) {
    return *CanonicalKey::make(value, ShardKey{"id", KeyType::bigint, false});
}

TEST(HashScheme, EvenSplitCoversTheKeyspace) {
    const auto ranges = HashScheme::even_split({0, 1, 2});
    ASSERT_EQ(ranges.size(), 3u);
    EXPECT_EQ(ranges.front().first, 0u);
    EXPECT_EQ(ranges.back().last, UINT64_MAX);
    EXPECT_EQ(HashScheme::check_hash_ranges(ranges), "");
    EXPECT_EQ(HashScheme::check_hash_ranges(HashScheme::even_split({0})), "");
}

TEST(HashScheme, CheckFindsGapsAndOverlaps) {
    std::size_t at = 99;
    EXPECT_NE(HashScheme::check_hash_ranges({{0, half - 2, 0}, {half, UINT64_MAX, 1}}, &at)
                  .find("gap 0x7fffffffffffffff..0x7fffffffffffffff"),
              std::string::npos);
    EXPECT_EQ(at, 1u);
    EXPECT_NE(
        HashScheme::check_hash_ranges({{0, half, 0}, {half, UINT64_MAX, 1}}, &at).find("overlaps"),
        std::string::npos);
    EXPECT_NE(HashScheme::check_hash_ranges({{0, half - 1, 0}}).find("gap 0x8000000000000000"),
              std::string::npos);
    EXPECT_NE(HashScheme::check_hash_ranges({{1, UINT64_MAX, 0}})
                  .find("should start at 0x0000000000000000"),
              std::string::npos);
}

TEST(HashScheme, LocatesByKeyspaceId) {
    const HashScheme scheme({{0, half - 1, 0}, {half, UINT64_MAX, 1}});
    const auto at42 = scheme.locate(bigint(42)); // 0xa1d0... is in the upper half
    ASSERT_TRUE(at42.ok());
    EXPECT_EQ(at42->shard, 1u);
    EXPECT_EQ(at42->keyspace_id, 0xa1d0c6e83f027327ULL);
    EXPECT_EQ(scheme.locate(bigint(-1))->shard, 0u); // 0x6bb6...
    EXPECT_EQ(scheme.owner(half - 1), 0u);
    EXPECT_EQ(scheme.owner(half), 1u);
    EXPECT_EQ(scheme.owner(UINT64_MAX), 1u);
    EXPECT_EQ(scheme.shards_for_range(std::nullopt, std::nullopt), (std::vector<ShardId>{0, 1}));
}

TEST(HashScheme, SplittingOneRangeMovesExactlyTheKeysOfThatRange) {
    const HashScheme before({{0, half - 1, 0}, {half, UINT64_MAX, 1}});
    // Shard 2 takes the upper half of shard 1's range.
    const KeyspaceId cut = 0xc000000000000000ULL;
    const HashScheme after({{0, half - 1, 0}, {half, cut - 1, 1}, {cut, UINT64_MAX, 2}});
    std::mt19937_64 random(3);
    int moved = 0;
    for (int i = 0; i < 100000; ++i) {
        const auto key = bigint(static_cast<std::int64_t>(random()));
        const auto a = before.locate(key);
        const auto b = after.locate(key);
        const bool in_split_part = *a->keyspace_id >= cut;
        EXPECT_EQ(a->shard != b->shard, in_split_part);
        if (a->shard != b->shard) {
            EXPECT_EQ(a->shard, 1u);
            EXPECT_EQ(b->shard, 2u);
            ++moved;
        }
    }
    EXPECT_GT(moved, 20000); // about a quarter of the keys
    EXPECT_LT(moved, 30000);
}

} // namespace
