// The interface every horizontal sharding scheme implements (hash, consistent_hash, range,
// list, time).
#pragma once

#include "shardgate/shardmaps/canonical_key.hpp"
#include "shardgate/shardmaps/location.hpp"
#include "shardgate/shardmaps/result.hpp"

#include <optional>
#include <string_view>
#include <vector>

namespace shardgate::shardmaps {

/// The schemes a horizontally sharded table can use.
enum class SchemeKind { hash, consistent_hash, range, list, time };

/// "hash", "consistent_hash", "range", "list", "time".
std::string_view scheme_kind_name(SchemeKind kind);
/// Inverse of scheme_kind_name().
std::optional<SchemeKind> parse_scheme_kind(std::string_view name);

/// One end of a canonicalised value range; see Table::shards_for_range().
struct CanonicalBound {
    CanonicalKey key;
    bool inclusive = true;
};

/// A pure placement function from canonical keys to shards. Implementations are immutable
/// after construction and safe to call from any number of threads at once.
class Scheme {
public:
    virtual ~Scheme() = default;

    /// Which scheme this is.
    virtual SchemeKind kind() const = 0;
    /// The shard owning `key` (and its keyspace id for hashed schemes), or no_shard when the
    /// key is outside every range/list/bucket and the scheme has no default shard.
    /// Precondition: `key` was made for this scheme's key type.
    virtual Result<Location> locate(const CanonicalKey& key) const = 0;
    /// The shards that may hold keys between lo and hi (an absent bound is unbounded), in
    /// ascending ShardId order. Ordered schemes (range, time) prune; hash, consistent_hash and
    /// list return every shard they use.
    virtual std::vector<ShardId>
    shards_for_range(const std::optional<CanonicalBound>& lo,
                     const std::optional<CanonicalBound>& hi) const = 0;
    /// Every shard this scheme can place a key on, ascending.
    virtual std::vector<ShardId> shards() const = 0;
};

} // namespace shardgate::shardmaps
