// A stream's JSON form and its steps dispatched by engine (see reshard_stream.hpp).
#include "reshard_stream.hpp"

#include "reshard_mariadb.hpp"
#include "reshard_pg.hpp"

#include <algorithm>
#include <cstdlib>
#include <exception>
#include <fcntl.h>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <string_view>
#include <thread>
#include <unistd.h>

namespace shardctl::reshard {
namespace {

std::mutex pool_mutex;
std::multimap<std::string, std::unique_ptr<shardgate::txn::SqlSession>> pool;

} // namespace

void SessionReturn::operator()(shardgate::txn::SqlSession* session) const {
    std::unique_ptr<shardgate::txn::SqlSession> owned(session);
    if (std::uncaught_exceptions() > exceptions) {
        return; // closed: a statement may have failed half way
    }
    const std::lock_guard lock(pool_mutex);
    pool.emplace(key, std::move(owned));
}

PooledSession
pooled_session(const ShardServer& server,
               const std::function<std::unique_ptr<shardgate::txn::SqlSession>()>& connect) {
    const auto key =
        server.host + ":" + std::to_string(server.port) + "/" + server.user + "/" + server.database;
    SessionReturn back{key, std::uncaught_exceptions()};
    {
        const std::lock_guard lock(pool_mutex);
        if (const auto found = pool.find(key); found != pool.end()) {
            auto session = std::move(found->second);
            pool.erase(found);
            return PooledSession(session.release(), std::move(back));
        }
    }
    return PooledSession(connect().release(), std::move(back));
}

nlohmann::json to_json(const Stream& stream) {
    auto tables = nlohmann::json::array();
    for (const auto& t : stream.tables) {
        tables.push_back({{"table", t.table},
                          {"key", t.key},
                          {"condition", t.condition},
                          {"whole_table", t.whole_table},
                          {"created_table", t.created_table},
                          {"identity_full", t.identity_full},
                          {"reference", t.reference},
                          {"ranges", t.ranges}});
    }
    return {{"from", stream.from},
            {"to", stream.to},
            {"name", stream.name},
            {"back", stream.back},
            {"tables", tables},
            {"max_rows_per_s", stream.max_rows_per_s},
            {"max_replica_lag_ms", stream.max_replica_lag_ms},
            {"replicas", stream.replicas},
            {"chunked_copy", stream.chunked_copy}};
}

Stream stream_from_json(const nlohmann::json& doc) {
    Stream stream;
    stream.from = doc.value("from", "");
    stream.to = doc.value("to", "");
    stream.name = doc.value("name", "");
    stream.back = doc.value("back", "");
    stream.max_rows_per_s = doc.value("max_rows_per_s", std::uint64_t{0});
    stream.max_replica_lag_ms = doc.value("max_replica_lag_ms", std::uint64_t{0});
    stream.replicas = doc.value("replicas", std::vector<std::string>{});
    stream.chunked_copy = doc.value("chunked_copy", false);
    for (const auto& t : doc.value("tables", nlohmann::json::array())) {
        stream.tables.push_back(
            {t.value("table", ""), t.value("key", ""), t.value("condition", ""),
             t.value("whole_table", false), t.value("created_table", false),
             t.value("identity_full", false), t.value("reference", false),
             t.value("ranges", std::vector<std::pair<std::string, std::string>>{})});
    }
    return stream;
}

nlohmann::json server_to_json(const ShardServer& server) {
    return {{"shard", server.shard},
            {"engine",
             server.engine == shardgate::txn::TwoPhaseEngine::mysql ? "mariadb" : "postgresql"},
            {"host", server.host},
            {"port", server.port},
            {"user", server.user},
            {"password", server.password},
            {"database", server.database}};
}

ShardServer server_from_json(const nlohmann::json& doc) {
    ShardServer s;
    s.shard = doc.value("shard", "");
    s.engine = doc.value("engine", "") == "mariadb" ? shardgate::txn::TwoPhaseEngine::mysql
                                                    : shardgate::txn::TwoPhaseEngine::postgresql;
    s.host = doc.value("host", "");
    s.port = doc.value("port", 0U);
    s.user = doc.value("user", "");
    s.password = doc.value("password", "");
    s.database = doc.value("database", "");
    return s;
}

void spawn_background(const nlohmann::json& doc, const std::string& log_name) {
    const char* folder = std::getenv("SHARDCTL_LOG_DIR");
    const std::string log =
        std::string(folder ? folder : "/tmp") + "/shardctl-reshard-" + log_name + ".log";
    // Everything the child needs is made before fork: after it only async-signal-safe calls.
    std::vector<std::string> variables{"SHARDCTL_APPLY=" + doc.dump()};
    for (char** e = environ; *e != nullptr; ++e) {
        if (std::string_view(*e).rfind("SHARDCTL_APPLY=", 0) != 0) {
            variables.emplace_back(*e);
        }
    }
    std::vector<char*> envp;
    for (auto& v : variables) {
        envp.push_back(v.data());
    }
    envp.push_back(nullptr);
    char arg0[] = "shardctl";
    char arg1[] = "reshard";
    char arg2[] = "apply";
    char* argv[] = {arg0, arg1, arg2, nullptr};
    const pid_t child = ::fork();
    if (child < 0) {
        throw std::runtime_error("cannot start shardctl reshard apply (fork failed)");
    }
    if (child > 0) {
        return;
    }
    ::setsid();
    const int in = ::open("/dev/null", O_RDONLY);
    const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    ::dup2(in, 0);
    ::dup2(out < 0 ? in : out, 1);
    ::dup2(out < 0 ? in : out, 2);
    ::close_range(3, ~0U, 0);
    ::execve("/proc/self/exe", argv, envp.data());
    static constexpr char failed[] = "shardctl: cannot start shardctl reshard apply (execve)\n";
    (void)!::write(2, failed, sizeof failed - 1);
    ::_exit(127);
}

int run_background(std::ostream& log) {
    const char* text = std::getenv("SHARDCTL_APPLY");
    if (text == nullptr) {
        log << "shardctl reshard apply is started by `reshard start|resume|cutover`\n";
        return 2;
    }
    const auto doc = nlohmann::json::parse(text, nullptr, false);
    ::unsetenv("SHARDCTL_APPLY");
    if (!doc.is_object()) {
        log << "shardctl reshard apply: SHARDCTL_APPLY is not a JSON object\n";
        return 2;
    }
    return doc.value("engine", "") == "postgresql" ? pg::copy_from_document(doc, log)
                                                   : mariadb::apply_from_document(doc, log);
}

std::size_t delete_chunk_rows(const Stream& stream) {
    return stream.max_rows_per_s == 0
               ? 5000
               : std::size_t(std::clamp<std::uint64_t>(stream.max_rows_per_s / 2, 100, 5000));
}

DeletePacer::DeletePacer(const Stream& stream, std::function<std::string()> lagging)
    : stream_(stream), lagging_(std::move(lagging)) {}

void DeletePacer::operator()(std::uint64_t rows) {
    using Clock = std::chrono::steady_clock;
    paced_ += rows;
    if (stream_.max_rows_per_s > 0) {
        std::this_thread::sleep_until(
            since_ + std::chrono::microseconds(paced_ * 1000000 / stream_.max_rows_per_s));
    }
    if (stream_.max_replica_lag_ms == 0 || stream_.replicas.empty() ||
        Clock::now() - checked_ < std::chrono::milliseconds(500)) {
        return;
    }
    bool waited = false;
    const auto began = Clock::now();
    for (;;) {
        checked_ = Clock::now();
        auto why = lagging_();
        if (!why.empty() && checked_ - began > std::chrono::minutes(5)) {
            // (a replica gone for good, or removed from the map since start: never wait forever)
            std::cerr << "shardctl: reshard " << stream_.name << ": waited 5 minutes (" << why
                      << "); deleting anyway\n";
            why.clear();
        }
        if (why.empty()) {
            if (waited) {
                std::cerr << "shardctl: reshard " << stream_.name << ": deleting again\n";
                since_ = Clock::now(); // the wait earns no burst
                paced_ = 0;
            }
            return;
        }
        if (!waited) {
            std::cerr << "shardctl: reshard " << stream_.name << ": the deletes on " << stream_.from
                      << " wait: " << why << "\n";
        }
        waited = true;
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
}

TableProgress count_moved(const TableMove& move, const std::string& quoted_table,
                          shardgate::txn::SqlSession& source, shardgate::txn::SqlSession* target) {
    TableProgress out{move.table, 0, 0, {}};
    // Rows per range by the first range whose condition they meet (ranges do not overlap).
    std::string which = "0";
    if (move.ranges.size() > 1) {
        which = "CASE";
        for (std::size_t i = 0; i < move.ranges.size(); ++i) {
            which += " WHEN (" + move.ranges[i].second + ") THEN " + std::to_string(i);
        }
        which += " END";
        for (const auto& [label, condition] : move.ranges) {
            out.ranges.push_back({label, 0, 0});
        }
    }
    const auto query = "SELECT " + which + ", count(*) FROM " + quoted_table + " WHERE " +
                       move.condition + " GROUP BY 1";
    const auto add = [&](shardgate::txn::SqlSession& session, bool copied) {
        for (const auto& row : session.query(query)) {
            const auto rows = std::stoull(row.at(1).value_or("0"));
            (copied ? out.rows_copied : out.rows_total) += rows;
            const auto i = std::stoull(row.at(0).value_or("0"));
            if (i < out.ranges.size()) {
                (copied ? out.ranges[i].rows_copied : out.ranges[i].rows_total) += rows;
            }
        }
    };
    add(source, false);
    if (target != nullptr) {
        add(*target, true);
    }
    return out;
}

std::optional<Difference>
compare_buckets(const std::string& table,
                const std::vector<shardgate::txn::SqlSession::Row>& source,
                const std::vector<shardgate::txn::SqlSession::Row>& target) {
    using Figures = std::pair<std::uint64_t, std::string>; // rows, checksum
    const auto by_bucket = [](const std::vector<shardgate::txn::SqlSession::Row>& rows) {
        std::map<std::string, Figures> out;
        for (const auto& row : rows) {
            out[row.at(0).value_or("")] = {std::stoull(row.at(1).value_or("0")),
                                           row.at(2).value_or("0")};
        }
        return out;
    };
    const auto a = by_bucket(source);
    const auto b = by_bucket(target);
    Difference d{table, 0, 0, true, {}};
    std::set<std::string> buckets;
    for (const auto& [bucket, figures] : a) {
        d.source_rows += figures.first;
        buckets.insert(bucket);
    }
    for (const auto& [bucket, figures] : b) {
        d.target_rows += figures.first;
        buckets.insert(bucket);
    }
    for (const auto& bucket : buckets) {
        const auto x = a.find(bucket);
        const auto y = b.find(bucket);
        if (x == a.end() || y == b.end() || x->second != y->second) {
            d.buckets.push_back(bucket);
            d.checksums_equal = false;
        }
    }
    if (d.buckets.empty()) {
        return std::nullopt;
    }
    return d;
}

RowCheck check_rows(const Mechanics& engine, const TableMove& move, const ShardServer& source,
                    const ShardServer& target, const Difference& difference, unsigned rounds,
                    const std::function<bool()>& caught_up) {
    RowCheck out;
    // The target read first: when the source's side is then the same as at the last look, the
    // target had applied everything up to a marker written after that look.
    auto dst = engine.row_hashes(move, target, difference.buckets, {});
    auto src = engine.row_hashes(move, source, difference.buckets, {});
    std::map<std::string, std::string> last; // id -> the source's hash at the last look
    const auto differs = [](const RowHashes& a, const RowHashes& b, const std::string& id) {
        const auto x = a.find(id);
        const auto y = b.find(id);
        return (x == a.end()) != (y == b.end()) ||
               (x != a.end() && x->second.hash != y->second.hash);
    };
    for (const auto* side : {&src, &dst}) {
        for (const auto& [id, row] : *side) {
            if (differs(src, dst, id) && !last.contains(id)) {
                const auto found = src.find(id);
                last[id] = found == src.end() ? "" : found->second.hash;
            }
        }
    }
    const auto first = last.size();
    std::map<std::string, RowHash> seen; // the latest look at each row in question
    for (const auto& [id, hash] : last) {
        seen[id] = src.contains(id) ? src[id] : dst[id];
    }
    for (unsigned round = 0; round < rounds && !last.empty(); ++round) {
        if (!caught_up()) {
            break;
        }
        std::vector<std::string> ids;
        for (const auto& [id, hash] : last) {
            ids.push_back(id);
        }
        dst = engine.row_hashes(move, target, {}, ids);
        src = engine.row_hashes(move, source, {}, ids);
        std::map<std::string, std::string> next;
        for (const auto& id : ids) {
            const auto now = src.contains(id) ? src[id].hash : std::string();
            if (src.contains(id) || dst.contains(id)) {
                seen[id] = src.contains(id) ? src[id] : dst[id];
            }
            if (!differs(src, dst, id)) {
                continue; // it was in flight
            }
            if (now != last[id]) {
                next[id] = now; // changed again: one more look
                continue;
            }
            (src.contains(id) ? out.different : out.extra).push_back(seen[id]);
        }
        last = std::move(next);
    }
    for (const auto& [id, hash] : last) {
        out.moving.push_back(seen[id]);
    }
    out.rechecked = first - out.different.size() - out.extra.size() - out.moving.size();
    return out;
}

std::string bucket_range(const std::string& bucket) {
    return "0x" + bucket + "00000000000000-0x" + bucket + "ffffffffffffff";
}

const Mechanics& engine(const ShardServer& server) {
    return server.engine == shardgate::txn::TwoPhaseEngine::mysql ? mariadb::mechanics
                                                                  : pg::mechanics;
}

} // namespace shardctl::reshard
