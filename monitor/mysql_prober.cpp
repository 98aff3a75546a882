// MariaDB prober over Connector/C: health query, heartbeat table, SHOW SLAVE STATUS.
#include "prober.hpp"
#include "shardgate/monitor/sql_error.hpp"

#include <algorithm>
#include <map>
#include <mutex>
#include <mysql.h>
#include <stdexcept>
#include <vector>

namespace shardgate::monitor {
namespace {

constexpr const char* create_table_sql =
    "CREATE TABLE IF NOT EXISTS shardgate_heartbeat ("
    "proxy_id VARCHAR(128) NOT NULL PRIMARY KEY, seq BIGINT NOT NULL, ts_us BIGINT NOT NULL"
    ") ENGINE=InnoDB";

/// One result row by column name; NULL is nullopt.
using Row = std::map<std::string, std::optional<std::string>>;

std::optional<std::int64_t> to_int(const std::optional<std::string>& text) {
    return text ? std::optional<std::int64_t>(std::stoll(*text)) : std::nullopt;
}

class MysqlProber final : public Prober {
public:
    MysqlProber(const BackendSpec& spec, std::chrono::milliseconds timeout)
        : spec_(spec), timeout_(timeout_seconds(timeout)) {}
    ~MysqlProber() override { disconnect(); }

    void connect() override { connection(); }
    void probe() override { query("SELECT 1"); }

    std::int64_t server_clock_us() override {
        return to_int(query("SELECT CAST(UNIX_TIMESTAMP(NOW(6)) * 1000000 AS SIGNED) AS t")
                          .at(0)
                          .at("t"))
            .value_or(0);
    }

    void write_heartbeat(const std::string& proxy_id, std::int64_t seq,
                         std::int64_t ts_us) override {
        if (!table_ready_) {
            query(create_table_sql);
            table_ready_ = true;
        }
        try {
            query("INSERT INTO shardgate_heartbeat (proxy_id, seq, ts_us) VALUES (" +
                  quote(proxy_id) + ", " + std::to_string(seq) + ", " + std::to_string(ts_us) +
                  ") ON DUPLICATE KEY UPDATE seq = VALUES(seq), ts_us = VALUES(ts_us)");
        } catch (const SqlError&) {
            table_ready_ = false; // (dropped meanwhile: created again next time)
            throw;
        }
    }

    void forget_heartbeats(std::int64_t before_us) override {
        query("DELETE FROM shardgate_heartbeat WHERE ts_us < " + std::to_string(before_us));
    }

    std::optional<Heartbeat> read_heartbeat(const std::string& proxy_id) override {
        const auto rows =
            query("SELECT seq, ts_us FROM shardgate_heartbeat WHERE proxy_id = " + quote(proxy_id));
        if (rows.empty()) {
            return std::nullopt;
        }
        return Heartbeat{to_int(rows[0].at("seq")).value_or(0),
                         to_int(rows[0].at("ts_us")).value_or(0)};
    }

    EngineView engine_view() override {
        EngineView view;
        const auto modes = query("SELECT @@GLOBAL.sql_mode AS m, @@lower_case_table_names AS l, "
                                 "@@read_only AS r, @@GLOBAL.time_zone AS z, "
                                 "@@system_time_zone AS s");
        view.sql_mode = modes.at(0).at("m").value_or("");
        view.time_zone = modes.at(0).at("z").value_or("");
        if (view.time_zone == "SYSTEM") {
            view.time_zone += " (" + modes.at(0).at("s").value_or("") + ")";
        }
        if (const auto l = to_int(modes.at(0).at("l"))) {
            view.lower_case_table_names = static_cast<int>(*l);
        }
        if (const auto r = to_int(modes.at(0).at("r"))) {
            view.read_only = *r != 0;
        }
        if (spec_.role == Role::primary) {
            view.io_running = view.sql_running = true;
            time_columns_.fill(view, [this] { return read_time_columns(); });
            return view;
        }
        if (status_stalled(view)) {
            return view;
        }
        const unsigned long thread = mysql_thread_id(connection());
        std::vector<Row> status;
        try {
            status = query("SHOW SLAVE STATUS");
        } catch (const SqlError& error) {
            if (error.connection()) {
                stalled_thread_ = thread; // it may go on waiting on the server
            }
            throw;
        }
        if (!status.empty()) {
            view.io_running = status[0].at("Slave_IO_Running").value_or("") == "Yes";
            view.sql_running = status[0].at("Slave_SQL_Running").value_or("") == "Yes";
            view.seconds_behind_master = to_int(status[0].at("Seconds_Behind_Master"));
        }
        view.gtid_slave_pos = query("SELECT @@gtid_slave_pos AS pos").at(0).at("pos").value_or("");
        return view;
    }

    void read_position(EngineView& view) override {
        view.gtid_slave_pos = query("SELECT @@gtid_slave_pos AS pos").at(0).at("pos").value_or("");
    }

    void disconnect() override {
        if (mysql_ != nullptr) {
            mysql_close(mysql_);
            mysql_ = nullptr;
        }
        table_ready_ = false;
        time_columns_.reset();
    }

private:
    /// EngineView::time_columns (information_schema opens every table: once per connection).
    std::shared_ptr<const std::map<std::string, TimeColumn>> read_time_columns() {
        const auto rows = query("SELECT LOWER(CONCAT(TABLE_NAME, '.', COLUMN_NAME)) AS c, "
                                "IF(DATA_TYPE = 'timestamp', 'timestamptz', 'timestamp') AS t "
                                "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() "
                                "AND DATA_TYPE IN ('timestamp', 'datetime')");
        auto columns = std::make_shared<std::map<std::string, TimeColumn>>();
        for (const auto& row : rows) {
            if (row.at("c") && row.at("t")) {
                columns->emplace(*row.at("c"), TimeColumn{*row.at("t"), -1});
            }
        }
        return columns;
    }

    /// Whether the SHOW SLAVE STATUS of an earlier round, given up on the client side, still
    /// waits on the server. It does while the replication threads hold their locks — the I/O
    /// thread waiting for disk space for the relay log, for one — and asking again each round
    /// would leave one more blocked server thread each time, until max_connections. Until it
    /// ends, the view says so (io_running false: nothing is known to be received) and only
    /// the position is read.
    bool status_stalled(EngineView& view) {
        if (!stalled_thread_) {
            return false;
        }
        // SHOW PROCESSLIST, not information_schema: that one writes a temporary table, which
        // fails when the full disk holds tmpdir too. A login sees its own threads at least.
        const std::string id = std::to_string(*stalled_thread_);
        std::vector<Row> threads;
        try {
            threads = query("SHOW PROCESSLIST");
        } catch (const SqlError&) {
            stalled_thread_.reset(); // unknown: SHOW SLAVE STATUS is asked again next time
            throw;
        }
        const auto waiting = std::find_if(threads.begin(), threads.end(), [&](const Row& row) {
            return row.at("Id") == id &&
                   row.at("Info").value_or("").starts_with("SHOW SLAVE STATUS");
        });
        if (waiting == threads.end()) {
            stalled_thread_.reset();
            return false;
        }
        view.status_stalled_s = to_int(waiting->at("Time")).value_or(0);
        view.gtid_slave_pos = query("SELECT @@gtid_slave_pos AS pos").at(0).at("pos").value_or("");
        return true;
    }

    MYSQL* connection() {
        if (mysql_ != nullptr) {
            return mysql_;
        }
        mysql_ = mysql_init(nullptr);
        if (mysql_ == nullptr) {
            throw SqlError("HY000", "mysql_init failed", true);
        }
        mysql_options(mysql_, MYSQL_OPT_CONNECT_TIMEOUT, &timeout_);
        mysql_options(mysql_, MYSQL_OPT_READ_TIMEOUT, &timeout_);
        mysql_options(mysql_, MYSQL_OPT_WRITE_TIMEOUT, &timeout_);
        apply_mysql_tls(mysql_, spec_.tls);
        if (mysql_real_connect(mysql_, spec_.host.c_str(), spec_.user.c_str(),
                               spec_.password.c_str(), spec_.database.c_str(),
                               static_cast<unsigned>(spec_.port), nullptr, 0) == nullptr) {
            // Not connected, whatever the reason (a refused login too): no handle kept.
            const SqlError error(mysql_sqlstate(mysql_), mysql_error(mysql_), true);
            disconnect();
            throw error;
        }
        return mysql_;
    }

    std::vector<Row> query(const std::string& sql) {
        MYSQL* mysql = connection();
        if (mysql_real_query(mysql, sql.data(), sql.size()) != 0) {
            fail();
        }
        MYSQL_RES* result = mysql_store_result(mysql);
        if (result == nullptr) {
            // (a connection lost while the rows are read resets the field count: the error
            // tells it from "no result set")
            if (mysql_errno(mysql) != 0 || mysql_field_count(mysql) != 0) {
                fail();
            }
            return {};
        }
        std::vector<Row> rows = read_rows(result);
        mysql_free_result(result);
        return rows;
    }

    static std::vector<Row> read_rows(MYSQL_RES* result) {
        const unsigned count = mysql_num_fields(result);
        const MYSQL_FIELD* fields = mysql_fetch_fields(result);
        std::vector<Row> rows;
        while (MYSQL_ROW values = mysql_fetch_row(result)) {
            const unsigned long* lengths = mysql_fetch_lengths(result);
            Row& row = rows.emplace_back();
            for (unsigned i = 0; i < count; ++i) {
                row[fields[i].name] =
                    values[i] ? std::optional<std::string>(std::in_place, values[i], lengths[i])
                              : std::nullopt;
            }
        }
        return rows;
    }

    std::string quote(const std::string& text) {
        std::string escaped(text.size() * 2 + 1, '\0');
        const unsigned long length =
            mysql_real_escape_string(connection(), escaped.data(), text.data(), text.size());
        escaped.resize(length);
        return "'" + escaped + "'";
    }

    /// Throws the last error; client-library errors (2000-2999: no connection, lost, timed
    /// out) and the server ending the session close the connection, a server's error about the
    /// statement keeps it.
    [[noreturn]] void fail() {
        const std::string message = mysql_error(mysql_);
        const std::string sqlstate = mysql_sqlstate(mysql_);
        const unsigned code = mysql_errno(mysql_);
        // 1053 server shutdown, 1927 connection killed: the session is over as well.
        const bool connection =
            code == 0 || (code >= 2000 && code < 3000) || code == 1053 || code == 1927;
        if (connection) {
            disconnect();
        }
        throw SqlError(sqlstate, message, connection);
    }

    BackendSpec spec_;
    unsigned timeout_;
    MYSQL* mysql_ = nullptr;
    bool table_ready_ = false;
    TimeColumnsOnce time_columns_;
    std::optional<unsigned long> stalled_thread_; ///< server thread of a timed-out status query
};

} // namespace

std::unique_ptr<Prober> make_mysql_prober(const BackendSpec& spec,
                                          std::chrono::milliseconds timeout) {
    // The library's global state is set up once, before probing threads use it.
    static std::once_flag initialised;
    std::call_once(initialised, [] { mysql_library_init(0, nullptr, nullptr); });
    return std::make_unique<MysqlProber>(spec, timeout);
}

} // namespace shardgate::monitor
