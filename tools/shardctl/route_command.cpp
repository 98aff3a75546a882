// shardctl route: explains where statements go under a map (docs/routing.md).
#include "commands.hpp"
#include "shardgate/parser/dialect.hpp"
#include "shardgate/router/merge.hpp"
#include "shardgate/router/planner.hpp"
#include "shardgate/shardmaps/diagnostic.hpp"
#include "shardgate/shardmaps/keyspace_id.hpp"
#include "shardgate/shardmaps/loader.hpp"

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

namespace shardctl {
namespace {

namespace sr = shardgate::router;
namespace sm = shardgate::shardmaps;

struct RouteOptions {
    std::string map;
    std::string database;
    std::string dialect;
    std::vector<std::string> params;
    std::string file;
    std::string sql;
    bool json = false;
    bool in_transaction = false;
};

nlohmann::json merge_json(const sr::MergeSpec& m) {
    auto keys = [](const std::vector<sr::MergeKey>& ks) {
        auto out = nlohmann::json::array();
        for (const auto& k : ks) {
            out.push_back({{"expr", k.text}, {"column", k.output}, {"desc", k.descending}});
        }
        return out;
    };
    nlohmann::json j = {{"order_by", keys(m.order_by)}, {"group_by", keys(m.group_by)}};
    auto aggregates = nlohmann::json::array();
    static const char* names[] = {"none", "count", "sum", "min", "max", "avg", "complex"};
    for (const auto& a : m.aggregates) {
        aggregates.push_back({{"column", a.output},
                              {"function", names[static_cast<int>(a.function)]},
                              {"distinct", a.distinct}});
    }
    j["aggregates"] = aggregates;
    j["distinct"] = m.distinct;
    j["limit"] = m.limit ? nlohmann::json(*m.limit) : nlohmann::json(nullptr);
    j["offset"] = m.offset ? nlohmann::json(*m.offset) : nlohmann::json(nullptr);
    j["split_insert_rows"] = m.split_insert_rows;
    j["having"] = m.having;
    j["window"] = m.window;
    return j;
}

nlohmann::json plan_json(const sr::Plan& plan) {
    nlohmann::json j = {
        {"plan", sr::plan_kind_name(plan.kind)},
        {"shards", plan.shard_names},
        {"role", sr::role_name(plan.role)},
        {"tables", plan.tables},
        {"fingerprint", plan.fingerprint},
        {"reason", plan.reason},
        {"database", plan.database},
        {"write", plan.is_write},
        {"cached", plan.cached},
    };
    if (plan.kind == sr::PlanKind::reject) {
        j["sqlstate"] = plan.sqlstate;
    }
    if (plan.kind == sr::PlanKind::scatter) {
        j["merge"] = merge_json(plan.merge);
    }
    if (plan.verb != sr::Verb::other) {
        j["verb"] = sr::verb_name(plan.verb);
    }
    if (plan.max_lag_ms) {
        j["max_lag_ms"] = *plan.max_lag_ms;
    }
    if (plan.key_hash) {
        j["key_hash"] = shardgate::shardmaps::keyspace_id_hex(*plan.key_hash);
    }
    if (!plan.session_state.empty()) {
        j["session_state"] = plan.session_state;
    }
    return j;
}

std::vector<std::string> statements(const RouteOptions& o) {
    std::vector<std::string> out;
    if (!o.sql.empty()) {
        out.push_back(o.sql);
    }
    if (o.file.empty()) {
        return out;
    }
    std::ifstream file_stream;
    if (o.file != "-") {
        file_stream.open(o.file);
        if (!file_stream) {
            throw std::runtime_error("cannot read " + o.file);
        }
    }
    std::istream& in = o.file == "-" ? std::cin : file_stream;
    for (std::string line; std::getline(in, line);) {
        if (line.find_first_not_of(" \t\r") != std::string::npos) {
            out.push_back(line);
        }
    }
    return out;
}

int run_route(const RouteOptions& o) {
    sm::ShardMapPtr map;
    try {
        map = sm::load_shard_map(o.map);
    } catch (const std::exception& e) {
        std::cerr << "shardctl route: " << e.what() << "\n";
        return 1;
    }
    const auto* db = map->find_database(o.database);
    if (db == nullptr) {
        std::cerr << "shardctl route: map " << o.map << " has no database '" << o.database << "'\n";
        return 1;
    }
    auto dialect = db->engine() == sm::Engine::mysql ? shardgate::parser::Dialect::mysql
                                                     : shardgate::parser::Dialect::pg;
    if (!o.dialect.empty()) {
        auto chosen = shardgate::parser::dialect_from_name(o.dialect);
        if (!chosen) {
            std::cerr << "shardctl route: unknown dialect '" << o.dialect
                      << "' (use mysql or pg)\n";
            return 1;
        }
        dialect = *chosen;
    }
    std::vector<std::string> sqls;
    try {
        sqls = statements(o);
    } catch (const std::exception& e) {
        std::cerr << "shardctl route: " << e.what() << "\n";
        return 1;
    }
    if (sqls.empty()) {
        std::cerr << "shardctl route: give a statement, or --file FILE (one per line)\n";
        return 1;
    }
    std::vector<std::optional<std::string>> params(o.params.begin(), o.params.end());
    sr::Planner planner(map, o.database, dialect);
    sr::RouteContext context;
    context.in_transaction = o.in_transaction;
    context.params = params;
    for (const auto& sql : sqls) {
        const auto plan = planner.route(sql, context);
        // What each shard runs when it is not the statement itself (an OFFSET across shards).
        const auto shard_sql = plan.kind == sr::PlanKind::scatter ? sr::shard_statement(plan, sql)
                                                                  : std::optional<std::string>();
        if (o.json) {
            auto j = plan_json(plan);
            if (shard_sql) {
                j["shard_statement"] = *shard_sql;
            }
            std::cout << j.dump() << "\n";
        } else {
            if (sqls.size() > 1) {
                std::cout << sql << "\n";
            }
            std::cout << sr::describe(plan);
            if (shard_sql) {
                std::cout << "  each shard runs: " << *shard_sql << "\n";
            }
        }
    }
    return 0;
}

} // namespace

void register_route_command(CLI::App& app) {
    auto options = std::make_shared<RouteOptions>();
    auto* cmd = app.add_subcommand("route", "explain where a statement goes (the plan)");
    cmd->add_option("map", options->map, "shard map file")->required();
    cmd->add_option("sql", options->sql, "the statement");
    cmd->add_option("--db", options->database, "logical database")->required();
    cmd->add_option("--dialect", options->dialect, "mysql or pg (default: the database's)");
    cmd->add_option("--param", options->params, "placeholder value, repeat in order (as text)")
        ->allow_extra_args(false)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    cmd->add_option("--file", options->file, "statements, one per line ('-' for stdin)");
    cmd->add_flag("--json", options->json, "one JSON object per statement");
    cmd->add_flag("--in-transaction", options->in_transaction,
                  "plan as inside an explicit transaction");
    cmd->callback([options] {
        const int code = run_route(*options);
        if (code != 0) {
            throw CLI::RuntimeError(code);
        }
    });
}

} // namespace shardctl
