// shardctl validate|show|diff|locate: offline commands over shard map files.
#include "commands.hpp"
#include "map_json.hpp"
#include "map_text.hpp"
#include "shardgate/shardmaps/loader.hpp"
#include "shardgate/shardmaps/map_diff.hpp"

#include <iostream>
#include <memory>
#include <string>

namespace shardctl {

namespace sm = shardgate::shardmaps;
using nlohmann::json;

namespace {

// Ends the command with `code`; main() turns this into the process exit status.
[[noreturn]] void fail(const std::string& message, int code = 1) {
    if (!message.empty()) {
        std::cerr << "shardctl: " << message << '\n';
    }
    throw CLI::RuntimeError(code);
}

// Loads a map for show/diff/locate; a broken map is one line pointing at `validate`.
sm::ShardMapPtr load_or_fail(const std::string& path) {
    try {
        return sm::load_shard_map(path);
    } catch (const sm::ShardMapError& e) {
        const auto& all = e.diagnostics();
        fail(all.front().to_string() +
             (all.size() > 1 ? " (and " + std::to_string(all.size() - 1) +
                                   " more; shardctl validate " + path + " lists them)"
                             : ""));
    }
}

std::size_t count_tables(const sm::ShardMap& map, std::size_t& shards) {
    std::size_t tables = 0;
    shards = 0;
    for (const auto& db : map.databases()) {
        tables += db.tables().size();
        shards += db.shards().size();
    }
    return tables;
}

void run_validate(const std::string& path) {
    sm::ShardMapPtr map;
    try {
        map = sm::load_shard_map(path);
    } catch (const sm::ShardMapError& e) {
        for (const auto& d : e.diagnostics()) {
            std::cerr << d.to_string() << '\n';
        }
        std::cerr << path << ": " << e.diagnostics().size() << " error(s)\n";
        throw CLI::RuntimeError(1);
    }
    std::size_t shards = 0;
    const std::size_t tables = count_tables(*map, shards);
    std::cout << path << ": ok: format " << map->format_version() << ", epoch " << map->epoch()
              << ", " << map->databases().size() << " database(s), " << shards << " shard(s), "
              << tables << " table(s)\n";
}

void run_show(const std::string& path, bool as_json, bool ring_points) {
    const auto map = load_or_fail(path);
    if (as_json) {
        std::cout << map_to_json(*map).dump(2) << '\n';
        return;
    }
    print_map(std::cout, *map, ring_points);
}

void run_diff(const std::string& old_path, const std::string& new_path, bool as_json, bool all) {
    const auto old_map = load_or_fail(old_path);
    const auto new_map = load_or_fail(new_path);
    const auto diff = sm::diff_maps(*old_map, *new_map);
    if (as_json) {
        std::cout << diff_to_json(diff).dump(2) << '\n';
        return;
    }
    print_diff(std::cout, diff, all ? 0 : 20);
}

struct LocateArgs {
    std::string map;
    std::string database;
    std::string table;
    std::string key;
    bool json = false;
};

json locate_json(const LocateArgs& args, const sm::Database& db) {
    const sm::Table* named = db.find_table(args.table);
    const sm::Table& table = db.placement(args.table);
    json out = {{"database", db.name()}, {"table", args.table}, {"key", args.key}};
    out["placement"] = named != nullptr ? sm::describe_placement(db, table)
                                        : "vertical(" + db.shard(db.default_shard()).name +
                                              ") (not in the map: default shard)";
    if (table.kind() == sm::TableKind::reference) {
        out["shard"] = nullptr; // no single owner: reads go to any shard, writes to all
        out["shards"] = json::array();
        for (auto id : table.shards()) {
            out["shards"].push_back(db.shard(id).name);
        }
        return out;
    }
    const auto location = table.locate(std::string_view(args.key));
    if (!location) {
        fail(args.database + "." + args.table + ": " + location.error().message);
    }
    out["shard"] = db.shard(location->shard).name;
    if (location->keyspace_id) {
        out["keyspace_id"] = *location->keyspace_id;
        out["keyspace_id_hex"] = sm::keyspace_id_hex(*location->keyspace_id);
    }
    if (table.kind() == sm::TableKind::horizontal) {
        out["key_column"] = table.key().column;
    }
    return out;
}

void run_locate(const LocateArgs& args) {
    const auto map = load_or_fail(args.map);
    const sm::Database* db = map->find_database(args.database);
    if (db == nullptr) {
        fail("the map has no database '" + args.database + "'");
    }
    const json out = locate_json(args, *db);
    if (args.json) {
        std::cout << out.dump(2) << '\n';
        return;
    }
    std::cout << args.database << "." << args.table << " key " << args.key << ": "
              << out["placement"].get<std::string>() << '\n';
    if (out["shard"].is_null()) {
        std::cout << "  shard: any for reads, all for writes (" << out["shards"].dump() << ")\n";
        return;
    }
    std::cout << "  shard: " << out["shard"].get<std::string>() << '\n';
    if (out.contains("keyspace_id")) {
        std::cout << "  keyspace id: " << out["keyspace_id_hex"].get<std::string>() << " ("
                  << out["keyspace_id"].get<std::uint64_t>() << ")\n";
    }
}

void add_validate(CLI::App& app) {
    auto* cmd =
        app.add_subcommand("validate", "check a shard map; list every error with file:line:column");
    auto path = std::make_shared<std::string>();
    cmd->add_option("MAP", *path, "shard map YAML file")->required();
    cmd->callback([path] { run_validate(*path); });
}

void add_show(CLI::App& app) {
    auto* cmd = app.add_subcommand(
        "show", "print the normalised map: databases, shards, tables, placements");
    struct Args {
        std::string path;
        bool json = false;
        bool points = false;
    };
    auto args = std::make_shared<Args>();
    cmd->add_option("MAP", args->path, "shard map YAML file")->required();
    cmd->add_flag("--json", args->json, "machine-readable output (format: docs/shardmaps.md)");
    cmd->add_flag("--points", args->points, "also list every consistent_hash ring point");
    cmd->callback([args] { run_show(args->path, args->json, args->points); });
}

void add_diff(CLI::App& app) {
    auto* cmd = app.add_subcommand("diff", "show which keys change shard between two maps");
    struct Args {
        std::string old_path;
        std::string new_path;
        bool json = false;
        bool all = false;
    };
    auto args = std::make_shared<Args>();
    cmd->add_option("OLD", args->old_path, "current shard map")->required();
    cmd->add_option("NEW", args->new_path, "proposed shard map")->required();
    cmd->add_flag("--json", args->json, "machine-readable output");
    cmd->add_flag("--all", args->all, "list every moved span (default: first 20 per table)");
    cmd->callback([args] { run_diff(args->old_path, args->new_path, args->json, args->all); });
}

void add_locate(CLI::App& app) {
    auto* cmd = app.add_subcommand("locate", "print the shard (and keyspace id) owning a key");
    auto args = std::make_shared<LocateArgs>();
    cmd->add_option("MAP", args->map, "shard map YAML file")->required();
    cmd->add_option("DATABASE", args->database, "logical database")->required();
    cmd->add_option("TABLE", args->table, "table name")->required();
    cmd->add_option("KEY", args->key, "key value: integer, string or timestamp")->required();
    cmd->add_flag("--json", args->json, "machine-readable output");
    cmd->callback([args] { run_locate(*args); });
}

} // namespace

void register_map_commands(CLI::App& app) {
    add_validate(app);
    add_show(app);
    add_diff(app);
    add_locate(app);
}

} // namespace shardctl
