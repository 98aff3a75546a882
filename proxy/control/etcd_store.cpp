// The map shared through etcd and the proxy registry (see etcd_store.hpp).
#include "shardgate/proxy/etcd_store.hpp"

#include "shardgate/proxy/reshard_board.hpp"

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <spdlog/spdlog.h>
#include <sstream>
#include <unistd.h>

namespace shardgate::proxy {

namespace {

constexpr auto poll_interval = std::chrono::milliseconds(20);

std::string listen_text(const ListenAddress& address) {
    return address.enabled() ? address.host + ":" + std::to_string(address.port) : "";
}

} // namespace

std::string initial_etcd_map(const Config& config) {
    const EtcdClient etcd(config.etcd_endpoints);
    const auto key = etcd_map_key(config.etcd_prefix);
    if (auto stored = etcd.get(key)) {
        return stored->value;
    }
    std::ifstream in(config.shard_map, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!etcd.put_if(key, text.str(), 0)) {
        // Another proxy seeded it first: take theirs.
        if (auto stored = etcd.get(key)) {
            return stored->value;
        }
    }
    spdlog::info("shardgate: etcd had no map under {}: seeded it from {}", key, config.shard_map);
    return text.str();
}

EtcdStore::EtcdStore(const Config& config, const BackendRegistry& registry, MapSource& maps)
    : config_(config), registry_(registry), maps_(maps), etcd_(config.etcd_endpoints) {}

EtcdStore::~EtcdStore() {
    stop();
}

std::vector<std::string> EtcdStore::publish(const std::string& yaml) const {
    try {
        etcd_.put(etcd_map_key(config_.etcd_prefix), yaml);
        return {};
    } catch (const EtcdError& e) {
        return {"etcd could not take the map: " + std::string(e.what())};
    }
}

void EtcdStore::start() {
    // (also with this proxy's cache off: other proxies may cache what it writes)
    registry_.cache().share_writes();
    // The resharding workflows before the first client: a MariaDB table in mid-move is read
    // filtered from the first read on (etcd away: the loop reads them once it answers).
    try {
        read_workflows();
    } catch (const std::exception& e) {
        spdlog::warn("shardgate: resharding workflows not read from etcd at start ({})", e.what());
    }
    thread_ = std::thread([this] { run(); });
}

void EtcdStore::share_cache_writes() {
    auto& cache = registry_.cache();
    if (lease_ == 0) {
        return; // published under the proxy's lease only (its notices go when it goes)
    }
    // One key per proxy and table, `<prefix>/cache/<proxy id>/<table>`, so two proxies writing
    // the same table never overwrite each other's notice. Tables not published because etcd
    // failed are kept for the next round (meanwhile the other proxies' entries of them live
    // until etcd answers again or their TTL ends).
    const auto prefix = config_.etcd_prefix + "/cache/";
    const auto own = prefix + registry_.proxy_id() + "/";
    const auto tables = cache.take_shared();
    for (std::size_t i = 0; i < tables.size(); ++i) {
        try {
            etcd_.put(own + tables[i], "written", lease_);
        } catch (const std::exception&) {
            // kept for the next round; the lease may have expired: renew it first
            cache.share_again({tables.begin() + static_cast<std::ptrdiff_t>(i), tables.end()});
            renew_now_ = true;
            throw;
        }
    }
    if (!cache.enabled()) {
        return; // nothing cached here to drop
    }
    auto newest = cache_revision_;
    for (const auto& entry : etcd_.list(prefix)) {
        const auto slash = entry.key.find('/', prefix.size());
        if (entry.mod_revision > cache_revision_ && slash != std::string::npos &&
            entry.key.compare(0, own.size(), own) != 0) {
            cache.invalidate(entry.key.substr(slash + 1));
        }
        newest = std::max(newest, entry.mod_revision);
    }
    cache_revision_ = newest;
}

void EtcdStore::stop() {
    {
        const std::lock_guard lock(mutex_);
        if (stopping_ && !thread_.joinable()) {
            return;
        }
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) {
        thread_.join();
    }
    if (lease_ != 0) {
        try {
            etcd_.revoke(lease_);
        } catch (const EtcdError&) {
            // the lease expires on its own
        }
        lease_ = 0;
    }
}

void EtcdStore::register_proxy() {
    const nlohmann::json doc{{"id", registry_.proxy_id()},
                             {"postgres", listen_text(config_.postgres_listen)},
                             {"mysql", listen_text(config_.mysql_listen)},
                             {"admin", listen_text(config_.admin_listen)},
                             {"epoch", registry_.map_epoch()},
                             {"health", "serving"},
                             {"pid", static_cast<long>(::getpid())},
                             {"workflows", known_workflows_}};
    if (lease_ == 0 || !etcd_.keepalive(lease_)) {
        lease_ = etcd_.grant(config_.etcd_lease_ttl_s);
        registered_epoch_ = 0;
    }
    if (registered_epoch_ != registry_.map_epoch() || registered_workflows_ != known_workflows_) {
        etcd_.put(etcd_proxy_key(config_.etcd_prefix, registry_.proxy_id()), doc.dump(), lease_);
        registered_epoch_ = registry_.map_epoch();
        registered_workflows_ = known_workflows_;
    }
}

void EtcdStore::follow_cutover() {
    const auto key = config_.etcd_prefix + "/cutover";
    const auto stored = etcd_.get(key);
    const auto doc =
        stored ? nlohmann::json::parse(stored->value, nullptr, false) : nlohmann::json();
    // Read without throwing: a wrongly typed id or phase counts as no cutover, so a pause
    // this proxy holds is resumed rather than kept by a document it cannot read.
    const auto text = [&doc](const char* field) {
        const auto found = doc.is_object() ? doc.find(field) : doc.end();
        return found != doc.end() && found->is_string() ? found->get<std::string>() : std::string();
    };
    const std::string id = text("id");
    const std::string phase = text("phase");
    auto& pauses = registry_.pauses();
    const auto ack = [&](const std::string& what) {
        etcd_.put(key + "/" + id + "/acks/" + registry_.proxy_id(), what);
    };
    const bool ended = id.empty() || phase == "resume" || phase == "abort";
    if (!cutover_id_.empty() && (ended || id != cutover_id_)) {
        pauses.resume(cutover_pause_); // the outcome is known: writes go on
        spdlog::info("shardgate: cutover {} {}: writes resume under epoch {}", cutover_id_,
                     phase.empty() ? "ended" : phase, registry_.map_epoch());
        cutover_id_.clear();
        cutover_pause_ = 0;
    }
    if (ended) {
        return;
    }
    if (cutover_id_.empty() && phase == "pause") {
        PauseScope scope;
        scope.database = doc.value("database", "");
        scope.table = doc.value("table", "");
        // No deadline of its own: only the barrier's outcome ends it (fencing). A write waits
        // at most the barrier's deadline, then fails rather than go on under the old map.
        const auto drain = std::chrono::milliseconds(doc.value("drain_ms", 200));
        cutover_pause_ = pauses.pause(std::move(scope), std::chrono::hours(24), drain,
                                      std::chrono::milliseconds(doc.value("deadline_ms", 3000)));
        cutover_id_ = id;
        cutover_drain_until_ = std::chrono::steady_clock::now() + drain;
        warm(doc);
        acked_pause_ = false;
        acked_switch_ = false;
        spdlog::info("shardgate: cutover {}: writes to {} {} paused", id, doc.value("database", ""),
                     doc.value("table", ""));
    }
    if (cutover_id_ == id && !acked_pause_) {
        // Acknowledged once no writer that began before the pause can still write (or commit)
        // in scope under the old map.
        const auto* db = registry_.map().find_database(doc.value("database", ""));
        const auto open = db ? pauses.undrained(cutover_pause_, *db) : 0;
        if (open == 0) {
            ack("paused");
            acked_pause_ = true;
        } else if (std::chrono::steady_clock::now() >= cutover_drain_until_) {
            ack("undrained: " + std::to_string(open) +
                " transactions open since before the pause wrote in scope");
            acked_pause_ = true;
        }
        return;
    }
    if (cutover_id_ == id && phase == "switch" && !acked_switch_ && doc.contains("epoch") &&
        doc["epoch"].is_number_unsigned() &&
        registry_.map_epoch() >= doc["epoch"].get<std::uint64_t>()) {
        ack("switched");
        acked_switch_ = true;
    }
}

void EtcdStore::warm(const nlohmann::json& barrier) const {
    const auto requests = parse_warmups(barrier.value("warm", nlohmann::json::array()));
    if (!requests.empty() && warmer_) {
        warmer_(requests); // the connections open while writes are paused
    }
}

void EtcdStore::follow_shadow() {
    const auto now = std::chrono::steady_clock::now();
    if (now < shadow_read_ + std::chrono::milliseconds(250)) {
        return;
    }
    shadow_read_ = now;
    const auto stored = etcd_.get(config_.etcd_prefix + "/shadow");
    const auto text = stored ? stored->value : std::string();
    if (text == shadow_text_) {
        return;
    }
    const auto doc =
        text.empty() ? nlohmann::json{{"sample", 0}} : nlohmann::json::parse(text, nullptr, false);
    if (const auto refused = registry_.shadow().configure(doc); !refused.empty()) {
        spdlog::warn("shardgate: shadow reads from etcd refused: {}", refused);
    }
    shadow_text_ = text;
}

void EtcdStore::read_workflows() {
    const auto now = std::chrono::steady_clock::now();
    if (now < workflows_read_ + std::chrono::milliseconds(250)) {
        return;
    }
    workflows_read_ = now;
    const auto prefix = config_.etcd_prefix + "/reshard/";
    auto list = nlohmann::json::array();
    auto known = nlohmann::json::object();
    BackendRegistry::SplitTables split;
    const auto map = registry_.map_of(registry_.map_epoch());
    for (const auto& entry : etcd_.list(prefix)) {
        if (entry.key.find('/', prefix.size()) != std::string::npos) {
            continue; // a workflow's lock
        }
        auto doc = nlohmann::json::parse(entry.value, nullptr, false);
        if (!doc.is_object()) {
            continue;
        }
        note_split_tables(*map, doc, split, workflow_maps_);
        const auto name = doc.find("name");
        const auto started = doc.find("started_ms");
        if (name != doc.end() && name->is_string()) {
            known[name->get<std::string>()] = started != doc.end() && started->is_number_integer()
                                                  ? started->get<std::int64_t>()
                                                  : std::int64_t{0};
        }
        doc.erase("from_map"); // the maps are in GET /map and in the files
        doc.erase("to_map");
        list.push_back(std::move(doc));
    }
    workflow_maps_.forget_unused();
    registry_.set_split_tables(std::move(split)); // (before the registration says it knows)
    known_workflows_ = std::move(known);
    const std::lock_guard lock(workflows_mutex_);
    workflows_ = std::move(list);
}

nlohmann::json EtcdStore::workflows() const {
    const std::lock_guard lock(workflows_mutex_);
    return {{"workflows", workflows_}};
}

void EtcdStore::run() {
    const auto key = etcd_map_key(config_.etcd_prefix);
    auto renew = std::chrono::steady_clock::time_point{};
    const auto renew_every = std::chrono::milliseconds(config_.etcd_lease_ttl_s * 1000 / 3);
    bool reported = false;
    // A document in etcd with a field of the wrong type (written by hand) is skipped, logged
    // once while it stays so, and the other steps go on (the lease's renewal above all);
    // etcd's own errors go to the catch below.
    std::map<std::string, std::string> malformed; // step -> what was logged
    const auto guarded = [&malformed](const char* step, const auto& run_step) {
        try {
            run_step();
            malformed.erase(step);
        } catch (const nlohmann::json::exception& e) {
            if (malformed[step] != e.what()) {
                spdlog::error("shardgate: etcd: ignoring a malformed {} document: {}", step,
                              e.what());
                malformed[step] = e.what();
            }
        }
    };
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        lock.unlock();
        try {
            if (const auto stored = etcd_.get(key);
                stored && stored->mod_revision != seen_revision_) {
                seen_revision_ = stored->mod_revision;
                const auto outcome = maps_.adopt(stored->value, "etcd " + key);
                for (const auto& problem : outcome.problems) {
                    spdlog::warn("shardgate: the map in etcd (revision {}) is not installed: {}",
                                 seen_revision_, problem);
                }
            }
            guarded("cutover", [this] { follow_cutover(); });
            guarded("workflow", [this] { read_workflows(); });
            guarded("shadow", [this] { follow_shadow(); });
            const auto now = std::chrono::steady_clock::now();
            if (now >= renew || renew_now_ || registered_epoch_ != registry_.map_epoch() ||
                registered_workflows_ != known_workflows_) {
                renew_now_ = false;
                register_proxy();
                renew = now + renew_every;
            }
            share_cache_writes(); // (after the lease is known good)
            if (reported) {
                spdlog::info("shardgate: etcd reachable again");
                reported = false;
            }
        } catch (const std::exception& e) {
            if (!reported) {
                spdlog::warn("shardgate: etcd unreachable ({}); the running map stays", e.what());
                reported = true;
            }
        }
        lock.lock();
        wake_.wait_for(lock, poll_interval, [this] { return stopping_; });
    }
}

} // namespace shardgate::proxy
