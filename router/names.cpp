// Identifier rules per engine (see names.hpp).
#include "router/names.hpp"

#include <strings.h>

namespace shardgate::router {

bool equal_ignoring_case(std::string_view a, std::string_view b) {
    return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

NameRules::NameRules(const shardmaps::Database& database)
    : postgresql_(database.engine() == shardmaps::Engine::postgresql),
      tables_insensitive_(!postgresql_ && database.settings().table_name_case ==
                                              shardmaps::TableNameCase::insensitive) {}

bool NameRules::same_column(std::string_view a, std::string_view b) const {
    return postgresql_ ? a == b : equal_ignoring_case(a, b);
}

bool NameRules::same_table(std::string_view a, std::string_view b) const {
    return tables_insensitive_ ? equal_ignoring_case(a, b) : a == b;
}

std::string NameRules::map_name(const parser::TableRef& ref) const {
    if (!postgresql_ || ref.schema.empty() || ref.schema == "public") {
        return ref.name;
    }
    return ref.schema + "." + ref.name;
}

} // namespace shardgate::router
