// Shadow reads: a sample of a workflow's reads run under the old and the new map and compared
// (see shadow_reads.hpp). docs/resharding.md, "Shadow reads".
#include "shardgate/proxy/shadow_reads.hpp"

#include "shardgate/proxy/log_format.hpp"
#include "shardgate/router/merge.hpp"
#include "shardgate/router/planner.hpp"
#include "shardgate/shardmaps/loader.hpp"
#include "shardgate/txn/resolver.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <map>
#include <random>
#include <spdlog/spdlog.h>

namespace shardgate::proxy {

struct ShadowReads::Spec {
    std::string workflow;
    std::string database;
    std::set<std::string> tables;
    /// Tables whose moving rows are on both shards (key ranges, not whole tables).
    std::set<std::string> split;
    double sample = 0;
    std::string map_text;
    shardmaps::ShardMapPtr map;
};

/// One layout's answer: how many rows, and the sum of their hashes.
struct ShadowReads::Answer {
    std::uint64_t rows = 0;
    std::uint64_t checksum = 0;
    std::vector<std::string> shards;
    bool operator==(const Answer& other) const {
        return rows == other.rows && checksum == other.checksum;
    }
};

namespace {

/// FNV-1a over a row's values, each with its length (NULL has its own marker).
std::uint64_t row_hash(const txn::SqlSession::Row& row) {
    std::uint64_t h = 0xcbf29ce484222325ull;
    const auto mix = [&h](std::string_view bytes) {
        for (const unsigned char c : bytes) {
            h = (h ^ c) * 0x100000001b3ull;
        }
    };
    for (const auto& value : row) {
        const auto size = value ? std::to_string(value->size()) : std::string("null");
        mix(size);
        mix("\x1f");
        if (value) {
            mix(*value);
        }
    }
    return h;
}

constexpr std::uint64_t max_rows = 10000;

/// Whether `sql` has the word INTO (SELECT ... INTO a table, a variable or a file): not a
/// pure read. (A string or identifier with that word makes the read skipped too.)
bool names_into(std::string_view sql) {
    const auto word_char = [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
    };
    for (std::size_t at = 0; at + 4 <= sql.size(); ++at) {
        const bool into = std::equal(
            sql.begin() + static_cast<std::ptrdiff_t>(at),
            sql.begin() + static_cast<std::ptrdiff_t>(at + 4), "into",
            [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
        if (into && (at == 0 || !word_char(sql[at - 1])) &&
            (at + 4 == sql.size() || !word_char(sql[at + 4]))) {
            return true;
        }
    }
    return false;
}

/// A cross-shard read whose answer is the shards' rows together, in any order.
bool plain_union(const router::Plan& plan) {
    const auto& m = plan.merge;
    return m.group_by.empty() && m.aggregates.empty() && !m.distinct && !m.has_limit &&
           !m.has_offset && !m.having && !m.window && router::hidden_columns(plan) == 0;
}

} // namespace

/// What the shadow thread keeps between comparisons: a session per server and a planner per
/// map and database.
class ShadowReads::Runner {
public:
    explicit Runner(const ShadowReads& owner) : owner_(owner) {}

    /// The answer of `sql` under `map`, or nullopt (and why) when the shadow cannot run it.
    /// `new_layout`: the workflow's target map, whose shards show the rows in mid-move to
    /// the shadow (PostgreSQL: shardgate.shadow_layout, see the row-level security policy).
    std::optional<Answer> answer(const shardmaps::ShardMapPtr& map, const std::string& database,
                                 const Job& job, bool new_layout, std::string& skipped) {
        const auto& sql = job.sql;
        const auto* db = map->find_database(database);
        if (db == nullptr) {
            skipped = "no database " + database;
            return std::nullopt;
        }
        auto& planner = planners_[{map.get(), database}];
        if (!planner) {
            planner = std::make_unique<router::Planner>(
                map, database,
                db->engine() == shardmaps::Engine::postgresql ? parser::Dialect::pg
                                                              : parser::Dialect::mysql);
            maps_.push_back(map); // the key stays valid
        }
        const auto plan = planner->route(sql);
        const bool postgres = db->engine() == shardmaps::Engine::postgresql;
        if (plan.kind != router::PlanKind::route &&
            !(plan.kind == router::PlanKind::scatter && plain_union(plan))) {
            skipped = std::string("a ") + std::string(router::plan_kind_name(plan.kind)) +
                      " plan that needs a merge";
            return std::nullopt;
        }
        if (postgres && new_layout && plan.kind == router::PlanKind::scatter &&
            std::any_of(plan.tables.begin(), plan.tables.end(),
                        [&](const auto& t) { return job.spec->split.contains(t); })) {
            // Until the cutover the source still shows the rows the target map gives away.
            skipped = "a cross-shard read of a table in mid-move under the new layout";
            return std::nullopt;
        }
        // MariaDB: each shard hides the rows it holds without owning them under `map`, as the
        // proxy's own reads do under the running map.
        std::vector<router::OwnershipFilter> filters;
        if (!postgres && plan.kind == router::PlanKind::scatter) {
            auto found = owner_.owned_rows_(*map, plan, sql, skipped);
            if (!found) {
                return std::nullopt;
            }
            if (!found->empty() &&
                (sql.find("/*!") != std::string::npos || sql.find("/*M!") != std::string::npos)) {
                skipped = "a cross-shard read of a table in mid-move with an executable comment";
                return std::nullopt;
            }
            filters = std::move(*found);
        }
        const auto servers = txn::primaries(*db, job.user, job.password, owner_.tls_);
        Answer out;
        for (std::size_t i = 0; i < plan.shard_names.size(); ++i) {
            const auto& shard = plan.shard_names[i];
            const auto server = std::find_if(servers.begin(), servers.end(),
                                             [&](const auto& s) { return s.shard == shard; });
            if (server == servers.end()) {
                skipped = "no primary for shard " + shard;
                return std::nullopt;
            }
            const auto leg = i < filters.size() && !filters[i].empty()
                                 ? router::shard_statement(plan, sql, filters[i]).value_or("")
                                 : sql;
            if (leg.empty()) {
                skipped = "no place for the ownership filter in a cross-shard read";
                return std::nullopt;
            }
            const auto rows = query(*server, leg, postgres, new_layout);
            if (!rows) {
                skipped = "an answer of more than 10,000 rows (or one MariaDB cannot wrap)";
                return std::nullopt;
            }
            for (const auto& row : *rows) {
                ++out.rows;
                out.checksum += row_hash(row);
            }
            out.shards.push_back(shard);
        }
        return out;
    }

private:
    /// The rows of `sql` on `server`, read in a read-only transaction that is rolled back, at
    /// most max_rows (nullopt when there are more); the session's locks are released after.
    std::optional<std::vector<txn::SqlSession::Row>>
    query(const txn::ShardServer& server, const std::string& sql, bool postgres, bool new_layout) {
        const auto key =
            fmt::format("{}:{}/{}/{}", server.host, server.port, server.database, server.user);
        auto& session = sessions_[key];
        if (!session) {
            session = txn::connect(server, owner_.timeout_);
        }
        try {
            session->query(postgres ? "BEGIN READ ONLY" : "START TRANSACTION READ ONLY");
            if (postgres && new_layout) {
                session->query("SET LOCAL shardgate.shadow_layout = 'new'");
            }
            std::optional<std::vector<txn::SqlSession::Row>> rows;
            try {
                // (the newline ends a trailing -- comment of the statement)
                rows = session->query(
                    fmt::format("SELECT * FROM ({}\n) sg_shadow LIMIT {}", sql, max_rows + 1));
            } catch (const txn::SqlError& e) {
                if (e.connection() || e.sqlstate() != "42S21") {
                    throw;
                }
                // MariaDB: a select list naming a column twice cannot be wrapped
            }
            session->query("ROLLBACK");
            session->query(postgres ? "SELECT pg_advisory_unlock_all()"
                                    : "SELECT RELEASE_ALL_LOCKS()");
            if (rows && rows->size() > max_rows) {
                rows.reset();
            }
            return rows;
        } catch (const std::exception&) {
            session.reset(); // its state is unknown: a new one next time
            throw;
        }
    }

    const ShadowReads& owner_;
    std::map<std::string, std::unique_ptr<txn::SqlSession>> sessions_;
    std::map<std::pair<const shardmaps::ShardMap*, std::string>, std::unique_ptr<router::Planner>>
        planners_;
    std::vector<shardmaps::ShardMapPtr> maps_;
};

ShadowReads::ShadowReads(monitor::ClientTls tls, std::chrono::milliseconds timeout,
                         RunningMap running, OwnedRows owned_rows)
    : tls_(std::move(tls)), timeout_(timeout), running_(std::move(running)),
      owned_rows_(std::move(owned_rows)) {}

ShadowReads::~ShadowReads() {
    {
        const std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) {
        thread_.join();
    }
}

std::string ShadowReads::configure(const nlohmann::json& doc) {
    if (!doc.is_object()) {
        return "the shadow spec must be a JSON object";
    }
    if ((doc.contains("sample") && !doc["sample"].is_number()) ||
        (doc.contains("tables") && !doc["tables"].is_array())) {
        return "sample must be a number and tables a list of table names";
    }
    for (const auto* field : {"workflow", "database", "map"}) {
        if (doc.contains(field) && !doc[field].is_string()) {
            return std::string(field) + " must be a string";
        }
    }
    const auto sample = doc.value("sample", 0.0);
    if (!(sample >= 0 && sample <= 1)) {
        return "sample must be between 0 and 1";
    }
    if (sample == 0 && doc.contains("workflow")) {
        const std::lock_guard lock(mutex_);
        if (spec_ && spec_->workflow != doc.value("workflow", "")) {
            return ""; // the end of another workflow's shadow: this one goes on
        }
    }
    std::shared_ptr<Spec> spec;
    if (sample > 0) {
        spec = std::make_shared<Spec>();
        spec->workflow = doc.value("workflow", "");
        spec->database = doc.value("database", "");
        spec->sample = sample;
        spec->map_text = doc.value("map", "");
        for (const auto& table : doc.value("tables", nlohmann::json::array())) {
            if (table.is_string()) {
                spec->tables.insert(table.get<std::string>());
            }
        }
        const auto split = doc.find("split");
        for (const auto& table :
             split != doc.end() && split->is_array() ? *split : nlohmann::json::array()) {
            if (table.is_string()) {
                spec->split.insert(table.get<std::string>());
            }
        }
        try {
            spec->map = shardmaps::parse_shard_map(spec->map_text, "the shadow's map");
        } catch (const std::exception& e) {
            return std::string("the shadow's map is not valid: ") + e.what();
        }
        if (spec->map->find_database(spec->database) == nullptr || spec->tables.empty()) {
            return "the shadow needs a \"database\" of its map and the moving \"tables\"";
        }
    }
    const std::lock_guard lock(mutex_);
    spec_ = spec;
    queue_.clear();
    since_ = std::chrono::steady_clock::now();
    offered_ = compared_ = settled_ = unsettled_ = mismatches_ = skipped_ = errors_ = dropped_ = 0;
    last_mismatch_ = nullptr;
    last_error_.clear();
    last_skipped_.clear();
    sample_.store(spec ? spec->sample : 0.0, std::memory_order_release);
    active_.store(spec != nullptr, std::memory_order_release);
    if (spec && !thread_.joinable()) {
        thread_ = std::thread([this] { run(); });
    }
    if (spec) {
        spdlog::info("shardgate: shadow reads of workflow {} ({} of the reads of {} in {})",
                     spec->workflow, sample, fmt::join(spec->tables, ", "), spec->database);
    }
    return "";
}

std::string ShadowReads::current() const {
    const std::lock_guard lock(mutex_);
    return spec_ ? spec_->workflow + "\n" + std::to_string(spec_->sample) + "\n" + spec_->map_text
                 : "";
}

bool ShadowReads::sampled(const router::Plan& plan, bool in_transaction) const {
    if (!active_.load(std::memory_order_acquire) || in_transaction || plan.is_write ||
        plan.statement != parser::StatementKind::select ||
        (plan.kind != router::PlanKind::route && plan.kind != router::PlanKind::scatter)) {
        return false;
    }
    thread_local std::minstd_rand random(std::random_device{}());
    const double draw = std::uniform_real_distribution<double>(0.0, 1.0)(random);
    return draw < sample_.load(std::memory_order_acquire);
}

void ShadowReads::offer_skipped(const router::Plan& plan, const std::string& why) {
    const std::lock_guard lock(mutex_);
    if (spec_ && plan.database == spec_->database &&
        std::any_of(plan.tables.begin(), plan.tables.end(),
                    [&](const auto& t) { return spec_->tables.contains(t); })) {
        ++offered_;
        ++skipped_;
        last_skipped_ = why;
    }
}

void ShadowReads::offer_sampled(const router::Plan& plan, std::string_view sql,
                                const std::string& user, const std::string& password,
                                std::string_view template_sql) {
    if (names_into(template_sql.empty() ? sql : template_sql)) {
        return;
    }
    const std::lock_guard lock(mutex_);
    if (!spec_ || plan.database != spec_->database) {
        return;
    }
    const auto in_scope = std::any_of(plan.tables.begin(), plan.tables.end(),
                                      [&](const auto& t) { return spec_->tables.contains(t); });
    if (!in_scope) {
        return;
    }
    ++offered_;
    if (queue_.size() >= 64) {
        ++dropped_;
        return;
    }
    queue_.push_back({spec_, std::string(sql), user, password});
    wake_.notify_one();
}

void ShadowReads::run() {
    Runner runner(*this);
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (stopping_) {
            return;
        }
        auto job = std::move(queue_.front());
        queue_.pop_front();
        lock.unlock();
        check(runner, job);
        lock.lock();
    }
}

void ShadowReads::check(Runner& runner, const Job& job) {
    try {
        compare(runner, job);
    } catch (const std::exception& e) {
        const std::lock_guard lock(mutex_);
        if (spec_ == job.spec) {
            ++errors_;
            last_error_ = e.what();
        }
    }
}

void ShadowReads::compare(Runner& runner, const Job& job) {
    const auto& spec = *job.spec;
    std::optional<Answer> before;
    std::optional<Answer> after;
    std::optional<Answer> previous; // the old layout's answer at the last look
    std::string skipped;
    // Looks at once, 0.3 s and 1.3 s later: a change still on its way to the new layout (a
    // workflow is ready with up to a second of lag) is in it by the last.
    constexpr std::array<std::chrono::milliseconds, 3> waits{std::chrono::milliseconds(0),
                                                             std::chrono::milliseconds(300),
                                                             std::chrono::milliseconds(1000)};
    for (std::size_t look = 0;; ++look) {
        std::this_thread::sleep_for(waits[look]);
        // The new layout first: a write that reaches it before the old layout is read is
        // in both answers; one that comes later changes the old answer (no verdict yet).
        after = runner.answer(spec.map, spec.database, job, true, skipped);
        before =
            after ? runner.answer(running_(), spec.database, job, false, skipped) : std::nullopt;
        const std::lock_guard lock(mutex_);
        if (spec_ != job.spec) {
            return; // the shadow changed meanwhile: its figures started again
        }
        if (!before || !after) {
            ++skipped_;
            last_skipped_ = skipped;
            return;
        }
        if (*before == *after) {
            ++(look == 0 ? compared_ : settled_);
            return;
        }
        if (previous && *previous == *before) {
            break; // the old layout's answer held still, the new one differs: a mismatch
        }
        if (look + 1 == waits.size()) {
            ++unsettled_; // the answer kept changing under writes: no verdict
            return;
        }
        previous = before;
    }
    const auto* db = spec.map->find_database(spec.database);
    router::Planner planner(spec.map, spec.database,
                            db->engine() == shardmaps::Engine::postgresql ? parser::Dialect::pg
                                                                          : parser::Dialect::mysql);
    nlohmann::json mismatch{{"workflow", spec.workflow},
                            {"database", spec.database},
                            {"fingerprint", planner.route(job.sql).fingerprint},
                            {"old_shards", before->shards},
                            {"old_rows", before->rows},
                            {"new_shards", after->shards},
                            {"new_rows", after->rows}};
    log_event(spdlog::level::warn, "shadow_mismatch", mismatch);
    const std::lock_guard lock(mutex_);
    if (spec_ == job.spec) {
        ++mismatches_;
        last_mismatch_ = std::move(mismatch);
    }
}

nlohmann::json ShadowReads::status() const {
    const std::lock_guard lock(mutex_);
    nlohmann::json doc{{"active", spec_ != nullptr},
                       {"offered", offered_},
                       {"compared", compared_},
                       {"settled", settled_},
                       {"unsettled", unsettled_},
                       {"mismatches", mismatches_},
                       {"skipped", skipped_},
                       {"errors", errors_},
                       {"dropped", dropped_},
                       {"queued", queue_.size()},
                       {"last_mismatch", last_mismatch_},
                       {"last_error", last_error_},
                       {"last_skipped", last_skipped_}};
    if (spec_) {
        doc["workflow"] = spec_->workflow;
        doc["database"] = spec_->database;
        doc["tables"] = spec_->tables;
        doc["sample"] = spec_->sample;
        doc["running_s"] =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - since_).count();
    }
    return doc;
}

} // namespace shardgate::proxy
