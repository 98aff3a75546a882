// The SQL form of a move (see placement_sql.hpp).
#include "placement_sql.hpp"

#include "shardgate/shardmaps/keyspace_id.hpp"

#include <cstdint>
#include <limits>
#include <string>

namespace shardctl {
namespace {

namespace sm = shardgate::shardmaps;

/// The first 16 hex digits of the key's MD5: its keyspace id as text, whose byte order is the
/// ids' order. PostgreSQL spells it with functions only (int8out, textin, md5, left) so that
/// publication row filters accept it; nullopt for key types the placement function does not
/// hash.
std::optional<std::string> keyspace_hex(sm::Engine engine, const sm::ShardKey& key) {
    const auto column = quote_name(engine, key.column);
    const bool text = key.type == sm::KeyType::text;
    if (!text && !sm::is_integer_type(key.type)) {
        return std::nullopt;
    }
    if (engine == sm::Engine::postgresql) {
        const auto canonical = text ? column : "textin(int8out(" + column + "::int8))";
        const auto folded = key.case_insensitive ? "lower(" + canonical + ")" : canonical;
        return "left(md5(" + folded + "), 16) COLLATE \"C\"";
    }
    const auto folded = text && key.case_insensitive ? "LOWER(" + column + ")" : column;
    return "CAST(LEFT(MD5(" + folded + "), 16) AS BINARY)";
}

/// keyspace ids first..last (inclusive) as a condition on the hex digits `expression`.
std::string keyspace_between(const std::string& expression, sm::KeyspaceId first,
                             sm::KeyspaceId last) {
    const auto digits = [](sm::KeyspaceId id) {
        const auto hex = sm::keyspace_id_hex(id); // "0x" and 16 digits
        std::string quoted(1, '\'');
        quoted.append(hex, 2, std::string::npos);
        quoted.push_back('\'');
        return quoted;
    };
    return expression + " BETWEEN " + digits(first) + " AND " + digits(last);
}

} // namespace

std::string sql_string(sm::Engine engine, const std::string& text) {
    std::string out = "'";
    for (const char c : text) {
        out += c;
        if (c == '\'' || (c == '\\' && engine == sm::Engine::mysql)) {
            out += c;
        }
    }
    return out + "'";
}

std::string quote_name(sm::Engine engine, const std::string& name) {
    return sm::quoted_identifier(engine, name);
}

std::optional<std::string> move_condition(sm::Engine engine, const sm::Table& table,
                                          const sm::Move& move, std::string& why) {
    if (move.kind == "table") {
        return "TRUE";
    }
    const auto& key = table.key();
    const auto column = quote_name(engine, key.column);
    if (move.kind == "hash_range" || move.kind == "ring_arc") {
        sm::KeyspaceId first = 0;
        sm::KeyspaceId last = std::numeric_limits<sm::KeyspaceId>::max();
        if ((!move.first.empty() && !sm::parse_keyspace_id(move.first, first)) ||
            (!move.last.empty() && !sm::parse_keyspace_id(move.last, last))) {
            why = "unreadable keyspace range " + move.first + ".." + move.last;
            return std::nullopt;
        }
        const auto hex = keyspace_hex(engine, key);
        if (!hex) {
            why = "keys of type " + std::string(sm::key_type_name(key.type)) + " are not hashed";
            return std::nullopt;
        }
        return keyspace_between(*hex, first, last);
    }
    if (move.kind == "range" && sm::is_integer_type(key.type)) {
        std::string condition;
        if (!move.first.empty()) {
            condition = column + " >= " + move.first;
        }
        if (!move.last.empty()) {
            condition += (condition.empty() ? "" : " AND ") + column + " <= " + move.last;
        }
        return condition.empty() ? "TRUE" : condition;
    }
    if (move.kind == "list_value") {
        const auto value = sql_string(engine, move.first);
        return key.case_insensitive ? (engine == sm::Engine::postgresql ? "lower(" : "LOWER(") +
                                          column + ") = " + value
                                    : column + " = " + value;
    }
    why = "moves of kind " + move.kind + " have no SQL form yet";
    return std::nullopt;
}

} // namespace shardctl
