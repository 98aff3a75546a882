// MariaDB mechanics of `shardctl reshard` (see reshard_mariadb.hpp).
#include "reshard_mariadb.hpp"

#include "binlog_rows.hpp"
#include "placement_sql.hpp"
#include "shardgate/shardmaps/database.hpp"

// mysql.h first: mariadb_rpl.h uses its types.
#include <mysql.h>
// clang-format off
#include <mariadb_rpl.h>
// clang-format on

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <future>
#include <map>
#include <set>
#include <stdexcept>
#include <string_view>
#include <sys/types.h>
#include <thread>
#include <tuple>
#include <unistd.h>

namespace shardctl::reshard::mariadb {
namespace {

namespace sm = shardgate::shardmaps;
namespace tx = shardgate::txn;
using Session = PooledSession;
using Clock = std::chrono::steady_clock;

constexpr auto marker_table = "shardgate_reshard_marker";
constexpr auto position_table = "shardgate_reshard_stream";
constexpr std::size_t chunk_rows = 2000;
constexpr std::size_t statement_bytes = 4 << 20;

std::string lit(const std::string& text) {
    return sql_string(sm::Engine::mysql, text);
}

std::string qi(const std::string& name) {
    return sm::quoted_identifier(sm::Engine::mysql, name);
}

std::string scalar(tx::SqlSession& session, const std::string& sql) {
    const auto rows = session.query(sql);
    return rows.empty() || rows[0].empty() ? std::string() : rows[0][0].value_or("");
}

/// A deadlock (1213) or a lock wait timeout (1205): the server gave up on the statement or the
/// transaction because of another one's locks (the other stream's applier on the same target,
/// an application's transaction on the source), and the same work can simply be done again.
bool lock_conflict(const tx::SqlError& e) {
    const std::string_view what = e.what();
    return !e.connection() && (what.ends_with("(1213)") || what.ends_with("(1205)"));
}

/// How often the applier does the same work again after lock conflicts before it fails (and
/// says so in status): a deadlock is resolved in milliseconds, many in a row are not chance.
constexpr int lock_conflict_attempts = 20;

/// A session that reads and writes values exactly: utf8mb4, UTC for TIMESTAMP columns,
/// backslash escapes on and an explicit 0 kept in AUTO_INCREMENT columns.
Session open(const ShardServer& server) {
    return pooled_session(server, [&] {
        auto session = tx::connect(server, std::chrono::milliseconds(30000));
        session->query("SET NAMES utf8mb4, time_zone = '+00:00', sql_mode = "
                       "'NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION', foreign_key_checks = 0");
        return session;
    });
}

/// How a column's value is written as SQL.
enum class Kind { integer, binary, text };

std::string literal(const std::optional<std::string>& value, Kind kind) {
    if (!value) {
        return "NULL";
    }
    switch (kind) {
    case Kind::integer:
        return *value;
    case Kind::binary:
        return sm::sql_hex(*value);
    case Kind::text:
        break;
    }
    return lit(*value);
}

/// What the copy and the applier need to know about one moved table.
struct TableInfo {
    std::string name;
    std::string condition;
    std::vector<std::string> columns; ///< stored (not generated) columns
    std::vector<Kind> kinds;          ///< of `columns`
    std::vector<std::size_t> key;     ///< primary key columns, as indexes into `columns`
    std::vector<std::size_t> ordinal; ///< of each key column among all columns (binlog order)
    std::vector<bool> all_unsigned;   ///< every column, generated ones included
    std::string auto_increment;       ///< the AUTO_INCREMENT column, "" when none
};

Kind kind_of(const std::string& data_type) {
    static const std::set<std::string> integers = {"tinyint", "smallint", "mediumint", "int",
                                                   "bigint"};
    static const std::set<std::string> binaries = {"binary",     "varbinary", "tinyblob", "blob",
                                                   "mediumblob", "longblob",  "bit"};
    if (integers.contains(data_type)) {
        return Kind::integer;
    }
    return binaries.contains(data_type) ? Kind::binary : Kind::text;
}

TableInfo describe(tx::SqlSession& session, const TableMove& move) {
    TableInfo info;
    info.name = move.table;
    info.condition = move.condition;
    std::map<std::string, std::size_t> ordinal;
    std::map<std::string, std::size_t> stored;
    const auto columns = session.query(
        "SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, EXTRA FROM information_schema.COLUMNS WHERE "
        "TABLE_SCHEMA = DATABASE() AND TABLE_NAME = " +
        lit(move.table) + " ORDER BY ORDINAL_POSITION");
    for (const auto& c : columns) {
        const auto name = c[0].value_or("");
        const auto extra = c[3].value_or("");
        ordinal[name] = info.all_unsigned.size();
        info.all_unsigned.push_back(c[2].value_or("").find("unsigned") != std::string::npos);
        if (extra.find("GENERATED") != std::string::npos ||
            extra.find("PERSISTENT") != std::string::npos) {
            continue;
        }
        if (extra.find("auto_increment") != std::string::npos) {
            info.auto_increment = name;
        }
        stored[name] = info.columns.size();
        info.columns.push_back(name);
        info.kinds.push_back(kind_of(c[1].value_or("")));
    }
    if (columns.empty()) {
        throw std::runtime_error("no table " + move.table + " on the source");
    }
    static const std::set<std::string> followable = {
        "tinyint", "smallint", "mediumint", "int",  "bigint",   "char",
        "varchar", "binary",   "varbinary", "date", "datetime", "timestamp"};
    std::map<std::string, std::string> types;
    for (const auto& c : columns) {
        types[c[0].value_or("")] = c[1].value_or("");
    }
    for (const auto& k :
         session.query("SELECT COLUMN_NAME FROM information_schema.STATISTICS "
                       "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = " +
                       lit(move.table) + " AND INDEX_NAME = 'PRIMARY' ORDER BY SEQ_IN_INDEX")) {
        const auto name = k[0].value_or("");
        if (!stored.contains(name)) {
            throw std::runtime_error(move.table + ": a primary key on a generated column");
        }
        if (!followable.contains(types[name])) {
            throw std::runtime_error(move.table + ": primary key column " + name + " of type " +
                                     types[name] +
                                     " cannot be read from the binlog (integers, (var)char, "
                                     "(var)binary, date, datetime and timestamp can)");
        }
        info.key.push_back(stored[name]);
        info.ordinal.push_back(ordinal[name]);
    }
    if (info.key.empty()) {
        throw std::runtime_error(move.table +
                                 " has no primary key: MariaDB tables move online by key");
    }
    return info;
}

std::string column_list(const TableInfo& t) {
    std::string out;
    for (const auto& c : t.columns) {
        out += (out.empty() ? "" : ", ") + qi(c);
    }
    return out;
}

std::string key_columns(const TableInfo& t) {
    std::string out;
    for (const auto k : t.key) {
        out += (out.empty() ? "" : ", ") + qi(t.columns[k]);
    }
    return t.key.size() == 1 ? out : "(" + out + ")";
}

/// `WHERE` text for the rows after `last` in key order (composite keys spelt out, which
/// MariaDB turns into an index range).
std::string after_key(const TableInfo& t, const std::vector<std::optional<std::string>>& last) {
    std::string out;
    for (std::size_t i = 0; i < t.key.size(); ++i) {
        std::string term;
        for (std::size_t j = 0; j < i; ++j) {
            term += qi(t.columns[t.key[j]]) + " = " + literal(last[t.key[j]], t.kinds[t.key[j]]) +
                    " AND ";
        }
        term += qi(t.columns[t.key[i]]) + " > " + literal(last[t.key[i]], t.kinds[t.key[i]]);
        out += (out.empty() ? "(" : " OR (") + term + ")";
    }
    return out;
}

/// REPLACE statements writing `rows` (in `t.columns` order) on the target, each below
/// statement_bytes.
void replace_rows(tx::SqlSession& target, const TableInfo& t,
                  const std::vector<tx::SqlSession::Row>& rows) {
    const std::string head = "REPLACE INTO " + qi(t.name) + " (" + column_list(t) + ") VALUES ";
    std::string sql;
    for (const auto& row : rows) {
        std::string values = "(";
        for (std::size_t c = 0; c < t.columns.size(); ++c) {
            values += (c ? ", " : "") + literal(row[c], t.kinds[c]);
        }
        values += ")";
        if (!sql.empty() && sql.size() + values.size() > statement_bytes) {
            target.query(sql);
            sql.clear();
        }
        sql += (sql.empty() ? head : ", ") + values;
    }
    if (!sql.empty()) {
        target.query(sql);
    }
}

void ensure_tables(tx::SqlSession& session) {
    session.query(std::string("CREATE TABLE IF NOT EXISTS ") + marker_table +
                  " (stream VARCHAR(64) PRIMARY KEY, seq BIGINT NOT NULL)");
    session.query(std::string("CREATE TABLE IF NOT EXISTS ") + position_table +
                  " (name VARCHAR(64) PRIMARY KEY, gtid VARCHAR(2048) NOT NULL, copied INT NOT "
                  "NULL DEFAULT 0, stopped TINYINT NOT NULL DEFAULT 0, marker BIGINT NOT NULL "
                  "DEFAULT 0, event_time BIGINT NOT NULL DEFAULT 0, applied BIGINT NOT NULL "
                  "DEFAULT 0, error TEXT)");
}

void ensure_marker(tx::SqlSession& session, const std::string& stream) {
    session.query(std::string("INSERT IGNORE INTO ") + marker_table + " VALUES (" + lit(stream) +
                  ", 0)");
}

std::string lock_name(const std::string& position) {
    return lit("shardgate_reshard_" + position);
}

/// Stops the applier of `position` on `session` (its target) and waits until it has gone.
void stop_applier(tx::SqlSession& session, const std::string& position) {
    session.query(std::string("UPDATE ") + position_table +
                  " SET stopped = 1 WHERE name = " + lit(position));
    const auto deadline = Clock::now() + std::chrono::seconds(10);
    while (Clock::now() < deadline &&
           !scalar(session, "SELECT IS_USED_LOCK(" + lock_name(position) + ")").empty()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

void forget_position(tx::SqlSession& session, const std::string& position) {
    session.query(std::string("DELETE FROM ") + position_table + " WHERE name = " + lit(position));
}

/// Deletes `move`'s rows on `session`, `chunk` rows at a time (`after_chunk`: told each full
/// chunk's rows).
void delete_moved(tx::SqlSession& session, const TableMove& move,
                  const std::function<void(std::uint64_t)>& after_chunk = {},
                  std::size_t chunk = 5000) {
    for (;;) {
        session.query("DELETE FROM " + qi(move.table) + " WHERE " + move.condition + " LIMIT " +
                      std::to_string(chunk));
        const auto rows = scalar(session, "SELECT ROW_COUNT()");
        const auto deleted = std::stoull(rows.empty() ? "0" : rows);
        if (deleted < chunk) {
            return;
        }
        if (after_chunk) {
            after_chunk(deleted);
        }
    }
}

bool table_exists(tx::SqlSession& session, const std::string& table) {
    return scalar(session, "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
                           "DATABASE() AND TABLE_NAME = " +
                               lit(table)) != "0";
}

/// The source's binlog position at a consistent snapshot, as a GTID list.
std::string snapshot_position(tx::SqlSession& source) {
    source.query("START TRANSACTION WITH CONSISTENT SNAPSHOT");
    std::string file;
    std::string offset;
    for (const auto& row : source.query("SHOW STATUS LIKE 'binlog_snapshot_%'")) {
        (row[0].value_or("") == "Binlog_snapshot_file" ? file : offset) = row[1].value_or("");
    }
    const auto gtid = scalar(source, "SELECT BINLOG_GTID_POS(" + lit(file) + ", " + offset + ")");
    source.query("COMMIT");
    return gtid;
}

void check_binlog(tx::SqlSession& source, const std::string& shard) {
    const auto rows =
        source.query("SELECT @@log_bin, @@binlog_format, @@binlog_row_image, @@log_bin_compress");
    const auto& r = rows.at(0);
    if (r[0].value_or("0") != "1" || r[1].value_or("") != "ROW" || r[2].value_or("") != "FULL" ||
        r[3].value_or("0") != "0") {
        throw std::runtime_error(shard +
                                 " must log a binlog with binlog_format=ROW, binlog_row_image=FULL "
                                 "and log_bin_compress=OFF for its rows to move online");
    }
}

// ---- the applier -------------------------------------------------------------------------

/// A GTID list kept per replication domain, as MariaDB's @@gtid_binlog_pos spells it.
class Position {
public:
    explicit Position(const std::string& text) {
        std::size_t at = 0;
        while (at < text.size()) {
            auto end = text.find(',', at);
            end = end == std::string::npos ? text.size() : end;
            const auto one = text.substr(at, end - at);
            if (const auto dash = one.find('-'); dash != std::string::npos) {
                domains_[std::stoul(one.substr(0, dash))] = one;
            }
            at = end + 1;
        }
    }
    void advance(std::uint32_t domain, std::uint32_t server, std::uint64_t sequence) {
        std::string one = std::to_string(domain);
        one += '-';
        one += std::to_string(server);
        one += '-';
        one += std::to_string(sequence);
        domains_[domain] = one;
    }
    std::string text() const {
        std::string out;
        for (const auto& [domain, one] : domains_) {
            out += (out.empty() ? "" : ",") + one;
        }
        return out;
    }

private:
    std::map<std::uint32_t, std::string> domains_;
};

class BinlogError : public std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// A MariaDB replica's lag in ms from SHOW ALL SLAVES STATUS (the largest over its
/// connections): 0 when it replicates nothing, nullopt when replication stopped or the server
/// cannot be asked.
std::optional<std::int64_t> replica_lag_ms(const ShardServer& login, const std::string& endpoint) {
    const auto colon = endpoint.rfind(':');
    if (colon == std::string::npos) {
        return std::nullopt;
    }
    MYSQL* mysql = mysql_init(nullptr);
    const std::unique_ptr<MYSQL, void (*)(MYSQL*)> owner(mysql, mysql_close);
    const unsigned timeout = 5;
    mysql_options(mysql, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
    mysql_options(mysql, MYSQL_OPT_READ_TIMEOUT, &timeout);
    const auto host = endpoint.substr(0, colon);
    if (mysql_real_connect(mysql, host.c_str(), login.user.c_str(), login.password.c_str(), nullptr,
                           unsigned(std::stoul(endpoint.substr(colon + 1))), nullptr,
                           0) == nullptr ||
        mysql_query(mysql, "SHOW ALL SLAVES STATUS") != 0) {
        return std::nullopt;
    }
    MYSQL_RES* result = mysql_store_result(mysql);
    if (result == nullptr) {
        return std::nullopt;
    }
    const std::unique_ptr<MYSQL_RES, void (*)(MYSQL_RES*)> rows(result, mysql_free_result);
    int seconds = -1;
    const auto* fields = mysql_fetch_fields(result);
    for (unsigned i = 0; i < mysql_num_fields(result); ++i) {
        seconds = std::string_view(fields[i].name) == "Seconds_Behind_Master" ? int(i) : seconds;
    }
    std::int64_t worst = 0;
    while (MYSQL_ROW row = mysql_fetch_row(result)) {
        if (seconds < 0 || row[seconds] == nullptr) {
            return std::nullopt;
        }
        worst = std::max<std::int64_t>(worst, std::stoll(row[seconds]) * 1000);
    }
    return worst;
}

/// One run of an applier: copies what is left to copy, then follows the binlog. Returns when
/// its position is stopped or gone; throws on a failure (the caller reconnects).
class Applier {
public:
    Applier(const Stream& stream, bool back, const ShardServer& source, const ShardServer& target,
            std::ostream& log)
        : stream_(stream), back_(back), source_(source), target_(target), log_(log),
          name_(back ? stream.back : stream.name) {}

    /// false: another applier of this stream holds its lock.
    bool run() {
        src_ = open(source_);
        dst_ = open(target_);
        if (scalar(*dst_, "SELECT GET_LOCK(" + lock_name(name_) + ", 0)") != "1") {
            return false;
        }
        const auto row = read_position();
        if (!row) {
            return true;
        }
        for (const auto& move : stream_.tables) {
            if (!(back_ && move.reference)) {
                tables_.push_back(describe(*src_, move));
            }
        }
        for (auto i = std::size_t(std::stoul(row->copied)); i < tables_.size(); ++i) {
            if (!copy(tables_[i])) {
                return true;
            }
            dst_->query(std::string("UPDATE ") + position_table +
                        " SET copied = " + std::to_string(i + 1) + " WHERE name = " + lit(name_));
            log_ << name_ << ": copied " << tables_[i].name << std::endl;
        }
        follow(row->gtid);
        return true;
    }

private:
    struct PositionRow {
        std::string gtid;
        std::string copied;
        bool stopped = false;
    };
    struct Mapped {
        const TableInfo* table = nullptr; ///< nullptr: the marker table
        std::vector<binlog::Column> columns;
    };

    std::optional<PositionRow> read_position() {
        const auto rows = dst_->query(std::string("SELECT gtid, copied, stopped FROM ") +
                                      position_table + " WHERE name = " + lit(name_));
        if (rows.empty() || rows[0][2].value_or("0") != "0") {
            return std::nullopt;
        }
        return PositionRow{rows[0][0].value_or(""), rows[0][1].value_or("0"), false};
    }

    /// Copies `t`'s moved rows in key order; false when stopped meanwhile.
    bool copy(const TableInfo& t) {
        const std::string select =
            "SELECT " + column_list(t) + " FROM " + qi(t.name) + " WHERE (" + t.condition + ")";
        std::string order;
        for (const auto k : t.key) {
            order += (order.empty() ? " ORDER BY " : ", ") + qi(t.columns[k]);
        }
        const auto chunk_after = [&](std::optional<tx::SqlSession::Row> last) {
            return src_->query(select + (last ? " AND " + after_key(t, *last) : "") + order +
                               " LIMIT " + std::to_string(chunk_rows));
        };
        // The next chunk is read on the source while this one is written on the target.
        auto next = std::async(std::launch::async, chunk_after, std::nullopt);
        for (;;) {
            const auto rows = next.get();
            if (rows.empty()) {
                return true;
            }
            next = std::async(std::launch::async, chunk_after, rows.back());
            if (!read_position()) {
                next.wait();
                return false;
            }
            again_on_lock_conflict([&] { replace_rows(*dst_, t, rows); });
            copied_ += rows.size();
            if (!throttle()) {
                next.wait();
                return false;
            }
        }
    }

    /// Between copy chunks: keeps the copy under its rows/s cap, and waits while a replica of
    /// the source or target lags more than the stream allows (said in status meanwhile).
    /// False when the applier was stopped while it waited.
    bool throttle() {
        if (stream_.max_rows_per_s > 0) {
            const auto due = copy_started_ +
                             std::chrono::microseconds(copied_ * 1000000 / stream_.max_rows_per_s);
            std::this_thread::sleep_until(due);
        }
        if (stream_.max_replica_lag_ms == 0 || stream_.replicas.empty() ||
            Clock::now() - lag_checked_ < std::chrono::milliseconds(500)) {
            return true;
        }
        bool waited = false;
        for (;;) {
            lag_checked_ = Clock::now();
            std::string lagging;
            for (const auto& replica : stream_.replicas) {
                const auto lag = replica_lag_ms(source_, replica);
                if (!lag || *lag > std::int64_t(stream_.max_replica_lag_ms)) {
                    lagging = "replica " + replica +
                              (lag ? " lags " + std::to_string(*lag) + " ms"
                                   : std::string(" does not replicate (stopped or away)"));
                    break;
                }
            }
            if (lagging.empty()) {
                if (waited) {
                    dst_->query(std::string("UPDATE ") + position_table +
                                " SET error = NULL WHERE name = " + lit(name_));
                    copy_started_ = Clock::now(); // the wait earns no burst of rows
                    copied_ = 0;
                }
                return true;
            }
            if (!waited) {
                log_ << name_ << ": copy waits: " << lagging << std::endl;
            }
            waited = true;
            dst_->query(std::string("UPDATE ") + position_table + " SET error = " +
                        lit("copy waits: " + lagging) + " WHERE name = " + lit(name_));
            std::this_thread::sleep_for(std::chrono::milliseconds(500));
            if (!read_position()) {
                return false;
            }
        }
    }

    void follow(const std::string& start) {
        Position position(start);
        MYSQL* mysql = mysql_init(nullptr);
        const unsigned timeout = 30;
        mysql_options(mysql, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
        mysql_options(mysql, MYSQL_OPT_READ_TIMEOUT, &timeout);
        const std::unique_ptr<MYSQL, void (*)(MYSQL*)> owner(mysql, mysql_close);
        if (mysql_real_connect(mysql, source_.host.c_str(), source_.user.c_str(),
                               source_.password.c_str(), nullptr, source_.port, nullptr,
                               0) == nullptr) {
            throw BinlogError(std::string("binlog connection: ") + mysql_error(mysql));
        }
        const std::string setup = "SET @master_binlog_checksum = @@global.binlog_checksum, "
                                  "@mariadb_slave_capability = 4, @master_heartbeat_period = "
                                  "100000000, @slave_connect_state = " +
                                  lit(start);
        if (mysql_real_query(mysql, setup.data(), setup.size()) != 0) {
            throw BinlogError(std::string("binlog connection: ") + mysql_error(mysql));
        }
        MARIADB_RPL* rpl = mariadb_rpl_init(mysql);
        const std::unique_ptr<MARIADB_RPL, void (*)(MARIADB_RPL*)> rpl_owner(rpl,
                                                                             mariadb_rpl_close);
        mariadb_rpl_optionsv(rpl, MARIADB_RPL_SERVER_ID, server_id());
        mariadb_rpl_optionsv(rpl, MARIADB_RPL_START, 4UL);
        if (mariadb_rpl_open(rpl) != 0) {
            throw BinlogError(std::string("binlog dump: ") + mariadb_rpl_error(rpl));
        }
        log_ << name_ << ": following " << source_.shard << "'s binlog from " << start << std::endl;
        MARIADB_RPL_EVENT* event = nullptr;
        const std::unique_ptr<MARIADB_RPL_EVENT*, void (*)(MARIADB_RPL_EVENT**)> event_owner(
            &event, [](MARIADB_RPL_EVENT** e) {
                if (*e != nullptr) {
                    mariadb_free_rpl_event(*e);
                }
            });
        std::map<std::uint64_t, Mapped> mapped;
        bool standalone = false;
        std::string flushed = position.text();
        auto last_flush = Clock::now();
        for (;;) {
            event = mariadb_rpl_fetch(rpl, event);
            if (event == nullptr) {
                throw BinlogError(std::string("binlog read: ") + mariadb_rpl_error(rpl));
            }
            bool group_end = false;
            switch (event->event_type) {
            case GTID_EVENT:
                pending_position_ = {event->event.gtid.domain_id, event->server_id,
                                     event->event.gtid.sequence_nr};
                standalone = (event->event.gtid.flags & 1) != 0;
                break;
            case TABLE_MAP_EVENT:
                map_table(*event, mapped);
                break;
            case XID_EVENT:
                group_end = true;
                break;
            case QUERY_EVENT: {
                const std::string statement(event->event.query.statement.str,
                                            event->event.query.statement.length);
                check_ddl(statement);
                group_end = standalone || statement == "COMMIT";
                break;
            }
            case HEARTBEAT_LOG_EVENT:
                if (!flush(position, flushed, true)) {
                    return;
                }
                last_flush = Clock::now();
                break;
            default:
                if (IS_ROW_EVENT(event)) {
                    rows(*event, mapped);
                }
                break;
            }
            if (!group_end) {
                continue;
            }
            const auto& [domain, server, sequence] = pending_position_;
            position.advance(domain, server, sequence);
            event_time_ = event->timestamp;
            const auto since = Clock::now() - last_flush;
            const bool due =
                marker_ > 0 ||
                (keys_ > 0 && (keys_ >= 1000 || since > std::chrono::milliseconds(50))) ||
                since > std::chrono::milliseconds(500);
            if (due) {
                if (!flush(position, flushed, false)) {
                    return;
                }
                last_flush = Clock::now();
            }
        }
    }

    unsigned server_id() const {
        unsigned h = 2166136261u;
        for (const unsigned char c : name_) {
            h = (h ^ c) * 16777619u;
        }
        return 0x40000000u | (h & 0x3fffffffu);
    }

    void map_table(const MARIADB_RPL_EVENT& event, std::map<std::uint64_t, Mapped>& mapped) {
        const auto& m = event.event.table_map;
        const std::string database(m.database.str, m.database.length);
        const std::string table(m.table.str, m.table.length);
        mapped.erase(m.table_id);
        if (database != source_.database) {
            return;
        }
        Mapped entry;
        if (table != marker_table) {
            for (const auto& t : tables_) {
                entry.table = t.name == table ? &t : entry.table;
            }
            if (entry.table == nullptr) {
                return;
            }
        }
        std::string why;
        auto columns = binlog::columns(
            {reinterpret_cast<const std::uint8_t*>(m.column_types.str), m.column_types.length},
            {reinterpret_cast<const std::uint8_t*>(m.metadata.str), m.metadata.length}, why);
        if (!columns) {
            throw std::runtime_error(table + ": " + why);
        }
        if (entry.table != nullptr) {
            if (columns->size() != entry.table->all_unsigned.size()) {
                throw std::runtime_error(table + " changed its columns while it moves");
            }
            for (std::size_t c = 0; c < columns->size(); ++c) {
                (*columns)[c].is_unsigned = entry.table->all_unsigned[c];
            }
        }
        entry.columns = std::move(*columns);
        mapped[m.table_id] = std::move(entry);
    }

    /// The keys of the changed rows of a moving table (both images of an update) become
    /// pending; a marker row of this stream sets the marker to apply.
    void rows(const MARIADB_RPL_EVENT& event, const std::map<std::uint64_t, Mapped>& mapped) {
        const auto& r = event.event.rows;
        const auto found = mapped.find(r.table_id);
        if (found == mapped.end()) {
            return;
        }
        const auto& entry = found->second;
        if (r.compressed != 0) {
            throw std::runtime_error("compressed binlog events are not supported");
        }
        const bool update = r.type == UPDATE_ROWS;
        std::string why;
        const std::vector<std::size_t> wanted =
            entry.table == nullptr ? std::vector<std::size_t>{0, 1} : entry.table->ordinal;
        const auto images = binlog::rows(
            entry.columns, {static_cast<const std::uint8_t*>(r.row_data), r.row_data_size}, update,
            wanted, why);
        if (!images) {
            throw std::runtime_error((entry.table ? entry.table->name : marker_table) + ": " + why);
        }
        for (const auto& image : *images) {
            if (entry.table == nullptr) {
                if (image[0] == name_ && image[1]) {
                    marker_ = std::stoll(*image[1]);
                }
                continue;
            }
            std::string key;
            for (std::size_t i = 0; i < image.size(); ++i) {
                const auto kind = entry.table->kinds[entry.table->key[i]];
                key += (i ? ", " : "") + literal(image[i], kind);
            }
            if (pending_[entry.table].insert(image.size() == 1 ? key : "(" + key + ")").second) {
                ++keys_;
            }
        }
    }

    /// Rows events carry every change of a moving table; a statement naming one (ALTER,
    /// TRUNCATE, DROP, RENAME ...) changes it in a way the applier cannot follow.
    void check_ddl(const std::string& statement) {
        if (statement == "BEGIN" || statement == "COMMIT" || statement.rfind("XA ", 0) == 0) {
            return;
        }
        const auto word = [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$';
        };
        for (const auto& t : tables_) {
            for (auto at = statement.find(t.name); at != std::string::npos;
                 at = statement.find(t.name, at + 1)) {
                const auto end = at + t.name.size();
                if ((at == 0 || !word(statement[at - 1])) &&
                    (end == statement.size() || !word(statement[end]))) {
                    throw std::runtime_error(
                        "a statement changed " + t.name +
                        " while it moves (not supported): " + statement.substr(0, 200));
                }
            }
        }
    }

    /// Runs `work` (which only repeats what a REPLACE or a whole transaction does), again after
    /// a deadlock or a lock wait timeout, with the open transaction rolled back first; not again
    /// once 10 s went by (a lock wait timeout takes innodb_lock_wait_timeout, 50 s by default:
    /// a lock held that long is said in status, where the attempt's failure goes).
    template <class Work> auto again_on_lock_conflict(Work work) -> decltype(work()) {
        const auto first = Clock::now();
        for (int attempt = 1;; ++attempt) {
            try {
                return work();
            } catch (const tx::SqlError& e) {
                if (!lock_conflict(e) || attempt == lock_conflict_attempts ||
                    Clock::now() - first > std::chrono::seconds(10)) {
                    throw;
                }
                dst_->query("ROLLBACK");
                log_ << name_ << ": " << e.what() << "; done again" << std::endl;
                std::this_thread::sleep_for(std::chrono::milliseconds(10 * attempt));
            }
        }
    }

    /// Applies the pending keys and the position in one target transaction; false when the
    /// position was stopped or removed (the applier ends).
    bool flush(const Position& position, std::string& flushed, bool idle) {
        const auto text = position.text();
        if (keys_ == 0 && marker_ == 0 && text == flushed) {
            return !idle || read_position().has_value();
        }
        return again_on_lock_conflict([&] { return flush_pending(text, flushed); });
    }

    /// One attempt of flush(): reads the pending keys' rows on the source, applies them and
    /// position `text` in one target transaction.
    bool flush_pending(const std::string& text, std::string& flushed) {
        // Rows as they are now, read with a shared lock: a writer still committing the change
        // the binlog already shows is waited for.
        std::vector<std::pair<const TableInfo*, std::vector<tx::SqlSession::Row>>> found;
        for (const auto& [table, keys] : pending_) {
            std::string list;
            for (const auto& k : keys) {
                list += (list.empty() ? "" : ", ") + k;
            }
            found.emplace_back(table, src_->query("SELECT " + column_list(*table) + " FROM " +
                                                  qi(table->name) + " WHERE " +
                                                  key_columns(*table) + " IN (" + list + ") AND (" +
                                                  table->condition + ") LOCK IN SHARE MODE"));
        }
        dst_->query("START TRANSACTION");
        const auto state = dst_->query(std::string("SELECT stopped FROM ") + position_table +
                                       " WHERE name = " + lit(name_) + " FOR UPDATE");
        if (state.empty() || state[0][0].value_or("0") != "0") {
            dst_->query("ROLLBACK");
            return false;
        }
        std::size_t applied = 0;
        for (const auto& [table, rows] : found) {
            std::string gone;
            for (const auto& k : pending_[table]) {
                gone += (gone.empty() ? "" : ", ") + k;
            }
            // Every pending key goes first (gone, or moved out of the range), then the rows
            // that are there come back as they are now.
            dst_->query("DELETE FROM " + qi(table->name) + " WHERE " + key_columns(*table) +
                        " IN (" + gone + ")");
            replace_rows(*dst_, *table, rows);
            applied += pending_[table].size();
        }
        dst_->query(std::string("UPDATE ") + position_table + " SET gtid = " + lit(text) +
                    ", event_time = " + std::to_string(event_time_) + ", applied = applied + " +
                    std::to_string(applied) +
                    (marker_ > 0 ? ", marker = GREATEST(marker, " + std::to_string(marker_) + ")"
                                 : std::string()) +
                    ", error = NULL WHERE name = " + lit(name_));
        dst_->query("COMMIT");
        pending_.clear();
        keys_ = 0;
        marker_ = 0;
        flushed = text;
        return true;
    }

    const Stream& stream_;
    bool back_;
    const ShardServer& source_;
    const ShardServer& target_;
    std::ostream& log_;
    std::string name_;
    Session src_;
    Session dst_;
    std::vector<TableInfo> tables_;
    std::map<const TableInfo*, std::set<std::string>> pending_;
    std::size_t keys_ = 0;
    std::int64_t marker_ = 0;
    std::tuple<std::uint32_t, std::uint32_t, std::uint64_t> pending_position_{0, 0, 0};
    std::uint64_t event_time_ = 0;
    std::uint64_t copied_ = 0;
    Clock::time_point copy_started_ = Clock::now();
    Clock::time_point lag_checked_{};
};

/// Starts `shardctl reshard apply` for one direction of `stream` in the background.
void spawn_applier(const Stream& stream, bool back, const ShardServer& source,
                   const ShardServer& target) {
    spawn_background({{"engine", "mariadb"},
                      {"stream", to_json(stream)},
                      {"back", back},
                      {"source", server_to_json(source)},
                      {"target", server_to_json(target)}},
                     back ? stream.back : stream.name);
}

} // namespace

void start_stream(Stream& stream, const ShardServer& source, const ShardServer& target) {
    auto src = open(source);
    auto dst = open(target);
    check_binlog(*src, stream.from);
    ensure_tables(*src);
    ensure_tables(*dst);
    ensure_marker(*src, stream.name);
    ensure_marker(*dst, stream.back);
    const bool started = scalar(*dst, std::string("SELECT COUNT(*) FROM ") + position_table +
                                          " WHERE name = " + lit(stream.name)) != "0";
    for (auto& move : stream.tables) {
        describe(*src, move); // refuses a table that cannot move (no primary key)
        if (!table_exists(*dst, move.table)) {
            const auto ddl = src->query("SHOW CREATE TABLE " + qi(move.table));
            dst->query(ddl.at(0).at(1).value_or(""));
            move.created_table = true;
        } else if (!started && !move.created_table) {
            const auto stale =
                scalar(*dst, "SELECT COUNT(*) FROM " + qi(move.table) + " WHERE " + move.condition);
            if (stale != "0") {
                throw std::runtime_error(stream.to + " already holds " + stale + " rows of " +
                                         move.table + " in the moving range: remove them first");
            }
        }
    }
    if (!started) {
        dst->query(std::string("INSERT INTO ") + position_table + " (name, gtid) VALUES (" +
                   lit(stream.name) + ", " + lit(snapshot_position(*src)) + ")");
    }
    dst->query(std::string("UPDATE ") + position_table +
               " SET stopped = 0 WHERE name = " + lit(stream.name));
    spawn_applier(stream, false, source, target);
}

bool caught_up(const Stream& stream, const ShardServer& source, const ShardServer& target,
               unsigned timeout_ms);

Progress progress(const Stream& stream, const ShardServer& source, const ShardServer& target) {
    auto src = open(source);
    auto dst = open(target);
    Progress out;
    for (const auto& move : stream.tables) {
        auto table = count_moved(move, qi(move.table), *src,
                                 table_exists(*dst, move.table) ? dst.get() : nullptr);
        out.rows_total += table.rows_total;
        out.rows_copied += table.rows_copied;
        out.tables.push_back(std::move(table));
    }
    const auto rows = dst->query(std::string("SELECT copied, error, event_time, stopped FROM ") +
                                 position_table + " WHERE name = " + lit(stream.name));
    if (rows.empty()) {
        out.error = "no change applier position on " + stream.to;
        return out;
    }
    const auto& row = rows[0];
    out.synced = std::stoul(row[0].value_or("0")) >= stream.tables.size();
    out.error = row[1].value_or("");
    if (row[3].value_or("0") != "0") {
        out.error += std::string(out.error.empty() ? "" : "; ") + "change capture paused";
    }
    if (out.synced) {
        const auto started = Clock::now();
        out.lag_ms =
            mariadb::caught_up(stream, source, target, 5000)
                ? std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started)
                      .count()
                : -1;
    }
    return out;
}

bool caught_up(const Stream& stream, const ShardServer& source, const ShardServer& target,
               unsigned timeout_ms) {
    auto src = open(source);
    auto dst = open(target);
    src->query(std::string("INSERT INTO ") + marker_table + " VALUES (" + lit(stream.name) +
               ", 1) ON DUPLICATE KEY UPDATE seq = seq + 1");
    const auto wanted = std::stoll(scalar(*src, std::string("SELECT seq FROM ") + marker_table +
                                                    " WHERE stream = " + lit(stream.name)));
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
    const auto query =
        std::string("SELECT marker FROM ") + position_table + " WHERE name = " + lit(stream.name);
    while (Clock::now() < deadline) {
        const auto seen = scalar(*dst, query);
        if (!seen.empty() && std::stoll(seen) >= wanted) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return false;
}

void set_enabled(const Stream& stream, const ShardServer& target, bool enabled) {
    auto dst = open(target);
    if (!enabled) {
        stop_applier(*dst, stream.name);
    }
    // Enabling: start_stream (which resume runs first) cleared the flag and started it.
}

namespace {

/// verify's texts of a table: every stored column quoted ("QUOTE(`a`), QUOTE(`b`)"), and the
/// primary key's columns ("`id`").
std::pair<std::string, std::string> row_and_key(const TableInfo& t) {
    std::string row;
    for (const auto& c : t.columns) {
        row += (row.empty() ? "" : ", ") + std::string("QUOTE(") + qi(c) + ")";
    }
    std::string key;
    for (const auto k : t.key) {
        key += (key.empty() ? "" : ", ") + qi(t.columns[k]);
    }
    return {row, key};
}

} // namespace

std::vector<Difference> verify(const Stream& stream, const ShardServer& source,
                               const ShardServer& target) {
    auto src = open(source);
    auto dst = open(target);
    std::vector<Difference> out;
    for (const auto& move : stream.tables) {
        const auto t = describe(*src, move);
        const auto [row, key] = row_and_key(t);
        // Per key bucket, each row's text hashed to 60 bits and summed: equal sets give equal
        // sums.
        const auto query = "SELECT LOWER(LEFT(MD5(CONCAT_WS('|', " + key +
                           ")), 2)), COUNT(*), COALESCE(SUM(CAST(CONV(LEFT(MD5(CONCAT_WS('|', " +
                           row + ")), 15), 16, 10) AS DECIMAL(65))), 0) FROM " + qi(move.table) +
                           " WHERE " + move.condition + " GROUP BY 1";
        if (auto d = compare_buckets(move.table, src->query(query), dst->query(query))) {
            out.push_back(std::move(*d));
        }
    }
    return out;
}

RowHashes row_hashes(const TableMove& move, const ShardServer& server,
                     const std::vector<std::string>& buckets, const std::vector<std::string>& ids) {
    if (buckets.empty() && ids.empty()) {
        return {};
    }
    auto session = open(server);
    const auto t = describe(*session, move);
    const auto [row, key_columns] = row_and_key(t);
    const auto key = "CONCAT_WS('|', " + key_columns + ")";
    std::string wanted;
    for (const auto& value : ids.empty() ? buckets : ids) {
        wanted += (wanted.empty() ? "" : ", ") + lit(value);
    }
    // Keys by their hex (binary keys stay exact); shown as text.
    const auto filter = ids.empty() ? "LOWER(LEFT(MD5(" + key + "), 2))" : "HEX(" + key + ")";
    RowHashes out;
    for (auto& r :
         session->query("SELECT HEX(" + key + "), " + key + ", LOWER(LEFT(MD5(" + key +
                        "), 2)), MD5(CONCAT_WS('|', " + row + ")) FROM " + qi(move.table) +
                        " WHERE (" + move.condition + ") AND " + filter + " IN (" + wanted + ")")) {
        out[r.at(0).value_or("")] = {r.at(1).value_or(""), r.at(2).value_or(""),
                                     r.at(3).value_or("")};
    }
    return out;
}

void sync_sequences(const Stream& stream, const ShardServer& from, const ShardServer& to) {
    auto src = open(from);
    auto dst = open(to);
    for (const auto& move : stream.tables) {
        const auto t = describe(*dst, move);
        if (t.auto_increment.empty()) {
            continue;
        }
        const auto count = "SELECT COALESCE(AUTO_INCREMENT, 1) FROM information_schema.TABLES "
                           "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = " +
                           lit(move.table);
        const auto handed_out = std::stoull(scalar(*src, count));
        const auto largest = scalar(*dst, "SELECT COALESCE(MAX(" + qi(t.auto_increment) +
                                              "), 0) + 1 FROM " + qi(move.table));
        const auto next = std::max<unsigned long long>(handed_out, std::stoull(largest));
        if (next > std::stoull(scalar(*dst, count))) {
            dst->query("ALTER TABLE " + qi(move.table) +
                       " AUTO_INCREMENT = " + std::to_string(next));
        }
    }
}

void prepare_reverse(const Stream&, const ShardServer&, const ShardServer&) {
    // Nothing to prepare: the reverse applier starts from a position read during the pause.
}

void reverse(const Stream& stream, const ShardServer& source, const ShardServer& target) {
    auto src = open(source);
    auto dst = open(target);
    // The forward applier checks its flag under the position row's lock in every transaction:
    // once this update commits, nothing more of the source's is applied on the target (the
    // process itself ends at its next heartbeat; writes need not wait for that).
    dst->query(std::string("UPDATE ") + position_table +
               " SET stopped = 1 WHERE name = " + lit(stream.name));
    if (scalar(*src, std::string("SELECT COUNT(*) FROM ") + position_table +
                         " WHERE name = " + lit(stream.back)) == "0") {
        const auto tables = std::count_if(stream.tables.begin(), stream.tables.end(),
                                          [](const TableMove& m) { return !m.reference; });
        src->query(std::string("INSERT INTO ") + position_table + " (name, gtid, copied) VALUES (" +
                   lit(stream.back) + ", " + lit(scalar(*dst, "SELECT @@gtid_binlog_pos")) + ", " +
                   std::to_string(tables) + ")");
    }
    spawn_applier(stream, true, source, target);
}

void drop_reverse(const Stream& stream, const ShardServer& source, const ShardServer&) {
    auto src = open(source);
    stop_applier(*src, stream.back);
    forget_position(*src, stream.back);
}

void complete(const Stream& stream, const ShardServer& source, const ShardServer& target) {
    mariadb::drop_reverse(stream, source, target);
    auto src = open(source);
    auto dst = open(target);
    stop_applier(*dst, stream.name);
    forget_position(*dst, stream.name);
    for (const auto& move : stream.tables) {
        if (move.reference) {
            continue; // every shard keeps its copy
        }
        if (move.whole_table) {
            src->query("DROP TABLE IF EXISTS " + qi(move.table));
        } else {
            DeletePacer pace(stream, [&] {
                for (const auto& replica : stream.replicas) {
                    const auto lag = replica_lag_ms(source, replica);
                    if (!lag || *lag > std::int64_t(stream.max_replica_lag_ms)) {
                        return "replica " + replica +
                               (lag ? " lags " + std::to_string(*lag) + " ms"
                                    : std::string(" does not replicate (stopped or away)"));
                    }
                }
                return std::string();
            });
            pace(0);
            delete_moved(*src, move, std::ref(pace), delete_chunk_rows(stream));
        }
    }
    src->query(std::string("DELETE FROM ") + marker_table + " WHERE stream = " + lit(stream.name));
    dst->query(std::string("DELETE FROM ") + marker_table + " WHERE stream = " + lit(stream.back));
}

void abort(const Stream& stream, const ShardServer& source, const ShardServer& target) {
    auto src = open(source);
    auto dst = open(target);
    stop_applier(*dst, stream.name);
    forget_position(*dst, stream.name);
    for (const auto& move : stream.tables) {
        if (!table_exists(*dst, move.table)) {
            continue;
        }
        if (move.created_table) {
            dst->query("DROP TABLE " + qi(move.table));
        } else {
            delete_moved(*dst, move);
        }
    }
    src->query(std::string("DELETE FROM ") + marker_table + " WHERE stream = " + lit(stream.name));
}

int apply(const Stream& stream, bool back, const ShardServer& source, const ShardServer& target,
          std::ostream& log) {
    // Attempts that fail within seconds, one after another for five minutes (the servers are
    // gone for good, or the workflow with them): the applier gives up; `resume` starts it again.
    int quick_failures = 0;
    for (;;) {
        const auto attempt = Clock::now();
        try {
            Applier applier(stream, back, source, target, log);
            if (!applier.run()) {
                log << "another applier runs this stream" << std::endl;
            }
            return 0;
        } catch (const std::exception& e) {
            // A server restarting, a lost connection, or a change that cannot be applied: said
            // where status shows it, then tried again from the last applied position.
            log << (back ? stream.back : stream.name) << ": " << e.what() << "; retrying"
                << std::endl;
            try {
                auto dst = open(target);
                dst->query(std::string("UPDATE ") + position_table +
                           " SET error = " + lit(e.what()) +
                           " WHERE name = " + lit(back ? stream.back : stream.name));
                if (scalar(*dst, std::string("SELECT COUNT(*) FROM ") + position_table +
                                     " WHERE name = " + lit(back ? stream.back : stream.name)) ==
                    "0") {
                    return 0; // the workflow removed this position (abort, complete)
                }
            } catch (const tx::SqlError& away) {
                if (!away.connection()) {
                    return 0; // no position table any more
                }
            } catch (const std::exception&) {
                // the target is away: the next attempt says so again
            }
            quick_failures =
                Clock::now() - attempt < std::chrono::seconds(5) ? quick_failures + 1 : 0;
            if (quick_failures >= 300) {
                log << (back ? stream.back : stream.name)
                    << ": failing for five minutes; the applier ends (`shardctl reshard resume` "
                       "starts it again)"
                    << std::endl;
                return 1;
            }
            std::this_thread::sleep_for(std::chrono::seconds(1));
        }
    }
}

int apply_from_document(const nlohmann::json& doc, std::ostream& log) {
    const auto stream = stream_from_json(doc.at("stream"));
    const bool back = doc.value("back", false);
    auto source = server_from_json(doc.at("source"));
    auto target = server_from_json(doc.at("target"));
    source.engine = target.engine = tx::TwoPhaseEngine::mysql;
    log << (back ? stream.back : stream.name) << ": applier pid " << ::getpid() << std::endl;
    // The applier of `back` reads the target's binlog and writes on the source.
    return back ? apply(stream, true, target, source, log)
                : apply(stream, false, source, target, log);
}

/// MariaDB has no row-level security: a cross-shard read during a move sees the moving rows
/// on both shards (docs/resharding.md, "Not built yet").
void visibility(const Stream&, const ShardServer&, const ShardServer&, bool, unsigned) {}

const Mechanics mechanics{start_stream,   progress,        caught_up, set_enabled,  verify,
                          sync_sequences, prepare_reverse, reverse,   drop_reverse, complete,
                          abort,          row_hashes,      visibility};

} // namespace shardctl::reshard::mariadb
