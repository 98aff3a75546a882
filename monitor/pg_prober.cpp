// PostgreSQL prober over PgClient (libpq): health query, heartbeat table, WAL replay position;
// every query bounded by the monitor's timeout on the client side.
#include "prober.hpp"
#include "shardgate/monitor/pg_client.hpp"
#include "shardgate/monitor/sql_error.hpp"

#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <vector>

namespace shardgate::monitor {
namespace {

constexpr std::chrono::milliseconds client_margin{250};

constexpr const char* create_table_sql =
    "CREATE TABLE IF NOT EXISTS shardgate_heartbeat ("
    "proxy_id text PRIMARY KEY, seq bigint NOT NULL, ts_us bigint NOT NULL)";

std::string conninfo(const BackendSpec& spec, std::chrono::milliseconds timeout) {
    std::string text;
    append_conninfo(text, "host", spec.host);
    append_conninfo(text, "port", std::to_string(spec.port));
    append_conninfo(text, "user", spec.user);
    append_conninfo(text, "password", spec.password);
    append_conninfo(text, "dbname", spec.database);
    append_conninfo(text, "connect_timeout", std::to_string(timeout_seconds(timeout)));
    append_conninfo(text, "application_name", "shardgate-monitor");
    append_conninfo(text, "options", "-c statement_timeout=" + std::to_string(timeout.count()));
    append_conninfo_tls(text, spec.tls);
    return text;
}

/// One query's answer.
class Rows {
public:
    explicit Rows(std::vector<PgClient::Row> rows) : rows_(std::move(rows)) {}
    bool empty() const { return rows_.empty(); }
    std::optional<std::int64_t> integer(std::size_t row, std::size_t column) const {
        const auto& field = at(row, column);
        if (!field) {
            return std::nullopt;
        }
        return std::strtoll(field->c_str(), nullptr, 10);
    }
    std::int64_t required(std::size_t row, std::size_t column) const {
        if (const auto value = integer(row, column)) {
            return *value;
        }
        throw std::runtime_error("unexpected NULL in a monitor query's answer");
    }
    bool boolean(std::size_t row, std::size_t column) const {
        const auto& field = at(row, column);
        return field && *field == "t";
    }

private:
    const std::optional<std::string>& at(std::size_t row, std::size_t column) const {
        if (row >= rows_.size() || column >= rows_[row].size()) {
            throw std::runtime_error("a monitor query's answer is shorter than expected");
        }
        return rows_[row][column];
    }

    std::vector<PgClient::Row> rows_;
};

class PgProber final : public Prober {
public:
    PgProber(const BackendSpec& spec, std::chrono::milliseconds timeout)
        : conninfo_(conninfo(spec, timeout)), role_(spec.role), timeout_(timeout) {}

    void connect() override { connection(); }
    void probe() override { run("SELECT 1"); }

    std::int64_t server_clock_us() override {
        return run("SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::bigint")
            .required(0, 0);
    }

    void write_heartbeat(const std::string& proxy_id, std::int64_t seq,
                         std::int64_t ts_us) override {
        if (!table_ready_) {
            run(create_table_sql);
            table_ready_ = true;
        }
        try {
            run("INSERT INTO shardgate_heartbeat (proxy_id, seq, ts_us) VALUES (" +
                quoted(proxy_id) + ", " + std::to_string(seq) + ", " + std::to_string(ts_us) +
                ") ON CONFLICT (proxy_id) DO UPDATE SET seq = EXCLUDED.seq, ts_us = "
                "EXCLUDED.ts_us");
        } catch (const SqlError&) {
            table_ready_ = false; // (dropped meanwhile: created again next time)
            throw;
        }
    }

    void forget_heartbeats(std::int64_t before_us) override {
        run("DELETE FROM shardgate_heartbeat WHERE ts_us < " + std::to_string(before_us));
    }

    std::optional<Heartbeat> read_heartbeat(const std::string& proxy_id) override {
        const Rows rows =
            run("SELECT seq, ts_us FROM shardgate_heartbeat WHERE proxy_id = " + quoted(proxy_id));
        if (rows.empty()) {
            return std::nullopt;
        }
        return Heartbeat{rows.required(0, 0), rows.required(0, 1)};
    }

    EngineView engine_view() override {
        return role_ == Role::primary ? primary_view() : replica_view();
    }

    void disconnect() override {
        connection_.reset();
        table_ready_ = false;
        time_columns_.reset();
    }

    void read_position(EngineView& view) override {
        view.wal_lsn =
            run("SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), '0/0')::bigint").integer(0, 0);
    }

private:
    EngineView primary_view() {
        EngineView view;
        view.wal_lsn =
            run("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint").required(0, 0);
        view.io_running = view.sql_running = true;
        time_columns_.fill(view, [this] { return read_time_columns(); });
        return view;
    }

    /// EngineView::time_columns: from the catalog (every column, whatever the monitor's
    /// privileges).
    std::shared_ptr<const std::map<std::string, TimeColumn>> read_time_columns() {
        const auto rows = connection().query(
            "SELECT lower(CASE WHEN n.nspname = 'public' THEN '' ELSE n.nspname || '.' END "
            "|| c.relname || '.' || a.attname), CASE a.atttypid WHEN 1184 THEN "
            "'timestamptz' ELSE 'timestamp' END, CASE WHEN a.atttypmod < 0 THEN 6 ELSE "
            "a.atttypmod END FROM pg_attribute a JOIN pg_class c ON c.oid "
            "= a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE a.atttypid IN "
            "(1114, 1184) AND a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', "
            "'f') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT "
            "LIKE 'pg_toast%'");
        auto columns = std::make_shared<std::map<std::string, TimeColumn>>();
        for (const auto& row : rows) {
            if (row.size() == 3 && row[0] && row[1] && row[2]) {
                columns->emplace(*row[0], TimeColumn{*row[1], std::atoi(row[2]->c_str())});
            }
        }
        return columns;
    }

    EngineView replica_view() {
        const Rows rows =
            run("SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), '0/0')::bigint, "
                "(extract(epoch FROM now() - pg_last_xact_replay_timestamp()) * 1000)::bigint, "
                "CASE WHEN pg_is_in_recovery() THEN pg_is_wal_replay_paused() ELSE false END, "
                "pg_is_in_recovery(), "
                "(SELECT count(*) FROM pg_stat_wal_receiver WHERE status = 'streaming')");
        EngineView view;
        view.wal_lsn = rows.integer(0, 0);
        view.replay_delay_ms = rows.integer(0, 1);
        view.replay_paused = rows.boolean(0, 2);
        view.sql_running = rows.boolean(0, 3) && !view.replay_paused;
        view.read_only = rows.boolean(0, 3); // in recovery: no writes possible
        view.io_running = rows.required(0, 4) > 0;
        return view;
    }

    std::string quoted(const std::string& text) { return connection().literal(text); }

    PgClient& connection() {
        if (!connection_ || !connection_->open()) {
            // The server's statement_timeout ends a slow query first; the client's deadline
            // (a little later) ends the wait on a server that answers nothing.
            connection_ = std::make_unique<PgClient>(conninfo_, timeout_ + client_margin);
        }
        return *connection_;
    }

    Rows run(const std::string& sql) { return Rows(connection().query(sql)); }

    std::string conninfo_;
    Role role_;
    std::chrono::milliseconds timeout_;
    std::unique_ptr<PgClient> connection_;
    bool table_ready_ = false;
    TimeColumnsOnce time_columns_;
};

} // namespace

std::unique_ptr<Prober> make_pg_prober(const BackendSpec& spec, std::chrono::milliseconds timeout) {
    return std::make_unique<PgProber>(spec, timeout);
}

} // namespace shardgate::monitor
