// shardctl schema diff: a table's definition on every shard that holds it, compared, so that
// drift (a broadcast DDL applied on some shards only, an index created by hand on one) is
// visible. Connects to every shard's primary directly. docs/cross-shard-writes.md.
#include "commands.hpp"
#include "shardgate/shardmaps/loader.hpp"
#include "shardgate/txn/resolver.hpp"

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

namespace shardctl {
namespace {

namespace sm = shardgate::shardmaps;
namespace tx = shardgate::txn;

struct SchemaOptions {
    std::string map;
    std::string database;
    std::string table;
    std::string user;
    std::string password;
    unsigned timeout_ms = 5000;
    bool json = false;
};

std::string text(const std::optional<std::string>& value) {
    return value.value_or("NULL");
}

/// The table's definition on one server as comparable lines (empty: no such table).
std::vector<std::string> definition(tx::SqlSession& session, tx::TwoPhaseEngine engine,
                                    const std::string& table) {
    std::vector<std::string> lines;
    const auto name = tx::sql_literal(engine, table);
    if (engine == tx::TwoPhaseEngine::mysql) {
        const auto found = session.query(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND "
            "table_name = " +
            name);
        if (found.empty() || text(found[0][0]) == "0") {
            return lines;
        }
        // One line per column, key and table option; AUTO_INCREMENT=n differs per shard by
        // design (each shard counts its own rows).
        std::string quoted = table;
        std::string::size_type at = 0;
        while ((at = quoted.find('`', at)) != std::string::npos) {
            quoted.insert(at, "`");
            at += 2;
        }
        const auto rows = session.query("SHOW CREATE TABLE `" + quoted + "`");
        const std::string create = rows.empty() ? std::string() : text(rows[0][1]);
        std::string::size_type start = 0;
        while (start <= create.size()) {
            auto end = create.find('\n', start);
            if (end == std::string::npos) {
                end = create.size();
            }
            auto line = create.substr(start, end - start);
            line = std::regex_replace(line, std::regex(" AUTO_INCREMENT=[0-9]+"), "");
            while (!line.empty() && (line.back() == ',' || line.back() == ' ')) {
                line.pop_back();
            }
            line.erase(0, line.find_first_not_of(' '));
            if (!line.empty()) {
                lines.push_back(line);
            }
            start = end + 1;
        }
        return lines;
    }
    const auto columns = session.query(
        "SELECT column_name, data_type, coalesce(character_maximum_length::text, ''), "
        "coalesce(numeric_precision::text, '') || ',' || coalesce(numeric_scale::text, ''), "
        "is_nullable, coalesce(column_default, ''), coalesce(collation_name, '') "
        "FROM information_schema.columns WHERE table_schema = current_schema() AND "
        "table_name = " +
        name + " ORDER BY ordinal_position");
    if (columns.empty()) {
        return lines;
    }
    for (const auto& c : columns) {
        lines.push_back("column " + text(c[0]) + " " + text(c[1]) +
                        (text(c[2]).empty() ? "" : "(" + text(c[2]) + ")") +
                        (text(c[3]) == "," ? "" : " precision " + text(c[3])) +
                        (text(c[4]) == "NO" ? " NOT NULL" : "") +
                        (text(c[5]).empty() ? "" : " DEFAULT " + text(c[5])) +
                        (text(c[6]).empty() ? "" : " COLLATE " + text(c[6])));
    }
    for (const auto& c : session.query(
             "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE "
             "conrelid = (SELECT oid FROM pg_class WHERE relname = " +
             name + " AND relnamespace = current_schema()::regnamespace) ORDER BY conname")) {
        lines.push_back("constraint " + text(c[0]) + " " + text(c[1]));
    }
    for (const auto& i : session.query("SELECT indexdef FROM pg_indexes WHERE schemaname = "
                                       "current_schema() AND tablename = " +
                                       name + " ORDER BY indexname")) {
        lines.push_back("index " + text(i[0]));
    }
    return lines;
}

int run_diff(const SchemaOptions& o) {
    std::shared_ptr<const sm::ShardMap> map;
    const auto* db = load_database(o.map, o.database, map);
    if (!db) {
        return 2;
    }
    // A table the map does not list lives on the default shard only: nothing to compare, but
    // every shard is read so that a stray copy shows.
    const auto* table = db->find_table(o.table);
    std::set<std::string> holders;
    if (table) {
        for (const auto id : table->shards()) {
            holders.insert(db->shard(id).name);
        }
    } else {
        holders.insert(db->shard(db->default_shard()).name);
    }
    const auto user = or_env(o.user, "SHARDGATE_USER");
    const auto password = or_env(o.password, "SHARDGATE_PASSWORD");
    std::map<std::string, std::vector<std::string>> defs; // shard -> lines
    std::map<std::string, std::string> errors;
    std::vector<std::string> order;
    for (const auto& server : tx::primaries(*db, user, password)) {
        order.push_back(server.shard);
        try {
            auto session = tx::connect(server, std::chrono::milliseconds(o.timeout_ms));
            defs[server.shard] = definition(*session, server.engine, o.table);
        } catch (const std::exception& e) {
            errors[server.shard] = e.what();
        }
    }
    // Every line with the shards that have it; a line all holders have is in agreement.
    std::map<std::string, std::vector<std::string>> where;
    std::vector<std::string> lines;
    for (const auto& shard : order) {
        for (const auto& line : defs[shard]) {
            if (!where.contains(line)) {
                lines.push_back(line);
            }
            where[line].push_back(shard);
        }
    }
    auto differences = nlohmann::json::array();
    std::vector<std::string> missing_table;
    std::vector<std::string> stray_table;
    for (const auto& shard : order) {
        if (errors.contains(shard)) {
            continue;
        }
        if (holders.contains(shard) && defs[shard].empty()) {
            missing_table.push_back(shard);
        } else if (!holders.contains(shard) && !defs[shard].empty()) {
            stray_table.push_back(shard);
        }
    }
    for (const auto& line : lines) {
        std::vector<std::string> missing;
        for (const auto& shard : order) {
            if (holders.contains(shard) && !errors.contains(shard) && !defs[shard].empty() &&
                std::find(where[line].begin(), where[line].end(), shard) == where[line].end()) {
                missing.push_back(shard);
            }
        }
        if (!missing.empty()) {
            differences.push_back({{"line", line}, {"on", where[line]}, {"missing_on", missing}});
        }
    }
    const bool identical = differences.empty() && missing_table.empty() && errors.empty();
    if (o.json) {
        nlohmann::json out{{"database", o.database},
                           {"table", o.table},
                           {"shards", std::vector<std::string>(holders.begin(), holders.end())},
                           {"identical", identical},
                           {"differences", differences},
                           {"missing_table_on", missing_table},
                           {"stray_table_on", stray_table},
                           {"errors", errors}};
        std::cout << out.dump(2) << "\n";
    } else {
        for (const auto& shard : missing_table) {
            std::cout << "shard " << shard << ": table " << o.table << " does not exist\n";
        }
        for (const auto& shard : stray_table) {
            std::cout << "shard " << shard << ": has a table " << o.table
                      << " the map does not place there\n";
        }
        for (const auto& d : differences) {
            std::cout << "only on " << nlohmann::json(d["on"]).dump() << ", not on "
                      << nlohmann::json(d["missing_on"]).dump() << ": "
                      << d["line"].get<std::string>() << "\n";
        }
        for (const auto& [shard, error] : errors) {
            std::cout << "shard " << shard << ": error: " << error << "\n";
        }
        if (identical) {
            std::cout << o.database << "." << o.table << ": identical on " << holders.size()
                      << " shard(s)\n";
        }
    }
    if (!errors.empty()) {
        return 2;
    }
    return identical ? 0 : 1;
}

} // namespace

const sm::Database* load_database(const std::string& path, const std::string& name,
                                  std::shared_ptr<const sm::ShardMap>& map) {
    try {
        map = sm::load_shard_map(path);
    } catch (const std::exception& e) {
        std::cerr << "shardctl: " << e.what() << "\n";
        return nullptr;
    }
    const auto* db = map->find_database(name);
    if (!db) {
        std::cerr << "shardctl: no database " << name << " in " << path << "\n";
    }
    return db;
}

void register_schema_command(CLI::App& app) {
    auto* schema = app.add_subcommand("schema", "table definitions on the shards");
    schema->require_subcommand(1);
    auto options = std::make_shared<SchemaOptions>();
    auto* diff = schema->add_subcommand(
        "diff", "compare a table's definition on every shard that holds it (exit 1: they differ)");
    diff->add_option("map", options->map, "shard map file")->required();
    diff->add_option("database", options->database, "logical database")->required();
    diff->add_option("table", options->table, "table")->required();
    diff->add_option("--user", options->user, "backend login (default: $SHARDGATE_USER)");
    diff->add_option("--password", options->password,
                     "backend password (default: $SHARDGATE_PASSWORD)");
    diff->add_option("--timeout-ms", options->timeout_ms,
                     "connect and statement timeout (default 5000)");
    diff->add_flag("--json", options->json, "print JSON");
    diff->callback([options] { std::exit(run_diff(*options)); });
}

} // namespace shardctl
