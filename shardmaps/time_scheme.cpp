// time scheme: bucket the timestamp, then an integer range lookup over bucket numbers.
#include "shardgate/shardmaps/time_scheme.hpp"

#include <limits>

namespace shardgate::shardmaps {

TimeScheme::TimeScheme(Interval interval, std::vector<IntegerRange> bucket_ranges,
                       std::optional<ShardId> default_shard)
    : interval_(interval), buckets_(std::move(bucket_ranges), default_shard) {}

std::optional<ShardId> TimeScheme::owner(std::int64_t seconds) const {
    return buckets_.owner(bucket_of(seconds, interval_));
}

Result<Location> TimeScheme::locate(const CanonicalKey& key) const {
    const auto shard = owner(key.integer());
    if (!shard) {
        return lookup_error(LookupErrorCode::no_shard,
                            "time in bucket " +
                                bucket_label(bucket_of(key.integer(), interval_), interval_) +
                                " is outside every range and the table has no default_shard");
    }
    return Location{*shard, std::nullopt};
}

std::vector<ShardId> TimeScheme::shards_for_range(const std::optional<CanonicalBound>& lo,
                                                  const std::optional<CanonicalBound>& hi) const {
    // Buckets are whole intervals, so an exclusive bound still touches its own bucket, except
    // an exclusive upper bound exactly at a bucket's first instant (`< '2026-01-01'`).
    const std::int64_t first =
        lo ? bucket_of(lo->key.integer(), interval_) : std::numeric_limits<std::int64_t>::min();
    std::int64_t last =
        hi ? bucket_of(hi->key.integer(), interval_) : std::numeric_limits<std::int64_t>::max();
    if (hi && !hi->inclusive && !hi->key.subsecond() &&
        bucket_of(hi->key.integer() - 1, interval_) < last) {
        --last;
    }
    if ((lo && hi && lo->key.integer() > hi->key.integer()) || first > last) {
        return {};
    }
    return buckets_.integer_shards_between(first, last);
}

std::vector<ShardId> TimeScheme::shards() const {
    return buckets_.shards();
}

} // namespace shardgate::shardmaps
