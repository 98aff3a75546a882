// Tables: vertical, reference, horizontal by a registered scheme, or co-located with another.
#include "load_tables.hpp"

#include "scheme_loader.hpp"

#include <map>
#include <set>

namespace shardgate::shardmaps::detail {
namespace {

// A table as read, before co-located tables are tied to the table they follow.
struct TableSpec {
    std::string name;
    YAML::Node node;
    std::optional<Table> table;        // set for tables with their own placement
    std::string colocated_with;        // set for co-located tables
    std::optional<KeyType> key_type;   // co-located: as declared, if at all
    std::optional<std::string> scheme; // co-located: as declared, if at all
    bool key_precision = false;        // co-located: `key_precision` given
};

/// The fractional digits a time key's column keeps (ShardKey::fraction_digits): PostgreSQL's
/// `key_precision` (its timestamp(p), 6 by default); MariaDB cuts the rest, which the map does
/// not declare. Reports a precision that is out of range or given for another key or engine.
std::optional<int> read_fraction_digits(MapReader& reader, const YAML::Node& node,
                                        const std::string& what, KeyType type, Engine engine) {
    const bool given = node["key_precision"].IsDefined() && !node["key_precision"].IsNull();
    const bool time = type == KeyType::timestamp || type == KeyType::timestamptz;
    if (given && !time) {
        reader.error(node["key_precision"],
                     "key_precision applies only to timestamp and timestamptz keys");
        return std::nullopt;
    }
    if (given && engine == Engine::mysql) {
        reader.error(node["key_precision"],
                     "key_precision is for PostgreSQL columns (timestamp(p)); MariaDB cuts "
                     "fractional seconds a DATETIME or TIMESTAMP column does not keep, which "
                     "never changes the second: remove it");
        return std::nullopt;
    }
    if (!time || engine == Engine::mysql) {
        return -1;
    }
    if (!given) {
        return 6;
    }
    const auto digits = reader.number(node, "key_precision", what, false, 0, 6);
    return digits ? std::optional(static_cast<int>(*digits)) : std::nullopt;
}

std::optional<KeyType> read_key_type(MapReader& reader, const YAML::Node& node,
                                     const std::string& what) {
    const auto name = reader.scalar(node, "key_type", what, false);
    if (!name) {
        return std::nullopt;
    }
    const auto type = parse_key_type(*name);
    if (!type) {
        reader.error(node["key_type"],
                     "unknown key_type '" + *name +
                         "': use smallint, int, bigint, text, date, timestamp or timestamptz");
    }
    return type;
}

/// The table's `id` setting: `id: sequence`, or `id: {generator: sequence, sequence: name,
/// block: N, start: S}`. Only integer keys can be generated.
void read_key_generation(MapReader& reader, const YAML::Node& node, Table& table) {
    const YAML::Node id = node["id"];
    if (!id.IsDefined()) {
        return;
    }
    const std::string what = "the id setting of table " + table.name();
    KeyGeneration generation{table.name() + "_" + table.key().column + "_seq", 100, 1};
    std::optional<std::string> generator;
    if (id.IsScalar()) {
        generator = id.Scalar();
    } else if (id.IsMap()) {
        if (!reader.expect_map(id, what, {"generator", "sequence", "block", "start"})) {
            return;
        }
        generator = reader.scalar(id, "generator", what, true);
        generation.sequence =
            reader.scalar(id, "sequence", what, false).value_or(generation.sequence);
        generation.block = static_cast<std::uint32_t>(
            reader.number(id, "block", what, false, 1, 1000000).value_or(generation.block));
        generation.start = static_cast<std::int64_t>(
            reader.number(id, "start", what, false, 1, (1ULL << 62)).value_or(1));
    } else {
        reader.error(id, what + " must be 'sequence' or a mapping such as {generator: sequence, "
                                "block: 1000}");
        return;
    }
    if (!generator) {
        return;
    }
    if (*generator != "sequence") {
        reader.error(id.IsMap() ? id["generator"] : id, "unknown id generator '" + *generator +
                                                            "' for table " + table.name() +
                                                            ": use sequence");
        return;
    }
    if (!is_integer_type(table.key().type)) {
        reader.error(id, "table " + table.name() + " generates its key but its key_type is " +
                             std::string(key_type_name(table.key().type)) +
                             ": generated ids are integers (use smallint, int or bigint)");
        return;
    }
    table.set_key_generation(std::move(generation));
}

std::optional<Table> load_horizontal(MapReader& reader, const TableSpec& spec,
                                     const SchemeLoader& loader, const ShardNames& shards,
                                     Engine engine) {
    const std::string what = "table " + spec.name;
    if (!reader.expect_map(spec.node, what, loader.fields)) {
        return std::nullopt;
    }
    ShardKey key;
    const auto column = reader.scalar(spec.node, "key", what, true);
    key.column = column.value_or("");
    key.type = read_key_type(reader, spec.node, what).value_or(loader.default_key_type);
    key.case_insensitive = reader.flag(spec.node, "case_insensitive", false);
    if (!loader.accepts(key.type)) {
        reader.error(spec.node["key_type"].IsDefined() ? spec.node["key_type"] : spec.node,
                     "key type " + std::string(key_type_name(key.type)) +
                         " cannot hold the keys of a " +
                         std::string(scheme_kind_name(loader.kind)) + " table: use " +
                         std::string(loader.accepted_types));
        return std::nullopt;
    }
    if (key.case_insensitive && key.type != KeyType::text) {
        reader.error(spec.node["case_insensitive"], "case_insensitive applies only to text keys");
        return std::nullopt;
    }
    const auto digits = read_fraction_digits(reader, spec.node, what, key.type, engine);
    if (!digits) {
        return std::nullopt;
    }
    key.fraction_digits = *digits;
    SchemeContext context{reader, spec.node, spec.name, key, shards};
    auto scheme = loader.load(context);
    if (!column || !scheme) {
        return std::nullopt;
    }
    auto table = Table::horizontal(spec.name, key, std::move(scheme));
    read_key_generation(reader, spec.node, table);
    return table;
}

std::optional<Table> load_own_placement(MapReader& reader, const TableSpec& spec,
                                        const ShardNames& shards, Engine engine) {
    const std::string what = "table " + spec.name;
    const auto scheme = reader.scalar(spec.node, "scheme", what, true);
    if (!scheme) {
        return std::nullopt;
    }
    if (*scheme == "vertical") {
        reader.expect_map(spec.node, what, {"scheme", "shard"});
        const auto shard = shards.resolve(reader, spec.node["shard"]);
        return shard ? std::optional(Table::vertical(spec.name, *shard)) : std::nullopt;
    }
    if (*scheme == "reference") {
        reader.expect_map(spec.node, what, {"scheme"});
        std::vector<ShardId> all;
        for (ShardId id = 0; id < shards.names().size(); ++id) {
            all.push_back(id);
        }
        return Table::reference(spec.name, std::move(all));
    }
    const SchemeLoader* loader = find_scheme_loader(*scheme);
    if (loader == nullptr) {
        reader.error(spec.node["scheme"], "unknown scheme '" + *scheme +
                                              "': use vertical, reference, hash, consistent_hash, "
                                              "range, list or time");
        return std::nullopt;
    }
    return load_horizontal(reader, spec, *loader, shards, engine);
}

TableSpec read_spec(MapReader& reader, const std::string& name, const YAML::Node& node,
                    const ShardNames& shards, Engine engine) {
    TableSpec spec{name, node, std::nullopt, {}, std::nullopt, std::nullopt};
    if (!node.IsMap()) {
        reader.error(node, "table " + name + " must be a mapping such as {scheme: reference}");
        return spec;
    }
    if (!node["colocated_with"].IsDefined()) {
        spec.table = load_own_placement(reader, spec, shards, engine);
        return spec;
    }
    const std::string what = "co-located table " + name;
    reader.expect_map(
        node, what,
        {"colocated_with", "key", "key_type", "key_precision", "case_insensitive", "scheme", "id"});
    spec.colocated_with = reader.scalar(node, "colocated_with", what, true).value_or("");
    spec.key_type = read_key_type(reader, node, what);
    spec.scheme = reader.scalar(node, "scheme", what, false);
    spec.key_precision = node["key_precision"].IsDefined() && !node["key_precision"].IsNull();
    reader.scalar(node, "key", what, true);
    return spec;
}

// Follows co-location to the table that owns the scheme; nullptr after reporting.
const TableSpec* root_of(MapReader& reader, const TableSpec& spec,
                         const std::map<std::string, TableSpec>& specs) {
    std::set<std::string> visited{spec.name};
    const TableSpec* current = &spec;
    while (!current->colocated_with.empty()) {
        const auto it = specs.find(current->colocated_with);
        if (it == specs.end()) {
            reader.error(current->node["colocated_with"],
                         "table " + current->name + " is co-located with unknown table '" +
                             current->colocated_with + "': name a table of this database");
            return nullptr;
        }
        if (!visited.insert(it->first).second) {
            reader.error(spec.node["colocated_with"], "co-location of table " + spec.name +
                                                          " loops back to itself: one table "
                                                          "of the group must have its own scheme");
            return nullptr;
        }
        current = &it->second;
    }
    return current->table ? current : nullptr; // a root that failed to load was reported
}

std::optional<Table> resolve_colocated(MapReader& reader, const TableSpec& spec,
                                       const std::map<std::string, TableSpec>& specs,
                                       Engine engine) {
    const TableSpec* root = root_of(reader, spec, specs);
    if (root == nullptr || spec.name.empty()) {
        return std::nullopt;
    }
    const Table& target = *root->table;
    if (target.kind() != TableKind::horizontal) {
        reader.error(
            spec.node["colocated_with"],
            "table " + spec.name + " is co-located with " + root->name +
                ", a table of another scheme (" + std::string(table_kind_name(target.kind())) +
                "): co-locate only with a hash, consistent_hash, range, list or time table");
        return std::nullopt;
    }
    const auto target_scheme = std::string(scheme_kind_name(target.scheme()->kind()));
    if (spec.scheme && *spec.scheme != target_scheme) {
        reader.error(spec.node["scheme"],
                     "table " + spec.name + " declares scheme " + *spec.scheme +
                         " but is co-located with " + root->name + ", a table of another scheme (" +
                         target_scheme + "): remove 'scheme' or make the two agree");
        return std::nullopt;
    }
    if (spec.key_type && *spec.key_type != target.key().type) {
        reader.error(spec.node["key_type"], "key_type " +
                                                std::string(key_type_name(*spec.key_type)) +
                                                " differs from the key of " + root->name + " (" +
                                                std::string(key_type_name(target.key().type)) +
                                                "): co-located keys must have the same type");
        return std::nullopt;
    }
    ShardKey key = target.key();
    const YAML::Node column = spec.node["key"];
    key.column = column.IsDefined() && column.IsScalar() ? column.Scalar() : "";
    if (key.column.empty()) {
        return std::nullopt;
    }
    if (spec.key_precision) {
        // (its own column's precision; the default is the column's, not the group's)
        const auto digits = read_fraction_digits(reader, spec.node, "co-located table " + spec.name,
                                                 key.type, engine);
        if (!digits) {
            return std::nullopt;
        }
        key.fraction_digits = *digits;
    } else if (key.fraction_digits >= 0) {
        key.fraction_digits = 6;
    }
    auto table = Table::horizontal(spec.name, key, target.shared_scheme(), spec.colocated_with);
    read_key_generation(reader, spec.node, table);
    return table;
}

} // namespace

std::vector<Table> load_tables(MapReader& reader, const YAML::Node& tables,
                               const ShardNames& shards, Engine engine) {
    if (!tables.IsMap()) {
        reader.error(tables, "'tables' must be a mapping of table name to placement");
        return {};
    }
    std::map<std::string, TableSpec> specs;
    std::map<std::string, YAML::Node> name_nodes;
    for (const auto& item : tables) {
        const auto name = item.first.Scalar();
        if (const auto it = name_nodes.find(name); it != name_nodes.end()) {
            reader.error(item.first, "duplicate table '" + name + "': already defined at line " +
                                         std::to_string(MapReader::line_of(it->second)) +
                                         "; define each table once");
            continue;
        }
        name_nodes.emplace(name, item.first);
        specs.emplace(name, read_spec(reader, name, item.second, shards, engine));
    }
    std::vector<Table> result;
    for (const auto& [name, spec] : specs) {
        auto table = spec.colocated_with.empty() ? spec.table
                                                 : resolve_colocated(reader, spec, specs, engine);
        if (table) {
            result.push_back(std::move(*table));
        }
    }
    return result;
}

} // namespace shardgate::shardmaps::detail
