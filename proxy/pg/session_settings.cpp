// SET/RESET tracking for transaction pooling.
#include "session_settings.hpp"

#include "common/statement_split.hpp"

#include <algorithm>
#include <cctype>
#include <set>

namespace shardgate::proxy::pg {
namespace {

bool simple_name(std::string_view name) {
    if (name.empty()) {
        return false;
    }
    for (const char c : name) {
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.')) {
            return false;
        }
    }
    return true;
}

std::string quote_literal(std::string_view value) {
    std::string out = "'";
    for (const char c : value) {
        out.push_back(c);
        if (c == '\'') {
            out.push_back('\'');
        }
    }
    out.push_back('\'');
    return out;
}

/// The value text of `SET [SESSION] name {TO | =} value`, or "" when there is none.
std::string_view set_value(std::string_view sql, std::string_view name) {
    std::string lower(sql);
    for (char& c : lower) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    auto at = lower.find(name);
    if (at == std::string::npos) {
        return {};
    }
    at += name.size();
    while (at < lower.size() && std::isspace(static_cast<unsigned char>(lower[at]))) {
        ++at;
    }
    if (at < lower.size() && lower[at] == '=') {
        return sql.substr(at + 1);
    }
    if (lower.compare(at, 2, "to") == 0) {
        return sql.substr(at + 2);
    }
    return {};
}

std::string trimmed(std::string_view text) {
    std::size_t b = 0, e = text.size();
    while (b < e && (std::isspace(static_cast<unsigned char>(text[b])))) {
        ++b;
    }
    while (e > b && (std::isspace(static_cast<unsigned char>(text[e - 1])) || text[e - 1] == ';')) {
        --e;
    }
    return std::string(text.substr(b, e - b));
}

/// Why shardgate cannot follow this search_path, or "" when it can: the map names tables
/// of the `public` schema without a schema, so `public` must be the first schema searched
/// (after "$user", pg_catalog and pg_temp). See docs/routing.md, "Names".
std::string search_path_problem(std::string_view value) {
    std::string text = trimmed(value);
    if (text.empty() || text == "default" || text == "DEFAULT") {
        return {};
    }
    if (text.size() >= 2 && text.front() == '\'' && text.back() == '\'' &&
        text.find(',') != std::string::npos) {
        text = text.substr(1, text.size() - 2); // SET search_path = 'a, b'
    }
    std::size_t start = 0;
    while (start <= text.size()) {
        auto stop = text.find(',', start);
        if (stop == std::string::npos) {
            stop = text.size();
        }
        std::string item = trimmed(std::string_view(text).substr(start, stop - start));
        const bool quoted = item.size() >= 2 && (item.front() == '"' || item.front() == '\'');
        if (quoted) {
            item = item.substr(1, item.size() - 2);
        } else {
            for (char& c : item) {
                c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            }
        }
        if (item == "public") {
            return {};
        }
        if (item != "$user" && item != "pg_catalog" && item != "pg_temp" && !item.empty()) {
            return "search_path '" + trimmed(value) +
                   "' is not supported by shardgate: routing assumes unqualified tables are in "
                   "schema public, so public must be the first schema searched; qualify "
                   "tables of other schemas instead (schema.table, as the map names them)";
        }
        start = stop + 1;
    }
    return "search_path '" + trimmed(value) +
           "' is not supported by shardgate: it must include schema public, where routing "
           "looks for unqualified tables";
}

} // namespace

SessionSettings::Outcome SessionSettings::apply(std::string_view sql, bool in_transaction) {
    const auto words = leading_words(sql, 3);
    if (words.empty()) {
        return {"", "unrecognised session statement"};
    }
    if (words[0] == "reset") {
        if (words.size() < 2) {
            return {"", "RESET needs a parameter name or ALL"};
        }
        if (in_transaction) {
            remember_before();
        }
        const std::string name = words[1] == "time" ? "timezone" : words[1]; // RESET TIME ZONE
        if (name == "all" || name == "timezone") {
            zone_unknown_ = false;
            local_zone_utc_.reset(); // (a session-level change wins over SET LOCAL)
        }
        if (name == "all") {
            statements_.clear();
            local_.clear();
        } else {
            statements_.erase(name);
            drop_local(name);
        }
        zone_changed();
        return {"RESET", ""};
    }
    if (words[0] != "set" || words.size() < 2) {
        return {"", "unrecognised session statement"};
    }
    std::size_t name_at = 1;
    if (words[1] == "local" || words[1] == "transaction") {
        // SET LOCAL name ..., SET LOCAL TIME ZONE ..., SET [LOCAL] TRANSACTION ...
        std::string name = words[1] == "transaction" ? "transaction"
                           : words.size() > 2        ? words[2]
                                                     : "";
        name = name == "time" ? "timezone" : name;
        if (name == "search_path") {
            if (auto problem = search_path_problem(set_value(sql, name)); !problem.empty()) {
                return {"", problem};
            }
        }
        if (in_transaction) {
            local_.emplace_back(name, std::string(sql));
            if (name == "timezone") {
                local_zone_utc_ = reads_utc(std::string(sql));
            }
        }
        return {"SET", ""};
    }
    if (in_transaction) {
        remember_before();
    }
    if (words[1] == "session") {
        if (words.size() < 3) {
            return {"", "SET SESSION needs a parameter"};
        }
        if (words[2] == "characteristics") {
            return apply_characteristics(sql);
        }
        if (words[2] == "authorization") {
            return {"", "SET SESSION " + words[2] + " is not supported by shardgate yet"};
        }
        name_at = 2;
    }
    std::string name = words[name_at];
    if (name == "time") {
        name = "timezone";
    } else if (name == "role") {
        return {"", "SET ROLE is not supported by shardgate yet"};
    }
    if (!simple_name(name)) {
        return {"", "cannot track SET of '" + name + "'"};
    }
    if (name == "search_path") {
        if (auto problem = search_path_problem(set_value(sql, name)); !problem.empty()) {
            return {"", problem};
        }
    }
    if (name == "timezone") {
        zone_unknown_ = false;
        local_zone_utc_.reset(); // (a session-level change wins over SET LOCAL)
    }
    drop_local(name); // (for the rest of the block too)
    statements_[name] = std::string(sql);
    zone_changed();
    return {"SET", ""};
}

void SessionSettings::set_config_called(std::string_view text,
                                        std::span<const std::optional<std::string>> params,
                                        bool session_scope, bool in_transaction,
                                        bool implicit_block) {
    bool zone = mentions(text, "zone");
    for (const auto& param : params) {
        zone = zone || (param && mentions(*param, "zone"));
    }
    if (!zone) {
        return;
    }
    if (session_scope) {
        if (in_transaction) {
            remember_before();
        }
        zone_unknown_ = true;
        local_zone_utc_.reset();
        drop_local("timezone");
    } else if (in_transaction || implicit_block) {
        local_zone_utc_ = false;
    }
}

void SessionSettings::transaction_ended(bool rolled_back) {
    local_zone_utc_.reset();
    local_.clear();
    savepoints_.clear();
    if (rolled_back && before_) {
        statements_ = std::move(before_->statements);
        zone_unknown_ = before_->zone_unknown;
        zone_changed();
    }
    before_.reset();
}

namespace {

/// The savepoint a SAVEPOINT / ROLLBACK TO / RELEASE statement names, as the server compares
/// it: its last word before a comment, lower-cased unless quoted, at most 63 bytes (the
/// server's NAMEDATALEN - 1); "" when there is none.
std::string savepoint_name(std::string_view sql) {
    sql = sql.substr(0, std::min(sql.find("--"), sql.find("/*")));
    while (!sql.empty() &&
           (std::isspace(static_cast<unsigned char>(sql.back())) != 0 || sql.back() == ';')) {
        sql.remove_suffix(1);
    }
    if (!sql.empty() && sql.back() == '"') {
        std::string name;
        std::size_t i = sql.size() - 1; // (the closing quote; "" inside is one quote)
        while (i > 0) {
            --i;
            if (sql[i] != '"') {
                name.insert(name.begin(), sql[i]);
            } else if (i > 0 && sql[i - 1] == '"') {
                name.insert(name.begin(), '"');
                --i;
            } else {
                return name.substr(0, 63);
            }
        }
        return "";
    }
    std::size_t start = sql.size();
    while (start > 0 && (std::isalnum(static_cast<unsigned char>(sql[start - 1])) != 0 ||
                         sql[start - 1] == '_' || sql[start - 1] == '$' ||
                         static_cast<unsigned char>(sql[start - 1]) >= 0x80)) {
        --start;
    }
    std::string name(sql.substr(start, 63));
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return name;
}

} // namespace

std::size_t SessionSettings::find_savepoint(std::string_view sql) const {
    const auto name = savepoint_name(sql);
    for (std::size_t i = savepoints_.size(); i > 0; --i) {
        if (!name.empty() && savepoints_[i - 1].first == name) {
            return i - 1;
        }
    }
    return std::string::npos;
}

void SessionSettings::savepoint(std::string_view sql) {
    if (savepoints_.size() == max_savepoints) {
        // (the oldest is forgotten: a ROLLBACK TO it makes the zone unknown for the block)
        savepoints_.erase(savepoints_.begin());
    }
    savepoints_.emplace_back(savepoint_name(sql),
                             Snapshot{statements_, zone_unknown_, local_zone_utc_, local_});
}

void SessionSettings::rollback_to(std::string_view sql) {
    const auto at = find_savepoint(sql);
    if (at == std::string::npos) {
        local_zone_unknown(); // (what the server restores is not known here)
        return;
    }
    savepoints_.resize(at + 1);
    const auto& snapshot = savepoints_.back().second;
    statements_ = snapshot.statements;
    zone_unknown_ = snapshot.zone_unknown;
    local_zone_utc_ = snapshot.local_zone_utc;
    local_ = snapshot.local;
    zone_changed();
}

void SessionSettings::release(std::string_view sql) {
    if (const auto at = find_savepoint(sql); at != std::string::npos) {
        savepoints_.resize(at);
    }
}

void SessionSettings::drop_local(const std::string& name) {
    std::erase_if(local_, [&](const auto& local) { return local.first == name; });
}

void SessionSettings::local_zone_unknown() {
    local_zone_utc_ = false;
}

void SessionSettings::remember_before() {
    if (!before_) {
        before_ = Before{statements_, zone_unknown_};
    }
}

// SET SESSION CHARACTERISTICS AS TRANSACTION mode [, ...] sets the default_transaction_*
// parameters; recorded as those so later changes of one mode replace only that one.
SessionSettings::Outcome SessionSettings::apply_characteristics(std::string_view sql) {
    std::string modes(sql);
    std::replace(modes.begin(), modes.end(), ',', ' '); // modes may be comma-separated
    const auto words = leading_words(modes, 16);
    if (words.size() < 6 || words[3] != "as" || words[4] != "transaction") {
        return {"", "expected SET SESSION CHARACTERISTICS AS TRANSACTION mode"};
    }
    std::map<std::string, std::string> changes;
    for (std::size_t i = 5; i < words.size();) {
        if (words[i] == "isolation" && i + 2 < words.size() && words[i + 1] == "level") {
            std::string level = words[i + 2];
            i += 3;
            if ((level == "repeatable" || level == "read") && i < words.size()) {
                level += " " + words[i++];
            }
            changes["default_transaction_isolation"] =
                "SET default_transaction_isolation TO " + quote_literal(level);
        } else if (words[i] == "read" && i + 1 < words.size()) {
            changes["default_transaction_read_only"] =
                std::string("SET default_transaction_read_only TO ") +
                (words[i + 1] == "only" ? "on" : "off");
            i += 2;
        } else if (words[i] == "deferrable" ||
                   (words[i] == "not" && i + 1 < words.size() && words[i + 1] == "deferrable")) {
            changes["default_transaction_deferrable"] =
                std::string("SET default_transaction_deferrable TO ") +
                (words[i] == "not" ? "off" : "on");
            i += words[i] == "not" ? 2 : 1;
        } else {
            return {"", "unrecognised transaction mode '" + words[i] + "'"};
        }
    }
    for (auto& [name, statement] : changes) {
        statements_[name] = std::move(statement);
    }
    return {"SET", ""};
}

void SessionSettings::set_parameter(std::string_view name, std::string_view value) {
    if (!simple_name(name)) {
        return;
    }
    std::string key;
    for (const char c : name) {
        key.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
    statements_[key] = "SET " + std::string(name) + " TO " + quote_literal(value);
    zone_changed();
}

std::string SessionSettings::replay_sql() const {
    // (each on a line of its own: a statement may end in a -- comment)
    std::string sql = "RESET ALL";
    for (const auto& [name, statement] : statements_) {
        sql += "\n; ";
        sql += statement;
    }
    return sql;
}

void SessionSettings::zone_changed() {
    const auto it = statements_.find("timezone");
    // (not set: the servers' default, which shardgate announces as UTC)
    utc_ = it == statements_.end() || reads_utc(it->second);
}

bool SessionSettings::reads_utc(const std::string& statement) {
    std::string lower = statement.substr(0, std::min(statement.find("--"), statement.find("/*")));
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string value; // SET timezone {TO|=} v, SET TIME ZONE v
    if (lower.find("timezone") != std::string::npos) {
        value = trimmed(set_value(lower, "timezone"));
    } else if (const auto at = lower.find(" zone"); at != std::string::npos) {
        value = trimmed(std::string_view(lower).substr(at + 5));
    }
    if (value.size() >= 2 && (value.front() == '\'' || value.front() == '"') &&
        value.back() == value.front()) {
        value = value.substr(1, value.size() - 2);
    }
    // DEFAULT and LOCAL: the servers' default again
    static const std::set<std::string_view> utc{
        "utc",      "etc/utc",   "uct",           "etc/uct",   "gmt",           "etc/gmt", "gmt0",
        "etc/gmt0", "gmt+0",     "gmt-0",         "etc/gmt+0", "etc/gmt-0",     "z",       "zulu",
        "etc/zulu", "universal", "etc/universal", "greenwich", "etc/greenwich", "utc0",    "0",
        "+0",       "-0",        "00:00",         "+00",       "+00:00",        "-00",     "-00:00",
        "default",  "local"};
    return utc.contains(value);
}

std::string SessionSettings::local_sql() const {
    std::string sql;
    for (const auto& [name, statement] : local_) {
        sql += sql.empty() ? "" : "\n; ";
        sql += statement;
    }
    return sql;
}

bool SessionSettings::iso_dates() const {
    const auto it = statements_.find("datestyle");
    if (it == statements_.end()) {
        return true;
    }
    std::string lower = it->second;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return lower.find("iso") != std::string::npos;
}

} // namespace shardgate::proxy::pg
