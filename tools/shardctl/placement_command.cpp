// shardctl placement check: rows that sit on a shard the map does not place them on (written
// by hand on the wrong server, by an older shardgate whose routing differed, or left behind by
// an interrupted manual move). Each shard's primary counts, with the placement function in SQL
// (shardmaps/placement_sql), the rows of each horizontal table whose key the map gives to
// another shard, and shows a few of them with their owner. docs/shardmaps.md.
#include "commands.hpp"
#include "placement_sql.hpp"
#include "shardgate/shardmaps/map_diff.hpp"
#include "shardgate/txn/resolver.hpp"

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>

namespace shardctl {
namespace {

namespace sm = shardgate::shardmaps;
namespace tx = shardgate::txn;

struct PlacementOptions {
    std::string map;
    std::string database;
    std::vector<std::string> tables;
    std::string user;
    std::string password;
    unsigned timeout_ms = 600000; ///< also each statement's: a count is a full scan
    unsigned sample = 5;
    bool json = false;
};

/// The condition selecting the rows `shard` owns ("FALSE" when it owns none), or nullopt
/// with `why` when a segment has no SQL form.
std::optional<std::string> owned_condition(sm::Engine engine, const sm::Table& table,
                                           const std::vector<sm::Move>& segments,
                                           const std::string& shard, std::string& why) {
    std::string owned;
    for (const auto& segment : segments) {
        if (segment.from_shard != shard) {
            continue;
        }
        const auto condition = sm::move_condition(engine, table, segment, why);
        if (!condition) {
            return std::nullopt;
        }
        owned += (owned.empty() ? "(" : " OR (") + *condition + ")";
    }
    return owned.empty() ? "FALSE" : owned;
}

/// One table on one shard.
struct Finding {
    std::string table;
    std::string shard;
    std::uint64_t misplaced = 0;
    nlohmann::json sample = nlohmann::json::array(); ///< [{key, owner}]
    std::string skipped;                             ///< no such table on the shard
    std::string error;                               ///< not checked: why
};

/// `schema.table` or `table`, each part quoted.
std::string qualified(sm::Engine engine, const std::string& name) {
    const auto dot = name.find('.');
    return dot == std::string::npos ? sm::quote_name(engine, name)
                                    : sm::quote_name(engine, name.substr(0, dot)) + "." +
                                          sm::quote_name(engine, name.substr(dot + 1));
}

Finding check(tx::SqlSession& session, const sm::Database& db, const sm::Table& table,
              const std::string& name, const std::string& shard, unsigned sample) {
    Finding out;
    out.table = name;
    out.shard = shard;
    const auto segments = sm::placement_segments(db, table);
    std::string why;
    const auto owned = owned_condition(db.engine(), table, segments, shard, why);
    if (!owned) {
        out.error = "cannot be checked: " + why;
        return out;
    }
    const auto key = sm::quote_name(db.engine(), table.key().column);
    // (a NULL key has no owner: never counted)
    const auto where = " FROM " + qualified(db.engine(), name) + " WHERE " + key +
                       " IS NOT NULL AND NOT (" + *owned + ")";
    try {
        const auto rows = session.query("SELECT count(*)" + where);
        out.misplaced = rows.empty() || !rows[0][0] ? 0 : std::stoull(*rows[0][0]);
        if (out.misplaced > 0 && sample > 0) {
            const auto cast = db.engine() == sm::Engine::postgresql ? key + "::text"
                                                                    : "CAST(" + key + " AS CHAR)";
            for (const auto& row :
                 session.query("SELECT " + cast + where + " LIMIT " + std::to_string(sample))) {
                const auto value = row.empty() ? std::nullopt : row[0];
                nlohmann::json one{{"key", value ? nlohmann::json(*value) : nlohmann::json()}};
                if (value) {
                    const auto located = table.locate(std::string_view(*value));
                    one["owner"] =
                        located ? nlohmann::json(db.shard(located->shard).name) : nlohmann::json();
                    if (!located) {
                        one["owner_error"] = located.error().message; // (no shard owns it)
                    }
                }
                out.sample.push_back(std::move(one));
            }
        }
    } catch (const tx::SqlError& e) {
        if (!e.connection() && (e.sqlstate() == "42P01" || e.sqlstate() == "42S02")) {
            out.skipped = "no such table on this shard";
        } else {
            out.error = e.what();
        }
    } catch (const std::exception& e) {
        out.error = e.what();
    }
    return out;
}

int run_check(const PlacementOptions& o) {
    std::shared_ptr<const sm::ShardMap> map;
    const auto* db = load_database(o.map, o.database, map);
    if (!db) {
        return 2;
    }
    std::vector<std::string> names;
    for (const auto& name : o.tables) {
        if (std::find(names.begin(), names.end(), name) == names.end()) {
            names.push_back(name);
        }
    }
    if (names.empty()) {
        for (const auto& [name, table] : db->tables()) {
            if (table.kind() == sm::TableKind::horizontal) {
                names.push_back(name);
            }
        }
    }
    for (const auto& name : names) {
        const auto* table = db->find_table(name);
        if (!table || table->kind() != sm::TableKind::horizontal) {
            std::cerr << "shardctl: " << o.database << "." << name
                      << " is not a sharded (horizontal) table of the map\n";
            return 2;
        }
    }
    const auto user = or_env(o.user, "SHARDGATE_USER");
    const auto password = or_env(o.password, "SHARDGATE_PASSWORD");
    std::vector<Finding> findings;
    for (const auto& server : tx::primaries(*db, user, password)) {
        std::unique_ptr<tx::SqlSession> session;
        try {
            session = tx::connect(server, std::chrono::milliseconds(o.timeout_ms));
            // (time buckets are compared as UTC literals, string literals read with backslash
            // escapes on MariaDB; sampled keys are read back in ISO form)
            session->query(server.engine == tx::TwoPhaseEngine::mysql
                               ? "SET NAMES utf8mb4, time_zone = '+00:00', sql_mode = "
                                 "'NO_ENGINE_SUBSTITUTION'"
                               : "SET DateStyle = ISO");
        } catch (const std::exception& e) {
            for (const auto& name : names) {
                findings.push_back({name, server.shard, 0, {}, "", e.what()});
            }
            continue;
        }
        for (const auto& name : names) {
            findings.push_back(
                check(*session, *db, *db->find_table(name), name, server.shard, o.sample));
        }
    }
    std::uint64_t misplaced = 0;
    bool errors = false;
    for (const auto& f : findings) {
        misplaced += f.misplaced;
        errors = errors || !f.error.empty();
    }
    if (o.json) {
        auto list = nlohmann::json::array();
        for (const auto& f : findings) {
            nlohmann::json one{{"table", f.table}, {"shard", f.shard}, {"misplaced", f.misplaced}};
            if (!f.sample.empty()) {
                one["sample"] = f.sample;
            }
            if (!f.skipped.empty()) {
                one["skipped"] = f.skipped;
            }
            if (!f.error.empty()) {
                one["error"] = f.error;
            }
            list.push_back(std::move(one));
        }
        std::cout << nlohmann::json{{"database", o.database},
                                    {"misplaced", misplaced},
                                    {"checks", list}}
                         .dump(2)
                  << "\n";
    } else {
        for (const auto& f : findings) {
            std::cout << o.database << "." << f.table << " on " << f.shard << ": ";
            if (!f.error.empty()) {
                std::cout << "not checked: " << f.error << "\n";
            } else if (!f.skipped.empty()) {
                std::cout << f.skipped << "\n";
            } else if (f.misplaced == 0) {
                std::cout << "every row belongs here\n";
            } else {
                std::cout << f.misplaced << " row(s) belong to another shard";
                for (const auto& s : f.sample) {
                    std::cout << "; key " << (s["key"].is_null() ? "NULL" : s["key"].dump())
                              << " -> "
                              << (s["owner"].is_string() ? s["owner"].get<std::string>()
                                                         : "no shard");
                }
                std::cout << "\n";
            }
        }
    }
    if (errors) {
        return 2;
    }
    return misplaced == 0 ? 0 : 1;
}

} // namespace

void register_placement_command(CLI::App& app) {
    auto* placement = app.add_subcommand("placement", "where the rows of sharded tables are");
    placement->require_subcommand(1);
    auto options = std::make_shared<PlacementOptions>();
    auto* cmd = placement->add_subcommand(
        "check", "count, on every shard's primary, the rows the map places on another shard "
                 "(exit 1: some found)");
    cmd->add_option("map", options->map, "shard map file")->required();
    cmd->add_option("database", options->database, "logical database")->required();
    cmd->add_option("tables", options->tables, "tables (default: every sharded table)");
    cmd->add_option("--user", options->user, "backend login (default: $SHARDGATE_USER)");
    cmd->add_option("--password", options->password,
                    "backend password (default: $SHARDGATE_PASSWORD)");
    cmd->add_option("--timeout-ms", options->timeout_ms,
                    "connect and statement timeout (default 600000: a count scans its table)");
    cmd->add_option("--sample", options->sample, "misplaced keys shown per table and shard (5)");
    cmd->add_flag("--json", options->json, "print JSON");
    cmd->callback([options] { std::exit(run_check(*options)); });
}

} // namespace shardctl
