// The SQL form of a move (see placement_sql.hpp).
#include "shardgate/shardmaps/placement_sql.hpp"

#include "shardgate/shardmaps/keyspace_id.hpp"
#include "shardgate/shardmaps/time_scheme.hpp"

#include <cstdint>
#include <cstdio>
#include <limits>
#include <string>

namespace shardgate::shardmaps {
namespace {

namespace sm = shardgate::shardmaps;

/// The first 16 hex digits of the key's MD5: its keyspace id as text, whose byte order is the
/// ids' order. PostgreSQL spells it with functions only (int8out, textin, md5, left) so that
/// publication row filters accept it; nullopt for key types the placement function does not
/// hash.
std::optional<std::string> keyspace_hex(sm::Engine engine, const sm::ShardKey& key,
                                        const std::string& column) {
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

/// Days from 1970-01-01 to year-month-1 (proleptic Gregorian calendar).
std::int64_t days_to_month(std::int64_t year, int month) {
    const std::int64_t y = month <= 2 ? year - 1 : year;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const std::int64_t year_of_era = y - era * 400;
    const int m = month > 2 ? month - 3 : month + 9;
    const std::int64_t day_of_year = (153 * m + 2) / 5; // the 1st of the month
    const std::int64_t day_of_era =
        year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + day_of_era - 719468;
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

/// The first day (days since the epoch) of time bucket `bucket` (see bucket_of).
std::int64_t bucket_first_day(std::int64_t bucket, sm::Interval interval) {
    switch (interval) {
    case sm::Interval::day:
        return bucket;
    case sm::Interval::week:
        return bucket * 7 - 3; // weeks count from Monday 1969-12-29
    case sm::Interval::month:
        return days_to_month(floor_div(bucket, 12), int(bucket - floor_div(bucket, 12) * 12) + 1);
    case sm::Interval::quarter:
        return days_to_month(floor_div(bucket, 4), int(bucket - floor_div(bucket, 4) * 4) * 3 + 1);
    case sm::Interval::year:
        return days_to_month(bucket, 1);
    }
    return bucket;
}

/// 'YYYY-MM-DD' of a day since the epoch.
std::string day_text(std::int64_t days) {
    // The inverse of days_to_month, one civil date.
    const std::int64_t z = days + 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const std::int64_t day = doy - (153 * mp + 2) / 5 + 1;
    const std::int64_t month = mp < 10 ? mp + 3 : mp - 9;
    const std::int64_t year = yoe + era * 400 + (month <= 2);
    char text[64];
    std::snprintf(text, sizeof text, "%04lld-%02lld-%02lld", static_cast<long long>(year),
                  static_cast<long long>(month), static_cast<long long>(day));
    return text;
}

/// The time buckets first..last ("" : open) of a time table as a condition on its column:
/// from the first bucket's start, before the start of the bucket after the last. Times are
/// UTC (PostgreSQL literals carry +00; shardctl's MariaDB sessions run with time_zone +00:00).
std::optional<std::string> time_condition(sm::Engine engine, const sm::Table& table,
                                          const sm::Move& move, const std::string& column,
                                          std::string& why) {
    const auto* scheme = dynamic_cast<const sm::TimeScheme*>(table.scheme());
    if (scheme == nullptr) {
        why = "a time bucket move of a table that is not time sharded";
        return std::nullopt;
    }
    const auto& key = table.key();
    const auto literal = [&](std::int64_t day) {
        std::string out(1, '\'');
        out.append(day_text(day));
        if (key.type != sm::KeyType::date) {
            out.append(engine == sm::Engine::postgresql ? " 00:00:00+00" : " 00:00:00");
        }
        out.push_back('\'');
        return out;
    };
    std::string condition;
    for (const auto& [label, after] : {std::pair{move.first, false}, std::pair{move.last, true}}) {
        if (label.empty()) {
            continue;
        }
        const auto bucket = sm::parse_bucket(label, scheme->interval());
        if (!bucket) {
            why = "unreadable time bucket " + label;
            return std::nullopt;
        }
        condition += (condition.empty() ? "" : " AND ") + column + (after ? " < " : " >= ") +
                     literal(bucket_first_day(*bucket + (after ? 1 : 0), scheme->interval()));
    }
    return condition.empty() ? "TRUE" : condition;
}

/// A move of text keys from move.first (inclusive; "" : unbounded) to before move.last ("<end",
/// exclusive; "" : unbounded) as a condition comparing the key's canonical text bytewise, as
/// the range scheme does: PostgreSQL under the "C" collation, MariaDB as binary strings against
/// hex literals (whose bytes no session setting changes). A bound ending in a NUL byte is the
/// least string after an inclusive end (map_diff's segments): compared strictly with that end.
std::optional<std::string> text_range_condition(sm::Engine engine, const sm::ShardKey& key,
                                                const sm::Move& move, const std::string& column,
                                                std::string& why) {
    const bool pg = engine == sm::Engine::postgresql;
    const auto canonical =
        key.case_insensitive ? (pg ? "lower(" : "LOWER(") + column + ")" : column;
    const auto compared = pg ? canonical + " COLLATE \"C\"" : "CAST(" + canonical + " AS BINARY)";
    const auto literal = [&](const std::string& text) {
        return pg ? sql_string(engine, text) : sql_hex(text);
    };
    std::string condition;
    for (auto [bound, upper] : {std::pair{move.first, false}, std::pair{move.last, true}}) {
        if (upper && !bound.empty()) {
            bound.erase(0, 1); // "<end"
        }
        if (bound.empty()) {
            continue;
        }
        const bool after_end = bound.back() == '\0';
        if (after_end) {
            bound.pop_back();
        }
        if (bound.find('\0') != std::string::npos) {
            why = "a text range bound with a NUL byte";
            return std::nullopt;
        }
        const char* op = upper ? (after_end ? " <= " : " < ") : (after_end ? " > " : " >= ");
        condition += (condition.empty() ? "" : " AND ") + compared + op + literal(bound);
    }
    return condition.empty() ? "TRUE" : condition;
}

} // namespace

std::string sql_hex(const std::string& bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out = "X'";
    for (const unsigned char c : bytes) {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out + "'";
}

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
                                          const sm::Move& move, std::string& why,
                                          const std::string& qualifier) {
    if (move.kind == "table") {
        return "TRUE";
    }
    const auto& key = table.key();
    const auto column = qualifier.empty()
                            ? quote_name(engine, key.column)
                            : quote_name(engine, qualifier) + "." + quote_name(engine, key.column);
    if (move.kind == "hash_range" || move.kind == "ring_arc") {
        sm::KeyspaceId first = 0;
        sm::KeyspaceId last = std::numeric_limits<sm::KeyspaceId>::max();
        if ((!move.first.empty() && !sm::parse_keyspace_id(move.first, first)) ||
            (!move.last.empty() && !sm::parse_keyspace_id(move.last, last))) {
            why = "unreadable keyspace range " + move.first + ".." + move.last;
            return std::nullopt;
        }
        const auto hex = keyspace_hex(engine, key, column);
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
    if (move.kind == "range" && key.type == sm::KeyType::text) {
        return text_range_condition(engine, key, move, column, why);
    }
    // List values compare as the list scheme does: the (folded) text's bytes; on MariaDB as
    // binary strings against hex literals, not under the column's collation (which would
    // also match 'us ' and accented forms the map places elsewhere).
    const bool pg = engine == sm::Engine::postgresql;
    const auto folded = key.case_insensitive ? (pg ? "lower(" : "LOWER(") + column + ")" : column;
    const auto compared = pg ? folded : "CAST(" + folded + " AS BINARY)";
    const auto value = [&](const std::string& text) {
        return pg ? sql_string(engine, text) : sql_hex(text);
    };
    if (move.kind == "list_value") {
        return compared + " = " + value(move.first);
    }
    if (move.kind == "default" && table.scheme() != nullptr &&
        table.scheme()->kind() == sm::SchemeKind::list) {
        // Keys no map lists follow the default shard; NULL keys (no owner) stay where they are.
        if (move.listed.empty()) {
            return column + " IS NOT NULL";
        }
        std::string values;
        for (const auto& listed : move.listed) {
            values += (values.empty() ? "" : ", ") + value(listed);
        }
        return compared + " NOT IN (" + values + ")";
    }
    if (move.kind == "time_bucket" && sm::is_time_type(key.type)) {
        return time_condition(engine, table, move, column, why);
    }
    why = "moves of kind " + move.kind + " have no SQL form yet";
    return std::nullopt;
}

} // namespace shardgate::shardmaps
