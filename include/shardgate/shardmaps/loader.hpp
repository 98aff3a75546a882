// Reading and validating shard map YAML files (format: docs/shardmaps.md).
#pragma once

#include "shardgate/shardmaps/diagnostic.hpp"
#include "shardgate/shardmaps/shard_map.hpp"

#include <string>
#include <string_view>

namespace shardgate::shardmaps {

/// Loads and validates a map file. Throws ShardMapError listing every problem (an unreadable
/// file is one diagnostic with line 0). Not on the data path: call it when (re)loading maps.
ShardMapPtr load_shard_map(const std::string& path);

/// Same, from YAML text; `file_name` is used in diagnostics and as the map's source().
ShardMapPtr parse_shard_map(std::string_view yaml_text, const std::string& file_name);

} // namespace shardgate::shardmaps
