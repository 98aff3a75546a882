// SQL dialects the lexer and grammar understand.
#pragma once

#include <optional>
#include <string_view>

namespace shardgate::parser {

/// `mysql` covers MySQL and MariaDB; `pg` covers PostgreSQL.
enum class Dialect { mysql, pg };

/// "mysql"/"mariadb" or "pg"/"postgres"/"postgresql"; nullopt otherwise.
std::optional<Dialect> dialect_from_name(std::string_view name);
std::string_view dialect_name(Dialect dialect);

} // namespace shardgate::parser
