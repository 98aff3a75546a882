// What moves between two shard maps: per table, the key ranges that change shard.
#pragma once

#include "shardgate/shardmaps/shard_map.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace shardgate::shardmaps {

/// A span of keys that changes shard. `first`/`last` are inclusive and printed the way the
/// map writes them (hex keyspace ids, integers, strings, list values, bucket labels); an
/// empty string is an open end.
struct Move {
    std::string kind; ///< "hash_range", "ring_arc", "range", "list_value", "time_bucket",
                      ///< "default", "table"
    std::string first;
    std::string last;
    std::string from_shard; ///< "" when no shard held these keys before
    std::string to_shard;   ///< "" when no shard holds them now
    /// "default" (a list table's default shard changes): every value either map lists; the
    /// rows that move are those whose key is none of them.
    std::vector<std::string> listed = {};
};

/// The change of one table.
struct TableDiff {
    std::string database;
    std::string table;
    std::string change;        ///< "added", "removed", "moved", "unchanged"
    std::string old_placement; ///< e.g. "hash(customer_id)", "vertical(pg1)"; "" if absent
    std::string new_placement;
    std::vector<Move> moves;
    /// hash and consistent_hash: the fraction of the keyspace that changes shard.
    std::optional<double> moved_fraction;
};

/// Everything that differs between two maps.
struct MapDiff {
    std::uint64_t old_epoch = 0;
    std::uint64_t new_epoch = 0;
    std::vector<std::string> notes; ///< database and shard level changes, one line each
    std::vector<TableDiff> tables;  ///< every table of either map, by database then name
};

/// What a running proxy cannot take from a new map without a restart, one line each: a
/// database removed or given another engine, a shard removed, renamed or reordered. Everything
/// else installs live: new databases, shards added after the existing ones, primaries,
/// replicas and weights, tables, schemes and settings.
std::vector<std::string> live_refusals(const ShardMap& old_map, const ShardMap& new_map);

/// Compares two maps. Shards are matched by name, so renumbering shards moves nothing.
MapDiff diff_maps(const ShardMap& old_map, const ShardMap& new_map);

/// The moves of one table from its placement `x` in `a` to `y` in `b` (shards matched by
/// name); empty when every row stays where it is.
std::vector<Move> table_moves(const Database& a, const Table& x, const Database& b, const Table& y);

/// Where a horizontal table's keys live: its key space cut into segments (the kinds of Move:
/// hash_range, ring_arc, range, list_value and default, time_bucket), each with its owner in
/// `from_shard` ("" where no shard owns the keys) and `to_shard` empty; empty for other
/// tables. move_condition() gives each segment's rows in SQL (`shardctl placement check`).
std::vector<Move> placement_segments(const Database& database, const Table& table);

/// A short description of a table's placement, e.g. "hash(id)", "colocated(customers)".
std::string describe_placement(const Database& database, const Table& table);

} // namespace shardgate::shardmaps
