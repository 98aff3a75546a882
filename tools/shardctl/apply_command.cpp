// shardctl apply: validates a map, shows what changes against each running proxy's epoch
// (the `shardctl diff` of its running map and this one) and installs it there through the
// admin API (`POST /map`); `--dry-run` only shows. docs/admin.md, "Live map reload".
#include "admin_http.hpp"
#include "commands.hpp"
#include "map_text.hpp"
#include "shardgate/proxy/etcd_client.hpp"
#include "shardgate/proxy/etcd_store.hpp"
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
    std::vector<std::string> admins;
    std::string etcd;
    std::string prefix = "/shardgate";
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
    for (const auto& change : sm::live_refusals(*current, proposed)) {
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

/// The shared map in etcd: shown against the one there, written when its epoch is greater
/// (and nobody wrote another since it was read). Every proxy of the prefix installs it.
int apply_to_etcd(const ApplyOptions& options, const std::string& text,
                  const sm::ShardMap& proposed) {
    namespace sp = shardgate::proxy;
    const sp::EtcdClient etcd({options.etcd});
    const auto key = sp::etcd_map_key(options.prefix);
    const auto stored = etcd.get(key);
    std::int64_t revision = 0;
    if (stored) {
        revision = stored->mod_revision;
        const auto current = sm::parse_shard_map(stored->value, "etcd " + key);
        std::cout << "etcd " << options.etcd << " " << key << ": epoch " << current->epoch()
                  << ", this map epoch " << proposed.epoch() << "\n";
        print_diff(std::cout, sm::diff_maps(*current, proposed), 20);
        for (const auto& change : sm::live_refusals(*current, proposed)) {
            std::cout << "  needs a restart: " << change << "\n";
        }
        if (proposed.epoch() <= current->epoch()) {
            std::cerr << "shardctl: epoch " << proposed.epoch()
                      << " is not greater than the shared epoch " << current->epoch()
                      << ": epochs only move forward\n";
            return 1;
        }
    } else {
        std::cout << "etcd " << options.etcd << " " << key << ": no map yet\n";
    }
    if (options.dry_run) {
        return 0;
    }
    if (!etcd.put_if(key, text, revision)) {
        std::cerr << "shardctl: the map in etcd changed while this one was checked; run again\n";
        return 1;
    }
    std::cout << "installed: epoch " << proposed.epoch() << " in etcd " << key
              << " (every proxy of the prefix takes it within a second)\n";
    return 0;
}

} // namespace

shardgate::shardmaps::ShardMapPtr read_map_file(const std::string& path, std::string& text) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        std::cerr << "shardctl: cannot read " << path << "\n";
        return nullptr;
    }
    std::ostringstream bytes;
    bytes << in.rdbuf();
    text = bytes.str();
    try {
        return sm::parse_shard_map(text, path);
    } catch (const sm::ShardMapError& e) {
        std::cerr << e.what() << "\n";
        return nullptr;
    }
}

namespace {

int run_apply(const ApplyOptions& options) {
    std::string map_text;
    const auto proposed = read_map_file(options.map, map_text);
    if (!proposed) {
        return 2;
    }
    if (!options.etcd.empty()) {
        try {
            return apply_to_etcd(options, map_text, *proposed);
        } catch (const std::exception& e) {
            std::cerr << "shardctl: etcd " << options.etcd << ": " << e.what() << "\n";
            return 1;
        }
    }
    const auto admins =
        options.admins.empty() ? std::vector<std::string>{"http://127.0.0.1:6080"} : options.admins;
    int status = 0;
    for (const auto& admin : admins) {
        try {
            status = std::max(status, apply_to(admin, admin_token(options.token), map_text,
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
    cmd->add_option("--etcd", options->etcd,
                    "write the map to etcd (host:port) for every proxy sharing it instead");
    cmd->add_option("--prefix", options->prefix, "etcd key prefix (default /shardgate)");
    cmd->add_flag("--dry-run", options->dry_run, "only show what would change");
    cmd->callback([options] {
        const int code = run_apply(*options);
        if (code != 0) {
            throw CLI::RuntimeError(code);
        }
    });
}

} // namespace shardctl
