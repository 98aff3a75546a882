// A small sorted set of shard ids, the value the key expressions of a plan evaluate to.
#pragma once

#include "shardgate/shardmaps/shard.hpp"

#include <algorithm>
#include <iterator>
#include <vector>

namespace shardgate::router {

using shardmaps::ShardId;

/// Ascending, duplicate-free shard ids.
class ShardSet {
public:
    ShardSet() = default;
    explicit ShardSet(std::vector<ShardId> ids) : ids_(std::move(ids)) { normalise(); }

    static ShardSet single(ShardId id) { return ShardSet(std::vector<ShardId>{id}); }

    const std::vector<ShardId>& ids() const { return ids_; }
    std::size_t size() const { return ids_.size(); }
    bool empty() const { return ids_.empty(); }
    bool operator==(const ShardSet&) const = default;

    void insert(ShardId id) {
        auto it = std::lower_bound(ids_.begin(), ids_.end(), id);
        if (it == ids_.end() || *it != id) {
            ids_.insert(it, id);
        }
    }
    void unite(const ShardSet& other) {
        std::vector<ShardId> out;
        std::set_union(ids_.begin(), ids_.end(), other.ids_.begin(), other.ids_.end(),
                       std::back_inserter(out));
        ids_ = std::move(out);
    }
    void intersect(const ShardSet& other) {
        std::vector<ShardId> out;
        std::set_intersection(ids_.begin(), ids_.end(), other.ids_.begin(), other.ids_.end(),
                              std::back_inserter(out));
        ids_ = std::move(out);
    }

private:
    void normalise() {
        std::sort(ids_.begin(), ids_.end());
        ids_.erase(std::unique(ids_.begin(), ids_.end()), ids_.end());
    }

    std::vector<ShardId> ids_;
};

} // namespace shardgate::router
