// range: ordered, non-overlapping ranges of integer or string key values -> shard.
#pragma once

#include "shardgate/shardmaps/scheme.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace shardgate::shardmaps {

/// Integer keys in [first, last] (both inclusive) live on `shard`.
struct IntegerRange {
    std::int64_t first = 0;
    std::int64_t last = 0;
    ShardId shard = 0;
};

/// String keys s with first <= s and s <= last (or s < last when !last_inclusive) live on
/// `shard`. Comparison is bytewise over the canonical (possibly case-folded) text. An absent
/// `last` is unbounded above; "" as first is unbounded below.
struct TextRange {
    std::string first;
    std::optional<std::string> last;
    bool last_inclusive = true;
    ShardId shard = 0;
};

/// Range sharding over integers or strings, with an optional default shard for keys outside
/// every range (otherwise such keys are a no_shard error).
class RangeScheme final : public Scheme {
public:
    /// Precondition: ranges sorted by first and non-overlapping.
    RangeScheme(std::vector<IntegerRange> ranges, std::optional<ShardId> default_shard);
    RangeScheme(std::vector<TextRange> ranges, std::optional<ShardId> default_shard);

    SchemeKind kind() const override { return SchemeKind::range; }
    Result<Location> locate(const CanonicalKey& key) const override;
    std::vector<ShardId> shards_for_range(const std::optional<CanonicalBound>& lo,
                                          const std::optional<CanonicalBound>& hi) const override;
    std::vector<ShardId> shards() const override;

    /// True when the ranges are over integers (otherwise over strings).
    bool integer_keys() const { return text_ranges_.empty() && !text_keys_; }
    const std::vector<IntegerRange>& integer_ranges() const { return integer_ranges_; }
    const std::vector<TextRange>& text_ranges() const { return text_ranges_; }
    std::optional<ShardId> default_shard() const { return default_shard_; }

    /// The owner of an integer / string key, or nullopt when uncovered and no default.
    std::optional<ShardId> owner(std::int64_t key) const;
    std::optional<ShardId> owner(std::string_view key) const;
    /// Integer ranges: the shards holding keys in the closed interval [first, last], including
    /// the default shard when part of the interval is uncovered.
    std::vector<ShardId> integer_shards_between(std::int64_t first, std::int64_t last) const;

private:
    std::vector<ShardId> text_shards_between(const std::optional<CanonicalBound>& lo,
                                             const std::optional<CanonicalBound>& hi) const;

    std::vector<IntegerRange> integer_ranges_;
    std::vector<TextRange> text_ranges_;
    bool text_keys_ = false;
    std::optional<ShardId> default_shard_;
};

} // namespace shardgate::shardmaps
