// time: a timestamp/date column -> interval bucket -> shard owning a range of buckets.
#pragma once

#include "shardgate/shardmaps/range_scheme.hpp"
#include "shardgate/shardmaps/scheme.hpp"
#include "shardgate/shardmaps/time_bucket.hpp"

#include <cstdint>
#include <optional>
#include <vector>

namespace shardgate::shardmaps {

/// Time sharding: buckets [first, last] (bucket numbers, see bucket_of) -> shard. Times
/// outside every range go to the default shard, or are a no_shard error without one.
class TimeScheme final : public Scheme {
public:
    /// Precondition: ranges (over bucket numbers) sorted and non-overlapping.
    TimeScheme(Interval interval, std::vector<IntegerRange> bucket_ranges,
               std::optional<ShardId> default_shard);

    SchemeKind kind() const override { return SchemeKind::time; }
    Result<Location> locate(const CanonicalKey& key) const override;
    std::vector<ShardId> shards_for_range(const std::optional<CanonicalBound>& lo,
                                          const std::optional<CanonicalBound>& hi) const override;
    std::vector<ShardId> shards() const override;

    Interval interval() const { return interval_; }
    /// Bucket ranges; the first/last of an open end are INT64_MIN / INT64_MAX.
    const std::vector<IntegerRange>& bucket_ranges() const { return buckets_.integer_ranges(); }
    std::optional<ShardId> default_shard() const { return buckets_.default_shard(); }
    /// The owner of a time (seconds since the epoch), or nullopt.
    std::optional<ShardId> owner(std::int64_t seconds) const;

private:
    Interval interval_;
    RangeScheme buckets_; // the same ordered lookup as integer ranges, over bucket numbers
};

} // namespace shardgate::shardmaps
