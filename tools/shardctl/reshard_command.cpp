// shardctl reshard plan: what a change of shard map moves online — per table and per pair of
// shards, the key ranges, with the rows and bytes they hold today (counted on the source
// primaries by the SQL form of the placement function) — or why the change cannot be made
// online. shardctl reshard start|status|cutover|rollback|complete|abort: the workflow that
// moves them, its state in etcd beside the proxies' map (or, without etcd, in a table on a
// designated shard; reshard_store.hpp). docs/resharding.md.
#include "admin_http.hpp"
#include "commands.hpp"
#include "cutover.hpp"
#include "placement_sql.hpp"
#include "reshard_mariadb.hpp"
#include "reshard_store.hpp"
#include "reshard_stream.hpp"
#include "shardgate/shardmaps/loader.hpp"
#include "shardgate/shardmaps/map_diff.hpp"
#include "shardgate/txn/resolver.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cmath>
#include <future>
#include <iomanip>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

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
            !(x->key() == y->key())) {
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
                json range = {{"kind", r.kind}, {"first", r.first}, {"last", r.last}};
                if (r.kind == "default") {
                    range["listed"] = r.listed; // the values that stay: either map lists them
                }
                ranges.push_back(std::move(range));
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
        std::cout << "  " << m.database << "." << m.table << ": " << m.from << " -> " << m.to;
        // A list's default shard is not a range of keys: it is said apart.
        const auto by_default = std::find_if(m.ranges.begin(), m.ranges.end(),
                                             [](const sm::Move& r) { return r.kind == "default"; });
        const auto keyed = m.ranges.size() - (by_default == m.ranges.end() ? 0 : 1);
        if (keyed > 0 || by_default == m.ranges.end()) {
            std::cout << ", " << keyed << " " << m.kind << (keyed == 1 ? "" : "s");
            const auto& first =
                m.ranges.front().kind == "default" ? m.ranges.back() : m.ranges.front();
            if (keyed == 1 && !first.first.empty()) {
                std::cout << " " << first.first << ".." << first.last;
            }
        }
        if (by_default != m.ranges.end()) {
            std::cout << (keyed > 0 ? " and" : ",") << " the default shard (keys none of the "
                      << by_default->listed.size() << " listed values)";
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

// --- the workflow: start, status, pause, resume, verify, cutover, rollback, complete, abort ---

struct WorkflowOptions {
    std::string name;
    std::string from;
    std::string to;
    std::string etcd = "127.0.0.1:2379";
    std::string prefix = "/shardgate";
    std::string user;
    std::string password;
    unsigned deadline_ms = 3000;
    unsigned drain_ms = 200;
    unsigned wait_ready_s = 30; ///< cutover: how long to wait for the copy to catch up
    unsigned verify_rounds = 5; ///< verify: looks at rows that changed during the comparison
    std::string shadow_sample;  ///< shadow: "10%" / "0.1"; "" : report only
    bool shadow_off = false;
    double require_shadow_minutes = -1; ///< cutover: shadow reads without a mismatch this long
    bool json = false;
    std::uint64_t max_rows_per_s = 0;
    /// MariaDB: 10000 when not given; PostgreSQL: given (or a rows/s cap) makes the copy
    /// shardctl's own chunked one, else the subscription copies unthrottled.
    std::optional<std::uint64_t> max_replica_lag_ms;
    bool warm_pools = true;
    std::vector<std::string> admins; ///< without etcd: the proxies' admin URLs
    std::string token;
    std::string state_shard; ///< without etcd: where the workflow's state is kept
};

/// What is stored in etcd under `<prefix>/reshard/<name>` (or in shardgate_reshard_workflows).
struct Workflow {
    std::string name;
    std::string phase;
    std::string database;
    std::string table_scope; ///< the table group whose writes pause ("" : the database)
    std::string from_map;
    std::string to_map;
    std::string error;
    std::vector<reshard::Stream> streams;
    json cutover = json::object();
    std::int64_t started_ms = 0; ///< wall clock at `start` (rates and ETAs)
};

std::int64_t wall_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

json to_json(const Workflow& w) {
    json streams = json::array();
    for (const auto& s : w.streams) {
        streams.push_back(reshard::to_json(s));
    }
    return {{"name", w.name},         {"phase", w.phase},
            {"database", w.database}, {"table_scope", w.table_scope},
            {"from_map", w.from_map}, {"to_map", w.to_map},
            {"error", w.error},       {"streams", streams},
            {"cutover", w.cutover},   {"started_ms", w.started_ms}};
}

Workflow from_json(const json& doc) {
    Workflow w;
    w.name = doc.value("name", "");
    w.phase = doc.value("phase", "");
    w.database = doc.value("database", "");
    w.table_scope = doc.value("table_scope", "");
    w.from_map = doc.value("from_map", "");
    w.to_map = doc.value("to_map", "");
    w.error = doc.value("error", "");
    w.cutover = doc.value("cutover", json::object());
    w.started_ms = doc.value("started_ms", std::int64_t{0});
    for (const auto& s : doc.value("streams", json::array())) {
        w.streams.push_back(reshard::stream_from_json(s));
    }
    return w;
}

/// The workflow's state and lock (reshard_store.hpp), in Workflow terms.
class Store {
public:
    /// `map_text`: a map naming the state shard (without etcd; "" : the proxies' map);
    /// `target_map_text` (start): the map switched to, which must keep its primary.
    explicit Store(const WorkflowOptions& o, const std::string& map_text = "",
                   const std::string& target_map_text = "")
        : impl_(reshard::open_store({.name = o.name,
                                     .etcd = o.etcd,
                                     .prefix = o.prefix,
                                     .admins = o.admins,
                                     .token = o.token,
                                     .state_shard = o.state_shard,
                                     .user = o.user,
                                     .password = o.password,
                                     .map_text = map_text,
                                     .target_map_text = target_map_text})) {}

    std::optional<Workflow> load() const {
        const auto stored = impl_->load();
        if (!stored) {
            return std::nullopt;
        }
        return from_json(json::parse(*stored));
    }
    /// Saves `w` and tells the proxies (best effort: a proxy that did not take it is warned
    /// of; the next save or `status` tells it again).
    void save(const Workflow& w) const {
        save_quietly(w);
        for (const auto& problem : announce(w)) {
            std::cerr << "shardctl: warning: a proxy does not know workflow " << w.name
                      << "'s phase " << w.phase << ": " << problem << "\n";
        }
    }
    /// Saves `w` without telling the proxies.
    void save_quietly(const Workflow& w) const { impl_->save(to_json(w).dump()); }
    /// Tells the proxies `w`'s state (reshard_store.hpp), its maps included (a MariaDB
    /// proxy hides the moving rows' copies by them): the problems. `wait` (before a copy
    /// begins): with etcd, until every proxy has read it.
    std::vector<std::string> announce(const Workflow& w, bool wait = false) const {
        return impl_->announce(to_json(w).dump(), wait);
    }
    bool lock() { return impl_->lock(); }
    /// Epochs of the map the proxies run (etcd's, or each admin URL's).
    std::map<std::string, std::uint64_t> running_epochs() const { return impl_->running_epochs(); }
    std::string where() const { return impl_->where(); }
    std::vector<std::string> proxy_admins() const { return impl_->proxy_admins(); }
    void publish_shadow(const json& spec) const { impl_->publish_shadow(spec.dump()); }

private:
    std::unique_ptr<reshard::WorkflowStore> impl_;
};

bool recover(Workflow& w, Store& store, const WorkflowOptions& o);

/// The workflow under this process's lock, or nullopt after saying why not. A cutover or
/// rollback whose shardctl died is settled first (see recover).
std::optional<Workflow> locked(Store& store, const WorkflowOptions& o) {
    if (!store.lock()) {
        std::cerr << "shardctl: workflow " << o.name << " is being run by another shardctl\n";
        return std::nullopt;
    }
    auto w = store.load();
    if (!w) {
        std::cerr << "shardctl: no workflow " << o.name << " in " << store.where() << "\n";
        return w;
    }
    recover(*w, store, o);
    return w;
}

std::string stream_name(const std::string& workflow, const std::string& from,
                        const std::string& to) {
    std::string out = "sg_rs_" + workflow + "_" + from + "_" + to;
    for (auto& c : out) {
        c = std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '_';
    }
    return out;
}

const sm::Database& database_of(const sm::ShardMap& map, const std::string& name) {
    const auto* db = map.find_database(name);
    if (db == nullptr) {
        throw std::runtime_error("no database " + name + " in the map");
    }
    return *db;
}

reshard::ShardServer server_of(const sm::Database& db, const std::string& shard,
                               const WorkflowOptions& o) {
    for (auto& server : tx::primaries(db, or_env(o.user, "SHARDGATE_USER"),
                                      or_env(o.password, "SHARDGATE_PASSWORD"))) {
        if (server.shard == shard) {
            return server;
        }
    }
    throw std::runtime_error("no shard " + shard + " in database " + db.name());
}

/// The servers of a stream: the source from the old map, the target from the new one.
std::pair<reshard::ShardServer, reshard::ShardServer>
servers_of(const Workflow& w, const reshard::Stream& s, const WorkflowOptions& o) {
    const auto old_map = sm::parse_shard_map(w.from_map, "workflow from-map");
    const auto new_map = sm::parse_shard_map(w.to_map, "workflow to-map");
    return {server_of(database_of(*old_map, w.database), s.from, o),
            server_of(database_of(*new_map, w.database), s.to, o)};
}

bool terminal(const std::string& phase) {
    return phase == "completed" || phase == "aborted" || phase == "rolled_back";
}

int run_start(const WorkflowOptions& o) {
    std::string old_text;
    std::string new_text;
    const auto old_map = read_map_file(o.from, old_text);
    const auto new_map = old_map ? read_map_file(o.to, new_text) : nullptr;
    if (!old_map || !new_map) {
        return 2;
    }
    const auto diff = sm::diff_maps(*old_map, *new_map);
    auto reasons = refusals(*old_map, *new_map, diff);
    const auto moves = movements(*old_map, *new_map, diff);
    std::set<std::string> databases;
    std::set<const sm::Scheme*> groups;
    std::set<std::string> tables;
    for (const auto& m : moves) {
        databases.insert(m.database);
        tables.insert(m.table);
    }
    if (moves.empty()) {
        reasons.push_back("nothing moves between these maps");
    }
    // Replication object names embed it and must stay within PostgreSQL's 63 bytes.
    if (!std::regex_match(o.name, std::regex("[a-z0-9_]{1,24}"))) {
        reasons.push_back("a workflow name is 1 to 24 characters of a-z, 0-9 and _");
    }
    if (databases.size() > 1) {
        reasons.push_back("the maps move tables of several databases: one workflow per database");
    }
    Store store(o, old_text, new_text);
    for (const auto& [where, epoch] : store.running_epochs()) {
        if (epoch != old_map->epoch()) {
            reasons.push_back("--from must be the map the proxies run (epoch " +
                              std::to_string(old_map->epoch()) + "; " + where + ": epoch " +
                              std::to_string(epoch) + ")");
        }
    }
    const auto& db = databases.empty() ? old_map->databases().front()
                                       : database_of(*old_map, *databases.begin());
    Workflow w;
    w.name = o.name;
    w.phase = "copying";
    w.started_ms = wall_ms();
    w.database = db.name();
    w.from_map = old_text;
    w.to_map = new_text;
    std::map<std::pair<std::string, std::string>, std::size_t> index;
    for (const auto& m : moves) {
        const auto* table = db.find_table(m.table);
        reshard::TableMove move;
        move.table = m.table;
        move.whole_table = m.kind == "table";
        move.reference = m.kind == "reference_copy";
        move.key = move.whole_table || table == nullptr ? "" : table->key().column;
        if (table != nullptr && table->scheme() != nullptr) {
            groups.insert(table->scheme());
        }
        std::string condition;
        for (const auto& range : m.ranges) {
            std::string why;
            const auto piece =
                range.kind == "table"
                    ? std::optional<std::string>("TRUE")
                    : (table ? move_condition(db.engine(), *table, range, why) : std::nullopt);
            if (!piece) {
                reasons.push_back(m.database + "." + m.table + ": " + why);
                break;
            }
            condition += (condition.empty() ? "(" : " OR (") + *piece + ")";
            if (m.ranges.size() > 1) {
                move.ranges.emplace_back(range.kind == "default" ? std::string("default shard")
                                                                 : range.first + ".." + range.last,
                                         *piece);
            }
        }
        move.condition = condition.empty() ? "TRUE" : condition;
        const auto pair = std::make_pair(m.from, m.to);
        if (!index.contains(pair)) {
            index[pair] = w.streams.size();
            reshard::Stream stream;
            stream.from = m.from;
            stream.to = m.to;
            stream.name = stream_name(o.name, m.from, m.to);
            stream.back = stream.name + "_back";
            stream.max_rows_per_s = o.max_rows_per_s;
            const bool pg = db.engine() == sm::Engine::postgresql;
            stream.max_replica_lag_ms = o.max_replica_lag_ms.value_or(pg ? 0 : 10000);
            stream.chunked_copy = pg && (o.max_rows_per_s > 0 || o.max_replica_lag_ms.has_value());
            for (const auto& [map, shard] :
                 {std::pair{old_map.get(), m.from}, std::pair{new_map.get(), m.to}}) {
                const auto* in = map->find_database(db.name());
                const auto id = in ? in->find_shard(shard) : std::nullopt;
                for (const auto& replica :
                     id ? in->shard(*id).replicas : std::vector<sm::Replica>{}) {
                    stream.replicas.push_back(replica.endpoint.to_string());
                }
            }
            w.streams.push_back(std::move(stream));
        }
        w.streams[index[pair]].tables.push_back(move);
    }
    // The pause covers one table (group) when that is all that moves, else the database.
    std::size_t group_size = 0;
    if (groups.size() == 1) {
        for (const auto& [name, t] : db.tables()) {
            group_size += t.scheme() == *groups.begin();
        }
    }
    if (tables.size() == 1 || (groups.size() == 1 && tables.size() == group_size)) {
        w.table_scope = *tables.begin();
    }
    if (!reasons.empty()) {
        for (const auto& reason : reasons) {
            std::cerr << "shardctl: reshard start refused: " << reason << "\n";
        }
        return 1;
    }
    if (!store.lock()) {
        std::cerr << "shardctl: workflow " << o.name << " is being run by another shardctl\n";
        return 1;
    }
    if (const auto existing = store.load(); existing && !terminal(existing->phase)) {
        std::cerr << "shardctl: workflow " << o.name << " exists (phase " << existing->phase
                  << "); `shardctl reshard status " << o.name << "`\n";
        return 1;
    }
    // Every proxy must know of the move before a row is copied: a MariaDB table's copied rows
    // are not hidden, and only a proxy that knows refuses to read them twice. Saved first, so
    // that whatever a proxy was told is also in the store (and `status` / `abort` find it).
    store.save_quietly(w);
    if (const auto problems = store.announce(w, true); !problems.empty()) {
        for (const auto& problem : problems) {
            std::cerr << "shardctl: reshard start refused: a proxy was not told of the "
                         "workflow: "
                      << problem << "\n";
        }
        w.phase = "aborted"; // nothing was copied: the proxies that took it drop its filters
        store.save_quietly(w);
        (void)store.announce(w); // (the ones that could not be told are the problem above)
        return 1;
    }
    for (auto& stream : w.streams) {
        const auto [source, target] = servers_of(w, stream, o);
        try {
            reshard::engine(source).start_stream(stream, source, target);
        } catch (const std::exception& e) {
            w.phase = "failed";
            w.error = stream.from + " -> " + stream.to + ": " + e.what();
            store.save(w);
            std::cerr << "shardctl: reshard " << o.name << " failed: " << w.error << "\n";
            return 1;
        }
        store.save(w);
        std::cout << "reshard " << o.name << ": " << stream.from << " -> " << stream.to << ": "
                  << stream.tables.size() << " table(s) copying (change capture " << stream.name
                  << ")\n";
    }
    return 0;
}

struct Totals {
    std::uint64_t rows_copied = 0;
    std::uint64_t rows_total = 0;
    std::int64_t lag_ms = 0;
    bool synced = true;
    std::string error;
    std::vector<std::pair<const reshard::Stream*, reshard::Progress>> per_stream;
};

Totals measure(const Workflow& w, const WorkflowOptions& o) {
    Totals t;
    for (const auto& stream : w.streams) {
        const auto [source, target] = servers_of(w, stream, o);
        const auto p = reshard::engine(source).progress(stream, source, target);
        t.rows_copied += p.rows_copied;
        t.rows_total += p.rows_total;
        t.synced = t.synced && p.synced;
        t.lag_ms = p.lag_ms < 0 || t.lag_ms < 0 ? -1 : std::max(t.lag_ms, p.lag_ms);
        if (!p.error.empty()) {
            t.error += (t.error.empty() ? "" : "; ") + p.error;
        }
        t.per_stream.emplace_back(&stream, p);
    }
    return t;
}

/// copying -> catching_up -> ready, from what the servers report now.
void advance(Workflow& w, const Totals& t) {
    if (w.phase != "copying" && w.phase != "catching_up" && w.phase != "ready") {
        return;
    }
    w.phase = !t.synced ? "copying" : (t.lag_ms >= 0 && t.lag_ms < 1000 ? "ready" : "catching_up");
}

std::string bar(std::uint64_t done, std::uint64_t total) {
    const int width = 30;
    const int filled =
        total == 0 ? width
                   : static_cast<int>(width * std::min<double>(1.0, double(done) / double(total)));
    return "[" + std::string(filled, '#') + std::string(width - filled, '.') + "]";
}

int run_status(const WorkflowOptions& o) {
    Store store(o);
    auto w = store.load();
    if (!w) {
        std::cerr << "shardctl: no workflow " << o.name << " in " << store.where() << "\n";
        return 1;
    }
    Totals t;
    if (w->phase == "copying" || w->phase == "catching_up" || w->phase == "ready") {
        try {
            t = measure(*w, o);
            const auto before = w->phase;
            advance(*w, t);
            if (w->phase != before) {
                store.save(*w);
            }
            if (!t.error.empty()) {
                w->error = t.error;
            }
        } catch (const std::exception& e) {
            w->error = e.what();
        }
    }
    {
        // A proxy restarted since the last save, or one a save did not reach (also of the end:
        // it would go on refusing reads of the table), learns of the workflow again.
        for (const auto& problem : store.announce(*w)) {
            std::cerr << "shardctl: warning: a proxy does not know workflow " << w->name << ": "
                      << problem << "\n";
        }
    }
    // Rates are averages since `start`; the ETA assumes the copy goes on at that rate.
    const double seconds = w->started_ms > 0 ? double(wall_ms() - w->started_ms) / 1000.0 : 0.0;
    const auto rate = [&](const reshard::TableProgress& table) {
        return seconds > 0 ? double(table.rows_copied) / seconds : 0.0;
    };
    const auto eta = [&](const reshard::TableProgress& table) {
        const auto left =
            table.rows_total > table.rows_copied ? table.rows_total - table.rows_copied : 0;
        const double r = rate(table);
        return left == 0 ? 0.0 : (r > 0 ? double(left) / r : -1.0);
    };
    if (o.json) {
        json streams = json::array();
        for (const auto& [s, p] : t.per_stream) {
            json tables = json::array();
            for (const auto& table : p.tables) {
                json ranges = json::array();
                for (const auto& range : table.ranges) {
                    ranges.push_back({{"range", range.range},
                                      {"rows_copied", range.rows_copied},
                                      {"rows_total", range.rows_total}});
                }
                tables.push_back({{"table", table.table},
                                  {"rows_copied", table.rows_copied},
                                  {"rows_total", table.rows_total},
                                  {"rows_per_s", std::round(rate(table))},
                                  {"eta_s", std::round(eta(table))},
                                  {"ranges", ranges}});
            }
            streams.push_back({{"tables", tables},
                               {"from", s->from},
                               {"to", s->to},
                               {"rows_copied", p.rows_copied},
                               {"rows_total", p.rows_total},
                               {"synced", p.synced},
                               {"lag_bytes", p.lag_bytes},
                               {"lag_ms", p.lag_ms},
                               {"error", p.error}});
        }
        std::cout << json{{"name", w->name},
                          {"phase", w->phase},
                          {"database", w->database},
                          {"rows_copied", t.rows_copied},
                          {"rows_total", t.rows_total},
                          {"lag_ms", t.lag_ms},
                          {"error", w->error},
                          {"streams", streams},
                          {"cutover", w->cutover},
                          {"state", store.where()}}
                         .dump(2)
                  << "\n";
        return 0;
    }
    std::cout << "reshard " << w->name << " (" << w->database << "): " << w->phase << "\n";
    for (const auto& [s, p] : t.per_stream) {
        std::cout << "  " << s->from << " -> " << s->to << " " << bar(p.rows_copied, p.rows_total)
                  << " " << p.rows_copied << "/" << p.rows_total << " rows, "
                  << (p.synced ? "streaming" : "copying") << ", lag "
                  << (p.lag_ms < 0 ? std::string("unknown") : std::to_string(p.lag_ms) + " ms")
                  << "\n";
        for (const auto& table : p.tables) {
            std::cout << "    " << std::left << std::setw(24) << table.table << std::right << " "
                      << bar(table.rows_copied, table.rows_total) << " " << table.rows_copied << "/"
                      << table.rows_total << " rows, " << std::llround(rate(table)) << " rows/s";
            const auto left = eta(table);
            if (left > 0) {
                std::cout << ", ETA " << std::llround(left) << " s";
            } else if (left < 0) {
                std::cout << ", ETA unknown";
            }
            std::cout << "\n";
            for (std::size_t i = 0; i < table.ranges.size() && i < 16; ++i) {
                const auto& range = table.ranges[i];
                std::cout << "      " << std::left << std::setw(39) << range.range << std::right
                          << " " << bar(range.rows_copied, range.rows_total) << " "
                          << range.rows_copied << "/" << range.rows_total << " rows\n";
            }
            if (table.ranges.size() > 16) {
                std::cout << "      ... " << table.ranges.size() - 16
                          << " more ranges (status --json lists them all)\n";
            }
        }
    }
    if (!w->error.empty()) {
        std::cout << "  error: " << w->error << "\n";
    }
    return 0;
}

/// A cutover or rollback whose shardctl died (killed, machine lost) between writing
/// `cutover.pending` and its end: when the proxies' map in etcd already is the step's map, the
/// step is finished (the barrier resumed, the reverse streams running, or after a rollback the
/// copies removed); otherwise it is undone (the barrier aborted, the reverse streams dropped
/// and the forward ones running again). True when there was one.
bool recover(Workflow& w, Store& store, const WorkflowOptions& o) {
    if (!w.cutover.contains("pending")) {
        return false;
    }
    const auto pending = w.cutover["pending"];
    const bool back = pending.value("step", "") == "rollback";
    const auto epoch = pending.value("epoch", 0ULL);
    // Switched once any proxy runs the step's map: the switch begins only after the check
    // while paused (and, at a cutover, the reverse streams) succeeded.
    bool switched = false;
    std::uint64_t newest = 0;
    for (const auto& [where, running] : store.running_epochs()) {
        switched = switched || running == epoch;
        newest = std::max(newest, running);
    }
    // A barrier that rolled back runs the layout from before the step again under a newer
    // epoch (on the proxies it reached): not switched, and the others take that map too.
    std::optional<std::string> settle;
    if (newest > epoch) {
        switched = false;
        settle = with_epoch(back ? w.to_map : w.from_map, newest);
    } else if (switched) {
        settle = with_epoch(back ? w.from_map : w.to_map, epoch);
    }
    // The rows show where the proxies' map now puts them, before writes go on.
    for (const auto& stream : w.streams) {
        const auto [source, target] = servers_of(w, stream, o);
        reshard::engine(source).visibility(stream, source, target, switched != back,
                                           reshard::show_owner | reshard::hide_other);
    }
    if (o.admins.empty()) {
        end_barrier(o.etcd, o.prefix, switched ? "resume" : "abort");
    } else { // every proxy runs one layout; then their fences end
        end_admin_barrier(o.admins, o.token, w.database, w.table_scope, settle);
    }
    for (auto& stream : w.streams) {
        const auto [source, target] = servers_of(w, stream, o);
        if (switched && !back) {
            reshard::engine(source).reverse(stream, source, target);
        } else if (switched) {
            reshard::engine(source).drop_reverse(stream, source, target);
            reshard::engine(source).abort(stream, source, target);
        } else if (!back) {
            reshard::engine(source).drop_reverse(stream, source, target);
            reshard::engine(source).start_stream(stream, source, target);
            reshard::engine(target).set_enabled(stream, target, true);
        }
    }
    if (switched) {
        w.phase = back ? "rolled_back" : "cut_over";
    }
    w.cutover.erase("pending");
    store.save(w);
    std::cout << "reshard " << w.name << ": the interrupted " << (back ? "rollback" : "cutover")
              << (switched ? " had switched the proxies: finished" : " had not switched: undone")
              << " (phase " << w.phase << ")\n";
    return true;
}

/// Ends the proxies' shadow reads of `w` (best effort: reported, not thrown).
void end_shadow(const Store& store, const Workflow& w) {
    try {
        store.publish_shadow({{"workflow", w.name}, {"sample", 0}});
    } catch (const std::exception& e) {
        std::cerr << "shardctl: shadow reads not ended: " << e.what() << "\n";
    }
}

/// Every proxy's shadow-reads figures (GET /shadow), by admin URL; an unreachable proxy's
/// entry has "error".
std::vector<std::pair<std::string, json>> shadow_reports(const Store& store,
                                                         const WorkflowOptions& o) {
    std::vector<std::pair<std::string, json>> out;
    for (const auto& admin : store.proxy_admins()) {
        try {
            const auto answer = admin_request(parse_admin_url(admin), boost::beast::http::verb::get,
                                              "/shadow", admin_token(o.token));
            auto doc = json::parse(answer.body(), nullptr, false);
            if (answer.result_int() != 200 || !doc.is_object()) {
                doc = {{"error", "GET /shadow answered " + std::to_string(answer.result_int())}};
            }
            out.emplace_back(admin, std::move(doc));
        } catch (const std::exception& e) {
            out.emplace_back(admin, json{{"error", e.what()}});
        }
    }
    return out;
}

/// Why the shadow reads of workflow `name` do not allow a cutover (running for `minutes`
/// with no mismatch on every proxy, and at least one read compared); "" when they do.
std::string shadow_refusal(const std::vector<std::pair<std::string, json>>& reports,
                           const std::string& name, double minutes) {
    if (reports.empty()) {
        return "no proxy to ask";
    }
    std::uint64_t compared = 0;
    for (const auto& [admin, doc] : reports) {
        if (doc.contains("error")) {
            return admin + ": " + doc.value("error", "");
        }
        if (!doc.value("active", false) || doc.value("workflow", "") != name) {
            return admin + " runs no shadow reads of " + name;
        }
        if (doc.value("mismatches", 0) > 0) {
            return admin + " saw " + std::to_string(doc.value("mismatches", 0)) +
                   " mismatches (last: " + doc.value("last_mismatch", json::object()).dump() + ")";
        }
        if (doc.value("running_s", 0.0) < minutes * 60) {
            return admin + "'s shadow reads run for " +
                   std::to_string(std::llround(doc.value("running_s", 0.0))) + " s, not " +
                   std::to_string(std::llround(minutes * 60)) + " s yet";
        }
        compared += doc.value("compared", 0) + doc.value("settled", 0);
    }
    return compared == 0 ? "no read was compared yet" : "";
}

/// shadow NAME --sample P% | --off: the proxies run a sample of the workflow's reads under
/// both maps and compare them; without either, their figures (exit 1 on a mismatch).
int run_shadow(const WorkflowOptions& o) {
    Store store(o);
    auto w = store.load();
    if (!w) {
        std::cerr << "shardctl: no workflow " << o.name << " in " << store.where() << "\n";
        return 1;
    }
    if (o.shadow_off || !o.shadow_sample.empty()) {
        double sample = 0;
        if (!o.shadow_off) {
            std::string text = o.shadow_sample;
            const bool percent = !text.empty() && text.back() == '%';
            if (percent) {
                text.pop_back();
            }
            try {
                sample = std::stod(text) / (percent ? 100.0 : 1.0);
            } catch (const std::exception&) {
                sample = -1;
            }
            if (!(sample > 0 && sample <= 1)) {
                std::cerr << "shardctl: --sample is a share of the reads: 10% or 0.1 (at most "
                             "100%)\n";
                return 2;
            }
            if (w->phase != "copying" && w->phase != "catching_up" && w->phase != "ready") {
                std::cerr << "shardctl: workflow " << o.name << " is " << w->phase
                          << ": shadow reads come before its cutover\n";
                return 1;
            }
        }
        std::set<std::string> tables;
        std::set<std::string> split; // rows on both shards while they move
        for (const auto& stream : w->streams) {
            for (const auto& move : stream.tables) {
                tables.insert(move.table);
                if (!move.whole_table && !move.reference) {
                    split.insert(move.table);
                }
            }
        }
        store.publish_shadow({{"workflow", w->name},
                              {"database", w->database},
                              {"tables", tables},
                              {"split", split},
                              {"sample", sample},
                              {"map", sample > 0 ? w->to_map : std::string()},
                              {"started_ms", wall_ms()}}); // a restart differs from the last
        std::cout << "reshard " << o.name << ": shadow reads "
                  << (sample > 0 ? "of " + std::to_string(std::llround(sample * 100)) +
                                       "% of the reads of " + std::to_string(tables.size()) +
                                       " table(s) started"
                                 : std::string("ended"))
                  << "\n";
        return 0;
    }
    const auto reports = shadow_reports(store, o);
    const auto refusal = shadow_refusal(reports, o.name, 0);
    if (o.json) {
        json proxies = json::array();
        for (const auto& [admin, doc] : reports) {
            auto one = doc;
            one["admin"] = admin;
            proxies.push_back(std::move(one));
        }
        std::cout
            << json{{"workflow", o.name}, {"proxies", proxies}, {"clean", refusal.empty()}}.dump(2)
            << "\n";
    } else {
        for (const auto& [admin, doc] : reports) {
            if (doc.contains("error")) {
                std::cout << admin << ": " << doc.value("error", "") << "\n";
                continue;
            }
            std::cout << admin << ": " << (doc.value("active", false) ? "" : "(not running) ")
                      << doc.value("compared", 0) << " reads equal, " << doc.value("settled", 0)
                      << " equal when looked at again, " << doc.value("unsettled", 0)
                      << " changing at every look, " << doc.value("mismatches", 0)
                      << " mismatches, " << doc.value("skipped", 0) << " skipped, "
                      << doc.value("errors", 0) << " errors, " << doc.value("dropped", 0)
                      << " dropped in " << std::llround(doc.value("running_s", 0.0)) << " s\n";
            if (doc.value("last_mismatch", json()).is_object()) {
                std::cout << "  last mismatch: " << doc["last_mismatch"].dump() << "\n";
            }
        }
        if (!refusal.empty()) {
            std::cout << "not clean: " << refusal << "\n";
        }
    }
    return refusal.empty() ? 0 : 1;
}

int run_cutover_step(const WorkflowOptions& o, bool back) {
    Store store(o);
    auto w = locked(store, o);
    if (!w) {
        return 1;
    }
    if (!back) {
        // Under a write burst the lag can be over the threshold for a moment: measure again
        // until ready or out of time, rather than refusing on one sample.
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(o.wait_ready_s);
        auto t = measure(*w, o);
        advance(*w, t);
        bool told = false;
        // A paused or failing stream does not catch up by itself: no wait for that.
        while (w->phase == "catching_up" && t.error.empty() &&
               std::chrono::steady_clock::now() < until) {
            if (!told) {
                std::cout << "reshard " << w->name << ": catching up, the cutover waits up to "
                          << o.wait_ready_s << " s\n";
                told = true;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
            t = measure(*w, o);
            advance(*w, t);
        }
        if (w->phase != "ready") {
            std::cerr << "shardctl: workflow " << o.name << " is " << w->phase
                      << ", not ready: the cutover waits until the copy caught up"
                      << (t.error.empty() ? "" : " (" + t.error + ")") << "\n";
            store.save(*w);
            return 1;
        }
    } else if (w->phase != "cut_over") {
        std::cerr << "shardctl: workflow " << o.name << " is " << w->phase
                  << ": rollback follows a cutover\n";
        return 1;
    }
    if (!back && o.require_shadow_minutes >= 0) {
        if (const auto why =
                shadow_refusal(shadow_reports(store, o), o.name, o.require_shadow_minutes);
            !why.empty()) {
            std::cerr << "shardctl: the cutover waits for clean shadow reads: " << why << "\n";
            return 1;
        }
    }
    Barrier barrier;
    barrier.etcd = o.etcd;
    barrier.prefix = o.prefix;
    barrier.database = w->database;
    barrier.table = w->table_scope;
    barrier.deadline_ms = o.deadline_ms;
    barrier.drain_ms = o.drain_ms;
    barrier.admins = o.admins;
    barrier.token = o.token;
    std::uint64_t running_epoch = 0;
    for (const auto& [where, epoch] : store.running_epochs()) {
        running_epoch = std::max(running_epoch, epoch);
    }
    // (A barrier that rolled back ran the old map again under a newer epoch: the target map
    // then goes under the next one.)
    const auto to_epoch = sm::parse_shard_map(w->to_map, "workflow to-map")->epoch();
    barrier.map_text = back                        ? with_epoch(w->from_map, running_epoch + 1)
                       : running_epoch >= to_epoch ? with_epoch(w->to_map, running_epoch + 1)
                                                   : w->to_map;
    for (const auto& stream : w->streams) { // writes go from the source to the target
        if (!o.warm_pools) {
            break;
        }
        auto [source, target] = servers_of(*w, stream, o);
        if (back) {
            std::swap(source, target);
        }
        barrier.warm.push_back({source.host + ":" + std::to_string(source.port),
                                target.host + ":" + std::to_string(target.port), target.shard});
    }
    double caught_up_ms = 0;
    double ready_ms = 0;
    // Read once: parsing both maps for every step would add to the pause.
    std::vector<std::pair<reshard::ShardServer, reshard::ShardServer>> servers;
    for (const auto& stream : w->streams) {
        servers.push_back(servers_of(*w, stream, o));
    }
    barrier.before_switch = [&](std::string& why) {
        const auto started = std::chrono::steady_clock::now();
        for (std::size_t i = 0; i < w->streams.size(); ++i) {
            const auto& stream = w->streams[i];
            auto [source, target] = servers[i];
            reshard::Stream check = stream;
            if (back) {
                check.name = stream.back;
                std::swap(source, target);
            }
            if (!reshard::engine(source).caught_up(check, source, target, o.deadline_ms)) {
                why = stream.from + " -> " + stream.to + " did not catch up within " +
                      std::to_string(o.deadline_ms) + " ms";
                return false;
            }
        }
        caught_up_ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
                .count();
        // Per stream in parallel: new rows on the new side get fresh ids, and (cutover) the
        // reverse stream starts.
        std::vector<std::future<void>> steps;
        for (std::size_t i = 0; i < w->streams.size(); ++i) {
            steps.push_back(std::async(std::launch::async, [&, i] {
                const auto& stream = w->streams[i];
                auto [source, target] = servers[i];
                if (back) {
                    std::swap(source, target);
                }
                reshard::engine(source).sync_sequences(stream, source, target);
                if (!back) {
                    reshard::engine(source).reverse(stream, source, target);
                }
                // The new owner shows the rows before the switch (a cross-shard read may see
                // them twice until the old side hides them after it).
                const auto& [from, to] = servers[i];
                reshard::engine(from).visibility(stream, from, to, !back, reshard::show_owner);
            }));
        }
        for (auto& one : steps) {
            one.get(); // rethrows a failure
        }
        ready_ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
                .count();
        failpoint("reshard.before_switch");
        return true;
    };
    barrier.after_switch = [&] { // the moved rows show where the new map puts them
        std::vector<std::future<void>> steps;
        for (std::size_t i = 0; i < w->streams.size(); ++i) {
            steps.push_back(std::async(std::launch::async, [&, i] {
                const auto& [source, target] = servers[i];
                reshard::engine(source).visibility(w->streams[i], source, target, !back,
                                                   reshard::hide_other);
            }));
        }
        for (auto& one : steps) {
            one.get();
        }
    };
    if (!back) {
        for (const auto& stream : w->streams) { // outside the pause: what takes long
            const auto [source, target] = servers_of(*w, stream, o);
            reshard::engine(source).prepare_reverse(stream, source, target);
        }
    }
    // Saved first: a shardctl that dies during the barrier leaves what `recover` needs.
    w->cutover["pending"] = {
        {"step", back ? "rollback" : "cutover"},
        {"epoch", sm::parse_shard_map(barrier.map_text, "the step's map")->epoch()}};
    store.save(*w);
    BarrierOutcome outcome;
    std::string failure;
    try {
        outcome = run_barrier(barrier);
    } catch (const std::exception& e) {
        failure = e.what();
        std::cerr << "shardctl: reshard " << o.name << ": " << failure << "\n";
    }
    if (!outcome.switched) {
        // What the step began (the reverse streams, the moved rows' visibility) is settled as
        // for a shardctl that died here: finished when the proxies run the step's map after
        // all, else undone. `pending` stays until that succeeded (`resume` tries again).
        try {
            recover(*w, store, o);
        } catch (const std::exception& e) {
            w->error = failure.empty() ? e.what() : failure;
            store.save(*w);
            std::cerr << "shardctl: reshard " << o.name << ": settling the step failed ("
                      << e.what() << "); run `shardctl reshard resume " << o.name << "`\n";
            return 1;
        }
        if (!failure.empty()) {
            w->error = failure;
            store.save(*w);
        }
        return w->phase == (back ? "rolled_back" : "cut_over") ? 0 : 1;
    }
    w->cutover.erase("pending");
    w->cutover[back ? "rollback" : "cutover"] = {{"paused_ms", outcome.paused_ms},
                                                 {"caught_up_ms", caught_up_ms},
                                                 {"switch_ready_ms", ready_ms},
                                                 {"switched_ms", outcome.switched_ms},
                                                 {"resumed_ms", outcome.resumed_ms}};
    if (back) {
        for (const auto& stream : w->streams) {
            const auto [source, target] = servers_of(*w, stream, o);
            reshard::engine(source).drop_reverse(stream, source, target);
            reshard::engine(source).abort(stream, source, target);
        }
        w->phase = "rolled_back";
    } else {
        w->phase = "cut_over";
    }
    store.save(*w);
    end_shadow(store, *w); // after a cutover the new map runs: nothing left to compare with
    std::cout << "reshard " << o.name << ": " << w->phase << " (writes paused "
              << outcome.resumed_ms << " ms at most, change capture caught up in " << caught_up_ms
              << " ms)\n";
    return 0;
}

int run_end(const WorkflowOptions& o, bool complete) {
    Store store(o);
    auto w = locked(store, o);
    if (!w) {
        return 1;
    }
    const bool allowed = complete ? w->phase == "cut_over"
                                  : (w->phase == "copying" || w->phase == "catching_up" ||
                                     w->phase == "ready" || w->phase == "failed");
    if (!allowed) {
        std::cerr << "shardctl: workflow " << o.name << " is " << w->phase << ": "
                  << (complete ? "complete follows a cutover"
                               : "abort comes before a cutover (after one: rollback)")
                  << "\n";
        return 1;
    }
    for (const auto& stream : w->streams) {
        const auto [source, target] = servers_of(*w, stream, o);
        if (complete) {
            reshard::engine(source).complete(stream, source, target);
        } else {
            reshard::engine(source).drop_reverse(stream, source, target);
            reshard::engine(source).abort(stream, source, target);
        }
    }
    w->phase = complete ? "completed" : "aborted";
    store.save(*w);
    end_shadow(store, *w);
    std::cout << "reshard " << o.name << ": " << w->phase << "\n";
    return 0;
}

/// pause / resume: the copy and change capture stop or go on (resume also finishes a `start`
/// that was interrupted: every step of it is idempotent).
int run_pause(const WorkflowOptions& o, bool resume) {
    Store store(o);
    auto w = locked(store, o);
    if (!w) {
        return 1;
    }
    if (w->phase != "copying" && w->phase != "catching_up" && w->phase != "ready") {
        if (resume && (w->phase == "cut_over" || w->phase == "rolled_back")) {
            // After a cutover the reverse streams run (started again if they stopped).
            for (const auto& stream : w->streams) {
                const auto [source, target] = servers_of(*w, stream, o);
                if (w->phase == "cut_over") {
                    reshard::engine(source).visibility(stream, source, target, true,
                                                       reshard::show_owner | reshard::hide_other);
                    reshard::engine(source).reverse(stream, source, target);
                }
            }
            std::cout << "reshard " << o.name << ": " << w->phase << "\n";
            return 0;
        }
        std::cerr << "shardctl: workflow " << o.name << " is " << w->phase
                  << ": pause and resume come before its cutover\n";
        return 1;
    }
    if (resume && w->phase == "copying") {
        // (an interrupted start: every proxy must know the move before a row is copied)
        if (const auto problems = store.announce(*w, true); !problems.empty()) {
            for (const auto& problem : problems) {
                std::cerr << "shardctl: reshard resume refused: a proxy was not told of the "
                             "workflow: "
                          << problem << "\n";
            }
            return 1;
        }
    }
    for (auto& stream : w->streams) {
        const auto [source, target] = servers_of(*w, stream, o);
        if (resume) {
            reshard::engine(source).start_stream(stream, source, target);
            store.save(*w);
        }
        reshard::engine(target).set_enabled(stream, target, resume);
    }
    std::cout << "reshard " << o.name << ": copy and change capture "
              << (resume ? "running" : "paused") << "\n";
    return 0;
}

/// verify: counts and checksums of the moved rows on both sides once the stream caught up
/// (before the cutover the forward stream, after it the reverse one); the rows of ranges that
/// differ compared one by one until only real differences are left (reshard::check_rows).
/// 0 equal, 1 different.
int run_verify(const WorkflowOptions& o) {
    Store store(o);
    auto w = store.load();
    if (!w) {
        std::cerr << "shardctl: no workflow " << o.name << "\n";
        return 1;
    }
    const bool after = w->phase == "cut_over";
    int code = 0;
    for (const auto& stream : w->streams) {
        auto [source, target] = servers_of(*w, stream, o);
        reshard::Stream marker = stream;
        if (after) {
            marker.name = stream.back;
        }
        if (!(after ? reshard::engine(target).caught_up(marker, target, source, o.deadline_ms)
                    : reshard::engine(source).caught_up(marker, source, target, o.deadline_ms))) {
            std::cout << stream.from << " -> " << stream.to << ": not caught up within "
                      << o.deadline_ms << " ms\n";
            code = 1;
            continue;
        }
        const auto& engine = reshard::engine(source);
        const auto catch_up = [&] {
            return after ? engine.caught_up(marker, target, source, o.deadline_ms)
                         : engine.caught_up(marker, source, target, o.deadline_ms);
        };
        std::size_t equal = stream.tables.size();
        for (auto& d : engine.verify(stream, source, target)) {
            // Rows written while the figures were read differ for a moment: the rows of the
            // differing ranges are compared one by one, again after each catch-up.
            const auto move = std::find_if(stream.tables.begin(), stream.tables.end(),
                                           [&](const auto& m) { return m.table == d.table; });
            if (move == stream.tables.end()) {
                throw std::runtime_error("verify found table " + d.table + " not in the stream");
            }
            // After the cutover the target is written and the source follows it.
            const auto rows = after ? reshard::check_rows(engine, *move, target, source, d,
                                                          o.verify_rounds, catch_up)
                                    : reshard::check_rows(engine, *move, source, target, d,
                                                          o.verify_rounds, catch_up);
            const auto& follower = after ? stream.from : stream.to;
            const auto prefix = stream.from + " -> " + stream.to + ": " + d.table + ": ";
            if (rows.different.empty() && rows.extra.empty() && rows.moving.empty()) {
                std::cout << prefix << "equal (" << rows.rechecked
                          << " rows written during the comparison compared again)\n";
                continue;
            }
            --equal;
            code = 1;
            std::set<std::string> buckets;
            for (const auto* list : {&rows.different, &rows.extra, &rows.moving}) {
                for (const auto& row : *list) {
                    buckets.insert(row.bucket);
                }
            }
            std::cout << prefix << d.source_rows << " rows on " << stream.from << ", "
                      << d.target_rows << " on " << stream.to << ", different in " << buckets.size()
                      << " of 256 key ranges:";
            std::size_t shown = 0;
            for (const auto& bucket : buckets) {
                if (++shown <= 8) {
                    std::cout << " " << reshard::bucket_range(bucket);
                }
            }
            std::cout << (buckets.size() > 8 ? " ...\n" : "\n");
            for (const auto& [what, list] :
                 {std::pair{"different or missing on " + follower, &rows.different},
                  std::pair{"only on " + follower, &rows.extra},
                  std::pair{"still changing after " + std::to_string(o.verify_rounds) +
                                " rounds (run verify again)",
                            &rows.moving}}) {
                if (list->empty()) {
                    continue;
                }
                std::cout << "  " << list->size() << " rows " << what << ", keys:";
                for (std::size_t i = 0; i < list->size() && i < 20; ++i) {
                    std::cout << " " << (*list)[i].key;
                }
                std::cout << (list->size() > 20 ? " ...\n" : "\n");
            }
        }
        if (equal == stream.tables.size()) {
            std::cout << stream.from << " -> " << stream.to << ": " << stream.tables.size()
                      << " table(s) equal\n";
        }
    }
    return code;
}

void add_workflow_commands(CLI::App* reshard) {
    auto o = std::make_shared<WorkflowOptions>();
    auto common = [o](CLI::App* cmd, bool named) {
        if (named) {
            cmd->add_option("NAME", o->name, "the workflow")->required();
        }
        cmd->add_option("--etcd", o->etcd,
                        "etcd endpoint of the proxies' map (default 127.0.0.1:2379)");
        cmd->add_option("--prefix", o->prefix, "their key prefix (default /shardgate)");
        cmd->add_option("--user", o->user, "login on the shards (else SHARDGATE_USER)");
        cmd->add_option("--password", o->password, "(else SHARDGATE_PASSWORD)");
        cmd->add_option("--admin", o->admins,
                        "without etcd: a proxy's admin URL (repeat for each proxy); the state is "
                        "kept in a table on --state-shard, cutovers run through the admin APIs");
        cmd->add_option("--token", o->token, "their admin token (else $SHARDGATE_ADMIN_TOKEN)");
        cmd->add_option("--state-shard", o->state_shard,
                        "without etcd: the shard whose primary keeps the workflow's state "
                        "(default: the first shard of the map's first database)");
    };
    auto run = [](const std::function<int()>& step) {
        int code = 1;
        try {
            code = step();
        } catch (const std::exception& e) {
            std::cerr << "shardctl: reshard: " << e.what() << "\n";
        }
        std::exit(code);
    };
    auto* start = reshard->add_subcommand("start", "start moving data from one map to another");
    start->add_option("--from", o->from, "the running map")->required();
    start->add_option("--to", o->to, "the target map")->required();
    start->add_option("--workflow", o->name, "a name for the workflow")->required();
    start->add_option("--max-rows-per-s", o->max_rows_per_s,
                      "copy at most this many rows per second (default: no cap)");
    start->add_option("--max-replica-lag-ms", o->max_replica_lag_ms,
                      "the copy waits while a replica of the source or target shard lags more "
                      "(MariaDB: default 10000, 0: not watched; PostgreSQL: not watched unless "
                      "given). PostgreSQL copies in chunks itself when either throttle is "
                      "given, else the subscription copies at full speed");
    common(start, false);
    start->callback([o, run] { run([o] { return run_start(*o); }); });
    auto* apply = reshard->add_subcommand(
        "apply", "(MariaDB's change applier and PostgreSQL's chunked copy, which start, resume "
                 "and cutover run in the background; not for direct use)");
    apply->group("");
    apply->callback([] { std::exit(reshard::run_background(std::cerr)); });
    auto* status = reshard->add_subcommand("status", "phase, rows copied, lag");
    common(status, true);
    status->add_flag("--json", o->json, "JSON output");
    status->callback([o, run] { run([o] { return run_status(*o); }); });
    for (const auto& [name, resume] : {std::pair{"pause", false}, std::pair{"resume", true}}) {
        auto* cmd = reshard->add_subcommand(
            name, resume ? "copy and change capture go on (and an interrupted start finishes)"
                         : "stop the copy and change capture until resume");
        common(cmd, true);
        cmd->callback(
            [o, run, resume = resume] { run([o, resume] { return run_pause(*o, resume); }); });
    }
    auto* verify = reshard->add_subcommand(
        "verify", "rows and checksums of the moved rows on both sides, once caught up");
    common(verify, true);
    verify->add_option("--deadline-ms", o->deadline_ms, "to catch up (default 3000)");
    verify->add_option("--rounds", o->verify_rounds,
                       "rows that differ are compared again after each catch-up, this many "
                       "times at most (default 5)");
    verify->callback([o, run] { run([o] { return run_verify(*o); }); });
    auto* shadow = reshard->add_subcommand(
        "shadow", "the proxies run a sample of the workflow's reads under both maps and compare "
                  "the answers; without --sample or --off: their figures (exit 1 on a mismatch)");
    common(shadow, true);
    shadow->add_option("--sample", o->shadow_sample, "the share of reads: 10% or 0.1");
    shadow->add_flag("--off", o->shadow_off, "end the shadow reads");
    shadow->add_flag("--json", o->json, "JSON output (figures)");
    shadow->callback([o, run] { run([o] { return run_shadow(*o); }); });
    for (const auto& [name, back] : {std::pair{"cutover", false}, std::pair{"rollback", true}}) {
        auto* cmd = reshard->add_subcommand(
            name,
            back ? "switch back to the old map, the writes made since sent back first"
                 : "switch every proxy to the new map, writes paused until the copy caught up");
        common(cmd, true);
        cmd->add_option("--deadline-ms", o->deadline_ms, "every step within this (default 3000)");
        cmd->add_option("--drain-ms", o->drain_ms, "open transactions may finish within this");
        if (!back) {
            cmd->add_option("--require-shadow-minutes", o->require_shadow_minutes,
                            "refuse unless every proxy ran shadow reads of this workflow this "
                            "long (minutes, fractions allowed) with no mismatch");
            cmd->add_option("--wait-ready", o->wait_ready_s,
                            "seconds to wait for a catching-up copy to be ready (default 30; 0: "
                            "refuse at once)");
        }
        cmd->add_flag("--warm-pools,!--no-warm-pools", o->warm_pools,
                      "proxies open connections to the new primaries while writes are paused "
                      "(default on)");
        cmd->callback(
            [o, run, back = back] { run([o, back] { return run_cutover_step(*o, back); }); });
    }
    for (const auto& [name, complete] : {std::pair{"complete", true}, std::pair{"abort", false}}) {
        auto* cmd = reshard->add_subcommand(
            name, complete ? "after the cutover: delete the moved rows on the source, drop the "
                             "replication objects"
                           : "before the cutover: drop the copies and the replication objects");
        common(cmd, true);
        cmd->callback([o, run, complete = complete] {
            run([o, complete] { return run_end(*o, complete); });
        });
    }
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
    add_workflow_commands(reshard);
}

} // namespace shardctl
