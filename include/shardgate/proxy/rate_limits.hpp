// Fan-out protection and rate limits (config `rate_limits`, docs/admin.md): token buckets of
// statements per second per user, per logical database and per statement fingerprint, and
// limits on cross-shard (scatter) statements running at once per database and per shard.
// Shared by every worker thread of both planes; a statement over a limit waits up to
// max_wait_ms, then is refused (SQLSTATE 53400).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace shardgate::proxy {

struct RateLimitConfig {
    unsigned max_wait_ms = 100;
    std::map<std::string, unsigned, std::less<>> users;     ///< statements/s per user
    std::map<std::string, unsigned, std::less<>> databases; ///< statements/s per database
    unsigned per_digest = 0; ///< statements/s of any one fingerprint (0: none)
    std::map<std::string, unsigned, std::less<>> scatter_per_database; ///< at once
    unsigned scatter_per_shard = 0; ///< cross-shard statements at once touching one shard
    bool any() const {
        return !users.empty() || !databases.empty() || per_digest != 0 ||
               !scatter_per_database.empty() || scatter_per_shard != 0;
    }
};

class RateLimiter {
public:
    using Clock = std::chrono::steady_clock;

    explicit RateLimiter(RateLimitConfig config = {});

    /// Cheap: whether any limit is configured.
    bool enabled() const { return enabled_; }
    std::chrono::milliseconds max_wait() const {
        return std::chrono::milliseconds(config_.max_wait_ms);
    }

    /// A statement of `user` in `database` with fingerprint hash `digest` (0: none): takes one
    /// token of every bucket that applies. The wait before it may run (zero: at once), or why
    /// it is refused (a wait over max_wait_ms; nothing is taken then).
    struct Admission {
        std::chrono::microseconds wait{0};
        std::optional<std::string> refusal;
    };
    Admission take(std::string_view user, std::string_view database, std::uint64_t digest,
                   Clock::time_point now = Clock::now());

    /// Cross-shard statement slots for `database` and each of `shards` (names), all or none.
    /// The returned key releases them (release()); nullopt: a limit is full now (`why` says
    /// which).
    std::optional<std::uint64_t> try_scatter(const std::string& database,
                                             std::span<const std::string> shards, std::string& why);
    void release(std::uint64_t key);

private:
    struct Bucket {
        double tokens = 0;
        Clock::time_point refilled{};
        bool fresh = true;
    };
    /// The wait for one token of `bucket` at `rate`/s (taken), or nullopt over max_wait.
    std::optional<std::chrono::microseconds> reserve(Bucket& bucket, unsigned rate,
                                                     Clock::time_point now);

    RateLimitConfig config_;
    bool enabled_;
    std::mutex mutex_;
    std::unordered_map<std::string, Bucket> user_buckets_;
    std::unordered_map<std::string, Bucket> database_buckets_;
    std::unordered_map<std::uint64_t, Bucket> digest_buckets_;
    std::map<std::string, unsigned, std::less<>> scatter_running_;
    std::map<std::pair<std::string, std::string>, unsigned> shard_running_;
    /// Slots held, by key: database and shards.
    std::unordered_map<std::uint64_t, std::pair<std::string, std::vector<std::string>>> held_;
    std::uint64_t next_key_ = 1;
};

} // namespace shardgate::proxy
