// PostgreSQL prober over libpqxx 6.4: health query, heartbeat table, WAL replay position.
#include "prober.hpp"

#include <pqxx/pqxx>
#include <string_view>

namespace shardgate::monitor {
namespace {

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

template <class T> std::optional<T> optional_field(const pqxx::field& field) {
    return field.is_null() ? std::nullopt : std::optional<T>(field.as<T>());
}

class PgProber final : public Prober {
public:
    PgProber(const BackendSpec& spec, std::chrono::milliseconds timeout)
        : conninfo_(conninfo(spec, timeout)), role_(spec.role) {}

    void connect() override { connection(); }
    void probe() override { run("SELECT 1"); }

    std::int64_t server_clock_us() override {
        return run("SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::bigint")[0][0]
            .as<std::int64_t>();
    }

    void write_heartbeat(const std::string& proxy_id, std::int64_t seq,
                         std::int64_t ts_us) override {
        if (!table_ready_) {
            run(create_table_sql);
            table_ready_ = true;
        }
        run("INSERT INTO shardgate_heartbeat (proxy_id, seq, ts_us) VALUES (" + quoted(proxy_id) +
            ", " + std::to_string(seq) + ", " + std::to_string(ts_us) +
            ") ON CONFLICT (proxy_id) DO UPDATE SET seq = EXCLUDED.seq, ts_us = EXCLUDED.ts_us");
    }

    std::optional<Heartbeat> read_heartbeat(const std::string& proxy_id) override {
        const pqxx::result rows = run("SELECT seq, ts_us FROM shardgate_heartbeat "
                                      "WHERE proxy_id = " +
                                      quoted(proxy_id));
        if (rows.empty()) {
            return std::nullopt;
        }
        return Heartbeat{rows[0][0].as<std::int64_t>(), rows[0][1].as<std::int64_t>()};
    }

    EngineView engine_view() override {
        return role_ == Role::primary ? primary_view() : replica_view();
    }

    void disconnect() override {
        connection_.reset();
        table_ready_ = false;
    }

    void read_position(EngineView& view) override {
        view.wal_lsn = optional_field<std::int64_t>(
            run("SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), '0/0')::bigint")[0][0]);
    }

private:
    EngineView primary_view() {
        EngineView view;
        view.wal_lsn = run("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint")[0][0]
                           .as<std::int64_t>();
        view.io_running = view.sql_running = true;
        return view;
    }

    EngineView replica_view() {
        const pqxx::result rows =
            run("SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), '0/0')::bigint, "
                "(extract(epoch FROM now() - pg_last_xact_replay_timestamp()) * 1000)::bigint, "
                "CASE WHEN pg_is_in_recovery() THEN pg_is_wal_replay_paused() ELSE false END, "
                "pg_is_in_recovery(), "
                "(SELECT count(*) FROM pg_stat_wal_receiver WHERE status = 'streaming')");
        EngineView view;
        view.wal_lsn = optional_field<std::int64_t>(rows[0][0]);
        view.replay_delay_ms = optional_field<std::int64_t>(rows[0][1]);
        view.replay_paused = rows[0][2].as<bool>();
        view.sql_running = rows[0][3].as<bool>() && !view.replay_paused;
        view.read_only = rows[0][3].as<bool>(); // in recovery: no writes possible
        view.io_running = rows[0][4].as<std::int64_t>() > 0;
        return view;
    }

    /// A string literal; built by hand because pqxx::quote trips a GCC 12 -Wrestrict bug.
    std::string quoted(const std::string& text) {
        std::string literal = "'";
        literal.append(connection().esc(text)).push_back('\'');
        return literal;
    }

    pqxx::connection& connection() {
        if (!connection_ || !connection_->is_open()) {
            connection_ = std::make_unique<pqxx::connection>(conninfo_);
        }
        return *connection_;
    }

    pqxx::result run(const std::string& sql) {
        pqxx::nontransaction transaction(connection());
        return transaction.exec(sql);
    }

    std::string conninfo_;
    Role role_;
    std::unique_ptr<pqxx::connection> connection_;
    bool table_ready_ = false;
};

} // namespace

std::unique_ptr<Prober> make_pg_prober(const BackendSpec& spec, std::chrono::milliseconds timeout) {
    return std::make_unique<PgProber>(spec, timeout);
}

} // namespace shardgate::monitor
