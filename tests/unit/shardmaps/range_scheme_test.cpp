// range scheme: integer and string ranges, defaults, and range-predicate pruning.
#include "shardgate/shardmaps/range_scheme.hpp"

#include <gtest/gtest.h>

namespace {

using namespace shardgate::shardmaps;

const ShardKey id_key{"id", KeyType::bigint, false};
const ShardKey name_key{"name", KeyType::text, true};

CanonicalBound bound(std::int64_t value, bool inclusive = true) {
    return {*CanonicalKey::make(value, id_key), inclusive};
}

TEST(RangeScheme, IntegerRangesWithoutDefault) {
    const RangeScheme scheme(std::vector<IntegerRange>{{1, 999999, 0}, {1000000, INT64_MAX, 1}},
                             std::nullopt);
    EXPECT_EQ(scheme.locate(*CanonicalKey::make(std::int64_t{1}, id_key))->shard, 0u);
    EXPECT_EQ(scheme.locate(*CanonicalKey::make(std::int64_t{999999}, id_key))->shard, 0u);
    EXPECT_EQ(scheme.locate(*CanonicalKey::make(std::int64_t{1000000}, id_key))->shard, 1u);
    EXPECT_EQ(scheme.locate(*CanonicalKey::make(std::int64_t{INT64_MAX}, id_key))->shard, 1u);
    const auto outside = scheme.locate(*CanonicalKey::make(std::int64_t{0}, id_key));
    ASSERT_FALSE(outside.ok());
    EXPECT_EQ(outside.error().code, LookupErrorCode::no_shard);
    EXPECT_FALSE(
        scheme.locate(*CanonicalKey::make(std::int64_t{5}, id_key))->keyspace_id.has_value());
}

TEST(RangeScheme, RangePredicatesPrune) {
    const RangeScheme scheme(std::vector<IntegerRange>{{1, 999999, 0}, {1000000, INT64_MAX, 1}},
                             std::nullopt);
    using V = std::vector<ShardId>;
    EXPECT_EQ(scheme.shards_for_range(bound(10), bound(20)), V{0});
    EXPECT_EQ(scheme.shards_for_range(bound(999999), bound(1000000)), V({0, 1}));
    EXPECT_EQ(scheme.shards_for_range(bound(999999), bound(1000000, false)), V{0});
    EXPECT_EQ(scheme.shards_for_range(bound(999999, false), std::nullopt), V{1});
    EXPECT_EQ(scheme.shards_for_range(std::nullopt, bound(5)), V{0});
    EXPECT_EQ(scheme.shards_for_range(bound(20), bound(10)), V{});
}

TEST(RangeScheme, DefaultShardCoversGapsAndTails) {
    const RangeScheme scheme(std::vector<IntegerRange>{{1, 10, 0}, {21, 30, 1}}, ShardId{2});
    using V = std::vector<ShardId>;
    EXPECT_EQ(scheme.locate(*CanonicalKey::make(std::int64_t{15}, id_key))->shard, 2u);
    EXPECT_EQ(scheme.shards_for_range(bound(1), bound(10)), V{0});
    EXPECT_EQ(scheme.shards_for_range(bound(5), bound(25)), V({0, 1, 2}));
    EXPECT_EQ(scheme.shards_for_range(bound(21), bound(30)), V{1});
    EXPECT_EQ(scheme.shards_for_range(bound(25), bound(31)), V({1, 2}));
    EXPECT_EQ(scheme.shards(), V({0, 1, 2}));
}

TEST(RangeScheme, StringRangesCompareFoldedBytes) {
    const RangeScheme scheme(
        std::vector<TextRange>{{"", std::string("m"), false, 0}, {"m", std::nullopt, true, 1}},
        std::nullopt);
    auto at = [&](const char* name) {
        return scheme.locate(*CanonicalKey::make(std::string_view(name), name_key))->shard;
    };
    EXPECT_EQ(at("Lovelace"), 0u);
    EXPECT_EQ(at("M"), 1u);
    EXPECT_EQ(at("Müller"), 1u);
    EXPECT_EQ(at(""), 0u);
    const CanonicalBound lo{*CanonicalKey::make(std::string_view("a"), name_key), true};
    const CanonicalBound hi{*CanonicalKey::make(std::string_view("c"), name_key), true};
    EXPECT_EQ(scheme.shards_for_range(lo, hi), std::vector<ShardId>{0});
    const CanonicalBound m{*CanonicalKey::make(std::string_view("m"), name_key), false};
    EXPECT_EQ(scheme.shards_for_range(lo, m), std::vector<ShardId>{0});
}

} // namespace
