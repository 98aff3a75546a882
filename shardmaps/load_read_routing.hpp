// Reading `read_routing` blocks (database defaults, shard overrides) from a map file.
#pragma once

#include "map_reader.hpp"
#include "shardgate/shardmaps/read_routing.hpp"

#include <string_view>
#include <yaml-cpp/yaml.h>

namespace shardgate::shardmaps::detail {

/// `defaults` with the fields `node` (a `read_routing` mapping, or undefined) sets; errors
/// are reported to `reader` and leave the default in place.
ReadRouting read_read_routing(MapReader& reader, const YAML::Node& node, std::string_view what,
                              ReadRouting defaults);

} // namespace shardgate::shardmaps::detail
