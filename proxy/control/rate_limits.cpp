// Token buckets and scatter slots (see rate_limits.hpp).
#include "shardgate/proxy/rate_limits.hpp"

#include <algorithm>

namespace shardgate::proxy {

RateLimiter::RateLimiter(RateLimitConfig config)
    : config_(std::move(config)), enabled_(config_.any()) {}

std::optional<std::chrono::microseconds> RateLimiter::reserve(Bucket& bucket, unsigned rate,
                                                              Clock::time_point now) {
    // Burst: one second of tokens. A statement may take a token the bucket does not have yet
    // (tokens below 0) and waits until it would have: later ones queue behind it.
    const double burst = rate;
    if (bucket.fresh) {
        bucket.tokens = burst;
        bucket.refilled = now;
        bucket.fresh = false;
    }
    const double elapsed = std::chrono::duration<double>(now - bucket.refilled).count();
    if (elapsed > 0) {
        bucket.tokens = std::min(burst, bucket.tokens + elapsed * rate);
        bucket.refilled = now;
    }
    const double after = bucket.tokens - 1;
    const auto wait =
        after >= 0 ? std::chrono::microseconds(0)
                   : std::chrono::microseconds(static_cast<std::int64_t>(-after / rate * 1e6));
    if (wait > std::chrono::duration_cast<std::chrono::microseconds>(max_wait())) {
        return std::nullopt;
    }
    bucket.tokens = after;
    return wait;
}

RateLimiter::Admission RateLimiter::take(std::string_view user, std::string_view database,
                                         std::uint64_t digest, Clock::time_point now) {
    Admission admission;
    if (!enabled_ ||
        (config_.users.empty() && config_.databases.empty() && config_.per_digest == 0)) {
        return admission;
    }
    const std::lock_guard lock(mutex_);
    struct Taken {
        Bucket* bucket;
    };
    std::vector<Taken> taken;
    auto one = [&](Bucket& bucket, unsigned rate, const std::string& what) {
        const auto wait = reserve(bucket, rate, now);
        if (!wait) {
            admission.refusal = what;
            return false;
        }
        taken.push_back({&bucket});
        admission.wait = std::max(admission.wait, *wait);
        return true;
    };
    bool ok = true;
    if (const auto it = config_.users.find(user); it != config_.users.end() && it->second) {
        ok = one(user_buckets_[std::string(user)], it->second,
                 "rate limit: user \"" + std::string(user) + "\" is over " +
                     std::to_string(it->second) + " statements/s");
    }
    if (const auto it = config_.databases.find(database);
        ok && it != config_.databases.end() && it->second) {
        ok = one(database_buckets_[std::string(database)], it->second,
                 "rate limit: database \"" + std::string(database) + "\" is over " +
                     std::to_string(it->second) + " statements/s");
    }
    if (ok && config_.per_digest != 0 && digest != 0) {
        if (digest_buckets_.size() > 100'000) {
            digest_buckets_.clear(); // bounded: forget idle fingerprints wholesale
        }
        ok = one(digest_buckets_[digest], config_.per_digest,
                 "rate limit: this statement (its fingerprint) is over " +
                     std::to_string(config_.per_digest) + " statements/s");
    }
    if (!ok) {
        for (auto& t : taken) {
            t.bucket->tokens += 1; // nothing is taken from a refused statement
        }
        admission.wait = std::chrono::microseconds(0);
    }
    return admission;
}

std::optional<std::uint64_t> RateLimiter::try_scatter(const std::string& database,
                                                      std::span<const std::string> shards,
                                                      std::string& why) {
    if (!enabled_ || (config_.scatter_per_database.empty() && config_.scatter_per_shard == 0)) {
        return 0; // key 0: nothing held
    }
    const std::lock_guard lock(mutex_);
    if (const auto it = config_.scatter_per_database.find(database);
        it != config_.scatter_per_database.end() && scatter_running_[database] >= it->second) {
        why = "too many cross-shard statements at once in database \"" + database +
              "\" (scatter_per_database " + std::to_string(it->second) + ")";
        return std::nullopt;
    }
    if (config_.scatter_per_shard != 0) {
        for (const auto& shard : shards) {
            if (shard_running_[{database, shard}] >= config_.scatter_per_shard) {
                why = "too many cross-shard statements at once on shard " + shard +
                      " (scatter_per_shard " + std::to_string(config_.scatter_per_shard) + ")";
                return std::nullopt;
            }
        }
    }
    ++scatter_running_[database];
    for (const auto& shard : shards) {
        ++shard_running_[{database, shard}];
    }
    const auto key = next_key_++;
    held_.emplace(key, std::pair{database, std::vector<std::string>(shards.begin(), shards.end())});
    return key;
}

void RateLimiter::release(std::uint64_t key) {
    if (key == 0) {
        return;
    }
    const std::lock_guard lock(mutex_);
    const auto it = held_.find(key);
    if (it == held_.end()) {
        return;
    }
    const auto& [database, shards] = it->second;
    --scatter_running_[database];
    for (const auto& shard : shards) {
        --shard_running_[{database, shard}];
    }
    held_.erase(it);
}

} // namespace shardgate::proxy
