// Sorting and overlap detection shared by the range and time scheme loaders.
#include "placed_ranges.hpp"

#include <algorithm>

namespace shardgate::shardmaps::detail {

std::optional<std::vector<IntegerRange>>
sorted_without_overlaps(MapReader& reader, std::vector<PlacedIntegerRange> placed,
                        const std::string& what,
                        const std::function<std::string(std::int64_t)>& label) {
    std::stable_sort(placed.begin(), placed.end(),
                     [](const auto& a, const auto& b) { return a.range.first < b.range.first; });
    bool ok = true;
    for (std::size_t i = 1; i < placed.size(); ++i) {
        const auto& prev = placed[i - 1];
        const auto& cur = placed[i];
        if (prev.range.last < cur.range.first) {
            continue;
        }
        const bool can_follow = prev.range.last != std::numeric_limits<std::int64_t>::max();
        reader.error(cur.node, what + " starting at " + label(cur.range.first) +
                                   " overlaps the one at line " +
                                   std::to_string(MapReader::line_of(prev.node)) +
                                   " that ends at " + label(prev.range.last) +
                                   (can_follow ? ": start it at " + label(prev.range.last + 1) +
                                                     " or end the other one earlier"
                                               : ": end the other one earlier"));
        ok = false;
    }
    if (!ok) {
        return std::nullopt;
    }
    std::vector<IntegerRange> ranges;
    for (const auto& p : placed) {
        ranges.push_back(p.range);
    }
    return ranges;
}

} // namespace shardgate::shardmaps::detail
