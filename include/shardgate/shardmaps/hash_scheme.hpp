// hash: key -> keyspace id -> the shard whose contiguous keyspace range contains it.
#pragma once

#include "shardgate/shardmaps/scheme.hpp"

#include <string>
#include <vector>

namespace shardgate::shardmaps {

/// A closed keyspace interval [first, last] owned by one shard.
struct HashRange {
    KeyspaceId first = 0;
    KeyspaceId last = 0;
    ShardId shard = 0;
    bool operator==(const HashRange&) const = default;
};

/// Shards own contiguous keyspace ranges that together cover [0, 2^64-1] exactly once.
class HashScheme final : public Scheme {
public:
    /// Precondition: check_hash_ranges(ranges) returned an empty string.
    explicit HashScheme(std::vector<HashRange> ranges);

    /// Splits the keyspace into equal contiguous ranges, one per shard, in the given order.
    static std::vector<HashRange> even_split(const std::vector<ShardId>& shards);
    /// Empty when `ranges`, sorted by first, cover the keyspace exactly once; otherwise a
    /// description of the first gap or overlap, and in *at (when given) the index of the range
    /// where it was found.
    static std::string check_hash_ranges(const std::vector<HashRange>& ranges,
                                         std::size_t* at = nullptr);

    SchemeKind kind() const override { return SchemeKind::hash; }
    Result<Location> locate(const CanonicalKey& key) const override;
    std::vector<ShardId> shards_for_range(const std::optional<CanonicalBound>& lo,
                                          const std::optional<CanonicalBound>& hi) const override;
    std::vector<ShardId> shards() const override;

    /// The shard owning a keyspace id. Total: every id has an owner.
    ShardId owner(KeyspaceId id) const;
    /// The ranges, sorted by first.
    const std::vector<HashRange>& ranges() const { return ranges_; }

private:
    std::vector<HashRange> ranges_;
    std::vector<KeyspaceId> lasts_; // ranges_[i].last, contiguous for a fast search
};

} // namespace shardgate::shardmaps
