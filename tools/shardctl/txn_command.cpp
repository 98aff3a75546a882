// shardctl txn list|resolve: distributed transactions left prepared on a map's shards
// (docs/cross-shard-writes.md). Connects to every shard's primary directly.
#include "commands.hpp"
#include "shardgate/shardmaps/loader.hpp"
#include "shardgate/txn/resolver.hpp"

#include <cstdlib>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <thread>

namespace shardctl {
namespace {

namespace sm = shardgate::shardmaps;
namespace tx = shardgate::txn;

struct TxnOptions {
    std::string map;
    std::string database;
    std::string user;
    std::string password;
    unsigned grace_ms = 2000;
    unsigned timeout_ms = 5000;
    bool json = false;
};

nlohmann::json prepared_json(const tx::PreparedTxn& p) {
    return {{"shard", p.shard},
            {"gid", p.gid},
            {"txn", p.txn},
            {"coordinator", p.coordinator},
            {"decision", p.decision}};
}

/// Runs `each` with a resolver per selected database of the map; the exit code.
template <class Each> int for_each_database(const TxnOptions& o, Each each) {
    std::shared_ptr<const sm::ShardMap> map;
    try {
        map = sm::load_shard_map(o.map);
    } catch (const std::exception& e) {
        std::cerr << "shardctl: " << e.what() << "\n";
        return 2;
    }
    const auto user = or_env(o.user, "SHARDGATE_USER");
    const auto password = or_env(o.password, "SHARDGATE_PASSWORD");
    int status = 0;
    bool found = false;
    for (const auto& db : map->databases()) {
        if (!o.database.empty() && db.name() != o.database) {
            continue;
        }
        found = true;
        tx::Resolver resolver(tx::primaries(db, user, password),
                              std::chrono::milliseconds(o.timeout_ms),
                              tx::replicas(db, user, password));
        status = std::max(status, each(db.name(), resolver));
    }
    if (!found) {
        std::cerr << "shardctl: no database " << o.database << " in " << o.map << "\n";
        return 2;
    }
    return status;
}

int run_list(const TxnOptions& o) {
    auto out = nlohmann::json::object();
    const int status = for_each_database(o, [&](const std::string& name, tx::Resolver& resolver) {
        const auto scan = resolver.scan();
        auto prepared = nlohmann::json::array();
        for (const auto& p : scan.prepared) {
            prepared.push_back(prepared_json(p));
            if (!o.json) {
                std::cout << name << "  " << p.shard << "  " << p.gid << "  decision " << p.decision
                          << "\n";
            }
        }
        for (const auto& error : scan.errors) {
            if (!o.json) {
                std::cout << name << "  error: " << error << "\n";
            }
        }
        out[name] = {{"prepared", prepared}, {"errors", scan.errors}};
        return scan.errors.empty() ? 0 : 1;
    });
    if (o.json) {
        std::cout << out.dump(2) << "\n";
    }
    return status;
}

int run_resolve(const TxnOptions& o) {
    auto out = nlohmann::json::object();
    const int status = for_each_database(o, [&](const std::string& name, tx::Resolver& resolver) {
        // A participant seen twice, `grace` apart, is not one whose commit is running now.
        const std::chrono::milliseconds grace(o.grace_ms);
        resolver.scan();
        if (grace.count() > 0) {
            // MariaDB: branches prepared on a replica that their primary lost (resolver.hpp)
            // are noted now (nothing is done or reported before the grace) and ended below.
            resolver.end_replica_orphans(grace);
        }
        std::this_thread::sleep_for(grace);
        std::vector<std::string> errors;
        auto done = resolver.resolve(grace, &errors);
        auto orphans = resolver.end_replica_orphans(grace, &errors);
        std::move(orphans.begin(), orphans.end(), std::back_inserter(done));
        auto resolutions = nlohmann::json::array();
        int left = 0;
        for (const auto& r : done) {
            auto one = prepared_json(r.prepared);
            one["action"] = r.action;
            resolutions.push_back(one);
            left += r.done() ? 0 : 1;
            if (!o.json) {
                std::cout << name << "  " << r.prepared.shard << "  " << r.prepared.gid << "  "
                          << r.action << "\n";
            }
        }
        for (const auto& error : errors) {
            if (!o.json) {
                std::cout << name << "  error: " << error << "\n";
            }
        }
        if (!o.json) {
            std::cout << name << ": " << done.size() - static_cast<std::size_t>(left)
                      << " resolved, " << left << " left\n";
        }
        out[name] = {{"resolutions", resolutions}, {"errors", errors}};
        return left == 0 && errors.empty() ? 0 : 1;
    });
    if (o.json) {
        std::cout << out.dump(2) << "\n";
    }
    return status;
}

void add_common(CLI::App* cmd, TxnOptions& o) {
    cmd->add_option("map", o.map, "shard map file")->required();
    cmd->add_option("--database", o.database, "only this logical database");
    cmd->add_option("--user", o.user, "backend login (default: $SHARDGATE_USER)");
    cmd->add_option("--password", o.password, "backend password (default: $SHARDGATE_PASSWORD)");
    cmd->add_option("--timeout-ms", o.timeout_ms, "connect and statement timeout (default 5000)");
    cmd->add_flag("--json", o.json, "print JSON");
}

} // namespace

void register_txn_command(CLI::App& app) {
    auto* txn = app.add_subcommand(
        "txn", "distributed transactions left prepared on the shards: list, resolve");
    txn->require_subcommand(1);
    auto options = std::make_shared<TxnOptions>();
    auto* list = txn->add_subcommand("list", "prepared participants and their decisions");
    add_common(list, *options);
    list->callback([options] { std::exit(run_list(*options)); });
    auto* resolve = txn->add_subcommand(
        "resolve", "commit or roll back every prepared participant by its decision (none: abort)");
    add_common(resolve, *options);
    resolve->add_option("--grace-ms", options->grace_ms,
                        "only participants prepared at least this long (default 2000)");
    resolve->callback([options] { std::exit(run_resolve(*options)); });
}

} // namespace shardctl
