// The admin console's commands (see admin_console.hpp): each builds a table from the same
// sources as the admin HTTP endpoint (status_json, the write pauses, the map source).
#include "shardgate/proxy/admin_console.hpp"

#include "shardgate/txn/resolver.hpp"
#include "shardgate/version.hpp"

#include <algorithm>
#include <boost/asio/async_result.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cctype>
#include <chrono>
#include <ctime>
#include <map>
#include <sstream>

namespace shardgate::proxy {

namespace asio = boost::asio;
using json = nlohmann::json;

namespace {

using Row = std::vector<std::optional<std::string>>;

std::string upper(std::string_view word) {
    std::string out(word);
    for (char& c : out) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return out;
}

/// A JSON value as a cell: null stays NULL, strings as they are, the rest as JSON text.
std::optional<std::string> cell(const json& value) {
    if (value.is_null()) {
        return std::nullopt;
    }
    if (value.is_string()) {
        return value.get<std::string>();
    }
    if (value.is_boolean()) {
        return value.get<bool>() ? "true" : "false";
    }
    return value.dump();
}

std::optional<std::string> field(const json& object, const char* name) {
    const auto it = object.find(name);
    return it == object.end() ? std::nullopt : cell(*it);
}

/// Microseconds as milliseconds with three decimals.
std::string milliseconds(double us) {
    char text[32];
    std::snprintf(text, sizeof text, "%.3f", us / 1000.0);
    return text;
}

std::string joined(const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& part : parts) {
        if (!out.empty()) {
            out += ',';
        }
        out += part;
    }
    return out;
}

ConsoleAnswer table(std::vector<std::string> columns, std::vector<Row> rows,
                    std::string_view verb = "SHOW") {
    ConsoleAnswer answer;
    answer.tag = std::string(verb);
    answer.tag += ' ';
    answer.tag += std::to_string(rows.size());
    answer.columns = std::move(columns);
    answer.rows = std::move(rows);
    return answer;
}

/// A decimal id, or nullopt.
std::optional<std::uint64_t> number(const std::string& text) {
    if (text.empty() || text.size() > 19 || !std::all_of(text.begin(), text.end(), [](char c) {
            return std::isdigit(static_cast<unsigned char>(c)) != 0;
        })) {
        return std::nullopt;
    }
    return std::stoull(text);
}

ConsoleAnswer failure(std::string sqlstate, std::string message) {
    ConsoleAnswer answer;
    answer.error = std::pair{std::move(sqlstate), std::move(message)};
    return answer;
}

constexpr std::string_view help_text[][2] = {
    {"SHOW HELP", "this list"},
    {"SHOW SHARDS", "every shard of every database: primary, replicas and their health"},
    {"SHOW BACKENDS", "every server: role, health, lag, probe latency, connections, statements"},
    {"SHOW POOLS", "pooled backend connections per server: in use, idle, pool size per worker"},
    {"SHOW CLIENTS", "connected clients: protocol, id, user, database, address, since"},
    {"SHOW SESSIONS", "the state of every client session and its transaction"},
    {"SHOW TRANSACTIONS", "open client transactions (in_flight), prepared participants (in_doubt)"},
    {"SHOW STATS", "every data-plane counter"},
    {"SHOW DIGESTS [n]", "the n statement fingerprints with the most total time (default 50)"},
    {"RESET DIGESTS", "forget every digest"},
    {"SHOW MAP", "the running shard map (YAML, one row per line)"},
    {"SHOW EPOCH", "the running map's epoch, where maps come from, this proxy's id"},
    {"SHOW PAUSES", "write pauses in force"},
    {"SHOW RESHARD", "resharding workflows (from etcd, or told by shardctl)"},
    {"SHOW VERSION", "shardgate's version"},
    {"RELOAD", "read the map file again (map_store: etcd: publish it to etcd)"},
    {"PAUSE database [table] [deadline_ms]",
     "pause writes to a database or table (default deadline 60000 ms)"},
    {"RESUME [id]", "end a write pause (no id: every pause)"},
    {"KILL [postgresql|mysql] id", "close a client session (the id of SHOW CLIENTS)"},
};

} // namespace

std::vector<std::string> console_words(std::string_view command) {
    std::vector<std::string> words;
    std::string word;
    for (const char c : command) {
        if (std::isspace(static_cast<unsigned char>(c)) || c == ';') {
            if (!word.empty()) {
                words.push_back(std::move(word));
                word.clear();
            }
        } else {
            word += c;
        }
    }
    if (!word.empty()) {
        words.push_back(std::move(word));
    }
    return words;
}

AdminConsole::AdminConsole(const Config& config, const BackendRegistry& registry)
    : config_(config), registry_(registry) {}

AdminConsole::~AdminConsole() {
    stop();
}

void AdminConsole::add_collector(UsageCollector collector) {
    const std::lock_guard lock(mutex_);
    collectors_.push_back(std::move(collector));
}

void AdminConsole::add_killer(std::string protocol, ClientKiller killer) {
    const std::lock_guard lock(mutex_);
    killers_.emplace_back(std::move(protocol), std::move(killer));
}

void AdminConsole::set_maps(MapSource* maps) {
    const std::lock_guard lock(mutex_);
    maps_ = maps;
}

void AdminConsole::set_reshard_view(std::function<json()> view) {
    const std::lock_guard lock(mutex_);
    reshard_ = std::move(view);
}

void AdminConsole::start() {
    guard_.emplace(asio::make_work_guard(io_));
    thread_ = std::thread([this] { io_.run(); });
}

void AdminConsole::stop() {
    stopped_ = true;
    if (thread_.joinable()) {
        guard_.reset(); // commands already posted still run (their sessions wait for them)
        thread_.join();
    }
}

asio::awaitable<ConsoleAnswer> AdminConsole::run(std::string command) {
    // A plain handoff, no coroutine frame crossing threads: the command runs on the console's
    // thread, the caller's completion handler is posted back to the caller's executor.
    if (stopped_.load()) { // shutting down: the console thread runs nothing more
        co_return failure("57P01", "shardgate is shutting down");
    }
    const auto caller = co_await asio::this_coro::executor;
    co_return co_await asio::async_initiate<decltype(asio::use_awaitable), void(ConsoleAnswer)>(
        [this, caller](auto handler, std::string text) {
            asio::post(io_, [this, caller, text = std::move(text),
                             handler = std::move(handler)]() mutable {
                ConsoleAnswer answer;
                try {
                    answer = execute(text);
                } catch (const std::exception& e) { // never the console thread's end
                    answer = failure("XX000", std::string("admin command failed: ") + e.what());
                }
                asio::post(caller,
                           [handler = std::move(handler), answer = std::move(answer)]() mutable {
                               std::move(handler)(std::move(answer));
                           });
            });
        },
        asio::use_awaitable, std::move(command));
}

void AdminConsole::collect_into(UsageReport& usage) {
    std::vector<UsageCollector> collectors;
    {
        const std::lock_guard lock(mutex_);
        collectors = collectors_;
    }
    usage.backends.resize(registry_.backends().size());
    for (const auto& one : collectors) {
        one(usage);
    }
    add_registry_counters(registry_, usage);
}

UsageReport AdminConsole::collect(bool clients) {
    UsageReport usage;
    usage.want_clients = clients;
    collect_into(usage);
    std::sort(usage.clients.begin(), usage.clients.end(), [](const auto& a, const auto& b) {
        return std::tie(a.protocol, a.id) < std::tie(b.protocol, b.id);
    });
    return usage;
}

void AdminConsole::in_doubt(std::vector<std::vector<std::optional<std::string>>>& rows) {
    // Participants left prepared on the shards (by any proxy), as the resolver sees them:
    // read-only, one connection per shard primary for this command.
    const auto [user, password] = monitor_login(config_);
    const auto map = registry_.map_of(registry_.map_epoch());
    for (const auto& db : map->databases()) {
        const auto engine = db.engine() == shardmaps::Engine::postgresql ? "postgresql" : "mysql";
        txn::Resolver resolver(
            txn::primaries(db, user, password, monitor_tls(config_)),
            std::chrono::milliseconds(std::max(config_.connect_timeout_ms, 1000u)));
        const auto scan = resolver.scan();
        for (const auto& p : scan.prepared) {
            rows.push_back({"in_doubt", engine, std::nullopt, std::nullopt, db.name(), "prepared",
                            p.shard, p.txn,
                            "decision " + p.decision + ", coordinator " + p.coordinator});
        }
        for (const auto& error : scan.errors) {
            rows.push_back({"unlisted", engine, std::nullopt, std::nullopt, db.name(), std::nullopt,
                            std::nullopt, std::nullopt, error});
        }
    }
}

ConsoleAnswer AdminConsole::execute(std::string_view command) {
    const auto words = console_words(command);
    if (words.empty()) {
        return failure("42601", "empty command; try SHOW HELP");
    }
    const auto verb = upper(words[0]);
    const auto what = words.size() > 1 ? upper(words[1]) : std::string();
    // What drivers send on their own: transaction control and settings are accepted and do
    // nothing (the console has no transactions), the mysql client's version query answered.
    if (verb == "BEGIN" || verb == "START" || verb == "COMMIT" || verb == "ROLLBACK" ||
        verb == "SET" || verb == "END") {
        ConsoleAnswer answer;
        answer.tag = verb == "START" ? "START TRANSACTION" : verb;
        return answer;
    }
    if (verb == "SELECT" && words.size() >= 2 &&
        (what == "@@VERSION_COMMENT" || what == "VERSION()" || what == "@@VERSION")) {
        return table({words[1]}, {{std::string("shardgate ") + version + " admin console"}},
                     "SELECT");
    }
    if (verb == "HELP" || (verb == "SHOW" && what == "HELP")) {
        std::vector<Row> rows;
        for (const auto& [name, meaning] : help_text) {
            rows.push_back({std::string(name), std::string(meaning)});
        }
        return table({"command", "meaning"}, std::move(rows));
    }
    if (verb == "SHOW" && what == "DIGESTS" && words.size() <= 3) {
        const auto limit = words.size() == 3 ? number(words[2]) : std::optional<std::uint64_t>(50);
        if (!limit) {
            return failure("42601", "usage: SHOW DIGESTS [n]");
        }
        auto usage = UsageReport{};
        usage.want_digests = true;
        collect_into(usage);
        const auto doc = digests_json(usage.digests, usage.digest_evictions, registry_.map(),
                                      static_cast<std::size_t>(*limit));
        std::vector<Row> rows;
        for (const auto& d : doc["digests"]) {
            std::vector<std::string> shards;
            for (const auto& shard : d["shards"]) {
                shards.push_back(shard.get<std::string>());
            }
            rows.push_back({field(d, "fingerprint"), field(d, "database"), field(d, "plan_kind"),
                            joined(shards), field(d, "count"), field(d, "errors"), field(d, "rows"),
                            milliseconds(d["total_ms"].get<double>() * 1000),
                            milliseconds(d["mean_ms"].get<double>() * 1000),
                            milliseconds(d["p99_ms"].get<double>() * 1000),
                            milliseconds(d["max_ms"].get<double>() * 1000), field(d, "last_seen")});
        }
        return table({"fingerprint", "database", "plan_kind", "shards", "count", "errors", "rows",
                      "total_ms", "mean_ms", "p99_ms", "max_ms", "last_seen"},
                     std::move(rows));
    }
    if (verb == "RESET" && what == "DIGESTS" && words.size() == 2) {
        auto usage = UsageReport{};
        usage.reset_digests = true;
        collect_into(usage);
        return table({"fingerprints_cleared"}, {{std::to_string(usage.digests.size())}}, "RESET");
    }
    if (verb == "SHOW" && words.size() == 2) {
        if (what == "VERSION") {
            return table({"version"}, {{std::string(version)}});
        }
        if (what == "EPOCH") {
            return table({"epoch", "map_store", "map_source", "proxy_id"},
                         {{std::to_string(registry_.map_epoch()), config_.map_store,
                           registry_.map().source(), registry_.proxy_id()}});
        }
        if (what == "MAP") {
            MapSource* maps = nullptr;
            {
                const std::lock_guard lock(mutex_);
                maps = maps_;
            }
            if (maps == nullptr) {
                return failure("55000", "the map source is not running yet");
            }
            std::vector<Row> rows;
            std::istringstream text(maps->text());
            std::string line;
            for (int at = 1; std::getline(text, line); ++at) {
                rows.push_back({std::to_string(at), line});
            }
            return table({"line", "yaml"}, std::move(rows));
        }
        if (what == "PAUSES") {
            std::vector<Row> rows;
            const auto map = registry_.map_of(registry_.map_epoch());
            const auto status = registry_.pauses().status(map.get());
            for (const auto& pause : status["active"]) {
                rows.push_back({field(pause, "id"), field(pause, "database"), field(pause, "table"),
                                field(pause, "keyspace"), field(pause, "remaining_ms"),
                                field(pause, "open_writers")});
            }
            return table({"id", "database", "table", "keyspace", "remaining_ms", "open_writers"},
                         std::move(rows));
        }
        if (what == "RESHARD") {
            std::function<json()> view;
            {
                const std::lock_guard lock(mutex_);
                view = reshard_;
            }
            std::vector<Row> rows;
            if (view) {
                const auto doc = view();
                for (const auto& w : doc.value("workflows", json::array())) {
                    const auto started = w.value("started_ms", std::int64_t{0});
                    rows.push_back({field(w, "name"), field(w, "database"), field(w, "table_scope"),
                                    field(w, "phase"),
                                    std::to_string(w.value("streams", json::array()).size()),
                                    started > 0 ? std::optional(utc_text(started)) : std::nullopt,
                                    field(w, "error")});
                }
            }
            return table({"name", "database", "tables", "phase", "streams", "started", "error"},
                         std::move(rows));
        }
        if (what == "STATS") {
            const auto usage = collect(false);
            std::vector<Row> rows;
            for (const auto& [name, value] : usage.counters) {
                rows.push_back({name, std::to_string(value)});
            }
            return table({"counter", "value"}, std::move(rows));
        }
        if (what == "BACKENDS" || what == "POOLS" || what == "SHARDS") {
            const auto status = status_json(registry_, collect(false));
            const auto& backends = status["backends"];
            std::vector<Row> rows;
            if (what == "BACKENDS") {
                for (const auto& b : backends) {
                    const auto probe = b.value("probe_latency_us", json());
                    rows.push_back(
                        {field(b, "engine"), field(b, "database"), field(b, "shard"),
                         field(b, "role"), field(b, "endpoint"), field(b, "health"),
                         field(b, "lag_ms"), field(b, "heartbeat_lag_ms"),
                         probe.is_number() ? std::optional(milliseconds(probe.get<double>()))
                                           : std::nullopt,
                         field(b, "weight"), field(b, "connections_in_use"),
                         field(b, "connections_idle"), field(b, "reads"), field(b, "writes"),
                         field(b, "failures"), field(b, "last_error")});
                }
                return table({"engine", "database", "shard", "role", "endpoint", "health", "lag_ms",
                              "heartbeat_lag_ms", "probe_ms", "weight", "in_use", "idle", "reads",
                              "writes", "failures", "last_error"},
                             std::move(rows));
            }
            if (what == "POOLS") {
                for (const auto& b : backends) {
                    const auto shard = b.value("shard", "");
                    const auto role = b.value("role", "");
                    rows.push_back({field(b, "database"), shard, role, field(b, "endpoint"),
                                    field(b, "connections_in_use"), field(b, "connections_idle"),
                                    std::to_string(pool_size_for(config_, shard, role)),
                                    std::to_string(config_.workers)});
                }
                return table({"database", "shard", "role", "endpoint", "in_use", "idle",
                              "pool_size_per_worker", "workers"},
                             std::move(rows));
            }
            // SHARDS: one row per database and shard.
            struct Shard {
                std::string engine, primary, primary_health;
                std::vector<std::string> replicas;
                unsigned replicas_up = 0;
            };
            std::map<std::pair<std::string, std::string>, Shard> shards;
            std::vector<std::pair<std::string, std::string>> order;
            for (const auto& b : backends) {
                const std::pair key{b.value("database", ""), b.value("shard", "")};
                auto [it, added] = shards.try_emplace(key);
                if (added) {
                    order.push_back(key);
                }
                auto& s = it->second;
                s.engine = b.value("engine", "");
                if (b.value("role", "") == "primary") {
                    s.primary = b.value("endpoint", "");
                    s.primary_health = b.value("health", "");
                } else {
                    s.replicas.push_back(b.value("endpoint", ""));
                    s.replicas_up += b.value("health", "") == "up" ? 1 : 0;
                }
            }
            for (const auto& key : order) {
                const auto& s = shards[key];
                rows.push_back({key.first, s.engine, key.second, s.primary, s.primary_health,
                                joined(s.replicas), std::to_string(s.replicas_up)});
            }
            return table({"database", "engine", "shard", "primary", "primary_health", "replicas",
                          "replicas_up"},
                         std::move(rows));
        }
        if (what == "CLIENTS" || what == "SESSIONS" || what == "TRANSACTIONS") {
            const auto usage = collect(true);
            std::vector<Row> rows;
            for (const auto& c : usage.clients) {
                if (what == "CLIENTS") {
                    rows.push_back({c.protocol, std::to_string(c.id), c.user, c.database, c.address,
                                    c.tls ? "true" : "false", c.admin ? "true" : "false",
                                    utc_text(c.connected_unix_ms)});
                } else if (what == "SESSIONS") {
                    rows.push_back({c.protocol, std::to_string(c.id), c.user, c.database, c.state,
                                    c.transaction, joined(c.shards)});
                } else if (c.transaction != "none") {
                    rows.push_back({"in_flight", c.protocol, std::to_string(c.id), c.user,
                                    c.database, c.transaction, joined(c.shards),
                                    c.txn_id.empty() ? std::nullopt : std::optional(c.txn_id),
                                    c.state});
                }
            }
            if (what == "CLIENTS") {
                return table(
                    {"protocol", "id", "user", "database", "address", "tls", "admin", "connected"},
                    std::move(rows));
            }
            if (what == "SESSIONS") {
                return table(
                    {"protocol", "id", "user", "database", "state", "transaction", "shards"},
                    std::move(rows));
            }
            in_doubt(rows);
            return table({"kind", "protocol", "id", "user", "database", "transaction", "shards",
                          "distributed_id", "state"},
                         std::move(rows));
        }
    }
    if (verb == "RELOAD" && words.size() == 1) {
        MapSource* maps = nullptr;
        {
            const std::lock_guard lock(mutex_);
            maps = maps_;
        }
        if (maps == nullptr) {
            return failure("55000", "the map source is not running yet");
        }
        const auto outcome = maps->reload(std::nullopt);
        std::string problems;
        for (const auto& problem : outcome.problems) {
            problems += (problems.empty() ? "" : "; ") + problem;
        }
        if (outcome.status != 200) {
            return failure(outcome.status == 400 ? "22023" : "55000",
                           "the map was not installed: " + problems);
        }
        return table({"installed", "epoch", "previous_epoch", "problems"},
                     {{"true", std::to_string(outcome.epoch),
                       std::to_string(outcome.previous_epoch), problems}},
                     "RELOAD");
    }
    if (verb == "PAUSE" && (words.size() >= 2 && words.size() <= 4)) {
        PauseScope scope;
        scope.database = words[1];
        std::optional<std::uint64_t> deadline_ms;
        for (std::size_t i = 2; i < words.size(); ++i) {
            const auto value = words[i].size() <= 9 ? number(words[i]) : std::nullopt;
            if (value && !deadline_ms) {
                deadline_ms = value;
            } else if (!value && scope.table.empty() && i == 2) {
                scope.table = words[i];
            } else {
                return failure("42601", "usage: PAUSE database [table] [deadline_ms]");
            }
        }
        const auto* db = registry_.map().find_database(scope.database);
        if (db == nullptr) {
            return failure("3D000", "the map has no database " + scope.database);
        }
        if (!scope.table.empty() && db->find_table(scope.table) == nullptr) {
            return failure("42P01",
                           "the map has no table " + scope.table + " in " + scope.database);
        }
        const auto id =
            registry_.pauses().pause(scope, std::chrono::milliseconds(deadline_ms.value_or(60000)),
                                     std::chrono::milliseconds(1000));
        return table({"id", "database", "table", "deadline_ms"},
                     {{std::to_string(id), scope.database, scope.table,
                       std::to_string(deadline_ms.value_or(60000))}},
                     "PAUSE");
    }
    if (verb == "RESUME" && words.size() <= 2) {
        const auto id = words.size() == 2 ? number(words[1]) : std::optional<std::uint64_t>(0);
        if (!id) {
            return failure("42601", "usage: RESUME [id]");
        }
        const bool resumed = registry_.pauses().resume(*id);
        return table({"resumed", "id"}, {{resumed ? "true" : "false", std::to_string(*id)}},
                     "RESUME");
    }
    if (verb == "KILL" && (words.size() == 2 || words.size() == 3)) {
        // KILL id, or KILL protocol id when both planes have a client with that id.
        const std::string protocol = words.size() == 3 ? words[1] : std::string();
        const auto& text = words.back();
        const auto parsed = number(text);
        if (!parsed) {
            return failure("42601", "usage: KILL [postgresql|mysql] id (the id of SHOW CLIENTS)");
        }
        const auto id = *parsed;
        std::vector<std::string> holders;
        for (const auto& c : collect(true).clients) {
            if (c.id == id && (protocol.empty() || c.protocol == protocol)) {
                holders.push_back(c.protocol);
            }
        }
        if (holders.empty()) {
            return failure("42704", "no client session with id " + text +
                                        (protocol.empty() ? "" : " in " + protocol));
        }
        if (holders.size() > 1) {
            return failure("42725", "both protocols have a client with id " + text +
                                        ": KILL postgresql " + text + " or KILL mysql " + text);
        }
        std::vector<std::pair<std::string, ClientKiller>> killers;
        {
            const std::lock_guard lock(mutex_);
            killers = killers_;
        }
        bool killed = false;
        for (const auto& [plane, kill] : killers) {
            if (plane == holders.front()) {
                killed = kill(id) || killed;
            }
        }
        if (!killed) {
            return failure("42704", "client session " + text + " ended before it was killed");
        }
        return table({"protocol", "killed"}, {{holders.front(), text}}, "KILL");
    }
    return failure("42601",
                   "unknown admin command \"" + std::string(command) + "\"; try SHOW HELP");
}

} // namespace shardgate::proxy
