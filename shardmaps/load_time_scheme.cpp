// Loader for the time scheme: an interval and ranges of bucket labels per shard.
#include "placed_ranges.hpp"
#include "scheme_loader.hpp"
#include "shardgate/shardmaps/time_scheme.hpp"

#include <limits>

namespace shardgate::shardmaps::detail {
namespace {

std::string_view label_format(Interval interval) {
    switch (interval) {
    case Interval::day:
        return "YYYY-MM-DD";
    case Interval::week:
        return "YYYY-MM-DD (the Monday of the week)";
    case Interval::month:
        return "YYYY-MM";
    case Interval::quarter:
        return "YYYY-Qn";
    case Interval::year:
        return "YYYY";
    }
    return "";
}

std::optional<std::int64_t> read_bucket(SchemeContext& context, const YAML::Node& entry,
                                        const char* field, Interval interval) {
    const auto text = context.reader.scalar(entry, field, "time range", false);
    if (!text) {
        return std::nullopt;
    }
    const auto bucket = parse_bucket(*text, interval);
    if (!bucket) {
        context.reader.error(entry[field],
                             "'" + *text + "' is not a " + std::string(interval_name(interval)) +
                                 " label: write " + std::string(label_format(interval)));
        return std::nullopt;
    }
    if (interval == Interval::week && bucket_label(*bucket, interval) != *text) {
        context.reader.error(entry[field], "weeks are named by their Monday: write " +
                                               bucket_label(*bucket, interval) +
                                               " for the week of " + *text);
        return std::nullopt;
    }
    return bucket;
}

bool present(const YAML::Node& entry, const char* field) {
    return entry[field].IsDefined() && !entry[field].IsNull();
}

std::optional<PlacedIntegerRange> read_time_range(SchemeContext& context, const YAML::Node& entry,
                                                  Interval interval) {
    if (!context.reader.expect_map(entry, "time range", {"from", "to", "shard"})) {
        return std::nullopt;
    }
    const auto first = read_bucket(context, entry, "from", interval);
    const auto last = read_bucket(context, entry, "to", interval);
    const auto shard = context.shards.resolve(context.reader, entry["shard"]);
    if ((present(entry, "from") && !first) || (present(entry, "to") && !last) || !shard) {
        return std::nullopt;
    }
    IntegerRange range{first.value_or(std::numeric_limits<std::int64_t>::min()),
                       last.value_or(std::numeric_limits<std::int64_t>::max()), *shard};
    if (range.last < range.first) {
        context.reader.error(entry, "time range is empty: 'from' must not be after 'to'");
        return std::nullopt;
    }
    return PlacedIntegerRange{range, entry};
}

} // namespace

std::shared_ptr<const Scheme> load_time_scheme(SchemeContext& context) {
    const auto name =
        context.reader.scalar(context.table_node, "interval", "time table " + context.table, true);
    const auto interval = name ? parse_interval(*name) : std::nullopt;
    if (name && !interval) {
        context.reader.error(context.table_node["interval"],
                             "unknown interval '" + *name +
                                 "': use day, week, month, quarter or year");
    }
    const YAML::Node node = context.table_node["ranges"];
    if (!node.IsDefined() || !node.IsSequence() || node.size() == 0) {
        context.reader.error(
            node.IsDefined() ? node : context.table_node,
            "time table " + context.table +
                " needs 'ranges': a list of {from: LABEL, to: LABEL, shard: NAME}");
        return nullptr;
    }
    bool ok = interval.has_value();
    const auto default_shard = load_table_default(context, ok);
    if (!ok) {
        return nullptr;
    }
    std::vector<PlacedIntegerRange> placed;
    for (const auto& entry : node) {
        auto range = read_time_range(context, entry, *interval);
        ok = ok && range.has_value();
        if (range) {
            placed.push_back(std::move(*range));
        }
    }
    const auto label = [interval](std::int64_t bucket) {
        if (bucket == std::numeric_limits<std::int64_t>::min() ||
            bucket == std::numeric_limits<std::int64_t>::max()) {
            return std::string("(open end)");
        }
        return bucket_label(bucket, *interval);
    };
    auto ranges =
        ok ? sorted_without_overlaps(context.reader, std::move(placed), "time range", label)
           : std::nullopt;
    return ranges ? std::make_shared<TimeScheme>(*interval, std::move(*ranges), default_shard)
                  : nullptr;
}

} // namespace shardgate::shardmaps::detail
