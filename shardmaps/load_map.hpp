// Reading a parsed YAML document into a ShardMap (the loader's top level).
#pragma once

#include "map_reader.hpp"
#include "shardgate/shardmaps/shard_map.hpp"

namespace shardgate::shardmaps::detail {

/// Builds the map from the document root; throws ShardMapError with every problem found.
ShardMapPtr read_map(MapReader& reader, const YAML::Node& root);

} // namespace shardgate::shardmaps::detail
