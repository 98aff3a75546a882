// Names and limits of shard-key types.
#include "shardgate/shardmaps/shard_key.hpp"

#include <limits>

namespace shardgate::shardmaps {

std::string_view key_type_name(KeyType type) {
    switch (type) {
    case KeyType::smallint:
        return "smallint";
    case KeyType::integer:
        return "int";
    case KeyType::bigint:
        return "bigint";
    case KeyType::text:
        return "text";
    case KeyType::date:
        return "date";
    case KeyType::timestamp:
        return "timestamp";
    case KeyType::timestamptz:
        return "timestamptz";
    }
    return "?";
}

std::optional<KeyType> parse_key_type(std::string_view name) {
    if (name == "smallint" || name == "int2") {
        return KeyType::smallint;
    }
    if (name == "int" || name == "integer" || name == "int4") {
        return KeyType::integer;
    }
    if (name == "bigint" || name == "int8") {
        return KeyType::bigint;
    }
    if (name == "text" || name == "varchar" || name == "string") {
        return KeyType::text;
    }
    if (name == "date") {
        return KeyType::date;
    }
    if (name == "timestamp" || name == "datetime") {
        return KeyType::timestamp;
    }
    if (name == "timestamptz") {
        return KeyType::timestamptz;
    }
    return std::nullopt;
}

bool is_integer_type(KeyType type) {
    return type == KeyType::smallint || type == KeyType::integer || type == KeyType::bigint;
}

bool is_time_type(KeyType type) {
    return type == KeyType::date || type == KeyType::timestamp || type == KeyType::timestamptz;
}

std::int64_t key_type_min(KeyType type) {
    switch (type) {
    case KeyType::smallint:
        return std::numeric_limits<std::int16_t>::min();
    case KeyType::integer:
        return std::numeric_limits<std::int32_t>::min();
    default:
        return std::numeric_limits<std::int64_t>::min();
    }
}

std::int64_t key_type_max(KeyType type) {
    switch (type) {
    case KeyType::smallint:
        return std::numeric_limits<std::int16_t>::max();
    case KeyType::integer:
        return std::numeric_limits<std::int32_t>::max();
    default:
        return std::numeric_limits<std::int64_t>::max();
    }
}

} // namespace shardgate::shardmaps
