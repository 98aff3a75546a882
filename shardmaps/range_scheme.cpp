// range scheme: sorted, non-overlapping integer or string ranges with an optional default.
#include "shardgate/shardmaps/range_scheme.hpp"

#include "shard_set.hpp"

#include <algorithm>
#include <limits>

namespace shardgate::shardmaps {
namespace {

constexpr std::int64_t int_min = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t int_max = std::numeric_limits<std::int64_t>::max();

// Turns optional (possibly exclusive) bounds into a closed interval; false when empty.
bool closed_interval(const std::optional<CanonicalBound>& lo,
                     const std::optional<CanonicalBound>& hi, std::int64_t& first,
                     std::int64_t& last) {
    first = lo ? lo->key.integer() : int_min;
    last = hi ? hi->key.integer() : int_max;
    if (lo && !lo->inclusive) {
        if (first == int_max) {
            return false;
        }
        ++first;
    }
    if (hi && !hi->inclusive) {
        if (last == int_min) {
            return false;
        }
        --last;
    }
    return first <= last;
}

LookupError uncovered(std::string_view key) {
    return lookup_error(LookupErrorCode::no_shard, std::string("key ").append(key) +
                                                       " is outside every range and the table has "
                                                       "no default_shard");
}

} // namespace

RangeScheme::RangeScheme(std::vector<IntegerRange> ranges, std::optional<ShardId> default_shard)
    : integer_ranges_(std::move(ranges)), default_shard_(default_shard) {}

RangeScheme::RangeScheme(std::vector<TextRange> ranges, std::optional<ShardId> default_shard)
    : text_ranges_(std::move(ranges)), text_keys_(true), default_shard_(default_shard) {}

std::optional<ShardId> RangeScheme::owner(std::int64_t key) const {
    const auto it =
        std::upper_bound(integer_ranges_.begin(), integer_ranges_.end(), key,
                         [](std::int64_t k, const IntegerRange& r) { return k < r.first; });
    if (it != integer_ranges_.begin() && key <= std::prev(it)->last) {
        return std::prev(it)->shard;
    }
    return default_shard_;
}

std::optional<ShardId> RangeScheme::owner(std::string_view key) const {
    const auto it =
        std::upper_bound(text_ranges_.begin(), text_ranges_.end(), key,
                         [](std::string_view k, const TextRange& r) { return k < r.first; });
    if (it != text_ranges_.begin()) {
        const auto& range = *std::prev(it);
        if (!range.last || key < *range.last || (range.last_inclusive && key == *range.last)) {
            return range.shard;
        }
    }
    return default_shard_;
}

Result<Location> RangeScheme::locate(const CanonicalKey& key) const {
    const bool by_text = text_keys_;
    const auto shard = by_text ? owner(key.text()) : owner(key.integer());
    if (!shard) {
        return uncovered(by_text ? std::string("'").append(key.text()) + "'"
                                 : std::to_string(key.integer()));
    }
    return Location{*shard, std::nullopt};
}

std::vector<ShardId> RangeScheme::integer_shards_between(std::int64_t lo, std::int64_t hi) const {
    std::vector<ShardId> ids;
    __int128 uncovered_from = lo; // 128 bits: last + 1 may pass INT64_MAX
    bool gap = false;
    for (const auto& range : integer_ranges_) {
        if (range.last < lo || range.first > hi) {
            continue;
        }
        ids.push_back(range.shard);
        gap = gap || range.first > uncovered_from;
        uncovered_from = static_cast<__int128>(range.last) + 1;
    }
    gap = gap || uncovered_from <= hi;
    if (gap && default_shard_) {
        ids.push_back(*default_shard_);
    }
    return detail::sorted_unique(std::move(ids));
}

std::vector<ShardId>
RangeScheme::text_shards_between(const std::optional<CanonicalBound>& lo,
                                 const std::optional<CanonicalBound>& hi) const {
    std::vector<ShardId> ids;
    for (const auto& range : text_ranges_) {
        const bool below =
            lo && range.last &&
            (*range.last < lo->key.text() ||
             (*range.last == lo->key.text() && (!range.last_inclusive || !lo->inclusive)));
        const bool above = hi && (range.first > hi->key.text() ||
                                  (range.first == hi->key.text() && !hi->inclusive));
        if (!below && !above) {
            ids.push_back(range.shard);
        }
    }
    // String gaps are hard to rule out exactly; a default shard is always a candidate.
    if (default_shard_) {
        ids.push_back(*default_shard_);
    }
    return detail::sorted_unique(std::move(ids));
}

std::vector<ShardId> RangeScheme::shards_for_range(const std::optional<CanonicalBound>& lo,
                                                   const std::optional<CanonicalBound>& hi) const {
    if (text_keys_) {
        return text_shards_between(lo, hi);
    }
    std::int64_t first = 0, last = 0;
    if (!closed_interval(lo, hi, first, last)) {
        return {};
    }
    return integer_shards_between(first, last);
}

std::vector<ShardId> RangeScheme::shards() const {
    std::vector<ShardId> ids;
    for (const auto& range : integer_ranges_) {
        ids.push_back(range.shard);
    }
    for (const auto& range : text_ranges_) {
        ids.push_back(range.shard);
    }
    if (default_shard_) {
        ids.push_back(*default_shard_);
    }
    return detail::sorted_unique(std::move(ids));
}

} // namespace shardgate::shardmaps
