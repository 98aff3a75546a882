// Tests of the LRU plan cache.
#include "shardgate/parser/lexer.hpp"
#include "shardgate/parser/plan_cache.hpp"

#include <gtest/gtest.h>

namespace {

using namespace shardgate::parser;

Fingerprint fp(std::string_view sql) {
    return fingerprint(sql, Dialect::mysql).value();
}

TEST(PlanCache, HitsAcrossLiteralValues) {
    PlanCache<int> cache(4);
    cache.insert(fp("SELECT * FROM t WHERE id = 1"), 7);
    const int* hit = cache.find(fp("SELECT * FROM t WHERE id = 99"));
    ASSERT_NE(hit, nullptr);
    EXPECT_EQ(*hit, 7);
    EXPECT_EQ(cache.find(fp("SELECT * FROM u WHERE id = 1")), nullptr);
    EXPECT_EQ(cache.stats().hits, 1u);
    EXPECT_EQ(cache.stats().misses, 1u);
}

TEST(PlanCache, EvictsLeastRecentlyUsed) {
    PlanCache<int> cache(2);
    cache.insert(fp("SELECT 1 FROM a"), 1);
    cache.insert(fp("SELECT 1 FROM b"), 2);
    ASSERT_NE(cache.find(fp("SELECT 1 FROM a")), nullptr);
    cache.insert(fp("SELECT 1 FROM c"), 3);
    EXPECT_EQ(cache.size(), 2u);
    EXPECT_EQ(cache.find(fp("SELECT 1 FROM b")), nullptr);
    EXPECT_NE(cache.find(fp("SELECT 1 FROM a")), nullptr);
    EXPECT_NE(cache.find(fp("SELECT 1 FROM c")), nullptr);
    EXPECT_EQ(cache.stats().evictions, 1u);
}

TEST(PlanCache, InsertReplacesExistingPlan) {
    PlanCache<std::string> cache(2);
    cache.insert(fp("SELECT 1 FROM a"), "old");
    cache.insert(fp("SELECT 2 FROM a"), "new");
    EXPECT_EQ(cache.size(), 1u);
    EXPECT_EQ(*cache.find(fp("SELECT 3 FROM a")), "new");
}

} // namespace
