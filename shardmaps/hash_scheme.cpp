// hash scheme: contiguous keyspace ranges, looked up by binary search on their ends.
#include "shardgate/shardmaps/hash_scheme.hpp"

#include "shard_set.hpp"

#include <algorithm>
#include <limits>

namespace shardgate::shardmaps {

HashScheme::HashScheme(std::vector<HashRange> ranges) : ranges_(std::move(ranges)) {
    for (const auto& range : ranges_) {
        lasts_.push_back(range.last);
    }
}

std::vector<HashRange> HashScheme::even_split(const std::vector<ShardId>& shards) {
    std::vector<HashRange> ranges;
    const auto n = static_cast<unsigned __int128>(shards.size());
    const unsigned __int128 space = static_cast<unsigned __int128>(1) << 64;
    for (std::size_t i = 0; i < shards.size(); ++i) {
        const auto first = static_cast<KeyspaceId>(space * i / n);
        const auto last = static_cast<KeyspaceId>(space * (i + 1) / n - 1);
        ranges.push_back({first, last, shards[i]});
    }
    return ranges;
}

std::string HashScheme::check_hash_ranges(const std::vector<HashRange>& ranges, std::size_t* at) {
    std::size_t unused = 0;
    std::size_t& index = at != nullptr ? *at : unused;
    index = 0;
    if (ranges.empty()) {
        return "no ranges: they must cover 0x0000000000000000..0xffffffffffffffff";
    }
    KeyspaceId expected = 0;
    for (std::size_t i = 0; i < ranges.size(); ++i) {
        const auto& range = ranges[i];
        index = i;
        if (range.last < range.first) {
            return "range " + keyspace_id_hex(range.first) + ".." + keyspace_id_hex(range.last) +
                   " ends before it starts";
        }
        if (range.first > expected) {
            return "gap " + keyspace_id_hex(expected) + ".." + keyspace_id_hex(range.first - 1) +
                   " is owned by no shard: the range should start at " + keyspace_id_hex(expected);
        }
        if (range.first < expected) {
            return "range starting at " + keyspace_id_hex(range.first) +
                   " overlaps the previous range: it should start at " + keyspace_id_hex(expected);
        }
        if (range.last == std::numeric_limits<KeyspaceId>::max()) {
            if (i + 1 != ranges.size()) {
                index = i + 1;
                return "range starting at " + keyspace_id_hex(ranges[i + 1].first) +
                       " overlaps a range that already reaches 0xffffffffffffffff";
            }
            return {};
        }
        expected = range.last + 1;
    }
    return "gap " + keyspace_id_hex(expected) +
           "..0xffffffffffffffff is owned by no shard: the last range should end at "
           "0xffffffffffffffff";
}

ShardId HashScheme::owner(KeyspaceId id) const {
    const auto it = std::lower_bound(lasts_.begin(), lasts_.end(), id);
    return ranges_[static_cast<std::size_t>(it - lasts_.begin())].shard;
}

Result<Location> HashScheme::locate(const CanonicalKey& key) const {
    const KeyspaceId id = keyspace_id(key.text());
    return Location{owner(id), id};
}

std::vector<ShardId> HashScheme::shards_for_range(const std::optional<CanonicalBound>&,
                                                  const std::optional<CanonicalBound>&) const {
    return shards(); // hashing destroys order: a value range can hit every shard
}

std::vector<ShardId> HashScheme::shards() const {
    std::vector<ShardId> ids;
    for (const auto& range : ranges_) {
        ids.push_back(range.shard);
    }
    return detail::sorted_unique(std::move(ids));
}

} // namespace shardgate::shardmaps
