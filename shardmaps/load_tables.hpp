// Reading the `tables` section of one database, co-location included.
#pragma once

#include "map_reader.hpp"
#include "shardgate/shardmaps/table.hpp"

#include <string>
#include <vector>

namespace shardgate::shardmaps::detail {

/// Reads every table of a database; reports problems and leaves failed tables out.
std::vector<Table> load_tables(MapReader& reader, const YAML::Node& tables,
                               const ShardNames& shards);

} // namespace shardgate::shardmaps::detail
