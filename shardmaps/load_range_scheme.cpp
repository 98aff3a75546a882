// Loader for the range scheme (integer or string ranges, optional default shard).
#include "placed_ranges.hpp"
#include "scheme_loader.hpp"

#include <algorithm>
#include <limits>

namespace shardgate::shardmaps::detail {
namespace {

struct PlacedTextRange {
    TextRange range;
    YAML::Node node;
};

bool has(const YAML::Node& entry, const char* field) {
    return entry[field].IsDefined() && !entry[field].IsNull();
}

bool check_end_fields(SchemeContext& context, const YAML::Node& entry) {
    if (has(entry, "to") && has(entry, "before")) {
        context.reader.error(entry["before"], "a range has either 'to' (inclusive) or 'before' "
                                              "(exclusive), not both");
        return false;
    }
    return true;
}

std::optional<PlacedIntegerRange> read_integer_range(SchemeContext& context,
                                                     const YAML::Node& entry) {
    // Open ends are the int64 extremes whatever the column width, so "open" prints alike.
    std::int64_t first = std::numeric_limits<std::int64_t>::min();
    std::int64_t last = std::numeric_limits<std::int64_t>::max();
    bool ok = check_end_fields(context, entry);
    if (has(entry, "from")) {
        const auto value = read_integer_bound(context, entry["from"]);
        ok = ok && value;
        first = value.value_or(first);
    }
    for (const char* field : {"to", "before"}) {
        if (has(entry, field)) {
            const auto value = read_integer_bound(context, entry[field]);
            ok = ok && value;
            last = value.value_or(last);
            if (value && std::string_view(field) == "before") {
                last = *value == std::numeric_limits<std::int64_t>::min() ? *value : *value - 1;
            }
        }
    }
    const auto shard = context.shards.resolve(context.reader, entry["shard"]);
    if (!ok || !shard) {
        return std::nullopt;
    }
    if (last < first) {
        context.reader.error(entry, "range " + std::to_string(first) + ".." + std::to_string(last) +
                                        " is empty: 'from' must not be above the end");
        return std::nullopt;
    }
    return PlacedIntegerRange{{first, last, *shard}, entry};
}

std::optional<std::string> text_bound(SchemeContext& context, const YAML::Node& entry,
                                      const char* field) {
    const auto text = context.reader.scalar(entry, field, "range", false);
    if (!text) {
        return std::nullopt;
    }
    return context.key.case_insensitive ? fold_case(*text) : *text;
}

std::optional<PlacedTextRange> read_text_range(SchemeContext& context, const YAML::Node& entry) {
    TextRange range;
    const bool ok = check_end_fields(context, entry);
    range.first = text_bound(context, entry, "from").value_or("");
    range.last = text_bound(context, entry, "to");
    if (!range.last) {
        range.last = text_bound(context, entry, "before");
        range.last_inclusive = !range.last;
    }
    const auto shard = context.shards.resolve(context.reader, entry["shard"]);
    if (!ok || !shard) {
        return std::nullopt;
    }
    range.shard = *shard;
    if (range.last &&
        (*range.last < range.first || (*range.last == range.first && !range.last_inclusive))) {
        context.reader.error(entry, "range '" + range.first + "'..'" + *range.last +
                                        "' is empty: 'from' must sort before the end");
        return std::nullopt;
    }
    return PlacedTextRange{std::move(range), entry};
}

// True when `a` (sorted before `b`) reaches b.first.
bool text_overlap(const TextRange& a, const TextRange& b) {
    return !a.last || *a.last > b.first || (*a.last == b.first && a.last_inclusive);
}

std::optional<std::vector<TextRange>> sorted_text_ranges(SchemeContext& context,
                                                         std::vector<PlacedTextRange> placed) {
    std::stable_sort(placed.begin(), placed.end(),
                     [](const auto& a, const auto& b) { return a.range.first < b.range.first; });
    bool ok = true;
    for (std::size_t i = 1; i < placed.size(); ++i) {
        if (text_overlap(placed[i - 1].range, placed[i].range)) {
            context.reader.error(placed[i].node,
                                 "range starting at '" + placed[i].range.first +
                                     "' overlaps the one at line " +
                                     std::to_string(MapReader::line_of(placed[i - 1].node)) +
                                     ": end that one with 'before: " + placed[i].range.first +
                                     "' or start this one later");
            ok = false;
        }
    }
    if (!ok) {
        return std::nullopt;
    }
    std::vector<TextRange> ranges;
    for (auto& p : placed) {
        ranges.push_back(std::move(p.range));
    }
    return ranges;
}

template <class Read>
auto read_entries(SchemeContext& context, const YAML::Node& node, Read read, bool& ok) {
    std::vector<typename decltype(read(context, node))::value_type> placed;
    for (const auto& entry : node) {
        if (!context.reader.expect_map(entry, "range", {"from", "to", "before", "shard"})) {
            ok = false;
            continue;
        }
        auto item = read(context, entry);
        ok = ok && item.has_value();
        if (item) {
            placed.push_back(std::move(*item));
        }
    }
    return placed;
}

} // namespace

std::shared_ptr<const Scheme> load_range_scheme(SchemeContext& context) {
    const YAML::Node node = context.table_node["ranges"];
    if (!node.IsDefined() || !node.IsSequence() || node.size() == 0) {
        context.reader.error(node.IsDefined() ? node : context.table_node,
                             "range table " + context.table +
                                 " needs 'ranges': a list of {from: A, to: B, shard: NAME}");
        return nullptr;
    }
    bool ok = true;
    const auto default_shard = load_table_default(context, ok);
    if (context.key.type == KeyType::text) {
        auto placed = read_entries(context, node, read_text_range, ok);
        auto ranges = ok ? sorted_text_ranges(context, std::move(placed)) : std::nullopt;
        return ranges ? std::make_shared<RangeScheme>(std::move(*ranges), default_shard) : nullptr;
    }
    auto placed = read_entries(context, node, read_integer_range, ok);
    auto ranges = ok ? sorted_without_overlaps(context.reader, std::move(placed), "range",
                                               [](std::int64_t v) { return std::to_string(v); })
                     : std::nullopt;
    return ranges ? std::make_shared<RangeScheme>(std::move(*ranges), default_shard) : nullptr;
}

} // namespace shardgate::shardmaps::detail
