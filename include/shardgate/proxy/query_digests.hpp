// Query digests: per statement fingerprint, how often it ran, how long it took (total, min,
// max, a latency histogram for percentiles), rows, errors, the plan kind and the shards it
// touched, first and last seen. Each worker keeps its own bounded table (no locks on the data
// path); the admin console and `GET /digests` merge the workers' tables.
#pragma once

#include "shardgate/shardmaps/shard_map.hpp"

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace shardgate::proxy {

/// Latency buckets: four per power of two of microseconds (1 us to about 2 hours), so a
/// percentile read from merged histograms is at most 25% above the true value.
inline constexpr std::size_t digest_buckets = 128;
std::size_t digest_bucket(std::uint64_t micros);
/// The largest latency (us) bucket `index` holds.
std::uint64_t digest_bucket_upper(std::size_t index);

/// One fingerprint's figures.
struct Digest {
    std::uint64_t hash = 0;
    std::string fingerprint; ///< the normalised statement, at most digest_text_limit bytes
    std::string database;
    std::string plan_kind; ///< of its latest plan: route, scatter, broadcast, reject, session
    std::uint64_t shard_mask = 0; ///< bit i: shard id i was touched (ids 0-63)
    std::uint64_t count = 0;
    std::uint64_t errors = 0;
    std::uint64_t rows = 0;
    std::uint64_t total_us = 0;
    std::uint64_t min_us = 0;
    std::uint64_t max_us = 0;
    std::int64_t first_seen_ms = 0; ///< Unix time
    std::int64_t last_seen_ms = 0;
    std::array<std::uint64_t, digest_buckets> histogram{};

    /// Adds `other` (the same fingerprint from another worker).
    void merge(const Digest& other);
    /// The latency (us) under which `fraction` (0.99: p99) of the runs stayed: the upper bound
    /// of the bucket that reaches it, never above max_us; 0 without runs.
    std::uint64_t percentile_us(double fraction) const;
};

inline constexpr std::size_t digest_text_limit = 1024;

/// A worker's digests: at most `capacity` fingerprints. A new fingerprint in a full table
/// replaces the one with the least total time (the top statements by time stay); evictions are
/// counted. Capacity 0 keeps nothing.
class DigestTable {
public:
    explicit DigestTable(std::size_t capacity = 1000) : capacity_(capacity) {}

    /// A statement with this fingerprint began: its slot (nullopt: capacity 0). The entry is
    /// created (text copied) only for a new fingerprint.
    std::optional<std::uint32_t> enter(std::uint64_t hash, std::string_view fingerprint,
                                       std::string_view database, std::string_view plan_kind,
                                       std::uint64_t shard_mask);
    /// The statement of `slot` ended; ignored when the slot was given to another fingerprint
    /// since (`hash` differs).
    void finish(std::uint32_t slot, std::uint64_t hash, std::uint64_t latency_us, bool failed,
                std::uint64_t rows, std::int64_t now_ms);
    /// The entry in `slot` if it still holds `hash`.
    const Digest* find(std::uint32_t slot, std::uint64_t hash) const {
        return slot < entries_.size() && entries_[slot].hash == hash ? &entries_[slot] : nullptr;
    }
    /// Adds every entry to `out` (by hash).
    void merge_into(std::unordered_map<std::uint64_t, Digest>& out) const;
    void clear();
    std::size_t size() const { return entries_.size(); }
    std::uint64_t evictions() const { return evictions_; }

private:
    std::size_t capacity_;
    std::vector<Digest> entries_;
    std::unordered_map<std::uint64_t, std::uint32_t> slots_; ///< hash -> index in entries_
    std::uint64_t evictions_ = 0;
};

/// Milliseconds since the Unix epoch as UTC ISO 8601 (`2026-12-04T21:50:00.123Z`).
std::string utc_text(std::int64_t unix_ms);

/// The merged digests of every worker, most total time first, at most `limit`, as JSON
/// (`GET /digests`, SHOW DIGESTS; fields: docs/admin.md). Shard ids are named from `map`.
nlohmann::json digests_json(const std::unordered_map<std::uint64_t, Digest>& digests,
                            std::uint64_t evictions, const shardmaps::ShardMap& map,
                            std::size_t limit);

} // namespace shardgate::proxy
