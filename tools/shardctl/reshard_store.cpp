// A resharding workflow's state and lock: in etcd, or in a table on a designated shard.
// docs/resharding.md.
#include "reshard_store.hpp"

#include "admin_http.hpp"
#include "commands.hpp"
#include "cutover.hpp"
#include "shardgate/proxy/etcd_client.hpp"
#include "shardgate/shardmaps/loader.hpp"
#include "shardgate/txn/resolver.hpp"

#include <array>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>
#include <unistd.h>

namespace shardctl::reshard {
namespace {

namespace http = boost::beast::http;
namespace sm = shardgate::shardmaps;
namespace sp = shardgate::proxy;
namespace tx = shardgate::txn;

std::string host_name() {
    std::array<char, 256> name{};
    ::gethostname(name.data(), name.size() - 1);
    return name.data();
}

/// A proxy's registration (JSON text) lists run `started` of workflow `name` as read.
bool lists_run(const std::string& registration, const std::string& name, std::int64_t started) {
    const auto proxy = nlohmann::json::parse(registration, nullptr, false);
    if (!proxy.is_object()) {
        return true; // (not a proxy's registration)
    }
    const auto known = proxy.find("workflows");
    if (known == proxy.end() || !known->is_object()) {
        return false;
    }
    const auto run = known->find(name);
    return run != known->end() && run->is_number_integer() && run->get<std::int64_t>() == started;
}

class EtcdWorkflowStore final : public WorkflowStore {
public:
    explicit EtcdWorkflowStore(const StoreOptions& o)
        : etcd_({o.etcd}), key_(o.prefix + "/reshard/" + o.name), prefix_(o.prefix) {}
    ~EtcdWorkflowStore() override {
        {
            const std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        wake_.notify_all();
        if (keeper_.joinable()) {
            keeper_.join();
        }
        if (lease_ != 0) {
            try {
                etcd_.revoke(lease_);
            } catch (const std::exception&) {
                // the lease expires on its own
            }
        }
    }
    EtcdWorkflowStore(const EtcdWorkflowStore&) = delete;
    EtcdWorkflowStore& operator=(const EtcdWorkflowStore&) = delete;

    std::optional<std::string> load() const override {
        const auto stored = etcd_.get(key_);
        return stored ? std::optional(stored->value) : std::nullopt;
    }
    void save(const std::string& doc) const override { etcd_.put(key_, doc); }

    /// A key under a lease this process keeps alive (renewed every 2 s; a shardctl killed -9
    /// lets it go within 6 s).
    bool lock() override {
        lease_ = etcd_.grant(6);
        const auto key = key_ + "/lock";
        const auto holder = host_name() + " " + std::to_string(::getpid());
        if (!etcd_.put_if(key, holder, 0, lease_)) {
            // A holder on this host that is gone (killed -9) lets go at once, not after its
            // lease's 6 s: its writes may be paused meanwhile.
            const auto stored = etcd_.get(key);
            std::istringstream text(stored ? stored->value : "");
            std::string host;
            pid_t pid = 0;
            if (!(text >> host >> pid) || host != host_name() || pid <= 0 || ::kill(pid, 0) == 0 ||
                errno != ESRCH) {
                return false;
            }
            etcd_.revoke(stored->lease);
            if (!etcd_.put_if(key, holder, 0, lease_)) {
                return false;
            }
        }
        keeper_ = std::thread([this] {
            std::unique_lock lock(mutex_);
            while (!wake_.wait_for(lock, std::chrono::seconds(2), [this] { return stopping_; })) {
                try {
                    etcd_.keepalive(lease_);
                } catch (const std::exception&) {
                    // etcd away for a moment: the next renewal may still be in time
                }
            }
        });
        return true;
    }

    std::map<std::string, std::uint64_t> running_epochs() const override {
        const auto map = etcd_.get(sp::etcd_map_key(prefix_));
        if (!map) {
            throw std::runtime_error("no map in etcd under " + sp::etcd_map_key(prefix_));
        }
        return {{"etcd", sm::parse_shard_map(map->value, "etcd")->epoch()}};
    }

    std::string where() const override { return "etcd " + prefix_; }

    std::vector<std::string> proxy_admins() const override {
        std::vector<std::string> admins;
        for (const auto& entry : etcd_.list(sp::etcd_proxy_key(prefix_, ""))) {
            const auto doc = nlohmann::json::parse(entry.value, nullptr, false);
            if (doc.is_object() && !doc.value("admin", "").empty()) {
                admins.push_back("http://" + doc.value("admin", ""));
            }
        }
        return admins;
    }

    void publish_shadow(const std::string& spec) const override {
        etcd_.put(prefix_ + "/shadow", spec);
    }

    std::vector<std::string> announce(const std::string& doc, bool wait) const override {
        const auto workflow = nlohmann::json::parse(doc, nullptr, false);
        const auto name = workflow.is_object() ? workflow.value("name", "") : "";
        const auto started =
            workflow.is_object() ? workflow.value("started_ms", std::int64_t{0}) : std::int64_t{0};
        // Proxies read the workflows every 250 ms and list them in their registration.
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
        for (;;) {
            std::vector<std::string> problems;
            try {
                for (const auto& entry : etcd_.list(sp::etcd_proxy_key(prefix_, ""))) {
                    if (!lists_run(entry.value, name, started)) {
                        problems.push_back("proxy " + entry.key +
                                           " has not read this run of the workflow from etcd");
                    }
                }
            } catch (const std::exception& e) {
                problems = {std::string("etcd: ") + e.what()};
            }
            if (problems.empty() || !wait || std::chrono::steady_clock::now() >= deadline) {
                return problems;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }

private:
    sp::EtcdClient etcd_;
    std::string key_;
    std::string prefix_;
    std::int64_t lease_ = 0;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread keeper_;
};

/// A string literal both engines read back exactly, whatever it holds (hex-encoded bytes).
std::string literal(tx::TwoPhaseEngine engine, const std::string& text) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(text.size() * 2);
    for (const unsigned char c : text) {
        hex += digits[c >> 4];
        hex += digits[c & 15];
    }
    return engine == tx::TwoPhaseEngine::postgresql
               ? "convert_from(decode('" + hex + "', 'hex'), 'UTF8')"
               : "CONVERT(X'" + hex + "' USING utf8mb4)";
}

std::string from_hex(const std::string& hex) {
    std::string out;
    out.reserve(hex.size() / 2);
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
        out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
    }
    return out;
}

/// The primary of the state shard (`o.state_shard`, else the first shard of the first
/// database) in the map `text`.
tx::ShardServer state_server(const std::string& text, const StoreOptions& o) {
    const auto map = sm::parse_shard_map(text, "the map");
    for (const auto& db : map->databases()) {
        if (db.shards().empty() ||
            (!o.state_shard.empty() && !db.find_shard(o.state_shard).has_value())) {
            continue;
        }
        const auto shard = o.state_shard.empty() ? db.shards().front().name : o.state_shard;
        for (auto& server : tx::primaries(db, or_env(o.user, "SHARDGATE_USER"),
                                          or_env(o.password, "SHARDGATE_PASSWORD"))) {
            if (server.shard == shard) {
                return server;
            }
        }
    }
    throw std::runtime_error("the map has no shard " + o.state_shard +
                             " for the workflow state (--state-shard)");
}

class ShardWorkflowStore final : public WorkflowStore {
public:
    explicit ShardWorkflowStore(const StoreOptions& o) : options_(o) {
        auto text = o.map_text;
        if (text.empty()) {
            std::string why;
            for (const auto& admin : o.admins) {
                try {
                    const auto answer = admin_request(parse_admin_url(admin), http::verb::get,
                                                      "/map", admin_token(o.token));
                    if (answer.result() == http::status::ok) {
                        text = answer.body();
                        break;
                    }
                    why = admin + "/map answered " + std::to_string(answer.result_int());
                } catch (const std::exception& e) {
                    why = admin + ": " + e.what();
                }
            }
            if (text.empty()) {
                throw std::runtime_error("no proxy told its map (" + why + ")");
            }
        }
        server_ = state_server(text, o);
        if (!o.target_map_text.empty()) {
            // The state must stay reachable under the map the workflow switches to.
            const auto after = state_server(o.target_map_text, o);
            if (after.host != server_.host || after.port != server_.port ||
                after.database != server_.database) {
                throw std::runtime_error("the state shard " + server_.shard +
                                         " has another primary in the target map: choose a "
                                         "--state-shard that keeps its primary");
            }
        }
        session_ = tx::connect(server_, std::chrono::seconds(5));
        session_->query(postgres() ? "CREATE TABLE IF NOT EXISTS shardgate_reshard_workflows ("
                                     "name text PRIMARY KEY, doc text NOT NULL, "
                                     "saved_at timestamptz NOT NULL DEFAULT now())"
                                   : "CREATE TABLE IF NOT EXISTS shardgate_reshard_workflows ("
                                     "name varchar(64) CHARACTER SET utf8mb4 PRIMARY KEY, "
                                     "doc longtext CHARACTER SET utf8mb4 NOT NULL, "
                                     "saved_at timestamp(3) NOT NULL DEFAULT current_timestamp(3))"
                                     " ENGINE = InnoDB");
    }

    std::optional<std::string> load() const override {
        // MariaDB: as hex, whatever the connection's character set.
        const auto rows =
            session_->query(std::string(postgres() ? "SELECT doc" : "SELECT HEX(doc)") +
                            " FROM shardgate_reshard_workflows WHERE name = " +
                            literal(server_.engine, options_.name));
        if (rows.empty() || rows.front().empty() || !rows.front().front()) {
            return std::nullopt;
        }
        return postgres() ? *rows.front().front() : from_hex(*rows.front().front());
    }

    void save(const std::string& doc) const override {
        const auto name = literal(server_.engine, options_.name);
        const auto value = literal(server_.engine, doc);
        session_->query(postgres()
                            ? "INSERT INTO shardgate_reshard_workflows (name, doc) VALUES (" +
                                  name + ", " + value +
                                  ") ON CONFLICT (name) DO UPDATE SET doc = EXCLUDED.doc, "
                                  "saved_at = now()"
                            : "INSERT INTO shardgate_reshard_workflows (name, doc) VALUES (" +
                                  name + ", " + value +
                                  ") ON DUPLICATE KEY UPDATE doc = VALUES(doc), "
                                  "saved_at = current_timestamp(3)");
    }

    /// A session lock of the state shard's server, held by this process's connection.
    bool lock() override {
        const auto key = literal(server_.engine, "shardgate_reshard_" + options_.name);
        const auto rows = session_->query(
            postgres() ? "SELECT pg_try_advisory_lock(hashtextextended(" + key + ", 0))"
                       : "SELECT GET_LOCK(" + key + ", 0)");
        const auto got = rows.empty() || rows.front().empty() ? std::nullopt : rows.front().front();
        return got && (*got == "t" || *got == "1");
    }

    std::map<std::string, std::uint64_t> running_epochs() const override {
        return admin_epochs(options_.admins, options_.token);
    }

    std::vector<std::string> proxy_admins() const override { return options_.admins; }

    std::vector<std::string> announce(const std::string& doc, bool) const override {
        std::vector<std::string> problems;
        for (const auto& admin : options_.admins) {
            try {
                const auto answer = admin_request(parse_admin_url(admin), http::verb::post,
                                                  "/reshard", admin_token(options_.token), doc);
                if (answer.result() != http::status::ok) {
                    problems.push_back(admin + "/reshard answered " +
                                       std::to_string(answer.result_int()) + ": " + answer.body());
                }
            } catch (const std::exception& e) {
                problems.push_back(admin + ": " + e.what());
            }
        }
        return problems;
    }

    void publish_shadow(const std::string& spec) const override {
        for (const auto& admin : options_.admins) {
            const auto answer = admin_request(parse_admin_url(admin), http::verb::post, "/shadow",
                                              admin_token(options_.token), spec);
            if (answer.result() != http::status::ok) {
                throw std::runtime_error(admin + "/shadow answered " +
                                         std::to_string(answer.result_int()) + ": " +
                                         answer.body());
            }
        }
    }

    std::string where() const override {
        return "shardgate_reshard_workflows on " + server_.shard + " (" + server_.host + ":" +
               std::to_string(server_.port) + ")";
    }

private:
    bool postgres() const { return server_.engine == tx::TwoPhaseEngine::postgresql; }

    StoreOptions options_;
    tx::ShardServer server_;
    std::unique_ptr<tx::SqlSession> session_;
};

} // namespace

std::unique_ptr<WorkflowStore> open_store(const StoreOptions& options) {
    if (options.admins.empty()) {
        return std::make_unique<EtcdWorkflowStore>(options);
    }
    return std::make_unique<ShardWorkflowStore>(options);
}

} // namespace shardctl::reshard
