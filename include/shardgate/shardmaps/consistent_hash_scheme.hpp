// consistent_hash: a ring of virtual points per shard; a key belongs to the next point.
#pragma once

#include "shardgate/shardmaps/scheme.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace shardgate::shardmaps {

/// One virtual point on the ring: keyspace_id("<shard name>#<vnode>").
struct RingPoint {
    KeyspaceId point = 0;
    ShardId shard = 0;
    std::uint32_t vnode = 0;
};

/// A shard taking part in a ring, by id and by name (the name seeds its points).
struct RingMember {
    ShardId shard = 0;
    std::string name;
};

/// Consistent hashing: a key belongs to the first point clockwise at or after its keyspace id,
/// wrapping past 2^64-1 to the lowest point. Adding or removing a shard moves only the keys
/// of the arcs that end at its points.
class ConsistentHashScheme final : public Scheme {
public:
    static constexpr std::uint32_t default_vnodes = 64;

    /// Builds the ring. Precondition: members non-empty, names distinct, vnodes >= 1.
    ConsistentHashScheme(std::vector<RingMember> members, std::uint32_t vnodes = default_vnodes);

    SchemeKind kind() const override { return SchemeKind::consistent_hash; }
    Result<Location> locate(const CanonicalKey& key) const override;
    std::vector<ShardId> shards_for_range(const std::optional<CanonicalBound>& lo,
                                          const std::optional<CanonicalBound>& hi) const override;
    std::vector<ShardId> shards() const override;

    /// The shard owning a keyspace id.
    ShardId owner(KeyspaceId id) const;
    /// Ring points sorted by point (ties broken by shard name, then vnode).
    const std::vector<RingPoint>& points() const { return points_; }
    const std::vector<RingMember>& members() const { return members_; }
    std::uint32_t vnodes() const { return vnodes_; }

private:
    std::vector<RingMember> members_;
    std::uint32_t vnodes_;
    std::vector<RingPoint> points_;
    std::vector<KeyspaceId> keys_; // points_[i].point, contiguous for a fast search
};

} // namespace shardgate::shardmaps
