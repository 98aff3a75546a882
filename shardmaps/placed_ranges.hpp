// Overlap checking for ordered ranges read from YAML (range and time schemes).
#pragma once

#include "map_reader.hpp"
#include "shardgate/shardmaps/range_scheme.hpp"

#include <functional>
#include <string>
#include <vector>

namespace shardgate::shardmaps::detail {

/// An integer (or bucket) range with the YAML node it came from.
struct PlacedIntegerRange {
    IntegerRange range;
    YAML::Node node;
};

/// Sorts by first and reports every range that starts before its predecessor ends, printing
/// values with `label`. Returns the sorted ranges when there is no overlap.
std::optional<std::vector<IntegerRange>>
sorted_without_overlaps(MapReader& reader, std::vector<PlacedIntegerRange> placed,
                        const std::string& what,
                        const std::function<std::string(std::int64_t)>& label);

} // namespace shardgate::shardmaps::detail
