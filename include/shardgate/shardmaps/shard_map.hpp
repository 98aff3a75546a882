// The shard map: an immutable, versioned snapshot of every logical database's placement.
#pragma once

#include "shardgate/shardmaps/database.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace shardgate::shardmaps {

/// The map format this code reads and writes.
inline constexpr int current_format_version = 1;

/// A complete shard map. Never modified after loading: a running proxy swaps whole maps
/// (ShardMapPtr) atomically, so readers need no locks.
class ShardMap {
public:
    ShardMap(int format_version, std::uint64_t epoch, std::vector<Database> databases,
             std::string source);

    int format_version() const { return format_version_; }
    /// Increases with every change to the map; proxies refuse to go back to a lower epoch.
    std::uint64_t epoch() const { return epoch_; }
    /// The file (or other origin) the map was loaded from.
    const std::string& source() const { return source_; }
    /// Databases in name order.
    const std::vector<Database>& databases() const { return databases_; }
    /// The database of that name, or nullptr.
    const Database* find_database(std::string_view name) const;
    /// find_database(database)->locate(table, key), or unknown_database.
    Result<Location> locate(std::string_view database, std::string_view table,
                            const KeyValue& key) const;

private:
    int format_version_;
    std::uint64_t epoch_;
    std::vector<Database> databases_;
    std::string source_;
};

/// How maps are shared: immutable snapshots.
using ShardMapPtr = std::shared_ptr<const ShardMap>;

} // namespace shardgate::shardmaps
