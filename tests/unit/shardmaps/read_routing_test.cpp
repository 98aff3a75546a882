// `read_routing` in shard maps: database defaults, shard overrides, and clear errors.
#include "shardgate/shardmaps/loader.hpp"

#include <gtest/gtest.h>

namespace {

using namespace shardgate::shardmaps;

std::string map_text(const std::string& database_extra, const std::string& shard_extra) {
    return "format_version: 1\nepoch: 1\ndatabases:\n  shop:\n    engine: postgresql\n"
           "    default_shard: s0\n" +
           database_extra +
           "    shards:\n"
           "      s0: {primary: 127.0.0.1:5432, replicas: [127.0.0.1:5433]" +
           shard_extra +
           "}\n"
           "      s1: {primary: 127.0.0.1:5434, replicas: ['127.0.0.1:5435']}\n";
}

std::string load_error(const std::string& text) {
    try {
        parse_shard_map(text, "map.yaml");
    } catch (const std::exception& e) {
        return e.what();
    }
    return "";
}

TEST(ReadRouting, DefaultsWithoutSettings) {
    const auto map = parse_shard_map(map_text("", ""), "map.yaml");
    const auto& reads = map->find_database("shop")->shard(0).reads;
    EXPECT_EQ(reads, ReadRouting{});
    EXPECT_EQ(reads.balance, BalancePolicy::round_robin);
    EXPECT_EQ(reads.max_replica_lag_ms, 1000u);
    EXPECT_EQ(reads.fallback, LagFallback::primary);
    EXPECT_EQ(reads.read_your_writes, ReadYourWrites::causal);
}

TEST(ReadRouting, DatabaseDefaultsAndShardOverrides) {
    const auto map = parse_shard_map(
        map_text("    read_routing: {balance: least_latency, max_replica_lag_ms: 300, fallback: "
                 "error, read_your_writes: window, read_your_writes_window_ms: 250}\n",
                 ", max_replica_lag_ms: 50, read_routing: {balance: hash, read_your_writes: "
                 "causal, primary_weight: 2}"),
        "map.yaml");
    const auto* db = map->find_database("shop");
    const auto& s0 = db->shard(0).reads;
    EXPECT_EQ(s0.balance, BalancePolicy::hash);
    EXPECT_EQ(s0.max_replica_lag_ms, 50u);
    EXPECT_EQ(s0.fallback, LagFallback::error);
    EXPECT_EQ(s0.read_your_writes, ReadYourWrites::causal);
    EXPECT_EQ(s0.primary_weight, 2u);
    const auto& s1 = db->shard(1).reads;
    EXPECT_EQ(s1.balance, BalancePolicy::least_latency);
    EXPECT_EQ(s1.max_replica_lag_ms, 300u);
    EXPECT_EQ(s1.read_your_writes, ReadYourWrites::window);
    EXPECT_EQ(s1.read_your_writes_window_ms, 250u);
    EXPECT_EQ(s1.primary_weight, 0u);
}

TEST(ReadRouting, UnknownNamesAreErrorsThatListTheChoices) {
    const auto policy = load_error(map_text("    read_routing: {balance: fastest}\n", ""));
    EXPECT_NE(policy.find("'balance' must be one of: round_robin, weighted_round_robin"),
              std::string::npos)
        << policy;
    const auto fallback = load_error(map_text("", ", read_routing: {fallback: replica}"));
    EXPECT_NE(fallback.find("'fallback' must be one of: primary, error"), std::string::npos)
        << fallback;
    const auto field = load_error(map_text("    read_routing: {balanse: hash}\n", ""));
    EXPECT_NE(field.find("balanse"), std::string::npos) << field;
    const auto window = load_error(map_text("    read_routing: {read_your_writes: window}\n", ""));
    EXPECT_NE(window.find("read_your_writes_window_ms above 0"), std::string::npos) << window;
}

TEST(ReadRouting, NamesRoundTrip) {
    for (const auto name : balance_policy_names()) {
        ASSERT_TRUE(parse_balance_policy(name));
        EXPECT_EQ(balance_policy_name(*parse_balance_policy(name)), name);
    }
    EXPECT_EQ(read_your_writes_name(*parse_read_your_writes("causal")), "causal");
    EXPECT_FALSE(parse_read_your_writes("sometimes"));
    EXPECT_EQ(lag_fallback_name(*parse_lag_fallback("error")), "error");
}

} // namespace
