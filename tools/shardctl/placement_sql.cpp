// The SQL form of a move (see placement_sql.hpp).
#include "placement_sql.hpp"

#include "shardgate/shardmaps/keyspace_id.hpp"

#include <cstdint>
#include <limits>

namespace shardctl {
namespace {

namespace sm = shardgate::shardmaps;

/// A string literal: quotes doubled; backslashes doubled too for MariaDB (PostgreSQL reads
/// them literally in standard strings).
std::string literal(sm::Engine engine, const std::string& text) {
    std::string out = "'";
    for (const char c : text) {
        out += c;
        if (c == '\'' || (c == '\\' && engine == sm::Engine::mysql)) {
            out += c;
        }
    }
    return out + "'";
}

/// The keyspace id of the key column: PostgreSQL's signed bigint view of the 64 bits,
/// MariaDB's unsigned value.
std::string keyspace_expression(sm::Engine engine, const sm::ShardKey& key) {
    auto column = quote_name(engine, key.column);
    const bool text = key.type == sm::KeyType::text;
    if (engine == sm::Engine::postgresql) {
        const auto canonical = text ? column : column + "::text";
        const auto folded = key.case_insensitive ? "lower(" + canonical + ")" : canonical;
        return "('x' || left(md5(" + folded + "), 16))::bit(64)::bigint";
    }
    const auto folded = text && key.case_insensitive ? "LOWER(" + column + ")" : column;
    return "CAST(CONV(LEFT(MD5(" + folded + "), 16), 16, 10) AS UNSIGNED)";
}

/// keyspace ids first..last (inclusive, unsigned) as a condition on `expression`.
std::string keyspace_between(sm::Engine engine, const std::string& expression, sm::KeyspaceId first,
                             sm::KeyspaceId last) {
    if (engine != sm::Engine::postgresql) {
        return expression + " BETWEEN " + std::to_string(first) + " AND " + std::to_string(last);
    }
    // PostgreSQL sees ids of 2^63 and up as negative bigints.
    constexpr sm::KeyspaceId sign = sm::KeyspaceId{1} << 63;
    const auto signed_text = [](sm::KeyspaceId id) {
        return std::to_string(static_cast<std::int64_t>(id));
    };
    if (last < sign || first >= sign) {
        return expression + " BETWEEN " + signed_text(first) + " AND " + signed_text(last);
    }
    return "(" + expression + " >= " + signed_text(first) + " OR " + expression +
           " <= " + signed_text(last) + ")";
}

} // namespace

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
        return keyspace_between(engine, keyspace_expression(engine, key), first, last);
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
        const auto value = literal(engine, move.first);
        return key.case_insensitive ? (engine == sm::Engine::postgresql ? "lower(" : "LOWER(") +
                                          column + ") = " + value
                                    : column + " = " + value;
    }
    why = "moves of kind " + move.kind + " have no SQL form yet";
    return std::nullopt;
}

} // namespace shardctl
