// Facts from FROM lists: tables with schema and alias, joins and their ON predicates.
#include "builder.hpp"

namespace shardgate::parser::detail {
namespace {

bool equals_lower(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        const char c = (a[i] >= 'A' && a[i] <= 'Z') ? static_cast<char>(a[i] + 32) : a[i];
        if (c != b[i]) {
            return false;
        }
    }
    return true;
}

} // namespace

TableSpan FactsBuilder::span_of(const ast::TableName& name) const {
    const auto& tokens = lexed_.tokens;
    const bool ordered = name.token < name.name_end && name.name_end <= name.alias_at &&
                         name.alias_at <= name.tail_at && name.tail_at <= name.end &&
                         name.end < tokens.size();
    if (!ordered) {
        return {}; // (not in FROM / JOIN)
    }
    // (byte offsets: a part's first byte, or the end of the token before an empty part)
    const auto after = [&](std::uint32_t token) {
        return tokens[token - 1].offset + tokens[token - 1].length;
    };
    const auto at = [&](std::uint32_t token) {
        return token < name.end ? tokens[token].offset : after(name.end);
    };
    return TableSpan{at(name.token), after(name.alias_at), at(name.tail_at), after(name.end)};
}

TableRef& FactsBuilder::add_table(const ast::QualifiedName& name,
                                  const boost::optional<std::string>& alias, std::int32_t scope,
                                  bool target) {
    TableRef t;
    t.name = name.back();
    if (name.size() >= 2) {
        t.schema = name[name.size() - 2];
    }
    t.alias = alias.value_or(std::string());
    t.scope = scope;
    t.target = target;
    if (name.size() == 1) {
        for (const std::string& cte : cte_names_) {
            t.cte_reference = t.cte_reference || cte == t.name;
        }
    }
    facts_.tables.push_back(std::move(t));
    return facts_.tables.back();
}

void FactsBuilder::from_list(const std::vector<ast::FromItem>& items, std::int32_t scope,
                             bool target) {
    for (const ast::FromItem& item : items) {
        from_item(item, scope, target);
    }
}

void FactsBuilder::from_item(const ast::FromItem& item, std::int32_t scope, bool target) {
    table_source(item.source, scope, target);
    for (const ast::Join& join : item.joins) {
        const std::size_t first = table_source(join.source, scope, target);
        std::int32_t on = -1;
        if (join.on) {
            on = predicate(*join.on, scope);
        }
        if (first < facts_.tables.size()) {
            facts_.tables[first].join = join.kind;
            facts_.tables[first].on_predicate = on;
            facts_.tables[first].using_columns = join.using_columns;
        }
    }
}

// Returns the index of the first table the source added.
std::size_t FactsBuilder::table_source(const ast::TableSource& source, std::int32_t scope,
                                       bool target) {
    const std::size_t first = facts_.tables.size();
    if (const auto* name = boost::get<ast::TableName>(&source)) {
        const bool dual = lexed_.dialect == Dialect::mysql && name->name.size() == 1 &&
                          equals_lower(name->name.front(), "dual");
        if (!dual) {
            add_table(name->name, name->alias, scope, target).span = span_of(*name);
        }
    } else if (const auto* derived = boost::get<ast::DerivedTable>(&source)) {
        select_statement(derived->select.get(), new_scope(Scope::Kind::derived_table, scope),
                         false);
    } else if (const auto* fn = boost::get<ast::TableFunction>(&source)) {
        // a call like any other (nextval(), pg_advisory_lock() in FROM)
        visit(ast::Primary(fn->call), scope);
    } else if (const auto* nested = boost::get<x3::forward_ast<ast::FromItem>>(&source)) {
        from_item(nested->get(), scope, target);
    }
    return first;
}

} // namespace shardgate::parser::detail
