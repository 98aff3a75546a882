// A table's placement: vertical, reference, or horizontal (own scheme or co-located).
#pragma once

#include "shardgate/shardmaps/location.hpp"
#include "shardgate/shardmaps/result.hpp"
#include "shardgate/shardmaps/scheme.hpp"
#include "shardgate/shardmaps/shard_key.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace shardgate::shardmaps {

/// How a table is placed.
enum class TableKind {
    vertical,   ///< the whole table on one shard
    reference,  ///< a copy on every shard: read anywhere, write everywhere
    horizontal, ///< split by a key column with a Scheme (possibly shared by co-location)
};

/// How shardgate generates a horizontal table's key for rows inserted without one (the map's
/// `id` setting): ids come from a counter stored on one shard, taken a block at a time by each
/// proxy, so no row needs a round trip of its own. docs/global-ids.md.
struct KeyGeneration {
    /// The counter's name; also the sequence name `nextval('...')` / `NEXT VALUE FOR ...`
    /// answer from (default `<table>_<key>_seq`, PostgreSQL's name for a serial column's).
    std::string sequence;
    std::uint32_t block = 100; ///< ids one proxy takes at once
    std::int64_t start = 1;    ///< the first id the counter hands out
};

/// "vertical", "reference", "horizontal".
std::string_view table_kind_name(TableKind kind);

/// One table of a logical database. Immutable; shares its Scheme with co-located tables.
class Table {
public:
    /// A table living entirely on `shard`.
    static Table vertical(std::string name, ShardId shard);
    /// A table copied to each of `all_shards`.
    static Table reference(std::string name, std::vector<ShardId> all_shards);
    /// A table split by `key` with `scheme`. `colocated_with` names the table whose scheme
    /// it shares (empty when it has its own).
    static Table horizontal(std::string name, ShardKey key, std::shared_ptr<const Scheme> scheme,
                            std::string colocated_with = {});

    const std::string& name() const { return name_; }
    TableKind kind() const { return kind_; }
    /// Vertical tables: their shard. Others: unspecified.
    ShardId shard() const { return shard_; }
    /// Horizontal tables: the key column. Others: unspecified (empty column).
    const ShardKey& key() const { return key_; }
    /// Horizontal tables: the scheme (shared with co-located tables). Others: nullptr.
    const Scheme* scheme() const { return scheme_.get(); }
    const std::shared_ptr<const Scheme>& shared_scheme() const { return scheme_; }
    /// The table this one is co-located with; empty when none. Co-located tables place equal
    /// keys on the same shard as that table, so joins on the key stay on one shard.
    const std::string& colocated_with() const { return colocated_with_; }
    /// Horizontal tables with the `id` setting: how their keys are generated; else nullptr.
    const KeyGeneration* key_generation() const {
        return key_generation_ ? &*key_generation_ : nullptr;
    }
    /// Sets the `id` setting (while the map is loaded).
    void set_key_generation(KeyGeneration generation) { key_generation_ = std::move(generation); }

    /// The shard holding the row(s) with this key value. Vertical: its shard, whatever the
    /// key. Reference: not_sharded (any shard for reads, all for writes: see shards()).
    /// Horizontal: canonicalises the key (bad_key on failure) and asks the scheme.
    Result<Location> locate(const KeyValue& key) const;
    /// The shards a predicate lo <op> key <op> hi can touch (an absent bound is unbounded).
    /// Vertical: its shard; reference: all shards; horizontal: the scheme's answer.
    Result<std::vector<ShardId>> shards_for_range(const std::optional<KeyBound>& lo,
                                                  const std::optional<KeyBound>& hi) const;
    /// Every shard holding some of this table's rows, ascending.
    std::vector<ShardId> shards() const;

private:
    Table() = default;

    std::string name_;
    TableKind kind_ = TableKind::vertical;
    ShardId shard_ = 0;
    std::vector<ShardId> all_shards_;
    ShardKey key_;
    std::shared_ptr<const Scheme> scheme_;
    std::string colocated_with_;
    std::optional<KeyGeneration> key_generation_;
};

} // namespace shardgate::shardmaps
