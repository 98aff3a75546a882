// list scheme: a sorted vector of listed values searched by binary search.
#include "shardgate/shardmaps/list_scheme.hpp"

#include "shard_set.hpp"

#include <algorithm>

namespace shardgate::shardmaps {

ListScheme::ListScheme(std::vector<ListEntry> entries, std::optional<ShardId> default_shard)
    : entries_(std::move(entries)), default_shard_(default_shard) {
    std::sort(entries_.begin(), entries_.end(),
              [](const ListEntry& a, const ListEntry& b) { return a.value < b.value; });
}

std::optional<ShardId> ListScheme::owner(std::string_view canonical_value) const {
    const auto it = std::lower_bound(
        entries_.begin(), entries_.end(), canonical_value,
        [](const ListEntry& e, std::string_view v) { return std::string_view(e.value) < v; });
    if (it != entries_.end() && it->value == canonical_value) {
        return it->shard;
    }
    return default_shard_;
}

Result<Location> ListScheme::locate(const CanonicalKey& key) const {
    const auto shard = owner(key.text());
    if (!shard) {
        return lookup_error(LookupErrorCode::no_shard,
                            std::string("value '").append(key.text()) +
                                "' is in no list and the table has no default_shard");
    }
    return Location{*shard, std::nullopt};
}

std::vector<ShardId> ListScheme::shards_for_range(const std::optional<CanonicalBound>&,
                                                  const std::optional<CanonicalBound>&) const {
    return shards(); // lists are unordered sets: any shard may hold values in a range
}

std::vector<ShardId> ListScheme::shards() const {
    std::vector<ShardId> ids;
    for (const auto& entry : entries_) {
        ids.push_back(entry.shard);
    }
    if (default_shard_) {
        ids.push_back(*default_shard_);
    }
    return detail::sorted_unique(std::move(ids));
}

} // namespace shardgate::shardmaps
