// list scheme: listed values, default shard, and case folding through the table's key.
#include "shardgate/shardmaps/list_scheme.hpp"

#include <gtest/gtest.h>

namespace {

using namespace shardgate::shardmaps;

TEST(ListScheme, ListedValuesAndDefault) {
    const ShardKey key{"country", KeyType::text, false};
    const ListScheme with_default({{"DE", 0}, {"US", 1}}, ShardId{2});
    const ListScheme without({{"DE", 0}, {"US", 1}}, std::nullopt);
    auto canonical = [&](const char* v) { return *CanonicalKey::make(std::string_view(v), key); };
    EXPECT_EQ(with_default.locate(canonical("DE"))->shard, 0u);
    EXPECT_EQ(with_default.locate(canonical("US"))->shard, 1u);
    EXPECT_EQ(with_default.locate(canonical("JP"))->shard, 2u);
    EXPECT_EQ(with_default.locate(canonical("de"))->shard, 2u); // case-sensitive key
    const auto missing = without.locate(canonical("JP"));
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().code, LookupErrorCode::no_shard);
    EXPECT_NE(missing.error().message.find("'JP'"), std::string::npos);
    EXPECT_EQ(with_default.shards(), (std::vector<ShardId>{0, 1, 2}));
    EXPECT_EQ(without.shards_for_range(std::nullopt, std::nullopt), (std::vector<ShardId>{0, 1}));
}

TEST(ListScheme, CaseInsensitiveKeysFoldBeforeLookup) {
    const ShardKey key{"region", KeyType::text, true};
    const ListScheme scheme({{"eu", 0}, {"us", 1}}, std::nullopt);
    EXPECT_EQ(scheme.locate(*CanonicalKey::make(std::string_view("EU"), key))->shard, 0u);
    EXPECT_EQ(scheme.locate(*CanonicalKey::make(std::string_view("Us"), key))->shard, 1u);
}

TEST(ListScheme, IntegerValuesAreCanonicalDecimal) {
    const ShardKey key{"region_id", KeyType::smallint, false};
    const ListScheme scheme({{"1", 0}, {"10", 1}}, std::nullopt);
    EXPECT_EQ(scheme.locate(*CanonicalKey::make(std::string_view("010"), key))->shard, 1u);
    EXPECT_EQ(scheme.locate(*CanonicalKey::make(std::int64_t{1}, key))->shard, 0u);
}

} // namespace
