// consistent_hash scheme: the ring of virtual points and the clockwise successor lookup.
#include "shardgate/shardmaps/consistent_hash_scheme.hpp"

#include "shard_set.hpp"

#include <algorithm>
#include <string>

namespace shardgate::shardmaps {

ConsistentHashScheme::ConsistentHashScheme(std::vector<RingMember> members, std::uint32_t vnodes)
    : members_(std::move(members)), vnodes_(vnodes) {
    struct Entry {
        KeyspaceId point;
        std::uint32_t member; // index into members_
        std::uint32_t vnode;
    };
    std::vector<Entry> entries;
    entries.reserve(members_.size() * vnodes_);
    std::string seed;
    for (std::uint32_t m = 0; m < members_.size(); ++m) {
        seed = members_[m].name + "#";
        const auto prefix = seed.size();
        for (std::uint32_t i = 0; i < vnodes_; ++i) {
            seed.resize(prefix);
            seed += std::to_string(i);
            entries.push_back({keyspace_id(seed), m, i});
        }
    }
    // Ties between shards are astronomically unlikely, but must not depend on map order: they
    // are broken by shard name (names are distinct), then by vnode.
    std::sort(entries.begin(), entries.end(), [this](const Entry& a, const Entry& b) {
        if (a.point != b.point) {
            return a.point < b.point;
        }
        if (a.member != b.member) {
            return members_[a.member].name < members_[b.member].name;
        }
        return a.vnode < b.vnode;
    });
    points_.reserve(entries.size());
    keys_.reserve(entries.size());
    for (const auto& entry : entries) {
        points_.push_back({entry.point, members_[entry.member].shard, entry.vnode});
        keys_.push_back(entry.point);
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
