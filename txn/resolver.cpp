// The distributed-transaction resolver (see resolver.hpp): libpq (monitor::PgClient) and
// libmariadb sessions, each statement bounded by the timeout on the client side;
// listing prepared participants, reading and recording decisions, ending participants.
#include "shardgate/txn/resolver.hpp"

#include "shardgate/monitor/pg_client.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <mysql.h>
#include <set>

namespace shardgate::txn {

namespace {

unsigned whole_seconds(std::chrono::milliseconds timeout) {
    return static_cast<unsigned>(std::max<long long>(1, (timeout.count() + 999) / 1000));
}

class PgSession final : public SqlSession {
public:
    PgSession(const ShardServer& server, std::chrono::milliseconds timeout) {
        std::string conninfo;
        monitor::append_conninfo(conninfo, "host", server.host);
        monitor::append_conninfo(conninfo, "port", std::to_string(server.port));
        monitor::append_conninfo(conninfo, "user", server.user);
        monitor::append_conninfo(conninfo, "password", server.password);
        monitor::append_conninfo(conninfo, "dbname", server.database);
        monitor::append_conninfo(conninfo, "connect_timeout",
                                 std::to_string(whole_seconds(timeout)));
        monitor::append_conninfo(conninfo, "application_name", "shardgate-resolver");
        // A statement the client stops waiting for must not go on holding locks on the server:
        // the server ends it at the timeout, the client's deadline comes a little later. UTC
        // as the proxy's backend connections (shadow reads run clients' text planned as UTC).
        monitor::append_conninfo(
            conninfo, "options",
            fmt::format("-c statement_timeout={0} -c lock_timeout={0} -c TimeZone=UTC",
                        timeout.count()));
        monitor::append_conninfo_tls(conninfo, server.tls);
        connection_ =
            std::make_unique<monitor::PgClient>(conninfo, timeout + std::chrono::milliseconds(250));
    }

    std::vector<Row> query(const std::string& sql) override { return connection_->query(sql); }

private:
    std::unique_ptr<monitor::PgClient> connection_;
};

class MySession final : public SqlSession {
public:
    MySession(const ShardServer& server, std::chrono::milliseconds timeout) {
        mysql_ = mysql_init(nullptr);
        if (mysql_ == nullptr) {
            throw SqlError("HY000", "mysql_init failed", true);
        }
        const unsigned seconds = whole_seconds(timeout);
        mysql_options(mysql_, MYSQL_OPT_CONNECT_TIMEOUT, &seconds);
        mysql_options(mysql_, MYSQL_OPT_READ_TIMEOUT, &seconds);
        mysql_options(mysql_, MYSQL_OPT_WRITE_TIMEOUT, &seconds);
        monitor::apply_mysql_tls(mysql_, server.tls);
        if (mysql_real_connect(mysql_, server.host.c_str(), server.user.c_str(),
                               server.password.c_str(), server.database.c_str(), server.port,
                               nullptr, 0) == nullptr) {
            const std::string message = mysql_error(mysql_);
            mysql_close(mysql_);
            mysql_ = nullptr;
            throw SqlError("08S01", message, true);
        }
    }
    ~MySession() override {
        if (mysql_ != nullptr) {
            mysql_close(mysql_);
        }
    }
    MySession(const MySession&) = delete;
    MySession& operator=(const MySession&) = delete;

    std::vector<Row> query(const std::string& sql) override {
        if (mysql_real_query(mysql_, sql.data(), sql.size()) != 0) {
            fail();
        }
        MYSQL_RES* result = mysql_store_result(mysql_);
        if (result == nullptr) {
            // A connection lost while the rows are read also resets the field count
            // (libmariadb's end_server): only the error tells it from "no result set", and
            // taken for an empty result it made a resharding copy skip every row.
            if (mysql_errno(mysql_) != 0 || mysql_field_count(mysql_) != 0) {
                fail();
            }
            return {};
        }
        const unsigned count = mysql_num_fields(result);
        std::vector<Row> rows;
        while (MYSQL_ROW values = mysql_fetch_row(result)) {
            const unsigned long* lengths = mysql_fetch_lengths(result);
            Row row;
            for (unsigned i = 0; i < count; ++i) {
                row.push_back(values[i] == nullptr
                                  ? std::nullopt
                                  : std::optional<std::string>(std::string(values[i], lengths[i])));
            }
            rows.push_back(std::move(row));
        }
        mysql_free_result(result);
        return rows;
    }

private:
    [[noreturn]] void fail() {
        const unsigned code = mysql_errno(mysql_);
        // 2000-2999: client-side errors (lost connection, server gone).
        throw SqlError(mysql_sqlstate(mysql_), fmt::format("{} ({})", mysql_error(mysql_), code),
                       code >= 2000 && code < 3000);
    }
    MYSQL* mysql_ = nullptr;
};

/// The gid (gtrid) of one row of XA RECOVER: formatID, gtrid_length, bqual_length, data.
std::string xa_gid(const SqlSession::Row& row) {
    if (row.size() < 4) {
        return {};
    }
    const auto length = std::stoul(row[1].value_or("0"));
    return row[3].value_or("").substr(0, length);
}

/// host:port a MariaDB/MySQL server replicates from (its default connection); "" when none.
std::string replication_source(SqlSession& server) {
    const auto rows = server.query("SHOW SLAVE STATUS");
    if (rows.empty() || rows.front().size() < 4) {
        return {};
    }
    return fmt::format("{}:{}", rows.front()[1].value_or(""), rows.front()[3].value_or(""));
}

/// The table is missing: nothing was ever decided there.
bool missing_table(const SqlError& error) {
    return error.sqlstate() == "42P01" || error.sqlstate() == "42S02" ||
           error.sqlstate() == "3F000" || error.sqlstate() == "42000";
}

/// COMMIT/ROLLBACK PREPARED of a participant that is not prepared (any more).
bool not_prepared(const SqlError& error) {
    // PostgreSQL 42704 (prepared transaction does not exist); MariaDB XAER_NOTA (XAE04).
    return error.sqlstate() == "42704" || error.sqlstate() == "XAE04";
}

} // namespace

namespace {

/// The primaries (`replicas` false) or the replicas of `database`'s shards.
std::vector<ShardServer> servers(const shardmaps::Database& database, bool replicas,
                                 const std::string& user, const std::string& password,
                                 const monitor::ClientTls& tls) {
    const auto engine = database.engine() == shardmaps::Engine::postgresql
                            ? TwoPhaseEngine::postgresql
                            : TwoPhaseEngine::mysql;
    std::vector<ShardServer> out;
    for (const auto& shard : database.shards()) {
        if (!replicas) {
            out.push_back({shard.name, engine, shard.primary.host, shard.primary.port, user,
                           password, database.name(), tls});
            continue;
        }
        for (const auto& replica : shard.replicas) {
            out.push_back({shard.name, engine, replica.endpoint.host, replica.endpoint.port, user,
                           password, database.name(), tls});
        }
    }
    return out;
}

} // namespace

std::vector<ShardServer> primaries(const shardmaps::Database& database, const std::string& user,
                                   const std::string& password, const monitor::ClientTls& tls) {
    return servers(database, false, user, password, tls);
}

std::vector<ShardServer> replicas(const shardmaps::Database& database, const std::string& user,
                                  const std::string& password, const monitor::ClientTls& tls) {
    return servers(database, true, user, password, tls);
}

std::unique_ptr<SqlSession> connect(const ShardServer& server, std::chrono::milliseconds timeout) {
    if (server.engine == TwoPhaseEngine::postgresql) {
        return std::make_unique<PgSession>(server, timeout);
    }
    return std::make_unique<MySession>(server, timeout);
}

Resolver::Resolver(std::vector<ShardServer> shards, std::chrono::milliseconds timeout,
                   std::vector<ShardServer> replicas)
    : shards_(std::move(shards)), timeout_(timeout), replicas_(std::move(replicas)) {}

Resolver::~Resolver() = default;

SqlSession* Resolver::session(const std::string& shard, std::string& why) {
    if (auto found = sessions_.find(shard); found != sessions_.end()) {
        return found->second.get();
    }
    for (const auto& server : shards_) {
        if (server.shard != shard) {
            continue;
        }
        auto* opened = open_session(sessions_, shard, server, why);
        if (opened == nullptr) {
            why = fmt::format("shard {}: {}", shard, why);
        }
        return opened;
    }
    why = fmt::format("shard {} is not in the map", shard);
    return nullptr;
}

void Resolver::drop(const std::string& shard) {
    sessions_.erase(shard);
}

std::string Resolver::decision(const ShardServer& coordinator, const std::string& txn,
                               bool record) {
    const TwoPhaseSql sql{coordinator.engine};
    std::string why;
    auto* session = this->session(coordinator.shard, why);
    if (session == nullptr) {
        return "unknown: " + why;
    }
    try {
        if (record) {
            for (const auto& statement : sql.create_decision_table()) {
                try {
                    session->query(statement);
                } catch (const SqlError& error) {
                    if (error.connection()) {
                        throw;
                    }
                }
            }
            // Waits for a coordinator still committing this transaction: its own decision row
            // wins if it commits.
            session->query(sql.record_abort(txn));
        }
        const auto rows = session->query(sql.read_decision(txn));
        return rows.empty() || !rows.front().front() ? "none" : *rows.front().front();
    } catch (const SqlError& error) {
        if (error.connection()) {
            drop(coordinator.shard);
        } else if (!record && missing_table(error)) {
            return "none";
        }
        return fmt::format("unknown: shard {}: {}", coordinator.shard, error.what());
    }
}

Scan Resolver::scan() {
    Scan out;
    const auto now = std::chrono::steady_clock::now();
    std::set<std::string> present;
    for (const auto& server : shards_) {
        const TwoPhaseSql sql{server.engine};
        std::string why;
        auto* session = this->session(server.shard, why);
        if (session == nullptr) {
            out.errors.push_back(why);
            continue;
        }
        std::vector<SqlSession::Row> rows;
        try {
            rows = session->query(sql.list_prepared());
        } catch (const SqlError& error) {
            if (error.connection()) {
                drop(server.shard);
            }
            out.errors.push_back(fmt::format("shard {}: {}", server.shard, error.what()));
            continue;
        }
        for (const auto& row : rows) {
            std::string gid;
            if (server.engine == TwoPhaseEngine::postgresql) {
                gid = row.at(0).value_or("");
            } else {
                gid = xa_gid(row);
            }
            const auto parsed = parse_gid(gid);
            if (!parsed || parsed->participant != server.shard) {
                continue; // not shardgate's, or another database's branch on this server
            }
            const auto key = server.shard + "/" + gid;
            present.insert(key);
            const auto seen = first_seen_.try_emplace(key, now).first->second;
            PreparedTxn prepared{server.shard, gid, parsed->txn, parsed->coordinator, "", 0};
            prepared.seen_seconds = std::chrono::duration<double>(now - seen).count();
            out.prepared.push_back(std::move(prepared));
        }
    }
    std::erase_if(first_seen_, [&](const auto& entry) { return !present.contains(entry.first); });
    for (auto& prepared : out.prepared) {
        const auto coordinator =
            std::find_if(shards_.begin(), shards_.end(),
                         [&](const ShardServer& s) { return s.shard == prepared.coordinator; });
        prepared.decision =
            coordinator == shards_.end()
                ? "unknown: coordinator shard " + prepared.coordinator + " is not in the map"
                : decision(*coordinator, prepared.txn, false);
    }
    return out;
}

std::vector<Resolution> Resolver::resolve(std::chrono::milliseconds grace,
                                          std::vector<std::string>* scan_errors) {
    auto found = scan();
    if (scan_errors != nullptr) {
        *scan_errors = found.errors;
    }
    std::vector<Resolution> out;
    for (auto& prepared : found.prepared) {
        if (prepared.seen_seconds * 1000.0 < static_cast<double>(grace.count())) {
            continue; // perhaps a commit in progress: next time
        }
        Resolution resolution{prepared, ""};
        if (prepared.decision == "none") {
            const auto coordinator =
                std::find_if(shards_.begin(), shards_.end(),
                             [&](const ShardServer& s) { return s.shard == prepared.coordinator; });
            prepared.decision = decision(*coordinator, prepared.txn, true);
            resolution.prepared.decision = prepared.decision;
        }
        if (prepared.decision != "commit" && prepared.decision != "abort") {
            resolution.action = "left: decision " + prepared.decision;
            out.push_back(std::move(resolution));
            continue;
        }
        const auto server = std::find_if(shards_.begin(), shards_.end(), [&](const ShardServer& s) {
            return s.shard == prepared.shard;
        });
        const TwoPhaseSql sql{server->engine};
        std::string why;
        auto* session = this->session(prepared.shard, why);
        if (session == nullptr) {
            resolution.action = "left: " + why;
            out.push_back(std::move(resolution));
            continue;
        }
        const bool commit = prepared.decision == "commit";
        try {
            session->query(commit ? sql.commit_prepared(prepared.gid)
                                  : sql.rollback_prepared(prepared.gid));
            resolution.action = commit ? "committed" : "rolled back";
            first_seen_.erase(prepared.shard + "/" + prepared.gid);
        } catch (const SqlError& error) {
            if (error.connection()) {
                drop(prepared.shard);
            }
            resolution.action = not_prepared(error) ? "gone" : std::string("left: ") + error.what();
        }
        out.push_back(std::move(resolution));
    }
    return out;
}

std::size_t Resolver::forget(std::chrono::seconds age) {
    const auto found = scan();
    if (!found.errors.empty()) {
        return 0; // a shard that could not be listed may still hold a participant
    }
    std::set<std::string> prepared;
    for (const auto& one : found.prepared) {
        prepared.insert(one.txn);
    }
    // A branch its primary lost may still be prepared on a MariaDB replica: its decision is
    // what end_replica_orphans goes by (a forgotten `commit` would read as nothing decided).
    for (const auto& replica : replicas_) {
        if (replica.engine != TwoPhaseEngine::mysql) {
            continue;
        }
        std::string why;
        auto* session = replica_session(replica, why);
        if (session == nullptr) {
            return 0;
        }
        try {
            for (const auto& row : session->query("XA RECOVER")) {
                if (const auto parsed = parse_gid(xa_gid(row))) {
                    prepared.insert(parsed->txn);
                }
            }
        } catch (const SqlError& error) {
            if (error.connection()) {
                replica_sessions_.erase(fmt::format("{}:{}", replica.host, replica.port));
            }
            return 0;
        }
    }
    std::size_t forgotten = 0;
    for (const auto& server : shards_) {
        const TwoPhaseSql sql{server.engine};
        std::string why;
        auto* session = this->session(server.shard, why);
        if (session == nullptr) {
            continue;
        }
        try {
            for (const auto& row : session->query(sql.old_decisions(
                     static_cast<unsigned>(std::max<std::int64_t>(0, age.count()))))) {
                const auto txn = row.at(0).value_or("");
                if (!txn.empty() && !prepared.contains(txn)) {
                    session->query(sql.forget_decision(txn));
                    ++forgotten;
                }
            }
        } catch (const SqlError& error) {
            if (error.connection()) {
                drop(server.shard);
            }
        }
    }
    return forgotten;
}

std::string Resolver::replica_of(const std::string& shard) const {
    for (const auto& server : shards_) {
        if (server.shard == shard) {
            return fmt::format("{}:{}", server.host, server.port);
        }
    }
    return {};
}

std::string Resolver::orphan_key(const ShardServer& replica) {
    return fmt::format("{}:{}#{}", replica.host, replica.port, replica.shard);
}

SqlSession* Resolver::replica_session(const ShardServer& replica, std::string& why) {
    const auto key = fmt::format("{}:{}", replica.host, replica.port);
    if (auto found = replica_sessions_.find(key); found != replica_sessions_.end()) {
        return found->second.get();
    }
    return open_session(replica_sessions_, key, replica, why);
}

SqlSession* Resolver::open_session(std::map<std::string, std::unique_ptr<SqlSession>>& sessions,
                                   const std::string& key, const ShardServer& server,
                                   std::string& why) {
    try {
        auto session = connect(server, timeout_);
        auto* raw = session.get();
        sessions[key] = std::move(session);
        return raw;
    } catch (const SqlError& error) {
        why = fmt::format("cannot connect: {}", error.what());
        return nullptr;
    }
}

std::vector<Resolution> Resolver::end_replica_orphans(std::chrono::milliseconds grace,
                                                      std::vector<std::string>* errors) {
    std::vector<Resolution> out;
    for (const auto& replica : replicas_) {
        if (replica.engine != TwoPhaseEngine::mysql) {
            continue; // a PostgreSQL standby replays the primary's WAL, prepared or not
        }
        const auto address = fmt::format("{}:{}", replica.host, replica.port);
        const auto key = orphan_key(replica);
        try {
            end_orphans_on(replica, grace, out);
        } catch (const SqlError& error) {
            if (error.connection()) {
                replica_sessions_.erase(address);
                drop(replica.shard);
            }
            if (errors != nullptr) {
                errors->push_back(
                    fmt::format("{} replica {}: {}", replica.shard, address, error.what()));
            }
            // Not listable now: nothing is known about its branches (listed again next time).
            std::erase_if(orphan_seen_,
                          [&](const auto& entry) { return entry.first.rfind(key + "/", 0) == 0; });
        }
    }
    return out;
}

void Resolver::end_orphans_on(const ShardServer& replica, std::chrono::milliseconds grace,
                              std::vector<Resolution>& out) {
    // One server can be the replica of several shards (of other databases): keys per shard.
    const auto key = orphan_key(replica);
    const auto where = fmt::format("{} replica {}:{}", replica.shard, replica.host, replica.port);
    const auto forget_others = [&](const std::set<std::string>& keep) {
        std::erase_if(orphan_seen_, [&](const auto& entry) {
            return entry.first.rfind(key + "/", 0) == 0 &&
                   !keep.contains(entry.first.substr(key.size() + 1));
        });
    };
    std::string why;
    auto* on_replica = replica_session(replica, why);
    if (on_replica == nullptr) {
        throw SqlError("08S01", why, false); // reported; the sessions are already gone
    }
    const auto ours = [&](const std::vector<SqlSession::Row>& rows) {
        std::set<std::string> gids;
        for (const auto& row : rows) {
            const auto gid = xa_gid(row);
            const auto parsed = parse_gid(gid);
            if (parsed && parsed->participant == replica.shard) {
                gids.insert(gid);
            }
        }
        return gids;
    };
    const auto before = ours(on_replica->query("XA RECOVER"));
    if (before.empty()) {
        forget_others({});
        return;
    }
    // On the primary after the replica: a branch prepared on the replica and not on the
    // primary has ended there since (or was lost), and its end, if logged, is in the binary
    // log as it stands after this listing.
    auto* on_primary = session(replica.shard, why);
    if (on_primary == nullptr) {
        throw SqlError("08S01", why, false);
    }
    std::set<std::string> on_primary_now;
    for (const auto& row : on_primary->query("XA RECOVER")) {
        on_primary_now.insert(xa_gid(row));
    }
    std::vector<SqlSession::Row> position;
    try {
        position = on_primary->query("SELECT @@gtid_binlog_pos");
    } catch (const SqlError& error) {
        if (error.connection()) {
            throw;
        }
        forget_others({});
        return; // not MariaDB (no GTID position to compare): left to the operator
    }
    const auto binlog = position.empty() ? std::string() : position.front().at(0).value_or("");
    std::set<std::string> candidates;
    for (const auto& gid : before) {
        if (!on_primary_now.contains(gid)) {
            candidates.insert(gid);
        }
    }
    forget_others(candidates);
    if (candidates.empty()) {
        return;
    }
    const auto now = std::chrono::steady_clock::now();
    const TwoPhaseSql sql{TwoPhaseEngine::mysql};
    const auto reached = on_replica->query(
        fmt::format("SELECT MASTER_GTID_WAIT({}, 0)", sql_literal(TwoPhaseEngine::mysql, binlog)));
    const bool applied_all =
        !reached.empty() && reached.front().at(0).value_or("") == "0"; // 0: reached, -1: not yet
    const auto all_now = on_replica->query("XA RECOVER");
    const auto still = ours(all_now);
    bool blocked = false;
    if (!applied_all) {
        // The replication SQL thread has waited at least `grace` for a row lock held by a
        // transaction with no connection of its own (a prepared branch; a transaction that
        // crash recovery rolls back would be done by then).
        const auto waits = on_replica->query(fmt::format(
            "SELECT COUNT(*) FROM information_schema.INNODB_LOCK_WAITS w "
            "JOIN information_schema.INNODB_TRX r ON r.trx_id = w.requesting_trx_id "
            "JOIN information_schema.INNODB_TRX b ON b.trx_id = w.blocking_trx_id "
            "JOIN information_schema.PROCESSLIST p ON p.ID = r.trx_mysql_thread_id "
            "WHERE p.COMMAND IN ('Slave_SQL', 'Slave_worker') AND b.trx_mysql_thread_id = 0 "
            "AND r.trx_wait_started <= NOW() - INTERVAL {} SECOND",
            std::max<long long>(1, grace.count() / 1000)));
        blocked = !waits.empty() && waits.front().at(0).value_or("0") != "0";
    }
    for (const auto& gid : candidates) {
        if (!still.contains(gid)) {
            orphan_seen_.erase(key + "/" + gid); // its end was replicated meanwhile
            continue;
        }
        const auto seen = orphan_seen_.try_emplace(key + "/" + gid, now).first->second;
        const auto parsed = parse_gid(gid);
        Resolution resolution{PreparedTxn{where, gid, parsed->txn, parsed->coordinator, "",
                                          std::chrono::duration<double>(now - seen).count()},
                              ""};
        if (now - seen < grace) {
            continue;
        }
        if (!applied_all && !blocked) {
            continue; // a replica behind: its XA COMMIT/ROLLBACK may still be on the way
        }
        if (!applied_all && all_now.size() != 1) {
            resolution.action = fmt::format("left: replication waits for a lock of one of the {} "
                                            "branches prepared on the replica",
                                            all_now.size());
            out.push_back(std::move(resolution));
            continue;
        }
        // The server must replicate from the map's primary (not be a promoted one, or
        // replicate from elsewhere): what is missing there says nothing about it otherwise.
        if (auto source = replication_source(*on_replica); source != replica_of(replica.shard)) {
            resolution.action = fmt::format("left: the server replicates from {}, not from the "
                                            "shard's primary",
                                            source.empty() ? "nowhere" : source);
            out.push_back(std::move(resolution));
            continue;
        }
        // Only a transaction decided `abort` can only ever end in a rollback; recording the
        // abort when nothing was decided excludes a coordinator still committing (as resolve()
        // does). With `commit` decided, the primary either committed (the XA COMMIT is on its
        // way) or lost a committed change in its crash: never undone here.
        const auto coordinator =
            std::find_if(shards_.begin(), shards_.end(),
                         [&](const ShardServer& s) { return s.shard == parsed->coordinator; });
        if (coordinator == shards_.end()) {
            resolution.prepared.decision = "unknown: coordinator shard not in the map";
        } else {
            resolution.prepared.decision = decision(*coordinator, parsed->txn, false);
            if (resolution.prepared.decision == "none") {
                resolution.prepared.decision = decision(*coordinator, parsed->txn, true);
            }
        }
        if (resolution.prepared.decision != "abort") {
            resolution.action = "left: decision " + resolution.prepared.decision;
            out.push_back(std::move(resolution));
            continue;
        }
        // Only on this replica: logged, the rollback would be a transaction of the replica's
        // own (an errant GTID its replicas and a later failover would trip over).
        try {
            on_replica->query("SET SESSION sql_log_bin = 0");
        } catch (const SqlError& error) {
            if (error.connection()) {
                throw;
            }
            resolution.action = std::string("left: cannot keep the rollback out of the "
                                            "replica's binary log (BINLOG ADMIN): ") +
                                error.what();
            out.push_back(std::move(resolution));
            continue;
        }
        try {
            on_replica->query(sql.rollback_prepared(gid));
            resolution.action = "rolled back on the replica";
            orphan_seen_.erase(key + "/" + gid);
        } catch (const SqlError& error) {
            if (error.connection()) {
                throw;
            }
            resolution.action = not_prepared(error) ? "gone" : std::string("left: ") + error.what();
        }
        out.push_back(std::move(resolution));
    }
}

} // namespace shardgate::txn
