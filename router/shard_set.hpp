// A small sorted set of shard ids, the value the key expressions of a plan evaluate to.
#pragma once

#include "router/small_vector.hpp"
#include "shardgate/shardmaps/shard.hpp"

#include <algorithm>
#include <iterator>
#include <span>
#include <vector>

namespace shardgate::router {

using shardmaps::ShardId;

/// Ascending, duplicate-free shard ids; up to 8 held inline (routing one statement allocates
/// nothing for its sets).
class ShardSet {
public:
    ShardSet() = default;
    explicit ShardSet(std::span<const ShardId> ids) : ids_(ids.begin(), ids.end()) { normalise(); }

    static ShardSet single(ShardId id) {
        ShardSet one;
        one.ids_.push_back(id);
        return one;
    }

    std::span<const ShardId> ids() const { return {ids_.data(), ids_.size()}; }
    /// The ids as a vector (for plan templates, which keep them).
    std::vector<ShardId> vector() const { return {ids_.begin(), ids_.end()}; }
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
        Ids out;
        std::set_union(ids_.begin(), ids_.end(), other.ids_.begin(), other.ids_.end(),
                       std::back_inserter(out));
        ids_ = std::move(out);
    }
    void intersect(const ShardSet& other) {
        Ids out;
        std::set_intersection(ids_.begin(), ids_.end(), other.ids_.begin(), other.ids_.end(),
                              std::back_inserter(out));
        ids_ = std::move(out);
    }

private:
    void normalise() {
        std::sort(ids_.begin(), ids_.end());
        ids_.erase(std::unique(ids_.begin(), ids_.end()), ids_.end());
    }

    using Ids = boost::container::small_vector<ShardId, 8>;
    Ids ids_;
};

} // namespace shardgate::router
