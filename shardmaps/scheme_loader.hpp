// The registry of scheme loaders: YAML table fields -> a Scheme, one loader per scheme name.
#pragma once

#include "map_reader.hpp"
#include "shardgate/shardmaps/scheme.hpp"
#include "shardgate/shardmaps/shard_key.hpp"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace shardgate::shardmaps::detail {

/// What a scheme loader may read: the table's YAML node, its key and the database's shards.
struct SchemeContext {
    MapReader& reader;
    const YAML::Node& table_node;
    const std::string& table;
    const ShardKey& key;
    const ShardNames& shards;
};

/// One registered scheme: its fields, the key types it accepts, and its loader (which returns
/// nullptr after reporting errors).
struct SchemeLoader {
    SchemeKind kind;
    std::vector<std::string_view> fields;
    KeyType default_key_type;
    bool (*accepts)(KeyType);
    std::string_view accepted_types; ///< for error messages
    std::shared_ptr<const Scheme> (*load)(SchemeContext&);
};

/// The loader registered under a scheme name, or nullptr.
const SchemeLoader* find_scheme_loader(std::string_view name);

// The loaders, one per file.
std::shared_ptr<const Scheme> load_hash_scheme(SchemeContext& context);
std::shared_ptr<const Scheme> load_consistent_hash_scheme(SchemeContext& context);
std::shared_ptr<const Scheme> load_range_scheme(SchemeContext& context);
std::shared_ptr<const Scheme> load_list_scheme(SchemeContext& context);
std::shared_ptr<const Scheme> load_time_scheme(SchemeContext& context);

/// Reads the optional `default_shard` of a range/list/time table.
std::optional<ShardId> load_table_default(SchemeContext& context, bool& ok);

/// Reads `node` as a value of the table's integer key type; reports text that is not an
/// integer or does not fit the column's type.
std::optional<std::int64_t> read_integer_bound(SchemeContext& context, const YAML::Node& node);

} // namespace shardgate::shardmaps::detail
