// Scheme loaders registered by name, with the fields and key types each accepts.
#include "scheme_loader.hpp"

#include <array>

namespace shardgate::shardmaps::detail {
namespace {

bool integer_or_text(KeyType type) {
    return is_integer_type(type) || type == KeyType::text;
}

// Fields every horizontal table may carry, repeated per scheme so unknown-field errors can
// list exactly what a scheme understands.
const std::array<SchemeLoader, 5> registry = {{
    {SchemeKind::hash,
     {"scheme", "key", "key_type", "case_insensitive", "id", "ranges"},
     KeyType::bigint,
     integer_or_text,
     "smallint, int, bigint or text",
     load_hash_scheme},
    {SchemeKind::consistent_hash,
     {"scheme", "key", "key_type", "case_insensitive", "id", "vnodes", "shards"},
     KeyType::bigint,
     integer_or_text,
     "smallint, int, bigint or text",
     load_consistent_hash_scheme},
    {SchemeKind::range,
     {"scheme", "key", "key_type", "case_insensitive", "id", "ranges", "default_shard"},
     KeyType::bigint,
     integer_or_text,
     "smallint, int, bigint or text",
     load_range_scheme},
    {SchemeKind::list,
     {"scheme", "key", "key_type", "case_insensitive", "id", "lists", "default_shard"},
     KeyType::text,
     integer_or_text,
     "smallint, int, bigint or text",
     load_list_scheme},
    {SchemeKind::time,
     {"scheme", "key", "key_type", "key_precision", "id", "interval", "ranges", "default_shard"},
     KeyType::timestamptz,
     is_time_type,
     "date, timestamp or timestamptz",
     load_time_scheme},
}};

} // namespace

const SchemeLoader* find_scheme_loader(std::string_view name) {
    for (const auto& loader : registry) {
        if (scheme_kind_name(loader.kind) == name) {
            return &loader;
        }
    }
    return nullptr;
}

std::optional<ShardId> load_table_default(SchemeContext& context, bool& ok) {
    const YAML::Node node = context.table_node["default_shard"];
    if (!node.IsDefined() || node.IsNull()) {
        return std::nullopt;
    }
    const auto id = context.shards.resolve(context.reader, node);
    ok = ok && id.has_value();
    return id;
}

std::optional<std::int64_t> read_integer_bound(SchemeContext& context, const YAML::Node& node) {
    std::int64_t value = 0;
    if (!node.IsScalar() || !parse_int64(node.Scalar(), value)) {
        context.reader.error(node, "'" + (node.IsScalar() ? node.Scalar() : std::string("?")) +
                                       "' cannot be held by key column " + context.key.column +
                                       " of type " + std::string(key_type_name(context.key.type)) +
                                       ": use an integer, or declare key_type: text");
        return std::nullopt;
    }
    const auto min = key_type_min(context.key.type), max = key_type_max(context.key.type);
    if (value < min || value > max) {
        context.reader.error(node, std::to_string(value) + " cannot be held by key column " +
                                       context.key.column + " of type " +
                                       std::string(key_type_name(context.key.type)) + " (" +
                                       std::to_string(min) + ".." + std::to_string(max) +
                                       "): use a bound in that range or a wider key_type");
        return std::nullopt;
    }
    return value;
}

} // namespace shardgate::shardmaps::detail
