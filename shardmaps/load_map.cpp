// The top of a map file: format_version, epoch, databases and their shards and settings.
#include "load_map.hpp"

#include "load_read_routing.hpp"
#include "load_tables.hpp"
#include "shardgate/shardmaps/loader.hpp"

#include <limits>
#include <map>

namespace shardgate::shardmaps::detail {
namespace {

std::optional<Endpoint> read_endpoint(MapReader& reader, const YAML::Node& node) {
    const auto endpoint = node.IsScalar() ? parse_endpoint(node.Scalar()) : std::nullopt;
    if (!endpoint) {
        reader.error(node, "'" + (node.IsScalar() ? node.Scalar() : std::string("?")) +
                               "' is not host:port: write e.g. 127.0.0.1:5432 or [::1]:5432");
    }
    return endpoint;
}

std::optional<Replica> read_replica(MapReader& reader, const YAML::Node& node) {
    if (node.IsScalar()) {
        const auto endpoint = read_endpoint(reader, node);
        return endpoint ? std::optional(Replica{*endpoint, 1}) : std::nullopt;
    }
    if (!reader.expect_map(node, "replica", {"endpoint", "weight"})) {
        return std::nullopt;
    }
    const YAML::Node at = node["endpoint"];
    if (!at.IsDefined()) {
        reader.error(node, "replica is missing 'endpoint' (host:port)");
        return std::nullopt;
    }
    const auto endpoint = read_endpoint(reader, at);
    const auto weight = reader.number(node, "weight", "replica", false, 0, 1000000);
    if (!endpoint || (node["weight"].IsDefined() && !weight)) {
        return std::nullopt;
    }
    return Replica{*endpoint, static_cast<std::uint32_t>(weight.value_or(1))};
}

std::optional<Shard> read_shard(MapReader& reader, const std::string& name, const YAML::Node& node,
                                const ReadRouting& defaults) {
    const std::string what = "shard " + name;
    if (!reader.expect_map(node, what,
                           {"primary", "replicas", "max_replica_lag_ms", "read_routing"})) {
        return std::nullopt;
    }
    Shard shard{name, {}, {}, defaults};
    bool ok = true;
    if (const YAML::Node primary = node["primary"]; primary.IsDefined()) {
        const auto endpoint = read_endpoint(reader, primary);
        ok = endpoint.has_value();
        shard.primary = endpoint.value_or(Endpoint{});
    } else {
        reader.error(node, what + " is missing 'primary' (host:port)");
        ok = false;
    }
    if (const YAML::Node replicas = node["replicas"]; replicas.IsDefined() && !replicas.IsNull()) {
        if (!replicas.IsSequence()) {
            reader.error(replicas, "'replicas' must be a list of host:port or {endpoint, weight}");
            ok = false;
        }
        for (std::size_t i = 0; replicas.IsSequence() && i < replicas.size(); ++i) {
            const auto replica = read_replica(reader, replicas[i]);
            ok = ok && replica;
            if (replica) {
                shard.replicas.push_back(*replica);
            }
        }
    }
    const auto lag = reader.number(node, "max_replica_lag_ms", what, false, 0, 86400000);
    ok = ok && (!node["max_replica_lag_ms"].IsDefined() || lag);
    if (lag) {
        shard.reads.max_replica_lag_ms = static_cast<std::uint32_t>(*lag);
    }
    shard.reads = read_read_routing(reader, node["read_routing"], what, shard.reads);
    return ok ? std::optional(shard) : std::nullopt;
}

std::vector<Shard> read_shards(MapReader& reader, const std::string& database,
                               const YAML::Node& node, const ReadRouting& defaults, bool& ok) {
    std::vector<Shard> shards;
    if (!node.IsMap() || node.size() == 0) {
        reader.error(node, "database " + database +
                               " needs 'shards': a mapping of shard name to "
                               "{primary: host:port, replicas: [...]}");
        ok = false;
        return shards;
    }
    std::map<std::string, YAML::Node> seen;
    for (const auto& item : node) {
        const auto name = item.first.Scalar();
        if (const auto it = seen.find(name); it != seen.end()) {
            reader.error(item.first, "duplicate shard '" + name + "': already defined at line " +
                                         std::to_string(MapReader::line_of(it->second)));
            ok = false;
            continue;
        }
        seen.emplace(name, item.first);
        auto shard = read_shard(reader, name, item.second, defaults);
        ok = ok && shard;
        // A failed shard keeps its slot so shard names still resolve in the tables.
        shards.push_back(shard.value_or(Shard{name, {}, {}, defaults}));
    }
    return shards;
}

template <class Enum>
Enum read_choice(MapReader& reader, const YAML::Node& node, const char* field, Enum fallback,
                 std::initializer_list<std::pair<std::string_view, Enum>> choices) {
    const YAML::Node value = node[field];
    if (!value.IsDefined() || value.IsNull()) {
        return fallback;
    }
    std::string names;
    for (const auto& [name, choice] : choices) {
        if (value.IsScalar() && value.Scalar() == name) {
            return choice;
        }
        names += (names.empty() ? "" : ", ") + std::string(name);
    }
    reader.error(value, std::string("'").append(field) + "' must be one of: " + names);
    return fallback;
}

DatabaseSettings read_settings(MapReader& reader, const YAML::Node& node) {
    DatabaseSettings settings;
    settings.pool_mode =
        read_choice(reader, node, "pool_mode", settings.pool_mode,
                    {{"session", PoolMode::session}, {"transaction", PoolMode::transaction}});
    settings.read_policy =
        read_choice(reader, node, "read_policy", settings.read_policy,
                    {{"primary", ReadPolicy::primary}, {"replica", ReadPolicy::replica}});
    settings.unparsable = read_choice(
        reader, node, "unparsable", settings.unparsable,
        {{"reject", UnparsablePolicy::reject}, {"default_shard", UnparsablePolicy::default_shard}});
    settings.keyless_writes = read_choice(
        reader, node, "keyless_writes", settings.keyless_writes,
        {{"reject", KeylessWritePolicy::reject}, {"broadcast", KeylessWritePolicy::broadcast}});
    settings.shard_key_updates =
        read_choice(reader, node, "shard_key_updates", settings.shard_key_updates,
                    {{"reject", ShardKeyUpdates::reject}, {"move", ShardKeyUpdates::move}});
    settings.cross_shard_transactions =
        read_choice(reader, node, "cross_shard_transactions", settings.cross_shard_transactions,
                    {{"reject", CrossShardTransactions::reject},
                     {"two_phase", CrossShardTransactions::two_phase}});
    settings.lower_case_table_names =
        read_choice(reader, node, "lower_case_table_names", 0, {{"0", 0}, {"1", 1}, {"2", 2}});
    settings.table_name_case =
        settings.lower_case_table_names == 0 ? TableNameCase::exact : TableNameCase::insensitive;
    if (const auto cache = node["result_cache"]; cache.IsDefined() && !cache.IsNull()) {
        if (!cache.IsMap()) {
            reader.error(cache, "'result_cache' must be a mapping of table name to TTL in "
                                "milliseconds, e.g. {products: 5000}");
        } else {
            for (const auto& item : cache) {
                const auto name = item.first.Scalar();
                const auto ttl = reader.number(cache, name, "result_cache", true, 1, 86'400'000);
                if (ttl) {
                    settings.result_cache.emplace_back(name, static_cast<std::uint32_t>(*ttl));
                }
            }
        }
    }
    return settings;
}

/// `sequences:` / `channels:`: a mapping of object name to the shard it lives on.
std::optional<std::vector<std::pair<std::string, ShardId>>>
read_named_shards(MapReader& reader, const YAML::Node& node, const std::string& what,
                  const std::string& object, const ShardNames& shard_names) {
    std::vector<std::pair<std::string, ShardId>> out;
    if (!node.IsDefined() || node.IsNull()) {
        return out;
    }
    if (!node.IsMap()) {
        reader.error(node, "'" + object + "s' of " + what + " must be a mapping of " + object +
                               " name to shard, e.g. {orders_id_seq: " +
                               (shard_names.names().empty() ? std::string("s0")
                                                            : shard_names.names().front()) +
                               "}");
        return std::nullopt;
    }
    bool ok = true;
    for (const auto& item : node) {
        const auto shard = shard_names.resolve(reader, item.second);
        if (!shard) {
            ok = false;
            continue;
        }
        out.emplace_back(item.first.Scalar(), *shard);
    }
    if (!ok) {
        return std::nullopt;
    }
    return out;
}

std::optional<Database> read_database(MapReader& reader, const std::string& name,
                                      const YAML::Node& node) {
    const std::string what = "database " + name;
    if (!reader.expect_map(node, what,
                           {"engine", "default_shard", "unparsable", "keyless_writes", "pool_mode",
                            "cross_shard_transactions", "shard_key_updates", "read_policy",
                            "read_routing", "lower_case_table_names", "shards", "tables",
                            "sequences", "channels", "result_cache"})) {
        return std::nullopt;
    }
    bool ok = true;
    const auto engine_text = reader.scalar(node, "engine", what, true);
    const bool is_pg = engine_text == "postgresql";
    if (engine_text && !is_pg && *engine_text != "mysql") {
        reader.error(node["engine"],
                     "unknown engine '" + *engine_text + "': use postgresql or mysql");
    }
    ok = engine_text && (is_pg || *engine_text == "mysql");
    const YAML::Node shards_node = node["shards"];
    const auto routing = read_read_routing(reader, node["read_routing"], what, ReadRouting{});
    auto shards =
        read_shards(reader, name, shards_node.IsDefined() ? shards_node : node, routing, ok);
    std::vector<std::string> names;
    for (const auto& shard : shards) {
        names.push_back(shard.name);
    }
    const ShardNames shard_names(name, names);
    std::optional<ShardId> default_shard;
    if (node["default_shard"].IsDefined()) {
        default_shard = shard_names.resolve(reader, node["default_shard"]);
    } else {
        reader.error(node, what +
                               " is missing 'default_shard': name the shard for tables the map "
                               "does not list, e.g. default_shard: " +
                               (names.empty() ? std::string("s0") : names.front()));
    }
    const auto settings = read_settings(reader, node);
    if (is_pg && node["lower_case_table_names"].IsDefined()) {
        reader.error(node["lower_case_table_names"],
                     "'lower_case_table_names' is a MySQL setting; PostgreSQL folds unquoted "
                     "names to lower case and matches quoted names exactly");
    }
    std::vector<Table> tables;
    if (node["tables"].IsDefined() && !node["tables"].IsNull()) {
        tables = load_tables(reader, node["tables"], shard_names,
                             is_pg ? Engine::postgresql : Engine::mysql);
    }
    const auto sequences =
        read_named_shards(reader, node["sequences"], what, "sequence", shard_names);
    if (!is_pg && node["channels"].IsDefined()) {
        reader.error(node["channels"], "'channels' places PostgreSQL LISTEN/NOTIFY channels; "
                                       "MySQL has no notification channels");
    }
    const auto channels = read_named_shards(reader, node["channels"], what, "channel", shard_names);
    if (!ok || !default_shard || !sequences || !channels) {
        return std::nullopt;
    }
    Database database(name, is_pg ? Engine::postgresql : Engine::mysql, std::move(shards),
                      *default_shard, settings, std::move(tables));
    for (const auto& [object, shard] : *sequences) {
        database.place_sequence(object, shard);
    }
    for (const auto& [object, shard] : *channels) {
        database.place_channel(object, shard);
    }
    return database;
}

std::vector<Database> read_databases(MapReader& reader, const YAML::Node& root) {
    const YAML::Node node = root["databases"];
    if (!node.IsDefined() || !node.IsMap() || node.size() == 0) {
        reader.error(node.IsDefined() ? node : root,
                     "the shard map needs 'databases': a mapping of logical database name to "
                     "{engine, default_shard, shards, tables}");
        return {};
    }
    std::vector<Database> databases;
    std::map<std::string, YAML::Node> seen;
    for (const auto& item : node) {
        const auto name = item.first.Scalar();
        if (const auto it = seen.find(name); it != seen.end()) {
            reader.error(item.first, "duplicate database '" + name + "': already defined at line " +
                                         std::to_string(MapReader::line_of(it->second)));
            continue;
        }
        seen.emplace(name, item.first);
        if (auto database = read_database(reader, name, item.second)) {
            databases.push_back(std::move(*database));
        }
    }
    return databases;
}

} // namespace

ShardMapPtr read_map(MapReader& reader, const YAML::Node& root) {
    if (!reader.expect_map(root, "the shard map", {"format_version", "epoch", "databases"})) {
        throw ShardMapError(reader.diagnostics());
    }
    const auto version = reader.number(root, "format_version", "the shard map", true, 0, 1000000);
    if (version && *version != static_cast<std::uint64_t>(current_format_version)) {
        reader.error(root["format_version"], "format_version " + std::to_string(*version) +
                                                 " is not supported: this version reads "
                                                 "format_version " +
                                                 std::to_string(current_format_version));
    }
    std::optional<std::uint64_t> epoch;
    if (!root["epoch"].IsDefined()) {
        reader.error(root, "the shard map has no 'epoch': add 'epoch: 1' and increase it with "
                           "every change to the map");
    } else {
        epoch = reader.number(root, "epoch", "the shard map", true, 1,
                              std::numeric_limits<std::int64_t>::max());
    }
    auto databases = read_databases(reader, root);
    if (!reader.diagnostics().empty()) {
        throw ShardMapError(reader.diagnostics());
    }
    return std::make_shared<const ShardMap>(current_format_version, *epoch, std::move(databases),
                                            reader.file());
}

} // namespace shardgate::shardmaps::detail
