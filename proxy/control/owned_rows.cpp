// Ownership filters of cross-shard reads during a move (see owned_rows.hpp).
#include "shardgate/proxy/owned_rows.hpp"

#include "shardgate/router/merge.hpp"
#include "shardgate/shardmaps/map_diff.hpp"
#include "shardgate/shardmaps/placement_sql.hpp"

#include <algorithm>
#include <string_view>
#include <utility>

namespace shardgate::proxy {

namespace {

namespace sm = shardmaps;

using Found = std::pair<const sm::Database*, const sm::Table*>;

/// `table` of `database` in `map` (nulls when either is missing).
Found find(const sm::ShardMap* map, const std::string& database, const std::string& table) {
    const auto* db = map != nullptr ? map->find_database(database) : nullptr;
    return {db, db != nullptr ? db->find_table(table) : nullptr};
}

std::string refused(const router::Plan& plan, const std::string& table, const std::string& why) {
    return "cross-shard reads of " + plan.database + "." + table +
           " are refused while a resharding workflow moves part of its rows (they are on two "
           "shards until `shardctl reshard complete` or `abort`) and " +
           why + "; read by shard key, or without it in the top-level FROM, meanwhile";
}

/// Why the proxy cannot hide `move`'s rows by a condition that means the same in every client
/// session ("" : it can): a time bucket of a timestamptz key (the server reads the literals
/// in the session's time_zone; a date or a wall-clock timestamp is read alike in every zone).
/// List values are hex literals, which no sql_mode reads otherwise.
std::string session_dependent(const sm::Table& table, const sm::Move& move) {
    if (move.kind == "time_bucket" && table.key().type == sm::KeyType::timestamptz) {
        return "its move of time buckets has a condition whose meaning depends on the session's "
               "time_zone";
    }
    return "";
}

/// The alias of the table inside the derived table that filters it.
const std::string owned_alias = "sg_owned";

/// The table reference `table` of `sql` as a derived table of its rows but those `hidden`
/// hides, read by the same name: `(SELECT * FROM <name> AS sg_owned <index hints> WHERE
/// <hidden>) AS `<alias or name>``.
router::OwnershipFilter::Replacement filtered_reference(std::string_view sql,
                                                        const router::TableText& table,
                                                        const std::string& hidden) {
    const auto& span = table.span;
    std::string text = "(SELECT * FROM ";
    text.append(sql.substr(span.begin, span.alias_at - span.begin))
        .append(" AS ")
        .append(owned_alias);
    if (span.tail_at < span.end) {
        text.append(" ").append(sql.substr(span.tail_at, span.end - span.tail_at));
    }
    text.append(" WHERE ").append(hidden).append(") AS ");
    text.append(sm::quote_name(sm::Engine::mysql, table.name));
    return {span.begin, span.end, std::move(text)};
}

} // namespace

std::optional<std::vector<router::OwnershipFilter>>
owned_rows(const BackendRegistry::SplitTables& split, const sm::ShardMap& running,
           const router::Plan& plan, std::string_view sql, parser::LexMode mode, std::string& why) {
    std::vector<router::OwnershipFilter> filters;
    const auto database = split.find(plan.database);
    if (database == split.end() || plan.table_uses == nullptr) {
        return filters;
    }
    const auto& uses = *plan.table_uses;
    std::optional<std::vector<router::TableText>> texts; // parsed once, when first needed
    for (std::size_t u = 0; u < uses.size(); ++u) {
        const auto& table = uses[u].table;
        const auto moving = database->second.find(table);
        const bool seen = std::any_of(uses.begin(), uses.begin() + static_cast<std::ptrdiff_t>(u),
                                      [&](const auto& use) { return use.table == table; });
        if (moving == database->second.end() || seen) {
            continue; // (each moving table once, for all its uses)
        }
        // Read in the top-level FROM alone: the condition goes into the top-level WHERE. Read
        // anywhere else too (a subquery, derived table, WITH query, set operation): each
        // reference is replaced by a derived table that filters it.
        const bool in_where = router::owned_rows_placeable(plan) &&
                              std::all_of(uses.begin(), uses.end(), [&](const auto& use) {
                                  return use.table != table || use.top;
                              });
        if (!in_where) {
            if (!texts) {
                texts = router::table_texts(plan, sql, parser::Dialect::mysql, mode);
            }
            for (std::size_t v = 0; v < uses.size(); ++v) {
                if (uses[v].table == table && (!texts || (*texts)[v].span.end == 0)) {
                    why = refused(plan, table,
                                  "this statement reads it outside a FROM or JOIN, where "
                                  "shardgate cannot put a filtered derived table in its place");
                    return std::nullopt;
                }
            }
            if (router::copies_text_naming(plan, table)) {
                why = refused(plan, table,
                              "this statement reads it in an ORDER BY, AVG, HAVING or DISTINCT "
                              "expression that the cross-shard merge copies unfiltered");
                return std::nullopt;
            }
        }
        // per shard of the plan, the moved rows' conditions it hides (key column qualified by
        // `qualifier`), over every workflow moving the table
        std::vector<std::vector<std::string>> hidden(plan.shard_names.size());
        const auto [now_db, now] = find(&running, plan.database, table);
        for (const auto& workflow : moving->second) {
            const auto [from_db, from] = find(workflow.from_map.get(), plan.database, table);
            const auto [to_db, to] = find(workflow.to_map.get(), plan.database, table);
            if (!workflow.why.empty() || now == nullptr || from == nullptr || to == nullptr) {
                why = refused(plan, table,
                              "workflow " + workflow.workflow + "'s maps " +
                                  (workflow.why.empty() ? "do not name the table" : workflow.why));
                return std::nullopt;
            }
            // Which side owns the moved rows: the one whose placement the running map has.
            bool moved = false;
            if (sm::table_moves(*now_db, *now, *to_db, *to).empty()) {
                moved = true;
            } else if (!sm::table_moves(*now_db, *now, *from_db, *from).empty()) {
                why = refused(plan, table,
                              "the running map places it neither as workflow " + workflow.workflow +
                                  "'s old map nor as its new one");
                return std::nullopt;
            }
            for (const auto& move : sm::table_moves(*from_db, *from, *to_db, *to)) {
                const auto& holder = moved ? move.from_shard : move.to_shard;
                for (std::size_t i = 0; i < plan.shard_names.size(); ++i) {
                    if (plan.shard_names[i] != holder) {
                        continue;
                    }
                    if (const auto problem = session_dependent(*from, move); !problem.empty()) {
                        why = refused(plan, table, problem);
                        return std::nullopt;
                    }
                    filters.resize(plan.shard_names.size());
                    // (the condition the copy was made with: the source's placement)
                    const auto hide = [&](const std::string& qualifier) {
                        std::string no_form;
                        const auto condition =
                            sm::move_condition(sm::Engine::mysql, *from, move, no_form, qualifier);
                        if (!condition) {
                            why = refused(plan, table, "its move has no SQL form: " + no_form);
                            return false;
                        }
                        hidden[i].push_back("(" + *condition + ") IS NOT TRUE");
                        return true;
                    };
                    if (!in_where && !hide(owned_alias)) {
                        return std::nullopt;
                    }
                    for (const auto& use : uses) {
                        if (in_where && use.table == table && !hide(use.qualifier)) {
                            return std::nullopt;
                        }
                    }
                }
            }
        }
        for (std::size_t i = 0; i < hidden.size(); ++i) {
            if (hidden[i].empty()) {
                continue;
            }
            std::string all;
            for (const auto& condition : hidden[i]) {
                all.append(all.empty() ? "" : " AND ").append(condition);
            }
            auto& filter = filters[i];
            if (in_where) {
                filter.condition.append(filter.condition.empty() ? "" : " AND ").append(all);
                continue;
            }
            for (std::size_t v = 0; v < uses.size(); ++v) {
                if (uses[v].table == table) {
                    filter.replacements.push_back(filtered_reference(sql, (*texts)[v], all));
                }
            }
        }
    }
    return filters;
}

} // namespace shardgate::proxy
