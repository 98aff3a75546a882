// Replica balancing policies: filter by health and lag, then choose by policy.
#include "shardgate/router/balancer.hpp"

#include "mix64.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace shardgate::router {
namespace {

/// Rendezvous score of (key, backend): weight / -ln(u) with u uniform in (0, 1), so a
/// backend's share of keys is proportional to its weight and a departing backend only
/// releases its own keys.
double rendezvous_score(std::uint64_t key_hash, std::uint64_t id, std::uint32_t weight) {
    const std::uint64_t h = mix64(key_hash ^ mix64(id + 0x9e3779b97f4a7c15ULL));
    const double u = (static_cast<double>(h >> 11) + 0.5) * 0x1.0p-53;
    return static_cast<double>(weight) / -std::log(u);
}

/// Orders candidates for the "least" policies: negative when a is better than b.
int compare_load(BalancePolicy policy, const Candidate& a, const Candidate& b) {
    auto sign = [](std::uint64_t x, std::uint64_t y) { return x < y ? -1 : (x > y ? 1 : 0); };
    switch (policy) {
    case BalancePolicy::least_latency:
        return sign(a.probe_latency_us, b.probe_latency_us);
    case BalancePolicy::weighted_least_connections: {
        // connections/weight compared without division: a.c * b.w vs b.c * a.w.
        const int by_ratio = sign(std::uint64_t{a.active_connections} * b.weight,
                                  std::uint64_t{b.active_connections} * a.weight);
        return by_ratio != 0 ? by_ratio : sign(b.weight, a.weight);
    }
    default:
        return sign(a.active_connections, b.active_connections);
    }
}

} // namespace

Balancer::Balancer(std::string shard, BalancerOptions options)
    : shard_(std::move(shard)), options_(options) {}

Pick Balancer::pick(std::span<const Candidate> candidates, const PickRequest& request) {
    ++stats_.picks;
    const std::uint32_t bound = std::min(options_.max_replica_lag_ms,
                                         request.max_lag_ms.value_or(options_.max_replica_lag_ms));
    eligible_.clear();
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        if (qualifies(candidates[i], bound)) {
            eligible_.push_back(i);
        }
    }
    if (eligible_.empty()) {
        return no_candidate(candidates, bound);
    }
    Pick result;
    result.kind = Pick::Kind::candidate;
    result.position = choose(candidates, eligible_, request);
    return result;
}

bool Balancer::qualifies(const Candidate& candidate, std::uint32_t bound) const {
    if (!candidate.healthy || candidate.weight == 0) {
        return false;
    }
    return candidate.is_primary || (candidate.lag_ms && *candidate.lag_ms <= bound);
}

std::size_t Balancer::choose(std::span<const Candidate> candidates,
                             std::span<const std::size_t> eligible, const PickRequest& request) {
    switch (options_.policy) {
    case BalancePolicy::weighted_round_robin:
        return pick_weighted_round_robin(candidates, eligible);
    case BalancePolicy::least_connections:
    case BalancePolicy::weighted_least_connections:
    case BalancePolicy::least_latency:
        return pick_least(candidates, eligible);
    case BalancePolicy::hash:
        if (request.key_hash) {
            return pick_hash(candidates, eligible, *request.key_hash);
        }
        break;
    case BalancePolicy::round_robin:
        break;
    }
    return eligible[next_round_robin(eligible.size())];
}

std::size_t Balancer::next_round_robin(std::size_t count) {
    return static_cast<std::size_t>(round_robin_++ % count);
}

std::size_t Balancer::pick_weighted_round_robin(std::span<const Candidate> candidates,
                                                std::span<const std::size_t> eligible) {
    // Smooth weighted round robin: every candidate gains its weight, the richest is picked
    // and pays the total. Picks interleave (a:5 b:1 c:1 gives a a b a c a a), no bursts.
    std::int64_t total = 0;
    std::size_t best = eligible.front();
    std::size_t best_slot = 0;
    bool have_best = false;
    for (std::size_t position : eligible) {
        const Candidate& candidate = candidates[position];
        const std::size_t slot = weight_slot(candidate.id);
        current_weights_[slot].second += candidate.weight;
        total += candidate.weight;
        if (!have_best || current_weights_[slot].second > current_weights_[best_slot].second) {
            have_best = true;
            best_slot = slot;
            best = position;
        }
    }
    current_weights_[best_slot].second -= total;
    return best;
}

std::size_t Balancer::weight_slot(std::uint64_t id) {
    for (std::size_t slot = 0; slot < current_weights_.size(); ++slot) {
        if (current_weights_[slot].first == id) {
            return slot;
        }
    }
    current_weights_.emplace_back(id, 0);
    return current_weights_.size() - 1;
}

std::size_t Balancer::pick_least(std::span<const Candidate> candidates,
                                 std::span<const std::size_t> eligible) {
    std::size_t ties = 0;
    const Candidate* best = nullptr;
    for (std::size_t position : eligible) {
        const int order = best ? compare_load(options_.policy, candidates[position], *best) : -1;
        if (order < 0) {
            best = &candidates[position];
            ties = 1;
        } else if (order == 0) {
            ++ties;
        }
    }
    // Rotate among equally good candidates so a tie does not pin one backend.
    std::size_t skip = next_round_robin(ties);
    for (std::size_t position : eligible) {
        if (compare_load(options_.policy, candidates[position], *best) == 0 && skip-- == 0) {
            return position;
        }
    }
    return eligible.front();
}

std::size_t Balancer::pick_hash(std::span<const Candidate> candidates,
                                std::span<const std::size_t> eligible,
                                std::uint64_t key_hash) const {
    std::size_t best = eligible.front();
    double best_score = -1.0;
    for (std::size_t position : eligible) {
        const Candidate& candidate = candidates[position];
        const double score = rendezvous_score(key_hash, candidate.id, candidate.weight);
        if (score > best_score || (score == best_score && candidate.id < candidates[best].id)) {
            best_score = score;
            best = position;
        }
    }
    return best;
}

Pick Balancer::no_candidate(std::span<const Candidate> candidates, std::uint32_t bound) {
    Pick result;
    if (options_.fallback == LagFallback::primary) {
        ++stats_.fallbacks_to_primary;
        result.kind = Pick::Kind::use_primary;
        return result;
    }
    ++stats_.errors;
    std::optional<std::uint32_t> smallest;
    for (const Candidate& candidate : candidates) {
        if (!candidate.is_primary && candidate.healthy && candidate.lag_ms) {
            smallest = std::min(smallest.value_or(*candidate.lag_ms), *candidate.lag_ms);
        }
    }
    result.kind = Pick::Kind::error;
    result.sqlstate = lag_error_sqlstate;
    result.message = "shard '" + shard_ + "': no replica within the lag bound of " +
                     std::to_string(bound) + " ms (smallest lag seen: " +
                     (smallest ? std::to_string(*smallest) + " ms"
                               : std::string("unknown; no healthy replica reports lag")) +
                     ")";
    return result;
}

} // namespace shardgate::router
