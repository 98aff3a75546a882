// shardctl proxies: the proxies that share a map through etcd (map_store: etcd), as each one
// registered itself under its lease: id, listeners, the epoch it runs. A proxy that died is
// gone once its lease expires (etcd_lease_ttl_s). docs/admin.md, "Many proxies".
#include "commands.hpp"
#include "shardgate/proxy/etcd_client.hpp"
#include "shardgate/proxy/etcd_store.hpp"

#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>

namespace shardctl {
namespace {

using nlohmann::json;
namespace sp = shardgate::proxy;

struct ProxiesOptions {
    std::string etcd = "127.0.0.1:2379";
    std::string prefix = "/shardgate";
    bool json = false;
};

int run_proxies(const ProxiesOptions& options) {
    try {
        const sp::EtcdClient etcd({options.etcd});
        json list = json::array();
        for (const auto& entry : etcd.list(sp::etcd_proxy_key(options.prefix, ""))) {
            auto doc = json::parse(entry.value, nullptr, false);
            if (doc.is_object()) {
                list.push_back(std::move(doc));
            }
        }
        if (options.json) {
            std::cout << list.dump(2) << "\n";
            return 0;
        }
        std::cout << std::left << std::setw(32) << "PROXY" << std::setw(22) << "POSTGRES"
                  << std::setw(22) << "MYSQL" << std::setw(22) << "ADMIN" << std::setw(7) << "EPOCH"
                  << "HEALTH\n";
        for (const auto& one : list) {
            std::cout << std::left << std::setw(32) << one.value("id", "") << std::setw(22)
                      << one.value("postgres", "") << std::setw(22) << one.value("mysql", "")
                      << std::setw(22) << one.value("admin", "") << std::setw(7)
                      << one.value("epoch", 0) << one.value("health", "") << "\n";
        }
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "shardctl: cannot list proxies from etcd " << options.etcd << ": " << e.what()
                  << "\n";
        return 1;
    }
}

} // namespace

void register_proxies_command(CLI::App& app) {
    auto options = std::make_shared<ProxiesOptions>();
    auto* cmd = app.add_subcommand("proxies", "list the proxies sharing a map through etcd");
    cmd->add_option("--etcd", options->etcd, "etcd endpoint host:port (default 127.0.0.1:2379)");
    cmd->add_option("--prefix", options->prefix, "key prefix (default /shardgate)");
    cmd->add_flag("--json", options->json, "machine-readable output");
    cmd->callback([options] {
        const int code = run_proxies(*options);
        if (code != 0) {
            throw CLI::RuntimeError(code);
        }
    });
}

} // namespace shardctl
