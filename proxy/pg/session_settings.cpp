// SET/RESET tracking for transaction pooling.
#include "session_settings.hpp"

#include "statement_split.hpp"

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

} // namespace

SessionSettings::Outcome SessionSettings::apply(std::string_view sql) {
    const auto words = leading_words(sql, 3);
    if (words.empty()) {
        return {"", "unrecognised session statement"};
    }
    if (words[0] == "reset") {
        if (words.size() < 2) {
            return {"", "RESET needs a parameter name or ALL"};
        }
        if (words[1] == "all") {
            statements_.clear();
        } else {
            statements_.erase(words[1]);
        }
        return {"RESET", ""};
    }
    if (words[0] != "set" || words.size() < 2) {
        return {"", "unrecognised session statement"};
    }
    std::size_t name_at = 1;
    if (words[1] == "local" || words[1] == "transaction") {
        return {"SET", ""};
    }
    if (words[1] == "session") {
        if (words.size() < 3) {
            return {"", "SET SESSION needs a parameter"};
        }
        if (words[2] == "characteristics" || words[2] == "authorization") {
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
    statements_[name] = std::string(sql);
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
}

std::string SessionSettings::replay_sql() const {
    std::string sql = "RESET ALL";
    for (const auto& [name, statement] : statements_) {
        sql += "; ";
        sql += statement;
    }
    return sql;
}

} // namespace shardgate::proxy::pg
