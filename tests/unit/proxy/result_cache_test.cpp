// Result cache: hits, TTL, LRU within the byte budget, invalidation by writes, no store of an
// answer read while (or before) a write of its tables ran, table names, non-determinism.
#include "shardgate/proxy/result_cache.hpp"

#include <gtest/gtest.h>

namespace shardgate::proxy {
namespace {

using namespace std::chrono_literals;

ResultCache::Ticket ticket(std::string key, std::vector<std::string> tables,
                           std::chrono::milliseconds ttl = 1000ms) {
    ResultCache::Ticket t;
    t.key = std::move(key);
    t.tables = std::move(tables);
    t.ttl = ttl;
    return t;
}

TEST(ResultCache, HitUntilItsTtl) {
    ResultCache cache(1 << 20);
    const auto t0 = ResultCache::Clock::now();
    auto a = ticket("q1", {"shop.t"});
    EXPECT_FALSE(cache.lookup(a, t0));
    EXPECT_TRUE(cache.store(a, "answer", t0));
    auto again = ticket("q1", {"shop.t"});
    EXPECT_EQ(cache.lookup(again, t0 + 500ms), "answer");
    EXPECT_FALSE(cache.lookup(again, t0 + 1000ms)); // expired
    const auto s = cache.stats();
    EXPECT_EQ(s.hits, 1u);
    EXPECT_EQ(s.misses, 2u);
    EXPECT_EQ(s.expirations, 1u);
    EXPECT_EQ(s.entries, 0u);
}

TEST(ResultCache, AWriteDropsItsTablesEntriesAndBlocksThemUntilItEnds) {
    ResultCache cache(1 << 20);
    auto t = ticket("read t", {"shop.t"});
    auto u = ticket("read u", {"shop.u"});
    cache.lookup(t);
    cache.lookup(u);
    ASSERT_TRUE(cache.store(t, "T"));
    ASSERT_TRUE(cache.store(u, "U"));
    cache.write_began("shop.t");
    auto t2 = ticket("read t", {"shop.t"});
    EXPECT_FALSE(cache.lookup(t2));       // dropped
    EXPECT_FALSE(cache.store(t2, "old")); // busy: not stored while the write runs
    auto u2 = ticket("read u", {"shop.u"});
    EXPECT_EQ(cache.lookup(u2), "U"); // another table is untouched
    cache.write_ended("shop.t");
    EXPECT_FALSE(cache.store(t2, "old")); // its lookup was before the write ended
    auto t3 = ticket("read t", {"shop.t"});
    EXPECT_FALSE(cache.lookup(t3));
    EXPECT_TRUE(cache.store(t3, "new"));
    EXPECT_EQ(cache.stats().invalidations, 1u);
}

TEST(ResultCache, AReadThatBeganBeforeAWriteIsNeverStored) {
    ResultCache cache(1 << 20);
    auto t = ticket("read t", {"shop.t"});
    cache.lookup(t); // generations taken
    cache.write_began("shop.t");
    cache.write_ended("shop.t");
    EXPECT_FALSE(cache.store(t, "maybe old"));
    EXPECT_EQ(cache.stats().store_skipped, 1u);
}

TEST(ResultCache, LeastRecentlyUsedGoesForTheBudget) {
    ResultCache cache(400); // entries up to 100 bytes (key + answer)
    auto a = ticket("a", {"d.t"});
    auto b = ticket("b", {"d.t"});
    auto c = ticket("c", {"d.t"});
    for (auto* t : {&a, &b, &c}) {
        cache.lookup(*t);
    }
    ASSERT_TRUE(cache.store(a, std::string(98, 'a')));
    ASSERT_TRUE(cache.store(b, std::string(98, 'b')));
    auto a2 = ticket("a", {"d.t"});
    ASSERT_TRUE(cache.lookup(a2)); // a is now the most recently used
    ASSERT_TRUE(cache.store(c, std::string(98, 'c')));
    auto big = ticket("big", {"d.t"});
    cache.lookup(big);
    ASSERT_TRUE(cache.store(big, std::string(97, 'x'))); // 4 x 99 = 396: fits, no eviction
    auto d = ticket("d", {"d.t"});
    cache.lookup(d);
    ASSERT_TRUE(cache.store(d, std::string(98, 'd'))); // evicts b, the least recently used
    auto b2 = ticket("b", {"d.t"});
    EXPECT_FALSE(cache.lookup(b2));
    auto a3 = ticket("a", {"d.t"});
    EXPECT_TRUE(cache.lookup(a3));
    EXPECT_EQ(cache.stats().evictions, 1u);
    auto huge = ticket("huge", {"d.t"});
    cache.lookup(huge);
    EXPECT_FALSE(cache.store(huge, std::string(200, 'h'))); // over a quarter of the budget
}

TEST(ResultCache, ForgettingIdleTablesNeverLetsAnEarlierReadIn) {
    ResultCache cache(1 << 20);
    auto early = ticket("read t", {"d.t"});
    cache.lookup(early);
    for (int i = 0; i < 10'001; ++i) { // more tables than kept: the idle ones are forgotten
        const auto name = "d.x" + std::to_string(i);
        cache.write_began(name);
        cache.write_ended(name);
    }
    EXPECT_FALSE(cache.store(early, "maybe old")); // its generations predate the forgetting
    auto fresh = ticket("read t", {"d.t"});
    cache.lookup(fresh);
    EXPECT_TRUE(cache.store(fresh, "now"));
    auto again = ticket("read t", {"d.t"});
    EXPECT_EQ(cache.lookup(again), "now");
}

TEST(ResultCache, OtherProxiesWritesInvalidateAndOwnWritesAreShared) {
    ResultCache cache(1 << 20);
    cache.write_began("d.t");
    cache.write_ended("d.t");
    EXPECT_TRUE(cache.take_shared().empty()); // not sharing yet
    cache.share_writes();
    auto t = ticket("read t", {"d.t"});
    cache.lookup(t);
    EXPECT_TRUE(cache.store(t, "old"));
    cache.write_began("d.u");
    cache.write_began("d.u"); // once per publication
    cache.write_ended("d.u");
    cache.write_ended("d.u");
    EXPECT_EQ(cache.take_shared(), std::vector<std::string>{"d.u"});
    EXPECT_TRUE(cache.take_shared().empty());
    // the end of a write is published too (what others stored before its commit goes), and
    // what could not be published is kept for the next round
    cache.write_began("d.v");
    EXPECT_EQ(cache.take_shared(), std::vector<std::string>{"d.v"});
    cache.write_ended("d.v");
    const auto unpublished = cache.take_shared();
    EXPECT_EQ(unpublished, std::vector<std::string>{"d.v"});
    cache.share_again(unpublished);
    EXPECT_EQ(cache.take_shared(), std::vector<std::string>{"d.v"});
    // another proxy wrote d.t: the entry goes, and a read begun before is not stored
    auto before = ticket("read t 2", {"d.t"});
    cache.lookup(before);
    cache.invalidate("d.t");
    auto again = ticket("read t", {"d.t"});
    EXPECT_FALSE(cache.lookup(again));
    EXPECT_FALSE(cache.store(before, "stale"));
    EXPECT_EQ(cache.stats().remote_invalidations, 1u);
    // "*": every table
    auto u = ticket("read u", {"d.u"});
    cache.lookup(u);
    EXPECT_TRUE(cache.store(u, "u"));
    cache.invalidate("*");
    auto u2 = ticket("read u", {"d.u"});
    EXPECT_FALSE(cache.lookup(u2));
    // more tables between two publications than kept: "*"
    for (int i = 0; i < 1500; ++i) {
        cache.write_began("d.t" + std::to_string(i));
    }
    EXPECT_EQ(cache.take_shared(), std::vector<std::string>{"*"});
}

TEST(ResultCache, TableNamesAndDeterminism) {
    EXPECT_EQ(cache_table("shop", "Public.\"Orders\""), "shop.orders");
    EXPECT_EQ(cache_table("social", "`users`"), "social.users");
    EXPECT_EQ(cache_table("shop", "*"), "shop.*");
    EXPECT_TRUE(nondeterministic_sql("SELECT now()"));
    EXPECT_TRUE(nondeterministic_sql("select RANDOM() from t"));
    EXPECT_TRUE(nondeterministic_sql("SELECT * FROM t FOR UPDATE"));
    EXPECT_TRUE(nondeterministic_sql("SELECT UUID()"));
    EXPECT_FALSE(nondeterministic_sql("SELECT v FROM t WHERE id = 1"));
    EXPECT_FALSE(nondeterministic_sql("SELECT nowhere, fortune FROM t"));
}

} // namespace
} // namespace shardgate::proxy
