// Reading the `tables` section of one database, co-location included.
#pragma once

#include "map_reader.hpp"
#include "shardgate/shardmaps/database.hpp"
#include "shardgate/shardmaps/table.hpp"

#include <string>
#include <vector>

namespace shardgate::shardmaps::detail {

/// Reads every table of a database; reports problems and leaves failed tables out.
/// `engine`: the database's (time keys' precision depends on it).
std::vector<Table> load_tables(MapReader& reader, const YAML::Node& tables,
                               const ShardNames& shards, Engine engine);

} // namespace shardgate::shardmaps::detail
