// Identifier rules per engine: which spellings of a statement name the same table or column.
#pragma once

#include "shardgate/parser/facts.hpp"
#include "shardgate/shardmaps/database.hpp"

#include <string>
#include <string_view>

namespace shardgate::router {

/// ASCII letters compared without case (identifiers).
bool equal_ignoring_case(std::string_view a, std::string_view b);

/// How one database compares names after the parser's folding (docs/routing.md, "Names").
/// PostgreSQL: the parser folded unquoted names to lower case, so tables, aliases and
/// columns compare exactly ("Customers" quoted is another table). MySQL: columns compare
/// case-insensitively; tables and aliases as `lower_case_table_names` says.
class NameRules {
public:
    explicit NameRules(const shardmaps::Database& database);

    bool same_column(std::string_view a, std::string_view b) const;
    /// Table names and table aliases (column qualifiers).
    bool same_table(std::string_view a, std::string_view b) const;
    /// The name the map uses for a table reference: PostgreSQL tables outside the `public`
    /// schema are "schema.table"; MySQL's schema is the database, checked elsewhere.
    std::string map_name(const parser::TableRef& ref) const;

private:
    bool postgresql_;
    bool tables_insensitive_;
};

} // namespace shardgate::router
