// shardctl cutover: switches every proxy sharing a map through etcd to a new map at one
// instant, with writes in a scope paused around the switch (the cutover barrier, docs/admin.md):
// (1) `<prefix>/cutover` phase pause, (2) every live proxy acknowledges the pause, (3) the new
// map is written (compare-and-swap) and the phase becomes switch, (4) every proxy acknowledges
// that it runs the new epoch, (5) phase resume. A proxy that does not acknowledge in time makes
// the barrier roll back: before the switch the phase becomes abort (the old epoch goes on);
// after it, the old map is written again under a newer epoch, then abort. `--abort` ends a
// barrier a controller left behind.
#include "commands.hpp"
#include "cutover.hpp"
#include "shardgate/proxy/etcd_client.hpp"
#include "shardgate/shardmaps/loader.hpp"

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

namespace shardctl {
namespace {

using nlohmann::json;
namespace sp = shardgate::proxy;
namespace sm = shardgate::shardmaps;
using Clock = std::chrono::steady_clock;

struct CutoverOptions {
    std::string map;
    std::string etcd = "127.0.0.1:2379";
    std::string prefix = "/shardgate";
    std::string database;
    std::string table;
    unsigned deadline_ms = 3000;
    unsigned drain_ms = 200;
    bool abort = false;
    std::vector<std::string> admins; ///< without etcd: the proxies' admin URLs
    std::string token;
};

/// Waits until every proxy of `ids` acknowledged `what` for cutover `id`, or the deadline.
std::set<std::string> missing_acks(const sp::EtcdClient& etcd, const std::string& prefix,
                                   const std::string& id, const std::set<std::string>& ids,
                                   const std::string& what, Clock::time_point deadline) {
    const auto acks_prefix = prefix + "/cutover/" + id + "/acks/";
    for (;;) {
        std::set<std::string> missing = ids;
        bool refused = false;
        for (const auto& ack : etcd.list(acks_prefix)) {
            const auto proxy = ack.key.substr(acks_prefix.size());
            if (ack.value == what) {
                missing.erase(proxy);
            } else if (ack.value.rfind("undrained", 0) == 0) {
                // Transactions open since before the pause still hold writes in scope.
                std::cerr << "shardctl: proxy " << proxy << ": " << ack.value << "\n";
                refused = true;
            }
        }
        if (missing.empty() || refused || Clock::now() >= deadline) {
            return missing;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

std::string joined(const std::set<std::string>& ids) {
    std::string out;
    for (const auto& id : ids) {
        out += (out.empty() ? "" : ", ") + id;
    }
    return out;
}

int run_cutover(const CutoverOptions& options) {
    if (options.abort && !options.admins.empty()) {
        std::cerr << "shardctl: --abort ends an etcd barrier; through the admin API, POST "
                     "/resume ends a proxy's pauses\n";
        return 1;
    }
    const auto cutover_key = options.prefix + "/cutover";
    if (options.abort) {
        std::cout << (end_barrier(options.etcd, options.prefix, "abort")
                          ? "cutover: aborted (writes resume)\n"
                          : "no open cutover under " + cutover_key + "\n");
        return 0;
    }
    Barrier barrier;
    barrier.etcd = options.etcd;
    barrier.prefix = options.prefix;
    barrier.database = options.database;
    barrier.table = options.table;
    barrier.deadline_ms = options.deadline_ms;
    barrier.drain_ms = options.drain_ms;
    barrier.admins = options.admins;
    barrier.token = options.token;
    if (!read_map_file(options.map, barrier.map_text)) {
        return 2;
    }
    return run_barrier(barrier).switched ? 0 : 1;
}

} // namespace

bool run_before_switch(const Barrier& request, std::string& why,
                       const std::function<void()>& undo) {
    try {
        return request.before_switch(why);
    } catch (const std::exception&) {
        undo(); // the proxies go on under the old map
        throw;
    }
}

void run_after_switch(const Barrier& request) {
    if (!request.after_switch) {
        return;
    }
    try {
        request.after_switch();
    } catch (const std::exception& e) {
        std::cerr << "shardctl: after the switch: " << e.what() << "\n";
    }
}

double ms_since(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

std::string with_epoch(const std::string& map_text, std::uint64_t epoch) {
    return std::regex_replace(map_text, std::regex("(^|\\n)epoch:[ \\t]*[0-9]+"),
                              "$1epoch: " + std::to_string(epoch),
                              std::regex_constants::format_first_only);
}

BarrierOutcome run_barrier(const Barrier& request) {
    if (!request.admins.empty()) {
        return run_admin_barrier(request);
    }
    BarrierOutcome outcome;
    const sp::EtcdClient etcd({request.etcd});
    const auto cutover_key = request.prefix + "/cutover";
    const auto proposed = sm::parse_shard_map(request.map_text, "the new map");
    const auto map_key = sp::etcd_map_key(request.prefix);
    const auto stored = etcd.get(map_key);
    if (!stored) {
        std::cerr << "shardctl: no map in etcd under " << map_key << "\n";
        return outcome;
    }
    const auto current = sm::parse_shard_map(stored->value, "etcd " + map_key);
    if (proposed->epoch() <= current->epoch()) {
        std::cerr << "shardctl: epoch " << proposed->epoch() << " is not greater than the shared "
                  << "epoch " << current->epoch() << ": epochs only move forward\n";
        return outcome;
    }
    if (current->find_database(request.database) == nullptr) {
        std::cerr << "shardctl: the map has no database '" << request.database << "'\n";
        return outcome;
    }
    std::set<std::string> ids;
    for (const auto& entry : etcd.list(sp::etcd_proxy_key(request.prefix, ""))) {
        const auto doc = json::parse(entry.value, nullptr, false);
        if (doc.is_object()) {
            ids.insert(doc.value("id", ""));
        }
    }
    std::mt19937_64 random(std::random_device{}());
    std::ostringstream id_text;
    id_text << std::hex << random();
    const auto id = id_text.str();
    json barrier{{"id", id},
                 {"phase", "pause"},
                 {"database", request.database},
                 {"table", request.table},
                 {"epoch", proposed->epoch()},
                 {"drain_ms", request.drain_ms},
                 {"deadline_ms", request.deadline_ms},
                 {"warm", json::array()}};
    for (const auto& [from, to, shard] : request.warm) {
        barrier["warm"].push_back({{"from", from}, {"to", to}, {"shard", shard}});
    }
    const auto write_phase = [&](const std::string& phase) {
        barrier["phase"] = phase;
        etcd.put(cutover_key, barrier.dump());
    };
    const auto started = Clock::now();
    const auto deadline = started + std::chrono::milliseconds(request.deadline_ms);
    std::cout << "cutover " << id << ": epoch " << current->epoch() << " -> " << proposed->epoch()
              << ", writes to " << request.database << " " << request.table << " paused on "
              << ids.size() << " proxies (" << joined(ids) << ")\n";
    write_phase("pause");
    if (const auto missing = missing_acks(etcd, request.prefix, id, ids, "paused", deadline);
        !missing.empty()) {
        write_phase("abort");
        std::cerr << "shardctl: cutover " << id << " rolled back: no pause from " << joined(missing)
                  << " within " << request.deadline_ms << " ms; epoch " << current->epoch()
                  << " goes on\n";
        return outcome;
    }
    outcome.paused_ms = ms_since(started);
    if (request.before_switch) {
        std::string why;
        if (!run_before_switch(request, why, [&] { write_phase("abort"); })) {
            write_phase("abort");
            std::cerr << "shardctl: cutover " << id << " rolled back: " << why << "; epoch "
                      << current->epoch() << " goes on\n";
            return outcome;
        }
    }
    if (!etcd.put_if(map_key, request.map_text, stored->mod_revision)) {
        write_phase("abort");
        std::cerr << "shardctl: cutover " << id << " rolled back: the map in etcd changed\n";
        return outcome;
    }
    failpoint("barrier.map_written");
    write_phase("switch");
    if (const auto missing = missing_acks(etcd, request.prefix, id, ids, "switched", deadline);
        !missing.empty()) {
        // Some proxies may run the new epoch: the old map again, under a newer epoch.
        etcd.put(map_key, with_epoch(stored->value, proposed->epoch() + 1));
        write_phase("abort");
        std::cerr << "shardctl: cutover " << id << " rolled back: " << joined(missing)
                  << " did not switch within " << request.deadline_ms << " ms; the old map runs "
                  << "again as epoch " << proposed->epoch() + 1 << "\n";
        outcome.rolled_back_epoch = proposed->epoch() + 1;
        return outcome;
    }
    outcome.switched_ms = ms_since(started);
    run_after_switch(request);
    write_phase("resume");
    outcome.switched = true;
    outcome.resumed_ms = ms_since(started);
    std::cout << "cutover " << id << ": all paused after " << outcome.paused_ms << " ms, epoch "
              << proposed->epoch() << " on all after " << outcome.switched_ms
              << " ms, writes resumed after " << outcome.resumed_ms << " ms\n";
    return outcome;
}

bool end_barrier(const std::string& etcd_endpoint, const std::string& prefix,
                 const std::string& phase) {
    const sp::EtcdClient etcd({etcd_endpoint});
    const auto cutover_key = prefix + "/cutover";
    const auto stored = etcd.get(cutover_key);
    auto doc = stored ? json::parse(stored->value, nullptr, false) : json();
    if (!doc.is_object() || doc.value("phase", "") == "resume" ||
        doc.value("phase", "") == "abort") {
        return false;
    }
    doc["phase"] = phase;
    etcd.put(cutover_key, doc.dump());
    return true;
}

void failpoint(const char* point) {
    const char* wanted = std::getenv("SHARDCTL_FAILPOINT");
    if (wanted == nullptr) {
        return;
    }
    if (std::string_view(wanted) == point) {
        std::cout.flush();
        ::raise(SIGKILL);
    }
    if (std::string_view(wanted) == std::string(point) + ":error") {
        throw std::runtime_error(std::string("failpoint ") + point);
    }
}

void register_cutover_command(CLI::App& app) {
    auto options = std::make_shared<CutoverOptions>();
    auto* cmd = app.add_subcommand(
        "cutover", "switch every proxy sharing the map in etcd (or every --admin proxy) to MAP, "
                   "writes in a scope paused around the switch");
    cmd->add_option("MAP", options->map, "the new shard map YAML file");
    cmd->add_option("--etcd", options->etcd, "etcd endpoint host:port (default 127.0.0.1:2379)");
    cmd->add_option("--prefix", options->prefix, "key prefix (default /shardgate)");
    cmd->add_option("--database", options->database, "logical database whose writes pause");
    cmd->add_option("--table", options->table, "only this table group's writes pause");
    cmd->add_option("--deadline-ms", options->deadline_ms,
                    "every proxy must acknowledge each step within this (default 3000)");
    cmd->add_option("--drain-ms", options->drain_ms,
                    "open transactions may finish within this (default 200)");
    cmd->add_flag("--abort", options->abort, "end a cutover a controller left behind");
    cmd->add_option("--admin", options->admins,
                    "without etcd: a proxy's admin URL (repeat for each proxy); the barrier runs "
                    "through their admin APIs");
    cmd->add_option("--token", options->token, "their admin token (else $SHARDGATE_ADMIN_TOKEN)");
    cmd->callback([options] {
        if (!options->abort && (options->map.empty() || options->database.empty())) {
            throw CLI::ValidationError("cutover needs MAP and --database (or --abort)");
        }
        int code = 1;
        try {
            code = run_cutover(*options);
        } catch (const std::exception& e) {
            std::cerr << "shardctl: cutover: " << e.what() << "\n";
        }
        if (code != 0) {
            throw CLI::RuntimeError(code);
        }
    });
}

} // namespace shardctl
