// shardctl status: fetches a running proxy's `GET /status` and prints it (docs/admin.md).
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

struct Url {
    std::string host;
    std::string port;
    std::string path;
};

/// Parses "http://host:port[/path]" (also "host:port"); throws on anything else.
Url parse_url(std::string text) {
    const std::string scheme = "http://";
    if (text.rfind(scheme, 0) == 0) {
        text.erase(0, scheme.size());
    } else if (text.find("://") != std::string::npos) {
        throw std::runtime_error("only http:// admin URLs are supported: " + text);
    }
    Url url;
    const auto slash = text.find('/');
    url.path = slash == std::string::npos ? "" : text.substr(slash);
    text = text.substr(0, slash);
    const auto colon = text.rfind(':');
    url.host = colon == std::string::npos ? text : text.substr(0, colon);
    url.port = colon == std::string::npos ? "80" : text.substr(colon + 1);
    if (url.host.empty() || url.port.empty()) {
        throw std::runtime_error("admin URL needs host:port, e.g. http://127.0.0.1:6080");
    }
    return url;
}

http::response<http::string_body> get(const Url& url, const std::string& path,
                                      const std::string& token) {
    asio::io_context io;
    asio::ip::tcp::resolver resolver(io);
    beast::tcp_stream stream(io);
    stream.connect(resolver.resolve(url.host, url.port));
    http::request<http::empty_body> request{http::verb::get, path, 11};
    request.set(http::field::host, url.host);
    request.set(http::field::user_agent, "shardctl");
    if (!token.empty()) {
        request.set(http::field::authorization, "Bearer " + token);
    }
    http::write(stream, request);
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    http::read(stream, buffer, response);
    beast::error_code ignored;
    stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    return response;
}

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
        const auto url = parse_url(options.admin);
        std::string token = options.token;
        if (token.empty()) {
            if (const char* env = std::getenv("SHARDGATE_ADMIN_TOKEN")) {
                token = env;
            }
        }
        const auto response = get(url, url.path + "/status", token);
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
