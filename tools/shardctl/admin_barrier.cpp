// The cutover barrier through the proxies' admin APIs, for proxies whose maps come from files
// (no etcd): (1) `POST /pause` on each with `fence_ms` (a fencing pause: only a resume ends it;
// a write in scope waits at most fence_ms, then fails retryable), (2) each pause drained
// (`GET /pause`: no writer begun before it left in scope), (3) the caller's check, (4) `POST
// /map?pause=ID` of the new map on each (refused by a proxy that no longer holds its pause),
// (5) `POST /resume`. A proxy that refuses or cannot be reached
// rolls the barrier back: before the switch the pauses are resumed under the old map; after it
// the old map is installed again on every proxy under a newer epoch, then resumed.
// docs/admin.md, "The cutover barrier without etcd".
#include "admin_http.hpp"
#include "cutover.hpp"
#include "shardgate/shardmaps/loader.hpp"

#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

namespace shardctl {
namespace {

namespace http = boost::beast::http;
namespace sm = shardgate::shardmaps;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

/// One request; its status and JSON answer (an object; empty when the body is not JSON).
std::pair<unsigned, json> call(const std::string& admin, http::verb verb, const std::string& path,
                               const std::string& token, const std::string& body = {}) {
    const auto answer = admin_request(parse_admin_url(admin), verb, path, token, body);
    auto doc = json::parse(answer.body(), nullptr, false);
    return {answer.result_int(), doc.is_object() ? doc : json::object()};
}

/// The running map's text and epoch of one proxy; throws when it cannot be read.
std::pair<std::string, std::uint64_t> running_map(const std::string& admin,
                                                  const std::string& token) {
    const auto answer = admin_request(parse_admin_url(admin), http::verb::get, "/map", token);
    if (answer.result() != http::status::ok) {
        throw std::runtime_error(admin + "/map answered " + std::to_string(answer.result_int()) +
                                 ": " + answer.body());
    }
    return {answer.body(), sm::parse_shard_map(answer.body(), admin + "/map")->epoch()};
}

/// Installs `text` on one proxy; "" when it runs it, else why not. With `pause`, only while
/// that pause of the proxy's is active (POST /map?pause=ID).
std::string install(const std::string& admin, const std::string& token, const std::string& text,
                    std::uint64_t pause = 0) {
    try {
        const auto [code, doc] = call(
            admin, http::verb::post,
            pause == 0 ? std::string("/map") : "/map?pause=" + std::to_string(pause), token, text);
        if (code == 200 && doc.value("installed", false)) {
            return "";
        }
        return admin + " refused the map (" + std::to_string(code) + "): " + doc.dump();
    } catch (const std::exception& e) {
        return admin + ": " + e.what();
    }
}

/// Writers begun before pause `id` still open in its scope on one proxy; nullopt when the
/// proxy no longer has the pause (restarted, or resumed by someone else).
std::optional<std::uint64_t> open_writers(const std::string& admin, const std::string& token,
                                          std::uint64_t id) {
    const auto [code, doc] = call(admin, http::verb::get, "/pause", token);
    if (code != 200) {
        throw std::runtime_error(admin + "/pause answered " + std::to_string(code));
    }
    for (const auto& pause : doc.value("pauses", json::object()).value("active", json::array())) {
        if (pause.value("id", std::uint64_t{0}) == id) {
            return pause.value("open_writers", std::uint64_t{0});
        }
    }
    return std::nullopt;
}

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) {
        out += (out.empty() ? "" : ", ") + item;
    }
    return out;
}

} // namespace

std::map<std::string, std::uint64_t> admin_epochs(const std::vector<std::string>& admins,
                                                  const std::string& token_option) {
    const auto token = admin_token(token_option);
    std::map<std::string, std::uint64_t> epochs;
    for (const auto& admin : admins) {
        epochs[admin] = running_map(admin, token).second;
    }
    return epochs;
}

BarrierOutcome run_admin_barrier(const Barrier& request) {
    BarrierOutcome outcome;
    const auto token = admin_token(request.token);
    const auto proposed = sm::parse_shard_map(request.map_text, "the new map");
    std::map<std::string, std::string> old_maps; // admin URL -> the map it ran
    std::uint64_t current_epoch = 0;
    for (const auto& admin : request.admins) {
        try {
            const auto [text, epoch] = running_map(admin, token);
            if (proposed->epoch() <= epoch) {
                std::cerr << "shardctl: epoch " << proposed->epoch() << " is not greater than "
                          << admin << "'s epoch " << epoch << ": epochs only move forward\n";
                return outcome;
            }
            if (sm::parse_shard_map(text, admin)->find_database(request.database) == nullptr) {
                std::cerr << "shardctl: " << admin << "'s map has no database '" << request.database
                          << "'\n";
                return outcome;
            }
            old_maps[admin] = text;
            current_epoch = std::max(current_epoch, epoch);
        } catch (const std::exception& e) {
            std::cerr << "shardctl: " << e.what() << "\n";
            return outcome;
        }
    }
    const auto started = Clock::now();
    const auto deadline = started + std::chrono::milliseconds(request.deadline_ms);
    std::cout << "cutover (admin API): epoch " << current_epoch << " -> " << proposed->epoch()
              << ", writes to " << request.database << " " << request.table << " paused on "
              << request.admins.size() << " proxies (" << joined(request.admins) << ")\n";
    json pause{{"database", request.database},
               {"table", request.table},
               {"drain_ms", request.drain_ms},
               {"fence_ms", request.deadline_ms},
               {"warm", json::array()}};
    for (const auto& [from, to, shard] : request.warm) {
        pause["warm"].push_back({{"from", from}, {"to", to}, {"shard", shard}});
    }
    std::map<std::string, std::uint64_t> pauses;
    const auto resume_all = [&] {
        for (const auto& [admin, id] : pauses) {
            try {
                call(admin, http::verb::post, "/resume", token, json{{"id", id}}.dump());
            } catch (const std::exception& e) {
                std::cerr << "shardctl: " << admin << ": resume failed (" << e.what()
                          << "): its writes stay fenced until `POST /resume` reaches it\n";
            }
        }
    };
    const auto refuse = [&](const std::string& why) {
        resume_all();
        std::cerr << "shardctl: cutover rolled back: " << why << "; epoch " << current_epoch
                  << " goes on\n";
        return outcome;
    };
    for (const auto& admin : request.admins) {
        try {
            const auto [code, doc] = call(admin, http::verb::post, "/pause", token, pause.dump());
            if (code != 200) {
                return refuse(admin + " did not pause (" + std::to_string(code) +
                              "): " + doc.dump());
            }
            pauses[admin] = doc.value("id", std::uint64_t{0});
        } catch (const std::exception& e) {
            return refuse(admin + " did not pause: " + e.what());
        }
    }
    // Drained: nothing written under the old map can still commit in scope. Open transactions
    // get drain_ms to finish (the proxies fail their later writes in scope).
    const auto drain_until = started + std::chrono::milliseconds(request.drain_ms + 100);
    for (;;) {
        std::vector<std::string> open;
        try {
            for (const auto& [admin, id] : pauses) {
                const auto writers = open_writers(admin, token, id);
                if (!writers) {
                    return refuse(admin + " no longer has its pause (restarted?)");
                }
                if (*writers > 0) {
                    open.push_back(admin + ": " + std::to_string(*writers));
                }
            }
        } catch (const std::exception& e) {
            return refuse(e.what());
        }
        if (open.empty()) {
            break;
        }
        if (Clock::now() >= drain_until || Clock::now() >= deadline) {
            return refuse("transactions open since before the pause wrote in scope (" +
                          joined(open) + ")");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    outcome.paused_ms = ms_since(started);
    if (request.before_switch) {
        std::string why;
        if (!run_before_switch(request, why,
                               [&] { refuse("the check before the switch failed"); })) {
            return refuse(why);
        }
    }
    // A proxy restarted meanwhile lost its fence (and runs its file's map): no switch then.
    for (const auto& [admin, id] : pauses) {
        try {
            if (!open_writers(admin, token, id)) {
                return refuse(admin + " no longer has its pause (restarted?)");
            }
        } catch (const std::exception& e) {
            return refuse(e.what());
        }
    }
    std::vector<std::string> failed;
    for (const auto& admin : request.admins) {
        if (auto why = install(admin, token, request.map_text, pauses.at(admin)); !why.empty()) {
            failed.push_back(std::move(why));
            break;
        }
        failpoint("barrier.map_written"); // after the first proxy switched
    }
    if (!failed.empty()) {
        // Some proxies may run the new epoch: the old map again, under a newer epoch, on all.
        const auto back_epoch = proposed->epoch() + 1;
        for (const auto& [admin, text] : old_maps) {
            if (auto why = install(admin, token, with_epoch(text, back_epoch)); !why.empty()) {
                std::cerr << "shardctl: " << why << ": its writes stay fenced\n";
                pauses.erase(admin);
            }
        }
        resume_all();
        std::cerr << "shardctl: cutover rolled back: " << joined(failed) << "; the old map runs "
                  << "again as epoch " << back_epoch << "\n";
        outcome.rolled_back_epoch = back_epoch;
        return outcome;
    }
    outcome.switched_ms = ms_since(started);
    run_after_switch(request);
    resume_all();
    outcome.switched = true;
    outcome.resumed_ms = ms_since(started);
    std::cout << "cutover (admin API): all paused after " << outcome.paused_ms << " ms, epoch "
              << proposed->epoch() << " on all after " << outcome.switched_ms
              << " ms, writes resumed after " << outcome.resumed_ms << " ms\n";
    return outcome;
}

void end_admin_barrier(const std::vector<std::string>& admins, const std::string& token_option,
                       const std::string& database, const std::string& table,
                       const std::optional<std::string>& map_text) {
    const auto token = admin_token(token_option);
    if (map_text) {
        const auto epoch = sm::parse_shard_map(*map_text, "the step's map")->epoch();
        for (const auto& admin : admins) {
            if (running_map(admin, token).second < epoch) {
                if (const auto why = install(admin, token, *map_text); !why.empty()) {
                    throw std::runtime_error(why);
                }
            }
        }
    }
    for (const auto& admin : admins) {
        const auto [code, doc] = call(admin, http::verb::get, "/pause", token);
        if (code != 200) {
            throw std::runtime_error(admin + "/pause answered " + std::to_string(code));
        }
        for (const auto& pause :
             doc.value("pauses", json::object()).value("active", json::array())) {
            if (pause.contains("fence_ms") && pause.value("database", "") == database &&
                pause.value("table", "") == table) {
                call(admin, http::verb::post, "/resume", token,
                     json{{"id", pause.value("id", std::uint64_t{0})}}.dump());
            }
        }
    }
}

} // namespace shardctl
