// Rate limiter: bursts, waits and refusals of the token buckets (nothing taken from a refused
// statement), fingerprint buckets, and cross-shard slots per database and shard.
#include "shardgate/proxy/rate_limits.hpp"

#include <gtest/gtest.h>

namespace shardgate::proxy {
namespace {

using namespace std::chrono_literals;

TEST(RateLimiter, BurstThenWaitThenRefuse) {
    RateLimitConfig config;
    config.max_wait_ms = 100;
    config.users["batch"] = 10; // burst 10, one token every 100 ms
    RateLimiter limits(config);
    ASSERT_TRUE(limits.enabled());
    const auto t0 = RateLimiter::Clock::now();
    for (int i = 0; i < 10; ++i) {
        const auto a = limits.take("batch", "shop", 0, t0);
        ASSERT_FALSE(a.refusal);
        EXPECT_EQ(a.wait, 0us);
    }
    const auto eleventh = limits.take("batch", "shop", 0, t0);
    ASSERT_FALSE(eleventh.refusal);
    EXPECT_EQ(eleventh.wait, 100ms); // the next token
    const auto twelfth = limits.take("batch", "shop", 0, t0);
    ASSERT_TRUE(twelfth.refusal); // 200 ms away: over max_wait
    EXPECT_NE(twelfth.refusal->find("user \"batch\" is over 10 statements/s"), std::string::npos);
    // the refusal took nothing: 100 ms later the reserved token is paid and one more is near
    const auto later = limits.take("batch", "shop", 0, t0 + 100ms);
    ASSERT_FALSE(later.refusal);
    EXPECT_EQ(later.wait, 100ms);
    // other users are not limited
    EXPECT_FALSE(limits.take("app", "shop", 0, t0).refusal);
}

TEST(RateLimiter, EveryBucketMustAdmitAndARefusalReturnsTheOthersTokens) {
    RateLimitConfig config;
    config.max_wait_ms = 0;
    config.users["a"] = 100;
    config.databases["shop"] = 2;
    RateLimiter limits(config);
    const auto t0 = RateLimiter::Clock::now();
    EXPECT_FALSE(limits.take("a", "shop", 0, t0).refusal);
    EXPECT_FALSE(limits.take("a", "shop", 0, t0).refusal);
    const auto third = limits.take("a", "shop", 0, t0);
    ASSERT_TRUE(third.refusal);
    EXPECT_NE(third.refusal->find("database \"shop\""), std::string::npos);
    EXPECT_FALSE(limits.take("a", "other", 0, t0).refusal); // user a still has tokens
}

TEST(RateLimiter, FingerprintBuckets) {
    RateLimitConfig config;
    config.max_wait_ms = 0;
    config.per_digest = 1;
    RateLimiter limits(config);
    const auto t0 = RateLimiter::Clock::now();
    EXPECT_FALSE(limits.take("u", "shop", 42, t0).refusal);
    EXPECT_TRUE(limits.take("u", "shop", 42, t0).refusal);
    EXPECT_FALSE(limits.take("u", "shop", 43, t0).refusal); // another statement
    EXPECT_FALSE(limits.take("u", "shop", 42, t0 + 1s).refusal);
}

TEST(RateLimiter, ScatterSlotsPerDatabaseAndShard) {
    RateLimitConfig config;
    config.scatter_per_database["shop"] = 2;
    config.scatter_per_shard = 1;
    RateLimiter limits(config);
    const std::vector<std::string> both{"s0", "s1"};
    const std::vector<std::string> s1{"s1"};
    std::string why;
    const auto first = limits.try_scatter("shop", both, why);
    ASSERT_TRUE(first && *first != 0);
    EXPECT_FALSE(limits.try_scatter("shop", s1, why)); // s1 holds its one slot
    EXPECT_NE(why.find("on shard s1"), std::string::npos);
    limits.release(*first);
    const auto a = limits.try_scatter("other", s1, why); // no database limit there
    ASSERT_TRUE(a);
    limits.release(*a);
    RateLimitConfig per_db;
    per_db.scatter_per_database["shop"] = 1;
    RateLimiter only_db(per_db);
    const auto held = only_db.try_scatter("shop", both, why);
    ASSERT_TRUE(held);
    EXPECT_FALSE(only_db.try_scatter("shop", s1, why));
    EXPECT_NE(why.find("in database \"shop\" (scatter_per_database 1)"), std::string::npos);
    only_db.release(*held);
    EXPECT_TRUE(only_db.try_scatter("shop", s1, why));
    RateLimiter none;
    EXPECT_FALSE(none.enabled());
    EXPECT_EQ(none.try_scatter("shop", both, why), std::optional<std::uint64_t>(0));
}

} // namespace
} // namespace shardgate::proxy
