// shardctl status: fetches a running proxy's `GET /status` and prints it (docs/admin.md).
#include "admin_http.hpp"
#include "commands.hpp"
#include "map_text_table.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>

namespace shardctl {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using json = nlohmann::json;

struct StatusOptions {
    std::string admin = "http://127.0.0.1:6080";
    std::string token;
    bool json = false;
};

std::string text(const json& value) {
    if (value.is_null()) {
        return "-";
    }
    return value.is_string() ? value.get<std::string>() : value.dump();
}

std::string latency(const json& us) {
    if (us.is_null()) {
        return "-";
    }
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.2f", us.get<double>() / 1000.0);
    return buffer;
}

void print_status(const json& status) {
    std::cout << "proxy " << text(status["proxy_id"]) << "  shardgate " << text(status["version"])
              << "  map epoch " << text(status["map_epoch"]) << "  health every "
              << text(status["monitor"]["health_interval_ms"]) << " ms, heartbeat every "
              << text(status["monitor"]["heartbeat_interval_ms"]) << " ms\n\n";
    TextTable table({"engine", "database", "shard", "role", "endpoint", "health", "lag ms",
                     "heartbeat ms", "engine view", "probe ms", "conns in use", "idle", "reads",
                     "writes"});
    for (const auto& b : status["backends"]) {
        const auto& view = b["engine_view"];
        std::string engine_view = "-";
        if (b["role"] == "replica") {
            if (b["engine"] == "postgresql") {
                engine_view = "replay " + text(view["replay_lag_bytes"]) + " B" +
                              (view["replay_paused"].get<bool>() ? ", paused" : "");
            } else {
                engine_view = "behind " + text(view["seconds_behind_master"]) + " s, gtid " +
                              text(view["gtid_slave_pos"]);
            }
            if (b["replication_stopped"].get<bool>()) {
                engine_view += ", STOPPED";
            }
        }
        table.add({text(b["engine"]), text(b["database"]), text(b["shard"]), text(b["role"]),
                   text(b["endpoint"]), text(b["health"]), text(b["lag_ms"]),
                   text(b["heartbeat_lag_ms"]), engine_view, latency(b["probe_latency_us"]),
                   text(b["connections_in_use"]), text(b["connections_idle"]), text(b["reads"]),
                   text(b["writes"])});
    }
    table.print(std::cout);
    if (status.contains("sessions")) {
        for (const auto& [plane, states] : status["sessions"].items()) {
            std::cout << "\nsessions " << plane << ':';
            for (const auto& [state, count] : states.items()) {
                std::cout << ' ' << state << '=' << count.dump();
            }
        }
        std::cout << '\n';
    }
    std::cout << "\ncounters:";
    for (const auto& [name, value] : status["counters"].items()) {
        if (value != 0) {
            std::cout << ' ' << name << '=' << value.dump();
        }
    }
    std::cout << '\n';
}

int run_status(const StatusOptions& options) {
    try {
        const auto url = parse_admin_url(options.admin);
        const auto response =
            admin_request(url, http::verb::get, "/status", admin_token(options.token));
        if (response.result() == http::status::unauthorized) {
            std::cerr << "shardctl: " << options.admin
                      << " refused the token (401): pass --token or set SHARDGATE_ADMIN_TOKEN\n";
            return 1;
        }
        if (response.result() != http::status::ok) {
            std::cerr << "shardctl: " << options.admin << "/status answered "
                      << response.result_int() << ": " << response.body() << "\n";
            return 1;
        }
        const auto status = json::parse(response.body());
        if (options.json) {
            std::cout << status.dump(2) << "\n";
        } else {
            print_status(status);
        }
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "shardctl: cannot read status from " << options.admin << ": " << e.what()
                  << "\n";
        return 1;
    }
}

} // namespace

void register_status_command(CLI::App& app) {
    auto options = std::make_shared<StatusOptions>();
    auto* cmd = app.add_subcommand("status", "backends of a running proxy: health, lag, load");
    cmd->add_option("--admin", options->admin, "admin URL (default http://127.0.0.1:6080)");
    cmd->add_option("--token", options->token,
                    "admin bearer token (default: $SHARDGATE_ADMIN_TOKEN)");
    cmd->add_flag("--json", options->json, "print the JSON document as served");
    cmd->callback([options] {
        const int code = run_status(*options);
        if (code != 0) {
            throw CLI::RuntimeError(code);
        }
    });
}

} // namespace shardctl
