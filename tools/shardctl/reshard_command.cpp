// shardctl reshard plan: what a change of shard map moves online — per table and per pair of
// shards, the key ranges, with the rows and bytes they hold today (counted on the source
// primaries by the SQL form of the placement function) — or why the change cannot be made
// online. docs/resharding.md.
#include "commands.hpp"
#include "placement_sql.hpp"
#include "shardgate/shardmaps/map_diff.hpp"
#include "shardgate/txn/resolver.hpp"

#include <iomanip>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

namespace shardctl {
namespace {

namespace sm = shardgate::shardmaps;
namespace tx = shardgate::txn;
using json = nlohmann::json;

struct PlanOptions {
    std::string from;
    std::string to;
    std::string user;
    std::string password;
    unsigned timeout_ms = 5000;
    bool json = false;
    bool offline = false; ///< no estimates (no connection to the shards)
};

/// Rows of one table that go from one shard to another: every range of the move.
struct Movement {
    std::string database;
    std::string table;
    std::vector<std::string> group; ///< tables sharing its scheme (moved together)
    std::string kind;
    std::string from;
    std::string to;
    std::vector<sm::Move> ranges;
    std::optional<std::uint64_t> rows;
    std::optional<std::uint64_t> bytes;
    std::string estimate_error;
};

std::string human_bytes(std::uint64_t bytes) {
    std::ostringstream out;
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double value = static_cast<double>(bytes);
    int unit = 0;
    while (value >= 1024 && unit < 4) {
        value /= 1024;
        ++unit;
    }
    out << std::fixed << std::setprecision(unit == 0 ? 0 : 1) << value << " " << units[unit];
    return out.str();
}

bool is_shard(const sm::Database& db, const std::string& name) {
    return !name.empty() && db.find_shard(name).has_value();
}

/// What cannot move online, one reason each (empty: everything can).
std::vector<std::string> refusals(const sm::ShardMap& old_map, const sm::ShardMap& new_map,
                                  const sm::MapDiff& diff) {
    std::vector<std::string> out;
    if (new_map.epoch() <= old_map.epoch()) {
        out.push_back("the new map's epoch " + std::to_string(new_map.epoch()) +
                      " is not greater than " + std::to_string(old_map.epoch()));
    }
    for (const auto& reason : sm::live_refusals(old_map, new_map)) {
        out.push_back(reason + " (running proxies cannot take it)");
    }
    for (const auto& db : old_map.databases()) {
        const auto* next = new_map.find_database(db.name());
        if (next != nullptr &&
            db.shard(db.default_shard()).name != next->shard(next->default_shard()).name) {
            out.push_back("database " + db.name() +
                          ": the default shard changes (tables the map does not name would "
                          "move): name those tables in the map instead");
        }
    }
    for (const auto& table : diff.tables) {
        const auto* a = old_map.find_database(table.database);
        const auto* b = new_map.find_database(table.database);
        const auto* x = a ? a->find_table(table.table) : nullptr;
        const auto* y = b ? b->find_table(table.table) : nullptr;
        if (x == nullptr || y == nullptr) {
            continue;
        }
        if (x->kind() == sm::TableKind::horizontal && y->kind() == sm::TableKind::horizontal &&
            !(x->key().column == y->key().column && x->key().type == y->key().type &&
              x->key().case_insensitive == y->key().case_insensitive)) {
            out.push_back(table.database + "." + table.table +
                          ": the shard key changes; only placements of the same key move online");
            continue;
        }
        for (const auto& move : table.moves) {
            if (!is_shard(*a, move.from_shard) && !move.from_shard.empty()) {
                out.push_back(table.database + "." + table.table + ": " + table.old_placement +
                              " becomes " + table.new_placement +
                              "; only moves between shards of the same placement kind are online");
                break;
            }
            if (move.to_shard.empty()) {
                out.push_back(table.database + "." + table.table + ": keys " + move.first + ".." +
                              move.last + " on " + move.from_shard +
                              " would belong to no shard under the new map");
            }
        }
    }
    return out;
}

std::vector<Movement> movements(const sm::ShardMap& old_map, const sm::ShardMap& new_map,
                                const sm::MapDiff& diff) {
    std::vector<Movement> out;
    for (const auto& table : diff.tables) {
        if (table.change != "moved") {
            continue;
        }
        const auto* a = old_map.find_database(table.database);
        const auto* x = a ? a->find_table(table.table) : nullptr;
        if (x == nullptr) {
            continue;
        }
        std::vector<std::string> group;
        if (x->scheme() != nullptr) {
            for (const auto& [name, other] : a->tables()) {
                if (other.scheme() == x->scheme()) {
                    group.push_back(name);
                }
            }
        }
        std::map<std::pair<std::string, std::string>, std::size_t> by_pair;
        for (const auto& move : table.moves) {
            if (move.from_shard.empty() || move.to_shard.empty() ||
                !is_shard(*a, move.from_shard)) {
                continue; // keys nobody held, or refused above
            }
            const auto key = std::make_pair(move.from_shard, move.to_shard);
            auto it = by_pair.find(key);
            if (it == by_pair.end()) {
                it = by_pair.emplace(key, out.size()).first;
                out.push_back(Movement{table.database,
                                       table.table,
                                       group,
                                       move.kind,
                                       move.from_shard,
                                       move.to_shard,
                                       {},
                                       {},
                                       {},
                                       {}});
            }
            out[it->second].ranges.push_back(move);
        }
    }
    // A reference table is copied to every shard a database gains.
    for (const auto& db : new_map.databases()) {
        const auto* before = old_map.find_database(db.name());
        if (before == nullptr) {
            continue;
        }
        for (const auto& shard : db.shards()) {
            if (before->find_shard(shard.name)) {
                continue;
            }
            for (const auto& [name, table] : db.tables()) {
                if (table.kind() == sm::TableKind::reference &&
                    before->find_table(name) != nullptr) {
                    out.push_back(Movement{db.name(),
                                           name,
                                           {},
                                           "reference_copy",
                                           before->shard(before->default_shard()).name,
                                           shard.name,
                                           {sm::Move{"table", "", "", "", shard.name}},
                                           {},
                                           {},
                                           {}});
                }
            }
        }
    }
    return out;
}

/// Counts the rows of `movement` on its source primary, and sizes them by the table's average
/// row size there.
void estimate(Movement& movement, const sm::ShardMap& old_map, const PlanOptions& o) {
    const auto& db = *old_map.find_database(movement.database);
    const auto* table = db.find_table(movement.table);
    const auto engine = db.engine();
    std::string condition;
    for (const auto& range : movement.ranges) {
        std::string why;
        const auto piece = range.kind == "table" ? std::optional<std::string>("TRUE")
                                                 : move_condition(engine, *table, range, why);
        if (!piece) {
            movement.estimate_error = why;
            return;
        }
        condition += (condition.empty() ? "(" : " OR (") + *piece + ")";
    }
    const auto name = quote_name(engine, movement.table);
    const bool pg = engine == sm::Engine::postgresql;
    try {
        for (const auto& server : tx::primaries(db, or_env(o.user, "SHARDGATE_USER"),
                                                or_env(o.password, "SHARDGATE_PASSWORD"))) {
            if (server.shard != movement.from) {
                continue;
            }
            auto session = tx::connect(server, std::chrono::milliseconds(o.timeout_ms));
            const auto counted = session->query(
                pg ? "SELECT count(*), count(*) FILTER (WHERE " + condition +
                         "), pg_total_relation_size(" +
                         tx::sql_literal(tx::TwoPhaseEngine::postgresql, name) + ") FROM " + name
                   : "SELECT COUNT(*), COALESCE(SUM(" + condition + "), 0) FROM " + name);
            const auto total = std::stoull(counted.at(0).at(0).value_or("0"));
            movement.rows = std::stoull(counted.at(0).at(1).value_or("0"));
            std::uint64_t size = 0;
            if (pg) {
                size = std::stoull(counted.at(0).at(2).value_or("0"));
            } else {
                const auto sized = session->query(
                    "SELECT data_length + index_length FROM information_schema.tables WHERE "
                    "table_schema = DATABASE() AND table_name = " +
                    tx::sql_literal(tx::TwoPhaseEngine::mysql, movement.table));
                size = sized.empty() ? 0 : std::stoull(sized[0][0].value_or("0"));
            }
            movement.bytes = total == 0 ? 0 : size / total * *movement.rows;
        }
    } catch (const std::exception& e) {
        movement.estimate_error = e.what();
    }
}

int run_plan(const PlanOptions& o) {
    std::string old_text;
    std::string new_text;
    const auto old_map = read_map_file(o.from, old_text);
    const auto new_map = old_map ? read_map_file(o.to, new_text) : nullptr;
    if (!old_map || !new_map) {
        return 2;
    }
    const auto diff = sm::diff_maps(*old_map, *new_map);
    const auto refused = refusals(*old_map, *new_map, diff);
    auto moves = movements(*old_map, *new_map, diff);
    if (!o.offline) {
        for (auto& movement : moves) {
            estimate(movement, *old_map, o);
        }
    }
    if (o.json) {
        json list = json::array();
        for (const auto& m : moves) {
            json ranges = json::array();
            for (const auto& r : m.ranges) {
                ranges.push_back({{"kind", r.kind}, {"first", r.first}, {"last", r.last}});
            }
            list.push_back({{"database", m.database},
                            {"table", m.table},
                            {"group", m.group},
                            {"kind", m.kind},
                            {"from", m.from},
                            {"to", m.to},
                            {"ranges", ranges},
                            {"rows", m.rows ? json(*m.rows) : json(nullptr)},
                            {"bytes", m.bytes ? json(*m.bytes) : json(nullptr)},
                            {"estimate_error", m.estimate_error}});
        }
        std::cout << json{{"from_epoch", old_map->epoch()},
                          {"to_epoch", new_map->epoch()},
                          {"online", refused.empty()},
                          {"refusals", refused},
                          {"moves", list}}
                         .dump(2)
                  << "\n";
        return refused.empty() ? 0 : 1;
    }
    std::cout << "reshard plan: epoch " << old_map->epoch() << " -> " << new_map->epoch() << ", "
              << moves.size() << " movement(s)\n";
    std::uint64_t rows = 0;
    std::uint64_t bytes = 0;
    for (const auto& m : moves) {
        std::cout << "  " << m.database << "." << m.table << ": " << m.from << " -> " << m.to
                  << ", " << m.ranges.size() << " " << m.kind << (m.ranges.size() == 1 ? "" : "s");
        if (m.ranges.size() == 1 && !m.ranges[0].first.empty()) {
            std::cout << " " << m.ranges[0].first << ".." << m.ranges[0].last;
        }
        if (m.rows) {
            std::cout << ", " << *m.rows << " rows, ~" << human_bytes(m.bytes.value_or(0));
            rows += *m.rows;
            bytes += m.bytes.value_or(0);
        } else if (!m.estimate_error.empty()) {
            std::cout << ", no estimate: " << m.estimate_error;
        }
        if (m.group.size() > 1) {
            std::cout << " (moves with its group:";
            for (const auto& t : m.group) {
                std::cout << " " << t;
            }
            std::cout << ")";
        }
        std::cout << "\n";
    }
    if (!o.offline) {
        std::cout << "total: " << rows << " rows, ~" << human_bytes(bytes) << "\n";
    }
    for (const auto& reason : refused) {
        std::cout << "not online: " << reason << "\n";
    }
    return refused.empty() ? 0 : 1;
}

} // namespace

void register_reshard_command(CLI::App& app) {
    auto* reshard = app.add_subcommand("reshard", "online data movement between shards");
    reshard->require_subcommand(1);
    auto options = std::make_shared<PlanOptions>();
    auto* plan = reshard->add_subcommand(
        "plan", "what moving from one map to another copies, from where to where, with rows "
                "and bytes counted on the source primaries; exit 1 when not online-movable");
    plan->add_option("--from", options->from, "the running map")->required();
    plan->add_option("--to", options->to, "the target map")->required();
    plan->add_option("--user", options->user, "login on the shards (else SHARDGATE_USER)");
    plan->add_option("--password", options->password, "(else SHARDGATE_PASSWORD)");
    plan->add_option("--timeout-ms", options->timeout_ms, "connect and query timeout");
    plan->add_flag("--json", options->json, "JSON output");
    plan->add_flag("--offline", options->offline, "no estimates: do not connect to the shards");
    plan->callback([options] { std::exit(run_plan(*options)); });
}

} // namespace shardctl
