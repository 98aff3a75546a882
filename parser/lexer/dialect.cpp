// Dialect names as used on command lines and in configuration.
#include "shardgate/parser/dialect.hpp"

namespace shardgate::parser {

std::optional<Dialect> dialect_from_name(std::string_view name) {
    if (name == "mysql" || name == "mariadb") {
        return Dialect::mysql;
    }
    if (name == "pg" || name == "postgres" || name == "postgresql") {
        return Dialect::pg;
    }
    return std::nullopt;
}

std::string_view dialect_name(Dialect dialect) {
    return dialect == Dialect::pg ? "pg" : "mysql";
}

} // namespace shardgate::parser
