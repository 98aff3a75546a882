// shardctl apply: validates a map, shows what changes against each running proxy's epoch
// (the `shardctl diff` of its running map and this one) and installs it there through the
// admin API (`POST /map`); `--dry-run` only shows. docs/admin.md, "Live map reload".
#include "admin_http.hpp"
#include "commands.hpp"
#include "map_text.hpp"
#include "shardgate/shardmaps/loader.hpp"
#include "shardgate/shardmaps/map_diff.hpp"

#include <algorithm>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace shardctl {
namespace {

namespace http = boost::beast::http;
namespace sm = shardgate::shardmaps;

struct ApplyOptions {
    std::string map;
    std::vector<std::string> admins{"http://127.0.0.1:6080"};
    std::string token;
    bool dry_run = false;
};

/// One proxy: its running map, the diff, the install. 0 installed (or shown), 1 refused or
/// unreachable.
int apply_to(const std::string& admin, const std::string& token, const std::string& text,
             const sm::ShardMap& proposed, bool dry_run) {
    const auto url = parse_admin_url(admin);
    auto running = admin_request(url, http::verb::get, "/map", token);
    if (running.result() != http::status::ok) {
        std::cerr << "shardctl: " << admin << "/map answered " << running.result_int() << ": "
                  << running.body() << "\n";
        return 1;
    }
    const auto current = sm::parse_shard_map(running.body(), admin + "/map");
    std::cout << "proxy " << admin << ": running epoch " << current->epoch() << ", this map epoch "
              << proposed.epoch() << "\n";
    print_diff(std::cout, sm::diff_maps(*current, proposed), 20);
    for (const auto& change : sm::topology_changes(*current, proposed)) {
        std::cout << "  needs a restart: " << change << "\n";
    }
    if (dry_run) {
        return 0;
    }
    const auto answer = admin_request(url, http::verb::post, "/map", token, text);
    const auto doc = nlohmann::json::parse(answer.body(), nullptr, false);
    if (answer.result() == http::status::ok) {
        std::cout << "installed: epoch " << doc.value("epoch", 0) << " runs on " << admin << "\n";
        return 0;
    }
    std::cerr << "shardctl: " << admin << " refused the map (" << answer.result_int() << "):\n";
    if (doc.is_object() && doc.contains("problems")) {
        for (const auto& problem : doc["problems"]) {
            std::cerr << "  " << problem.get<std::string>() << "\n";
        }
    } else {
        std::cerr << "  " << answer.body() << "\n";
    }
    return 1;
}

int run_apply(const ApplyOptions& options) {
    std::ifstream in(options.map, std::ios::binary);
    if (!in) {
        std::cerr << "shardctl: cannot read " << options.map << "\n";
        return 2;
    }
    std::ostringstream text;
    text << in.rdbuf();
    sm::ShardMapPtr proposed;
    try {
        proposed = sm::parse_shard_map(text.str(), options.map);
    } catch (const sm::ShardMapError& e) {
        std::cerr << e.what() << "\n";
        return 2;
    }
    int status = 0;
    for (const auto& admin : options.admins) {
        try {
            status = std::max(status, apply_to(admin, admin_token(options.token), text.str(),
                                               *proposed, options.dry_run));
        } catch (const std::exception& e) {
            std::cerr << "shardctl: " << admin << ": " << e.what() << "\n";
            status = 1;
        }
    }
    return status;
}

} // namespace

void register_apply_command(CLI::App& app) {
    auto options = std::make_shared<ApplyOptions>();
    auto* cmd = app.add_subcommand(
        "apply", "validate a map, show its diff against each running proxy's map, install it");
    cmd->add_option("MAP", options->map, "shard map YAML file")->required();
    cmd->add_option("--admin", options->admins,
                    "admin URL of a running proxy (repeatable; default http://127.0.0.1:6080)");
    cmd->add_option("--token", options->token,
                    "admin bearer token (default: $SHARDGATE_ADMIN_TOKEN)");
    cmd->add_flag("--dry-run", options->dry_run, "only show what would change");
    cmd->callback([options] {
        const int code = run_apply(*options);
        if (code != 0) {
            throw CLI::RuntimeError(code);
        }
    });
}

} // namespace shardctl
