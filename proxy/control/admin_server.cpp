// Admin HTTP server: one coroutine per connection, keep-alive, 5 s read timeout.
#include "shardgate/proxy/admin_server.hpp"

#include "shardgate/proxy/dashboard.hpp"
#include "shardgate/proxy/metrics_report.hpp"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <deque>
#include <list>
#include <openssl/rand.h>
#include <spdlog/spdlog.h>
#include <unordered_map>

namespace shardgate::proxy {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

Response reply(const Request& request, http::status status, std::string body,
               std::string_view content_type = "application/json") {
    Response response{status, request.version()};
    response.set(http::field::server, "shardgate");
    response.set(http::field::content_type,
                 beast::string_view(content_type.data(), content_type.size()));
    if (status == http::status::unauthorized) {
        response.set(http::field::www_authenticate, "Bearer realm=\"shardgate\"");
    }
    response.keep_alive(request.keep_alive());
    response.body() = std::move(body);
    response.prepare_payload();
    return response;
}

/// The values of query parameter `key` in a request target (`/path?a=1&b=2`), exactly named,
/// undecoded.
std::vector<std::string_view> query_values(std::string_view target, std::string_view key) {
    std::vector<std::string_view> values;
    const auto question = target.find('?');
    auto query =
        question == std::string_view::npos ? std::string_view() : target.substr(question + 1);
    while (!query.empty()) {
        const auto amp = query.find('&');
        const auto pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
        const auto equals = pair.find('=');
        if (pair.substr(0, equals) == key) {
            values.push_back(equals == std::string_view::npos ? std::string_view()
                                                              : pair.substr(equals + 1));
        }
    }
    return values;
}

std::string error_body(std::string_view message) {
    return nlohmann::json{{"error", message}}.dump() + "\n";
}

/// Constant-time comparison of the presented token with the configured one.
bool token_matches(std::string_view presented, std::string_view expected) {
    if (presented.size() != expected.size()) {
        return false;
    }
    unsigned char diff = 0;
    for (std::size_t i = 0; i < presented.size(); ++i) {
        diff |= static_cast<unsigned char>(presented[i] ^ expected[i]);
    }
    return diff == 0;
}

} // namespace

struct AdminServer::Impl {
    Impl(const Config& config, const BackendRegistry& registry,
         std::vector<UsageCollector> collectors, MapSource* maps)
        : config(config), registry(registry), collectors(std::move(collectors)), maps(maps),
          acceptor(io), token(config.admin_token) {}

    /// A new admin token (admin thread): the old one, and every dashboard session and event
    /// stream opened with it, stop working at once.
    void replace_token(std::string next) {
        token = std::move(next);
        sessions.clear();
        for (const auto& sub : subscribers) {
            if (!sub->dropped) {
                sub->dropped = true;
                beast::error_code ignored;
                sub->stream->socket().shutdown(tcp::socket::shutdown_both, ignored);
                sub->stream->socket().close(ignored);
                sub->wake.cancel();
            }
        }
    }

    /// GET /map: the running map's YAML; POST /map: install the body (or the map file again).
    Response handle_map(const Request& request) {
        if (request.method() == http::verb::get) {
            auto response = reply(request, http::status::ok, maps->text(), "application/yaml");
            response.set("X-Shardgate-Epoch", std::to_string(registry.map_epoch()));
            return response;
        }
        if (request.method() != http::verb::post) {
            return reply(request, http::status::method_not_allowed, error_body("use GET or POST"));
        }
        // `?pause=ID` (a cutover barrier without etcd): installed only while pause ID still
        // holds the writes; a proxy restarted since (its writes unpaused under its file's map)
        // or resumed by someone else refuses.
        const auto raw_target = request.target();
        const std::string_view target(raw_target.data(), raw_target.size());
        if (const auto given = query_values(target, "pause"); !given.empty()) {
            const auto text = given.front();
            std::uint64_t id = 0;
            const auto parsed = std::from_chars(text.data(), text.data() + text.size(), id);
            if (given.size() > 1 || parsed.ec != std::errc() ||
                parsed.ptr != text.data() + text.size() || id == 0) {
                return reply(request, http::status::bad_request,
                             error_body("pause must be one pause id"));
            }
            bool held = false;
            for (const auto& pause :
                 registry.pauses().status().value("active", nlohmann::json::array())) {
                held = held || (pause.contains("id") && pause["id"] == id);
            }
            if (!held) {
                const nlohmann::json doc{
                    {"installed", false},
                    {"epoch", registry.map_epoch()},
                    {"previous_epoch", registry.map_epoch()},
                    {"problems", nlohmann::json::array({"pause " + std::to_string(id) +
                                                        " is not active here (restarted or "
                                                        "resumed since): map not installed"})}};
                return reply(request, http::status::conflict,
                             doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) +
                                 "\n");
            }
        }
        const auto& body = request.body();
        const auto outcome = maps->reload(body.empty() ? std::nullopt : std::optional(body));
        const nlohmann::json doc{{"installed", outcome.status == 200},
                                 {"epoch", outcome.epoch},
                                 {"previous_epoch", outcome.previous_epoch},
                                 {"problems", outcome.problems}};
        return reply(request, static_cast<http::status>(outcome.status),
                     doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
    }

    /// POST /pause {database, table?, keyspace?: [first, last], deadline_ms?, drain_ms?,
    /// fence_ms?, warm?}, GET /pause and POST /resume {id?}: write pauses (write_pause.hpp).
    Response handle_pause(const Request& request, bool pause) {
        try {
            return pause_or_resume(request, pause);
        } catch (const nlohmann::json::exception& e) { // a field of the wrong type
            return reply(request, http::status::bad_request,
                         error_body(std::string("bad request body: ") + e.what()));
        }
    }

    Response pause_or_resume(const Request& request, bool pause) {
        if (pause && request.method() == http::verb::get) { // the pauses, with open writers
            return reply(request, http::status::ok,
                         nlohmann::json{{"pauses", registry.pauses().status(&registry.map())}}.dump(
                             2, ' ', false, nlohmann::json::error_handler_t::replace) +
                             "\n");
        }
        if (request.method() != http::verb::post) {
            return reply(request, http::status::method_not_allowed, error_body("use POST"));
        }
        const auto body = nlohmann::json::parse(
            request.body().empty() ? std::string("{}") : request.body(), nullptr, false);
        if (!body.is_object()) {
            return reply(request, http::status::bad_request, error_body("the body must be JSON"));
        }
        auto& pauses = registry.pauses();
        if (!pause) {
            const auto id = body.value("id", std::uint64_t{0});
            const bool resumed = pauses.resume(id);
            return reply(request, http::status::ok,
                         nlohmann::json{{"resumed", resumed}, {"id", id}}.dump() + "\n");
        }
        PauseScope scope;
        scope.database = body.value("database", "");
        scope.table = body.value("table", "");
        const auto* db = registry.map().find_database(scope.database);
        if (db == nullptr) {
            return reply(request, http::status::bad_request,
                         error_body("pause needs the \"database\" of the map to pause"));
        }
        if (!scope.table.empty() && db->find_table(scope.table) == nullptr) {
            return reply(
                request, http::status::bad_request,
                error_body("the map has no table " + scope.table + " in " + scope.database));
        }
        if (body.contains("keyspace")) {
            const auto& range = body["keyspace"];
            auto id = [](const nlohmann::json& v) -> std::optional<std::uint64_t> {
                if (v.is_number_unsigned()) {
                    return v.get<std::uint64_t>();
                }
                if (v.is_string()) {
                    try {
                        return std::stoull(v.get<std::string>(), nullptr, 0);
                    } catch (const std::exception&) {
                    }
                }
                return std::nullopt;
            };
            std::uint64_t first = 0;
            std::uint64_t last = 0;
            bool valid = range.is_array() && range.size() == 2 && !scope.table.empty();
            if (valid) {
                const auto a = id(range[0]);
                const auto b = id(range[1]);
                valid = a.has_value() && b.has_value();
                first = a.value_or(0);
                last = b.value_or(0);
            }
            if (!valid || first > last) {
                return reply(request, http::status::bad_request,
                             error_body("keyspace must be [first, last] keyspace ids (numbers or "
                                        "\"0x...\" strings) of a table group (\"table\")"));
            }
            scope.keyspace = std::pair{first, last};
        }
        // fence_ms: a fencing pause (a cutover's through the admin API): only POST /resume
        // ends it, and a write that waited fence_ms fails (retryable) rather than go on.
        std::optional<std::chrono::milliseconds> fence;
        if (body.contains("fence_ms")) {
            if (!body["fence_ms"].is_number_unsigned() ||
                body["fence_ms"].get<std::uint64_t>() == 0) {
                return reply(request, http::status::bad_request,
                             error_body("fence_ms must be a positive number of milliseconds"));
            }
            fence = std::chrono::milliseconds(body["fence_ms"].get<std::uint64_t>());
        }
        const auto deadline = fence && !body.contains("deadline_ms")
                                  ? std::chrono::milliseconds(std::chrono::hours(24))
                                  : std::chrono::milliseconds(body.value("deadline_ms", 10000));
        const auto drain = std::chrono::milliseconds(body.value("drain_ms", 1000));
        const auto requests = parse_warmups(body.value("warm", nlohmann::json::array()));
        const auto id = pauses.pause(scope, deadline, drain, fence);
        if (!requests.empty() && warmer) {
            warmer(requests); // the connections open while writes are paused
        }
        return reply(request, http::status::ok,
                     nlohmann::json{{"id", id}, {"pauses", pauses.status()}}.dump(
                         2, ' ', false, nlohmann::json::error_handler_t::replace) +
                         "\n");
    }

    /// GET /shadow: the shadow reads' figures; POST /shadow: start, replace or (sample 0) end
    /// them (shadow_reads.hpp).
    Response handle_shadow(const Request& request) {
        auto& shadow = registry.shadow();
        if (request.method() == http::verb::post) {
            const auto body = nlohmann::json::parse(request.body(), nullptr, false);
            if (const auto refused = shadow.configure(body); !refused.empty()) {
                return reply(request, http::status::bad_request, error_body(refused));
            }
        } else if (request.method() != http::verb::get) {
            return reply(request, http::status::method_not_allowed, error_body("use GET or POST"));
        }
        return reply(request, http::status::ok,
                     shadow.status().dump(2, ' ', false, nlohmann::json::error_handler_t::replace) +
                         "\n");
    }

    Response handle(const Request& request) {
        const auto raw_target = request.target();
        const std::string_view target(raw_target.data(), raw_target.size());
        const auto path = target.substr(0, target.find('?'));
        // The dashboard's static files: no token (they hold no data), fixed names only.
        if (path == "/" || path == "/dashboard.js" || path == "/dashboard.css") {
            if (request.method() != http::verb::get) {
                return reply(request, http::status::method_not_allowed, error_body("use GET"));
            }
            auto response = path == "/"
                                ? reply(request, http::status::ok, std::string(dashboard_html()),
                                        "text/html; charset=utf-8")
                            : path == "/dashboard.js"
                                ? reply(request, http::status::ok, std::string(dashboard_js()),
                                        "text/javascript; charset=utf-8")
                                : reply(request, http::status::ok, std::string(dashboard_css()),
                                        "text/css; charset=utf-8");
            response.set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'");
            response.set(http::field::cache_control, "no-cache");
            response.set("X-Content-Type-Options", "nosniff");
            return response;
        }
        if ((path == "/session" || path == "/events") && !origin_allowed(request)) {
            return reply(request, http::status::forbidden,
                         error_body("origin not allowed (admin_origins)"));
        }
        const bool map_path = path == "/map" && maps != nullptr;
        const bool pause_path = path == "/pause" || path == "/resume";
        const bool shadow_path = path == "/shadow";
        const bool reshard_post = path == "/reshard" && request.method() == http::verb::post;
        const bool metrics_path = path == "/metrics";
        const bool reset_path = path == "/digests/reset";
        const bool session_path = path == "/session";
        if (path != "/status" && path != "/reshard" && path != "/digests" && !reset_path &&
            !session_path && !map_path && !pause_path && !metrics_path && !shadow_path) {
            return reply(request, http::status::not_found,
                         error_body("no such endpoint; try GET /status, GET /metrics, GET /map, "
                                    "POST /map, POST /pause, POST /resume, GET /reshard, "
                                    "POST /reshard, "
                                    "GET /shadow, POST /shadow, "
                                    "GET /digests, POST /digests/reset, GET / (dashboard), "
                                    "POST /session, GET /events"));
        }
        if ((reset_path || session_path) && request.method() != http::verb::post) {
            return reply(request, http::status::method_not_allowed, error_body("use POST"));
        }
        if (!map_path && !pause_path && !reset_path && !session_path && !shadow_path &&
            !reshard_post && request.method() != http::verb::get) {
            return reply(request, http::status::method_not_allowed, error_body("use GET"));
        }
        if (metrics_path && config.metrics_auth == "none") {
            return metrics(request);
        }
        if (token.empty()) {
            return reply(request, http::status::service_unavailable,
                         error_body("admin_token is not configured; /status is disabled"));
        }
        const auto raw_auth = request[http::field::authorization];
        const std::string_view auth(raw_auth.data(), raw_auth.size());
        constexpr std::string_view bearer = "Bearer ";
        if (auth.substr(0, bearer.size()) != bearer ||
            !token_matches(auth.substr(bearer.size()), token)) {
            return reply(request, http::status::unauthorized,
                         error_body("missing or wrong bearer token"));
        }
        if (map_path) {
            return handle_map(request);
        }
        if (session_path) {
            return new_session(request);
        }
        if (metrics_path) {
            return metrics(request);
        }
        if (shadow_path) {
            return handle_shadow(request);
        }
        if (pause_path) {
            return handle_pause(request, path == "/pause");
        }
        if (path == "/digests" || reset_path) {
            UsageReport usage;
            usage.want_digests = !reset_path;
            usage.reset_digests = reset_path;
            usage.backends.resize(registry.backends().size());
            for (const auto& one : collectors) {
                one(usage);
            }
            if (reset_path) {
                return reply(request, http::status::ok,
                             nlohmann::json{{"cleared", usage.digests.size()}}.dump() + "\n");
            }
            std::size_t limit = 100;
            if (const auto at = target.find("limit="); at != std::string_view::npos) {
                const auto text = target.substr(at + 6, target.find('&', at) - at - 6);
                limit = 0;
                for (const char c : text.substr(0, 9)) {
                    if (c < '0' || c > '9') {
                        return reply(request, http::status::bad_request,
                                     error_body("limit must be a number"));
                    }
                    limit = limit * 10 + static_cast<std::size_t>(c - '0');
                }
            }
            return reply(request, http::status::ok,
                         digests_json(usage.digests, usage.digest_evictions, registry.map(), limit)
                                 .dump(2, ' ', false, nlohmann::json::error_handler_t::replace) +
                             "\n");
        }
        if (reshard_post) {
            if (board == nullptr) {
                return reply(request, http::status::conflict,
                             error_body("this proxy reads resharding workflows from etcd"));
            }
            auto body = nlohmann::json::parse(request.body(), nullptr, false);
            if (const auto refused = board->post(std::move(body)); !refused.empty()) {
                return reply(request, http::status::bad_request, error_body(refused));
            }
        }
        if (path == "/reshard") {
            const auto doc = reshard ? reshard()
                                     : nlohmann::json{{"workflows", nlohmann::json::array()},
                                                      {"note", "map_store is file: resharding "
                                                               "workflows live in etcd"}};
            return reply(request, http::status::ok,
                         doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
        }
        return reply(request, http::status::ok,
                     status_json(registry, collect())
                             .dump(2, ' ', false, nlohmann::json::error_handler_t::replace) +
                         "\n");
    }

    UsageReport collect(bool digests = false) const {
        UsageReport usage;
        usage.want_digests = digests;
        usage.backends.resize(registry.backends().size());
        for (const auto& one : collectors) {
            one(usage);
        }
        add_registry_counters(registry, usage);
        usage.counters["admin.sse_subscribers"] = subscribers.size();
        usage.counters["admin.sse_streams_opened"] = sse_opened;
        usage.counters["admin.sse_events_sent"] = sse_sent;
        usage.counters["admin.sse_dropped_slow"] = sse_dropped;
        return usage;
    }

    // --- the dashboard's session and event stream ---

    /// A browser's cross-origin request is refused unless its Origin is the admin address it
    /// asked (same origin) or listed in admin_origins; requests without Origin (curl) pass.
    bool origin_allowed(const Request& request) const {
        const auto raw = request[http::field::origin];
        if (raw.empty()) {
            return true;
        }
        const std::string origin(raw.data(), raw.size());
        const auto host = request[http::field::host];
        if (!host.empty() && origin == "http://" + std::string(host.data(), host.size())) {
            return true;
        }
        return std::find(config.admin_origins.begin(), config.admin_origins.end(), origin) !=
               config.admin_origins.end();
    }

    /// POST /session (bearer token checked by the caller): a session cookie the page's
    /// EventSource sends (it cannot set headers), valid 15 minutes.
    Response new_session(const Request& request) {
        std::array<unsigned char, 16> random{};
        if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) {
            return reply(request, http::status::internal_server_error,
                         error_body("no random bytes for a session"));
        }
        static constexpr char hex[] = "0123456789abcdef";
        std::string id;
        for (const auto byte : random) {
            id += hex[byte >> 4];
            id += hex[byte & 15];
        }
        const auto now = std::chrono::steady_clock::now();
        std::erase_if(sessions, [&](const auto& one) { return one.second < now; });
        if (sessions.size() >= 1000) {
            sessions.erase(
                std::min_element(sessions.begin(), sessions.end(),
                                 [](const auto& a, const auto& b) { return a.second < b.second; }));
        }
        sessions.emplace(id, now + session_lifetime);
        const auto seconds = std::to_string(session_lifetime.count() / 1000);
        auto response = reply(request, http::status::ok, "{\"expires_in_s\": " + seconds + "}\n");
        std::string cookie = "sg_session=";
        cookie += id;
        cookie += "; Path=/; HttpOnly; SameSite=Strict; Max-Age=";
        cookie += seconds;
        response.set(http::field::set_cookie, cookie);
        return response;
    }

    /// Whether GET /events may stream: a live session cookie or the bearer token.
    bool events_authorized(const Request& request) const {
        const auto raw_auth = request[http::field::authorization];
        const std::string_view auth(raw_auth.data(), raw_auth.size());
        constexpr std::string_view bearer = "Bearer ";
        if (!token.empty() && auth.substr(0, bearer.size()) == bearer &&
            token_matches(auth.substr(bearer.size()), token)) {
            return true;
        }
        const auto raw_cookie = request[http::field::cookie];
        const std::string_view cookies(raw_cookie.data(), raw_cookie.size());
        constexpr std::string_view name = "sg_session=";
        for (std::size_t at = cookies.find(name); at != std::string_view::npos;
             at = cookies.find(name, at + 1)) {
            if (at != 0 && cookies[at - 1] != ' ' && cookies[at - 1] != ';') {
                continue;
            }
            const auto begin = at + name.size();
            const auto value = cookies.substr(begin, cookies.find(';', begin) - begin);
            const auto it = sessions.find(std::string(value));
            if (it != sessions.end() && it->second >= std::chrono::steady_clock::now()) {
                return true;
            }
        }
        return false;
    }

    struct Subscriber {
        explicit Subscriber(asio::io_context& io) : wake(io) {}
        std::deque<std::shared_ptr<const std::string>> queue;
        std::size_t queued_bytes = 0;
        asio::steady_timer wake; ///< cancelled when the queue gets an event
        beast::tcp_stream* stream = nullptr;
        bool dropped = false;
    };

    static std::string event(std::string_view name, const nlohmann::json& data) {
        std::string out = "event: ";
        out += name;
        out += "\ndata: ";
        // one line (JSON text has no raw newlines); invalid UTF-8 (a client's bytes in a
        // fingerprint) replaced, never thrown
        out += data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        out += "\n\n";
        return out;
    }

    /// One batch of events (backends, stats, digests, reshard) from a fresh collection.
    std::string build_events() {
        const auto usage = collect(true);
        const auto status = status_json(registry, usage);
        auto backends = nlohmann::json::array();
        std::map<std::pair<std::string, std::string>, std::uint64_t> per_shard;
        std::uint64_t total = 0;
        for (const auto& b : status["backends"]) {
            backends.push_back({{"database", b["database"]},
                                {"shard", b["shard"]},
                                {"role", b["role"]},
                                {"endpoint", b["endpoint"]},
                                {"health", b["health"]},
                                {"lag_ms", b["lag_ms"]},
                                {"connections_in_use", b["connections_in_use"]},
                                {"connections_idle", b["connections_idle"]}});
            const auto statements =
                b.value("reads", std::uint64_t{0}) + b.value("writes", std::uint64_t{0});
            per_shard[{b.value("database", ""), b.value("shard", "")}] += statements;
            total += statements;
        }
        const auto now = std::chrono::steady_clock::now();
        const double seconds = std::chrono::duration<double>(now - last_sample).count();
        auto shards = nlohmann::json::array();
        for (const auto& [key, statements] : per_shard) {
            const auto before = last_per_shard.find(key);
            const double rate =
                before == last_per_shard.end() || seconds <= 0 || statements < before->second
                    ? 0.0
                    : double(statements - before->second) / seconds;
            shards.push_back({{"database", key.first},
                              {"shard", key.second},
                              {"statements_total", statements},
                              {"statements_per_s", rate}});
        }
        last_per_shard = std::move(per_shard);
        last_sample = now;
        const nlohmann::json stats{
            {"time_ms", std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count()},
            {"proxy_id", status["proxy_id"]},
            {"map_epoch", status["map_epoch"]},
            {"statements_total", total},
            {"shards", std::move(shards)},
            {"clients", status["sessions"]}};
        std::string out = event("backends", backends);
        out += event("stats", stats);
        out += event("digests",
                     digests_json(usage.digests, usage.digest_evictions, registry.map(), 10));
        out += event("reshard",
                     reshard ? reshard() : nlohmann::json{{"workflows", nlohmann::json::array()}});
        if (++batches % 15 == 0) {
            out += ": heartbeat\n\n";
        }
        return out;
    }

    /// Every admin_events_interval_ms, while anyone listens: one collection, the same bytes
    /// queued for every subscriber. A subscriber whose queue would pass
    /// admin_events_queue_bytes (a browser that stopped reading) is dropped; nobody waits.
    asio::awaitable<void> publish() {
        for (;;) {
            ticker.expires_after(std::chrono::milliseconds(config.admin_events_interval_ms));
            boost::system::error_code ec;
            co_await ticker.async_wait(asio::redirect_error(asio::use_awaitable, ec));
            if (ec) {
                co_return;
            }
            if (subscribers.empty()) {
                continue;
            }
            std::shared_ptr<const std::string> batch;
            try {
                batch = std::make_shared<const std::string>(build_events());
            } catch (const std::exception& e) {
                spdlog::warn("admin: dashboard events not built: {}", e.what());
                continue;
            }
            for (const auto& sub : subscribers) {
                if (sub->dropped) {
                    continue;
                }
                if (sub->queued_bytes + batch->size() > config.admin_events_queue_bytes) {
                    sub->dropped = true;
                    ++sse_dropped;
                    beast::error_code ignored;
                    sub->stream->socket().shutdown(tcp::socket::shutdown_both, ignored);
                    sub->stream->socket().close(ignored);
                } else {
                    sub->queue.push_back(batch);
                    sub->queued_bytes += batch->size();
                }
                sub->wake.cancel();
            }
        }
    }

    /// GET /events, authorized: the connection becomes an event stream until the client
    /// goes, is too slow, or the server stops.
    asio::awaitable<void> stream_events(beast::tcp_stream& stream) {
        // A small kernel send buffer: what a subscriber that stopped reading holds stays
        // bounded there too (the queue limit is the rest).
        beast::error_code ignored;
        stream.socket().set_option(asio::socket_base::send_buffer_size(64 * 1024), ignored);
        std::string head = "HTTP/1.1 200 OK\r\nServer: shardgate\r\n"
                           "Content-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
                           "Connection: keep-alive\r\nX-Accel-Buffering: no\r\n\r\n"
                           "retry: 3000\n\n";
        try {
            head += build_events(); // the page fills at once
        } catch (const std::exception& e) {
            spdlog::warn("admin: dashboard events not built: {}", e.what());
        }
        // registered only now, when nothing can throw before the loop that removes it
        auto sub = std::make_shared<Subscriber>(io);
        sub->stream = &stream;
        subscribers.push_back(sub);
        ++sse_opened;
        sub->queued_bytes += head.size();
        sub->queue.push_back(std::make_shared<const std::string>(std::move(head)));
        try {
            while (!sub->dropped) {
                if (sub->queue.empty()) {
                    sub->wake.expires_at(asio::steady_timer::time_point::max());
                    boost::system::error_code ec;
                    co_await sub->wake.async_wait(asio::redirect_error(asio::use_awaitable, ec));
                    continue;
                }
                const auto next = sub->queue.front();
                stream.expires_after(std::chrono::seconds(10));
                co_await asio::async_write(stream, asio::buffer(*next), asio::use_awaitable);
                sub->queue.pop_front();
                sub->queued_bytes -= next->size();
                ++sse_sent;
            }
        } catch (const std::exception&) {
            // the client went, or stopped reading for 10 s, or was dropped
        }
        subscribers.remove(sub);
    }

    Response metrics(const Request& request) const {
        return reply(request, http::status::ok, metrics_text(registry, collect()),
                     "text/plain; version=0.0.4; charset=utf-8");
    }

    asio::awaitable<void> serve(tcp::socket socket) {
        beast::tcp_stream stream(std::move(socket));
        beast::flat_buffer buffer;
        try {
            for (;;) {
                Request request;
                stream.expires_after(std::chrono::seconds(5));
                beast::error_code ec;
                co_await http::async_read(stream, buffer, request,
                                          asio::redirect_error(asio::use_awaitable, ec));
                if (ec) {
                    co_await refuse_malformed(stream, ec);
                    break;
                }
                const auto raw_target = request.target();
                const std::string_view target(raw_target.data(), raw_target.size());
                if (target.substr(0, target.find('?')) == "/events" &&
                    request.method() == http::verb::get && origin_allowed(request)) {
                    if (events_authorized(request)) {
                        co_await stream_events(stream);
                        break;
                    }
                    auto refusal = reply(request, http::status::unauthorized,
                                         error_body("POST /session first (or send the token)"));
                    co_await http::async_write(stream, refusal, asio::use_awaitable);
                    if (!refusal.keep_alive()) {
                        break;
                    }
                    continue;
                }
                auto response = handle(request);
                const bool keep = response.keep_alive();
                co_await http::async_write(stream, response, asio::use_awaitable);
                if (!keep) {
                    break;
                }
            }
        } catch (const std::exception&) {
            // closed or timed out while answering: drop the connection
        }
        beast::error_code ignored;
        stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    }

    /// A request that could not be read gets its answer before the connection closes: 431 for
    /// headers over Beast's limit, 413 for a body over it, 400 for anything else malformed
    /// (nothing for a peer that closed or timed out).
    static asio::awaitable<void> refuse_malformed(beast::tcp_stream& stream,
                                                  const beast::error_code& ec) {
        if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
            ec == asio::error::eof || ec == asio::error::connection_reset ||
            ec == asio::error::operation_aborted) {
            co_return;
        }
        const auto status = ec == http::error::header_limit
                                ? http::status::request_header_fields_too_large
                            : ec == http::error::body_limit ? http::status::payload_too_large
                                                            : http::status::bad_request;
        Response response{status, 11};
        response.set(http::field::server, "shardgate");
        response.set(http::field::content_type, "application/json");
        response.set(http::field::connection, "close");
        response.body() = error_body("malformed request: " + ec.message());
        response.prepare_payload();
        beast::error_code ignored;
        stream.expires_after(std::chrono::seconds(2));
        co_await http::async_write(stream, response,
                                   asio::redirect_error(asio::use_awaitable, ignored));
    }

    asio::awaitable<void> accept() {
        for (;;) {
            boost::system::error_code ec;
            auto socket =
                co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
            if (ec) {
                if (ec == asio::error::operation_aborted || !acceptor.is_open()) {
                    co_return;
                }
                // out of file descriptors: pause instead of spinning on a failing accept
                asio::steady_timer pause(io, std::chrono::milliseconds(100));
                co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
                continue;
            }
            asio::co_spawn(io, serve(std::move(socket)), asio::detached);
        }
    }

    const Config& config;
    const BackendRegistry& registry;
    std::vector<UsageCollector> collectors;
    MapSource* maps;
    std::function<nlohmann::json()> reshard; ///< GET /reshard
    ReshardBoard* board = nullptr;           ///< POST /reshard (map_store: file)
    PoolWarmer warmer;                       ///< POST /pause's `warm` list
    asio::io_context io;
    tcp::acceptor acceptor;
    std::string token; ///< admin_token, replaceable (admin thread only)
    // The dashboard (admin thread only):
    static constexpr std::chrono::milliseconds session_lifetime{15 * 60 * 1000};
    std::unordered_map<std::string, std::chrono::steady_clock::time_point> sessions;
    std::list<std::shared_ptr<Subscriber>> subscribers;
    asio::steady_timer ticker{io};
    std::map<std::pair<std::string, std::string>, std::uint64_t> last_per_shard;
    std::chrono::steady_clock::time_point last_sample{};
    std::uint64_t batches = 0;
    std::uint64_t sse_opened = 0;
    std::uint64_t sse_sent = 0;
    std::uint64_t sse_dropped = 0;
    std::thread thread;
};

AdminServer::AdminServer(const Config& config, const BackendRegistry& registry,
                         std::vector<UsageCollector> collectors, MapSource* maps)
    : impl_(std::make_unique<Impl>(config, registry, std::move(collectors), maps)) {}

AdminServer::~AdminServer() {
    stop();
}

void AdminServer::set_reshard_board(ReshardBoard* board) {
    impl_->board = board;
}

void AdminServer::set_reshard_view(std::function<nlohmann::json()> view) {
    impl_->reshard = std::move(view);
}

void AdminServer::set_warmer(PoolWarmer warmer) {
    impl_->warmer = std::move(warmer);
}

void AdminServer::replace_token(std::string token) {
    asio::post(impl_->io, [impl = impl_.get(), token = std::move(token)]() mutable {
        impl->replace_token(std::move(token));
    });
}

void AdminServer::start() {
    const tcp::endpoint endpoint(asio::ip::make_address(impl_->config.admin_listen.host),
                                 impl_->config.admin_listen.port);
    impl_->acceptor.open(endpoint.protocol());
    impl_->acceptor.set_option(tcp::acceptor::reuse_address(true));
    impl_->acceptor.bind(endpoint);
    impl_->acceptor.listen();
    asio::co_spawn(impl_->io, impl_->accept(), asio::detached);
    asio::co_spawn(impl_->io, impl_->publish(), asio::detached);
    impl_->thread = std::thread([this] { impl_->io.run(); });
    spdlog::info("shardgate: admin HTTP on {}:{}", impl_->config.admin_listen.host, port());
}

void AdminServer::stop() {
    if (impl_->thread.joinable()) {
        impl_->io.stop();
        impl_->thread.join();
    }
}

unsigned short AdminServer::port() const {
    beast::error_code ec;
    const auto endpoint = impl_->acceptor.local_endpoint(ec);
    return ec ? 0 : endpoint.port();
}

} // namespace shardgate::proxy
