// Names of the read-routing settings as written in shard maps.
#include "shardgate/shardmaps/read_routing.hpp"

#include <array>
#include <utility>

namespace shardgate::shardmaps {
namespace {

constexpr std::array<std::string_view, 6> policy_names{
    "round_robin", "weighted_round_robin", "least_connections", "weighted_least_connections",
    "hash",        "least_latency",
};

constexpr std::array<std::string_view, 4> ryw_names{"off", "window", "causal", "proxy"};

} // namespace

std::span<const std::string_view> balance_policy_names() {
    return policy_names;
}

std::optional<BalancePolicy> parse_balance_policy(std::string_view name) {
    for (std::size_t i = 0; i < policy_names.size(); ++i) {
        if (policy_names[i] == name) {
            return static_cast<BalancePolicy>(i);
        }
    }
    return std::nullopt;
}

std::string_view balance_policy_name(BalancePolicy policy) {
    const auto i = static_cast<std::size_t>(policy);
    return i < policy_names.size() ? policy_names[i] : "unknown";
}

std::optional<LagFallback> parse_lag_fallback(std::string_view name) {
    if (name == "primary") {
        return LagFallback::primary;
    }
    if (name == "error") {
        return LagFallback::error;
    }
    return std::nullopt;
}

std::string_view lag_fallback_name(LagFallback fallback) {
    return fallback == LagFallback::error ? "error" : "primary";
}

std::optional<ReadYourWrites> parse_read_your_writes(std::string_view name) {
    for (std::size_t i = 0; i < ryw_names.size(); ++i) {
        if (ryw_names[i] == name) {
            return static_cast<ReadYourWrites>(i);
        }
    }
    return std::nullopt;
}

std::string_view read_your_writes_name(ReadYourWrites mode) {
    const auto i = static_cast<std::size_t>(mode);
    return i < ryw_names.size() ? ryw_names[i] : "unknown";
}

} // namespace shardgate::shardmaps
