// Loaders for the hash and consistent_hash schemes.
#include "scheme_loader.hpp"
#include "shardgate/shardmaps/consistent_hash_scheme.hpp"
#include "shardgate/shardmaps/hash_scheme.hpp"

#include <algorithm>
#include <limits>

namespace shardgate::shardmaps::detail {
namespace {

struct PlacedRange {
    HashRange range;
    YAML::Node node;
};

std::optional<KeyspaceId> read_keyspace_id(MapReader& reader, const YAML::Node& entry,
                                           std::string_view field) {
    const auto text = reader.scalar(entry, field, "hash range", true);
    KeyspaceId id = 0;
    if (text && !parse_keyspace_id(*text, id)) {
        reader.error(entry[std::string(field)],
                     "'" + *text +
                         "' is not a keyspace id: write 0x followed by 1 to 16 hex "
                         "digits, e.g. 0x8000000000000000");
        return std::nullopt;
    }
    return text ? std::optional(id) : std::nullopt;
}

std::optional<PlacedRange> read_hash_range(SchemeContext& context, const YAML::Node& entry) {
    if (!context.reader.expect_map(entry, "hash range", {"from", "to", "shard"})) {
        return std::nullopt;
    }
    const auto first = read_keyspace_id(context.reader, entry, "from");
    const auto last = read_keyspace_id(context.reader, entry, "to");
    const auto shard = context.shards.resolve(context.reader, entry["shard"]);
    if (!first || !last || !shard) {
        return std::nullopt;
    }
    return PlacedRange{{*first, *last, *shard}, entry};
}

std::vector<ShardId> all_shards(const ShardNames& shards) {
    std::vector<ShardId> ids;
    for (ShardId id = 0; id < shards.names().size(); ++id) {
        ids.push_back(id);
    }
    return ids;
}

} // namespace

std::shared_ptr<const Scheme> load_hash_scheme(SchemeContext& context) {
    const YAML::Node node = context.table_node["ranges"];
    if (!node.IsDefined() || node.IsNull()) {
        return std::make_shared<HashScheme>(HashScheme::even_split(all_shards(context.shards)));
    }
    if (!node.IsSequence()) {
        context.reader.error(node, "'ranges' of a hash table must be a list of "
                                   "{from: 0x..., to: 0x..., shard: NAME}");
        return nullptr;
    }
    std::vector<PlacedRange> placed;
    bool ok = true;
    for (const auto& entry : node) {
        auto range = read_hash_range(context, entry);
        ok = ok && range.has_value();
        if (range) {
            placed.push_back(std::move(*range));
        }
    }
    if (!ok) {
        return nullptr;
    }
    std::stable_sort(placed.begin(), placed.end(), [](const PlacedRange& a, const PlacedRange& b) {
        return a.range.first < b.range.first;
    });
    std::vector<HashRange> ranges;
    for (const auto& p : placed) {
        ranges.push_back(p.range);
    }
    std::size_t at = 0;
    const auto problem = HashScheme::check_hash_ranges(ranges, &at);
    if (!problem.empty()) {
        context.reader.error(placed.empty() ? node : placed[at].node,
                             "hash ranges of table " + context.table +
                                 " must cover the keyspace "
                                 "exactly once: " +
                                 problem);
        return nullptr;
    }
    return std::make_shared<HashScheme>(std::move(ranges));
}

std::shared_ptr<const Scheme> load_consistent_hash_scheme(SchemeContext& context) {
    const auto vnodes = context.reader.number(context.table_node, "vnodes",
                                              "table " + context.table, false, 1, 10000);
    std::vector<RingMember> members;
    const YAML::Node node = context.table_node["shards"];
    bool ok = !context.table_node["vnodes"].IsDefined() || vnodes.has_value();
    if (!node.IsDefined() || node.IsNull()) {
        for (ShardId id = 0; id < context.shards.names().size(); ++id) {
            members.push_back({id, context.shards.names()[id]});
        }
    } else if (!node.IsSequence() || node.size() == 0) {
        context.reader.error(node, "'shards' of a consistent_hash table must be a non-empty list "
                                   "of shard names, e.g. [my0, my1]");
        ok = false;
    } else {
        for (const auto& item : node) {
            const auto id = context.shards.resolve(context.reader, item);
            const bool repeated =
                id && std::any_of(members.begin(), members.end(),
                                  [&](const RingMember& m) { return m.shard == *id; });
            if (repeated) {
                context.reader.error(item, "shard '" + item.Scalar() +
                                               "' is listed twice: list each shard once");
            }
            ok = ok && id && !repeated;
            if (id && !repeated) {
                members.push_back({*id, item.Scalar()});
            }
        }
    }
    if (!ok) {
        return nullptr;
    }
    return std::make_shared<ConsistentHashScheme>(
        std::move(members),
        static_cast<std::uint32_t>(vnodes.value_or(ConsistentHashScheme::default_vnodes)));
}

} // namespace shardgate::shardmaps::detail
