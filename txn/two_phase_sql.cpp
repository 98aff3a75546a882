// Two-phase commit SQL and transaction ids (see two_phase_sql.hpp).
#include "shardgate/txn/two_phase_sql.hpp"

#include <atomic>
#include <cstdint>
#include <fmt/format.h>
#include <random>

namespace shardgate::txn {

namespace {

/// A random 32-bit value per process start, so two proxies (or one restarted) never make the
/// same transaction id.
std::uint32_t process_nonce() {
    static const std::uint32_t nonce = [] {
        std::random_device device;
        return static_cast<std::uint32_t>(device());
    }();
    return nonce;
}

bool gid_safe(std::string_view name) {
    if (name.empty() || name.size() > 20) {
        return false;
    }
    for (const char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '_' || c == '-';
        if (!ok) {
            return false;
        }
    }
    return true;
}

bool is_pg(TwoPhaseEngine engine) {
    return engine == TwoPhaseEngine::postgresql;
}

} // namespace

std::string next_txn_id() {
    static std::atomic<std::uint64_t> sequence{0};
    return fmt::format("{:08x}-{:x}", process_nonce(), ++sequence);
}

std::optional<std::string> participant_gid(std::string_view txn, std::string_view coordinator,
                                           std::string_view participant) {
    if (!gid_safe(coordinator) || !gid_safe(participant)) {
        return std::nullopt;
    }
    return fmt::format("{}{}.{}.{}", gid_prefix, txn, coordinator, participant);
}

std::optional<ParsedGid> parse_gid(std::string_view gid) {
    if (!gid.starts_with(gid_prefix)) {
        return std::nullopt;
    }
    gid.remove_prefix(gid_prefix.size());
    ParsedGid parsed;
    std::string* parts[] = {&parsed.txn, &parsed.coordinator, &parsed.participant};
    for (std::size_t i = 0; i < 3; ++i) {
        const auto dot = gid.find('.');
        if ((dot == std::string_view::npos) != (i == 2)) {
            return std::nullopt;
        }
        *parts[i] = std::string(gid.substr(0, dot));
        if (parts[i]->empty()) {
            return std::nullopt;
        }
        gid = dot == std::string_view::npos ? std::string_view() : gid.substr(dot + 1);
    }
    return parsed;
}

std::string sql_literal(TwoPhaseEngine, std::string_view text) {
    std::string out = "'";
    for (const char c : text) {
        if (c == '\'') {
            out.push_back('\'');
        }
        if (c == '\\') {
            out.push_back('\\'); // MariaDB without NO_BACKSLASH_ESCAPES; ids never contain one
        }
        out.push_back(c);
    }
    out.push_back('\'');
    return out;
}

std::string TwoPhaseSql::start(std::string_view gid, std::string_view begin_sql) const {
    if (is_pg(engine)) {
        return std::string(begin_sql.empty() ? "BEGIN" : begin_sql);
    }
    return "XA START " + sql_literal(engine, gid);
}

std::vector<std::string> TwoPhaseSql::prepare(std::string_view gid) const {
    if (is_pg(engine)) {
        return {"PREPARE TRANSACTION " + sql_literal(engine, gid)};
    }
    return {"XA END " + sql_literal(engine, gid), "XA PREPARE " + sql_literal(engine, gid)};
}

std::string TwoPhaseSql::commit_prepared(std::string_view gid) const {
    return (is_pg(engine) ? "COMMIT PREPARED " : "XA COMMIT ") + sql_literal(engine, gid);
}

std::string TwoPhaseSql::rollback_prepared(std::string_view gid) const {
    return (is_pg(engine) ? "ROLLBACK PREPARED " : "XA ROLLBACK ") + sql_literal(engine, gid);
}

std::vector<std::string> TwoPhaseSql::rollback_active(std::string_view gid) const {
    if (is_pg(engine)) {
        return {"ROLLBACK"};
    }
    return {"XA END " + sql_literal(engine, gid), "XA ROLLBACK " + sql_literal(engine, gid)};
}

std::vector<std::string> TwoPhaseSql::create_decision_table() const {
    if (is_pg(engine)) {
        return {"CREATE SCHEMA IF NOT EXISTS shardgate",
                "CREATE TABLE IF NOT EXISTS shardgate.txn_decisions (txn text PRIMARY KEY, "
                "decision text NOT NULL CHECK (decision IN ('commit', 'abort')), "
                "participants text NOT NULL, decided_at timestamptz NOT NULL DEFAULT now())"};
    }
    return {"CREATE DATABASE IF NOT EXISTS shardgate",
            "CREATE TABLE IF NOT EXISTS shardgate.txn_decisions (txn VARCHAR(64) NOT NULL "
            "PRIMARY KEY, decision VARCHAR(8) NOT NULL, participants TEXT NOT NULL, "
            "decided_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)) ENGINE=InnoDB"};
}

std::string TwoPhaseSql::record_commit(std::string_view txn, std::string_view participants) const {
    return fmt::format("INSERT INTO {} (txn, decision, participants) VALUES ({}, 'commit', {})",
                       decision_table, sql_literal(engine, txn), sql_literal(engine, participants));
}

std::string TwoPhaseSql::record_abort(std::string_view txn) const {
    if (is_pg(engine)) {
        return fmt::format("INSERT INTO {} (txn, decision, participants) VALUES ({}, 'abort', '') "
                           "ON CONFLICT (txn) DO NOTHING",
                           decision_table, sql_literal(engine, txn));
    }
    return fmt::format("INSERT IGNORE INTO {} (txn, decision, participants) VALUES ({}, 'abort', "
                       "'')",
                       decision_table, sql_literal(engine, txn));
}

std::string TwoPhaseSql::read_decision(std::string_view txn) const {
    return fmt::format("SELECT decision FROM {} WHERE txn = {}", decision_table,
                       sql_literal(engine, txn));
}

std::string TwoPhaseSql::list_prepared() const {
    if (is_pg(engine)) {
        return fmt::format("SELECT gid FROM pg_prepared_xacts WHERE database = current_database() "
                           "AND gid LIKE '{}%' ORDER BY prepared",
                           gid_prefix);
    }
    return "XA RECOVER";
}

std::string TwoPhaseSql::old_decisions(unsigned seconds) const {
    if (is_pg(engine)) {
        return fmt::format("SELECT txn FROM {} WHERE decided_at < now() - interval '{} seconds'",
                           decision_table, seconds);
    }
    return fmt::format("SELECT txn FROM {} WHERE decided_at < NOW(6) - INTERVAL {} SECOND",
                       decision_table, seconds);
}

std::string TwoPhaseSql::forget_decision(std::string_view txn) const {
    return fmt::format("DELETE FROM {} WHERE txn = {}", decision_table, sql_literal(engine, txn));
}

} // namespace shardgate::txn
