// Loading the example maps: the demo topology's placements, settings and lookups.
#include "shardgate/shardmaps/loader.hpp"

#include <filesystem>
#include <gtest/gtest.h>

namespace {

using namespace shardgate::shardmaps;

const std::string examples = std::string(SHARDGATE_SOURCE_DIR) + "/shardmaps/examples/";

class DemoMap : public ::testing::Test {
protected:
    static void SetUpTestSuite() { map_ = load_shard_map(examples + "demo.yaml"); }
    static std::string shard_of(const char* db, const char* table, const KeyValue& key) {
        const auto location = map_->locate(db, table, key);
        EXPECT_TRUE(location.ok()) << (location.ok() ? "" : location.error().message);
        return location.ok() ? map_->find_database(db)->shard(location->shard).name : "";
    }
    static ShardMapPtr map_;
};

ShardMapPtr DemoMap::map_;

TEST(Examples, EveryExampleLoads) {
    int count = 0;
    for (const auto& entry : std::filesystem::directory_iterator(examples)) {
        if (entry.path().extension() == ".yaml") {
            EXPECT_NO_THROW(load_shard_map(entry.path().string())) << entry.path();
            ++count;
        }
    }
    EXPECT_GE(count, 6);
}

TEST_F(DemoMap, DatabasesShardsAndSettings) {
    EXPECT_EQ(map_->epoch(), 1u);
    EXPECT_EQ(map_->format_version(), 1);
    const Database* shop = map_->find_database("shop");
    ASSERT_NE(shop, nullptr);
    EXPECT_EQ(shop->engine(), Engine::postgresql);
    ASSERT_EQ(shop->shards().size(), 2u);
    EXPECT_EQ(shop->shards()[0].name, "pg0");
    EXPECT_EQ(shop->shards()[0].primary.to_string(), "127.0.0.1:15432");
    EXPECT_EQ(shop->shards()[1].replicas.at(0).endpoint.to_string(), "127.0.0.1:15435");
    EXPECT_EQ(shop->shards()[1].reads.max_replica_lag_ms, 1000u);
    EXPECT_EQ(shop->shard(shop->default_shard()).name, "pg0");
    EXPECT_EQ(shop->settings().unparsable, UnparsablePolicy::reject);
    const Database* social = map_->find_database("social");
    ASSERT_NE(social, nullptr);
    EXPECT_EQ(social->engine(), Engine::mysql);
    EXPECT_EQ(social->shards()[1].primary.port, 13308);
    EXPECT_EQ(map_->find_database("nope"), nullptr);
    EXPECT_EQ(map_->locate("nope", "t", std::int64_t{1}).error().code,
              LookupErrorCode::unknown_database);
}

TEST_F(DemoMap, TablePlacements) {
    const Database& shop = *map_->find_database("shop");
    EXPECT_EQ(shop.find_table("customers")->scheme()->kind(), SchemeKind::hash);
    EXPECT_EQ(shop.find_table("orders")->colocated_with(), "customers");
    EXPECT_EQ(shop.find_table("orders")->key().column, "customer_id");
    EXPECT_EQ(shop.find_table("orders")->scheme(), shop.find_table("customers")->scheme());
    EXPECT_EQ(shop.find_table("products")->kind(), TableKind::reference);
    EXPECT_EQ(shop.find_table("invoices")->kind(), TableKind::vertical);
    EXPECT_EQ(shop.find_table("stores")->scheme()->kind(), SchemeKind::list);
    EXPECT_EQ(shop.find_table("events")->scheme()->kind(), SchemeKind::time);
    EXPECT_EQ(shop.find_table("accounts")->scheme()->kind(), SchemeKind::range);
    EXPECT_EQ(shop.find_table("unknown_table"), nullptr);
    EXPECT_EQ(shop.placement("unknown_table").kind(), TableKind::vertical);
    const Database& social = *map_->find_database("social");
    EXPECT_EQ(social.find_table("users")->scheme()->kind(), SchemeKind::consistent_hash);
    EXPECT_EQ(social.find_table("likes")->colocated_with(), "users");
    EXPECT_TRUE(social.find_table("profiles")->key().case_insensitive);
}

TEST_F(DemoMap, LookupsFollowTheIssueSchema) {
    EXPECT_EQ(shard_of("shop", "customers", std::int64_t{42}), "pg1"); // 0xa1d0...
    EXPECT_EQ(shard_of("shop", "customers", std::int64_t{-1}), "pg0"); // 0x6bb6...
    EXPECT_EQ(shard_of("shop", "orders", std::int64_t{42}), "pg1");    // co-located
    EXPECT_EQ(shard_of("shop", "invoices", std::string_view("anything")), "pg1");
    EXPECT_EQ(shard_of("shop", "not_in_map", std::int64_t{7}), "pg0");
    for (const char* eu : {"DE", "FR", "IT", "ES", "NL"}) {
        EXPECT_EQ(shard_of("shop", "stores", std::string_view(eu)), "pg0") << eu;
    }
    for (const char* americas : {"US", "CA", "BR", "MX"}) {
        EXPECT_EQ(shard_of("shop", "stores", std::string_view(americas)), "pg1") << americas;
    }
    EXPECT_EQ(shard_of("shop", "stores", std::string_view("JP")), "pg0");
    EXPECT_EQ(shard_of("shop", "events", std::string_view("2025-06-30 12:00:00")), "pg0");
    EXPECT_EQ(shard_of("shop", "events", std::string_view("2026-01-01 00:00:00")), "pg1");
    EXPECT_EQ(shard_of("shop", "accounts", std::int64_t{999999}), "pg0");
    EXPECT_EQ(shard_of("shop", "accounts", std::int64_t{1000000}), "pg1");
    EXPECT_EQ(shard_of("social", "profiles", std::string_view("EU")), "my0");
    EXPECT_EQ(shard_of("social", "profiles", std::string_view("apac")), "my0");
    EXPECT_EQ(shard_of("social", "profiles", std::string_view("LatAm")), "my1");
    EXPECT_EQ(shard_of("social", "profiles", std::string_view("mea")), "my0");
    EXPECT_EQ(shard_of("social", "audit", std::int64_t{1}), "my0");
    EXPECT_EQ(shard_of("social", "posts", std::int64_t{5}),
              shard_of("social", "users", std::int64_t{5}));
    const auto messages = map_->locate("social", "messages", std::int64_t{42});
    EXPECT_EQ(messages->keyspace_id, 0xa1d0c6e83f027327ULL);
    EXPECT_EQ(map_->locate("social", "tags", std::int64_t{1}).error().code,
              LookupErrorCode::not_sharded);
    EXPECT_EQ(map_->locate("shop", "customers", std::string_view("x1")).error().code,
              LookupErrorCode::bad_key);
}

TEST_F(DemoMap, RangeQuestionsForThePlanner) {
    const Database& shop = *map_->find_database("shop");
    using V = std::vector<ShardId>;
    const auto accounts = shop.find_table("accounts");
    EXPECT_EQ(*accounts->shards_for_range(KeyBound{std::int64_t{1}}, KeyBound{std::int64_t{10}}),
              V{0});
    EXPECT_EQ(*accounts->shards_for_range(KeyBound{std::int64_t{5}}, std::nullopt), V({0, 1}));
    const auto events = shop.find_table("events");
    EXPECT_EQ(*events->shards_for_range(KeyBound{std::string_view("2026-02-01")}, std::nullopt),
              V{1});
    EXPECT_FALSE(
        events->shards_for_range(KeyBound{std::string_view("yesterday")}, std::nullopt).ok());
    EXPECT_EQ(*shop.find_table("customers")->shards_for_range(std::nullopt, std::nullopt),
              V({0, 1}));
    EXPECT_EQ(*shop.find_table("invoices")->shards_for_range(std::nullopt, std::nullopt), V{1});
    EXPECT_EQ(shop.find_table("products")->shards(), V({0, 1}));
}

} // namespace
