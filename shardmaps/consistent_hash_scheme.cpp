// consistent_hash scheme: the ring of virtual points and the clockwise successor lookup.
#include "shardgate/shardmaps/consistent_hash_scheme.hpp"

#include "shard_set.hpp"

#include <algorithm>
#include <tuple>

namespace shardgate::shardmaps {

ConsistentHashScheme::ConsistentHashScheme(std::vector<RingMember> members, std::uint32_t vnodes)
    : members_(std::move(members)), vnodes_(vnodes) {
    for (const auto& member : members_) {
        for (std::uint32_t i = 0; i < vnodes_; ++i) {
            const std::string seed = member.name + "#" + std::to_string(i);
            points_.push_back({keyspace_id(seed), member.shard, i});
        }
    }
    // Ties between shards are astronomically unlikely, but must not depend on map order.
    auto name_of = [this](ShardId id) -> const std::string& {
        return std::find_if(members_.begin(), members_.end(),
                            [id](const RingMember& m) { return m.shard == id; })
            ->name;
    };
    std::sort(points_.begin(), points_.end(), [&](const RingPoint& a, const RingPoint& b) {
        return std::forward_as_tuple(a.point, name_of(a.shard), a.vnode) <
               std::forward_as_tuple(b.point, name_of(b.shard), b.vnode);
    });
    for (const auto& point : points_) {
        keys_.push_back(point.point);
    }
}

ShardId ConsistentHashScheme::owner(KeyspaceId id) const {
    const auto it = std::lower_bound(keys_.begin(), keys_.end(), id);
    const auto index = it == keys_.end() ? 0 : static_cast<std::size_t>(it - keys_.begin());
    return points_[index].shard;
}

Result<Location> ConsistentHashScheme::locate(const CanonicalKey& key) const {
    const KeyspaceId id = keyspace_id(key.text());
    return Location{owner(id), id};
}

std::vector<ShardId>
ConsistentHashScheme::shards_for_range(const std::optional<CanonicalBound>&,
                                       const std::optional<CanonicalBound>&) const {
    return shards();
}

std::vector<ShardId> ConsistentHashScheme::shards() const {
    std::vector<ShardId> ids;
    for (const auto& member : members_) {
        ids.push_back(member.shard);
    }
    return detail::sorted_unique(std::move(ids));
}

} // namespace shardgate::shardmaps
