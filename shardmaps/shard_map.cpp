// The immutable map snapshot and its top-level lookups.
#include "shardgate/shardmaps/shard_map.hpp"

#include <algorithm>

namespace shardgate::shardmaps {

ShardMap::ShardMap(int format_version, std::uint64_t epoch, std::vector<Database> databases,
                   std::string source)
    : format_version_(format_version), epoch_(epoch), databases_(std::move(databases)),
      source_(std::move(source)) {
    std::sort(databases_.begin(), databases_.end(),
              [](const Database& a, const Database& b) { return a.name() < b.name(); });
}

const Database* ShardMap::find_database(std::string_view name) const {
    for (const auto& database : databases_) {
        if (database.name() == name) {
            return &database;
        }
    }
    return nullptr;
}

Result<Location> ShardMap::locate(std::string_view database, std::string_view table,
                                  const KeyValue& key) const {
    const Database* db = find_database(database);
    if (db == nullptr) {
        return lookup_error(LookupErrorCode::unknown_database,
                            std::string("the shard map has no database ").append(database));
    }
    return db->locate(table, key);
}

} // namespace shardgate::shardmaps
