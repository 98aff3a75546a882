// Unit tests of the replica balancing policies: distributions, lag bound, fallback.
#include "shardgate/router/balancer.hpp"

#include <algorithm>
#include <array>
#include <gtest/gtest.h>
#include <map>
#include <vector>

namespace shardgate::router {
namespace {

std::vector<Candidate> three_replicas(std::array<std::uint32_t, 3> weights = {1, 1, 1}) {
    std::vector<Candidate> replicas;
    for (std::uint64_t i = 0; i < 3; ++i) {
        Candidate candidate;
        candidate.id = 10 + i;
        candidate.weight = weights[i];
        candidate.lag_ms = 5;
        replicas.push_back(candidate);
    }
    return replicas;
}

BalancerOptions with_policy(BalancePolicy policy) {
    BalancerOptions options;
    options.policy = policy;
    return options;
}

/// Picks `count` times and returns how often each position was chosen.
std::vector<int> distribution(Balancer& balancer, const std::vector<Candidate>& candidates,
                              int count) {
    std::vector<int> hits(candidates.size(), 0);
    for (int i = 0; i < count; ++i) {
        const Pick pick = balancer.pick(candidates);
        EXPECT_EQ(pick.kind, Pick::Kind::candidate);
        ++hits[pick.position];
    }
    return hits;
}

/// A key hash spread like a real shard-key hash would be.
std::uint64_t key_hash(std::uint64_t key) {
    return key * 0x9e3779b97f4a7c15ULL ^ (key >> 7);
}

TEST(Balancer, RoundRobinIsEven) {
    Balancer balancer("s0", with_policy(BalancePolicy::round_robin));
    const auto hits = distribution(balancer, three_replicas(), 60000);
    EXPECT_EQ(hits, (std::vector<int>{20000, 20000, 20000}));
}

TEST(Balancer, WeightedRoundRobinFollowsWeights) {
    Balancer balancer("s0", with_policy(BalancePolicy::weighted_round_robin));
    const auto hits = distribution(balancer, three_replicas({1, 2, 3}), 60000);
    const std::array<double, 3> expected{10000, 20000, 30000};
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_NEAR(hits[i], expected[i], 0.02 * expected[i]) << "backend " << i;
    }
}

TEST(Balancer, WeightedRoundRobinIsSmooth) {
    Balancer balancer("s0", with_policy(BalancePolicy::weighted_round_robin));
    const auto candidates = three_replicas({5, 1, 1});
    std::vector<std::size_t> order;
    for (int i = 0; i < 7; ++i) {
        order.push_back(balancer.pick(candidates).position);
    }
    EXPECT_EQ(order, (std::vector<std::size_t>{0, 0, 1, 0, 2, 0, 0}));
}

TEST(Balancer, LeastConnectionsAlwaysPicksAMinimum) {
    Balancer balancer("s0", with_policy(BalancePolicy::least_connections));
    auto candidates = three_replicas();
    std::vector<int> hits(3, 0);
    for (int i = 0; i < 30000; ++i) {
        // Connections open on the pick and some close again, as in a pool under load.
        const Pick pick = balancer.pick(candidates);
        ASSERT_EQ(pick.kind, Pick::Kind::candidate);
        const auto least = std::min_element(candidates.begin(), candidates.end(),
                                            [](const Candidate& a, const Candidate& b) {
                                                return a.active_connections < b.active_connections;
                                            });
        ASSERT_EQ(candidates[pick.position].active_connections, least->active_connections);
        ++candidates[pick.position].active_connections;
        ++hits[pick.position];
        Candidate& closing = candidates[(i / 3) % 3];
        if (i % 3 == 0 && closing.active_connections > 0) {
            --closing.active_connections;
        }
    }
    for (int h : hits) {
        EXPECT_NEAR(h, 10000, 200);
    }
}

TEST(Balancer, LeastConnectionsRotatesTies) {
    Balancer balancer("s0", with_policy(BalancePolicy::least_connections));
    const auto hits = distribution(balancer, three_replicas(), 3000);
    EXPECT_EQ(hits, (std::vector<int>{1000, 1000, 1000}));
}

TEST(Balancer, WeightedLeastConnectionsKeepsConnectionsProportionalToWeight) {
    Balancer balancer("s0", with_policy(BalancePolicy::weighted_least_connections));
    auto candidates = three_replicas({1, 2, 3});
    for (int i = 0; i < 60000; ++i) {
        const Pick pick = balancer.pick(candidates);
        ASSERT_EQ(pick.kind, Pick::Kind::candidate);
        const Candidate& chosen = candidates[pick.position];
        for (const Candidate& other : candidates) {
            // chosen.c / chosen.w <= other.c / other.w
            ASSERT_LE(std::uint64_t{chosen.active_connections} * other.weight,
                      std::uint64_t{other.active_connections} * chosen.weight);
        }
        ++candidates[pick.position].active_connections;
    }
    const std::array<double, 3> expected{10000, 20000, 30000};
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_NEAR(candidates[i].active_connections, expected[i], 0.02 * expected[i]);
    }
}

TEST(Balancer, LeastLatencyPicksFastestAndRotatesTies) {
    Balancer balancer("s0", with_policy(BalancePolicy::least_latency));
    auto candidates = three_replicas();
    candidates[0].probe_latency_us = 300;
    candidates[1].probe_latency_us = 120;
    candidates[2].probe_latency_us = 450;
    EXPECT_EQ(distribution(balancer, candidates, 1000), (std::vector<int>{0, 1000, 0}));
    candidates[2].probe_latency_us = 120;
    EXPECT_EQ(distribution(balancer, candidates, 1000), (std::vector<int>{0, 500, 500}));
}

TEST(Balancer, HashIsStableAndEven) {
    Balancer balancer("s0", with_policy(BalancePolicy::hash));
    const auto candidates = three_replicas();
    std::vector<int> hits(3, 0);
    for (std::uint64_t key = 0; key < 30000; ++key) {
        const PickRequest request{.max_lag_ms = std::nullopt, .key_hash = key_hash(key)};
        const std::size_t first = balancer.pick(candidates, request).position;
        ASSERT_EQ(balancer.pick(candidates, request).position, first);
        ++hits[first];
    }
    for (int h : hits) {
        EXPECT_NEAR(h, 10000, 200);
    }
}

TEST(Balancer, HashMovesOnlyTheDepartedReplicasKeys) {
    Balancer balancer("s0", with_policy(BalancePolicy::hash));
    const auto all = three_replicas();
    const std::vector<Candidate> without_middle{all[0], all[2]};
    int moved = 0;
    int owned_by_middle = 0;
    for (std::uint64_t key = 0; key < 10000; ++key) {
        const PickRequest request{.max_lag_ms = std::nullopt, .key_hash = key_hash(key)};
        const std::uint64_t before = all[balancer.pick(all, request).position].id;
        const std::uint64_t after =
            without_middle[balancer.pick(without_middle, request).position].id;
        owned_by_middle += before == all[1].id;
        if (before != after) {
            ++moved;
            EXPECT_EQ(before, all[1].id) << "key " << key << " moved off a remaining replica";
        }
    }
    EXPECT_EQ(moved, owned_by_middle);
    EXPECT_NEAR(owned_by_middle, 3333, 200);
}

TEST(Balancer, HashSharesFollowWeights) {
    Balancer balancer("s0", with_policy(BalancePolicy::hash));
    const auto candidates = three_replicas({1, 2, 3});
    std::vector<int> hits(3, 0);
    for (std::uint64_t key = 0; key < 60000; ++key) {
        ++hits[balancer.pick(candidates, {.max_lag_ms = std::nullopt, .key_hash = key_hash(key)})
                   .position];
    }
    const std::array<double, 3> expected{10000, 20000, 30000};
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_NEAR(hits[i], expected[i], 0.03 * expected[i]) << "backend " << i;
    }
}

TEST(Balancer, HashWithoutKeyRoundRobins) {
    Balancer balancer("s0", with_policy(BalancePolicy::hash));
    EXPECT_EQ(distribution(balancer, three_replicas(), 300), (std::vector<int>{100, 100, 100}));
}

class EveryPolicy : public ::testing::TestWithParam<BalancePolicy> {};

TEST_P(EveryPolicy, NeverPicksLaggingUnhealthyUnknownOrZeroWeight) {
    Balancer balancer("s0", with_policy(GetParam()));
    auto candidates = three_replicas();
    candidates.push_back(candidates[0]);
    candidates[0].lag_ms = 1001;         // over the 1000 ms default bound
    candidates[1].healthy = false;       // down
    candidates[2].lag_ms = std::nullopt; // replication stopped
    candidates[3].id = 99;
    candidates[3].weight = 0;
    candidates[3].lag_ms = 0;
    Candidate good = three_replicas()[1];
    good.id = 42;
    candidates.push_back(good);
    for (std::uint64_t i = 0; i < 1000; ++i) {
        const Pick pick = balancer.pick(candidates, {.max_lag_ms = std::nullopt, .key_hash = i});
        ASSERT_EQ(pick.kind, Pick::Kind::candidate);
        ASSERT_EQ(pick.position, 4u);
    }
}

INSTANTIATE_TEST_SUITE_P(Policies, EveryPolicy,
                         ::testing::Values(BalancePolicy::round_robin,
                                           BalancePolicy::weighted_round_robin,
                                           BalancePolicy::least_connections,
                                           BalancePolicy::weighted_least_connections,
                                           BalancePolicy::hash, BalancePolicy::least_latency));

TEST(Balancer, HintTightensButNeverLoosensTheBound) {
    Balancer balancer("s0", with_policy(BalancePolicy::round_robin));
    auto candidates = three_replicas();
    candidates[0].lag_ms = 50;
    candidates[1].lag_ms = 400;
    candidates[2].lag_ms = 1500;
    EXPECT_EQ(distribution(balancer, candidates, 100), (std::vector<int>{50, 50, 0}));
    for (int i = 0; i < 100; ++i) {
        EXPECT_EQ(balancer.pick(candidates, {.max_lag_ms = 100, .key_hash = std::nullopt}).position,
                  0u);
        EXPECT_NE(
            balancer.pick(candidates, {.max_lag_ms = 5000, .key_hash = std::nullopt}).position, 2u);
    }
}

TEST(Balancer, PrimaryTakesPartWithItsWeightAndIgnoresLag) {
    Balancer balancer("s0", with_policy(BalancePolicy::weighted_round_robin));
    auto candidates = three_replicas({2, 2, 0});
    candidates[2].is_primary = true;
    candidates[2].weight = 1;
    candidates[2].lag_ms = std::nullopt;
    EXPECT_EQ(distribution(balancer, candidates, 5000), (std::vector<int>{2000, 2000, 1000}));
}

TEST(Balancer, FallbackToPrimaryWhenNothingQualifies) {
    Balancer balancer("s0", with_policy(BalancePolicy::least_latency));
    auto candidates = three_replicas();
    for (auto& candidate : candidates) {
        candidate.lag_ms = 2000;
    }
    const Pick pick = balancer.pick(candidates);
    EXPECT_EQ(pick.kind, Pick::Kind::use_primary);
    EXPECT_EQ(balancer.stats().fallbacks_to_primary, 1u);
    EXPECT_EQ(balancer.pick({}).kind, Pick::Kind::use_primary);
}

TEST(Balancer, FallbackErrorNamesShardAndSmallestLag) {
    BalancerOptions options;
    options.fallback = LagFallback::error;
    options.max_replica_lag_ms = 500;
    Balancer balancer("users_0", options);
    auto candidates = three_replicas();
    candidates[0].lag_ms = 2400;
    candidates[1].lag_ms = 731;
    candidates[2].healthy = false;
    candidates[2].lag_ms = 3; // down: its lag is not a candidate for "smallest seen"
    const Pick pick = balancer.pick(candidates);
    ASSERT_EQ(pick.kind, Pick::Kind::error);
    EXPECT_EQ(pick.sqlstate, "57P03");
    EXPECT_EQ(pick.message,
              "shard 'users_0': no replica within the lag bound of 500 ms (smallest lag seen: "
              "731 ms)");
    EXPECT_EQ(balancer.stats().errors, 1u);

    candidates[0].lag_ms = std::nullopt;
    candidates[1].lag_ms = std::nullopt;
    const Pick unknown = balancer.pick(candidates, {.max_lag_ms = 100, .key_hash = std::nullopt});
    EXPECT_NE(unknown.message.find("lag bound of 100 ms"), std::string::npos);
    EXPECT_NE(unknown.message.find("unknown"), std::string::npos);
}

TEST(Balancer, PolicyNamesRoundTrip) {
    for (auto policy : {BalancePolicy::round_robin, BalancePolicy::weighted_round_robin,
                        BalancePolicy::least_connections, BalancePolicy::weighted_least_connections,
                        BalancePolicy::hash, BalancePolicy::least_latency}) {
        EXPECT_EQ(parse_balance_policy(balance_policy_name(policy)), policy);
    }
    EXPECT_FALSE(parse_balance_policy("random"));
    EXPECT_EQ(parse_lag_fallback("error"), LagFallback::error);
    EXPECT_EQ(parse_lag_fallback("primary"), LagFallback::primary);
    EXPECT_FALSE(parse_lag_fallback("replica"));
}

} // namespace
} // namespace shardgate::router
