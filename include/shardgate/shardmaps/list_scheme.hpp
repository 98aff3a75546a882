// list: sets of key values (country or region codes, ...) -> shard, with an optional default.
#pragma once

#include "shardgate/shardmaps/scheme.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace shardgate::shardmaps {

/// A value listed for a shard, in canonical text (folded when the key is case-insensitive).
struct ListEntry {
    std::string value;
    ShardId shard = 0;
};

/// List sharding: each listed value belongs to one shard; other values go to the default
/// shard, or are a no_shard error when there is none.
class ListScheme final : public Scheme {
public:
    /// Precondition: values distinct (after canonicalisation).
    ListScheme(std::vector<ListEntry> entries, std::optional<ShardId> default_shard);

    SchemeKind kind() const override { return SchemeKind::list; }
    Result<Location> locate(const CanonicalKey& key) const override;
    std::vector<ShardId> shards_for_range(const std::optional<CanonicalBound>& lo,
                                          const std::optional<CanonicalBound>& hi) const override;
    std::vector<ShardId> shards() const override;

    /// The owner of a canonical value, or nullopt when unlisted and no default.
    std::optional<ShardId> owner(std::string_view canonical_value) const;
    /// Entries sorted by value.
    const std::vector<ListEntry>& entries() const { return entries_; }
    std::optional<ShardId> default_shard() const { return default_shard_; }

private:
    std::vector<ListEntry> entries_;
    std::optional<ShardId> default_shard_;
};

} // namespace shardgate::shardmaps
