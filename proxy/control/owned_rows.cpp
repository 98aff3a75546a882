// Ownership filters of cross-shard reads during a move (see owned_rows.hpp).
#include "shardgate/proxy/owned_rows.hpp"

#include "shardgate/router/merge.hpp"
#include "shardgate/shardmaps/map_diff.hpp"
#include "shardgate/shardmaps/placement_sql.hpp"

#include <algorithm>
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
/// session ("" : it can): a time bucket of a key with a time of day (the server reads the
/// literals in the session's time_zone), a list value with a backslash, or a default-shard
/// move whose listed values hold one (its literal depends on sql_mode NO_BACKSLASH_ESCAPES).
std::string session_dependent(const sm::Table& table, const sm::Move& move) {
    if (move.kind == "time_bucket" && table.key().type != sm::KeyType::date) {
        return "its move of time buckets has a condition whose meaning depends on the session's "
               "time_zone";
    }
    if (move.kind == "list_value" && move.first.find('\\') != std::string::npos) {
        return "its move of a list value with a backslash has a condition whose meaning depends "
               "on the session's sql_mode";
    }
    if (move.kind == "default" &&
        std::any_of(move.listed.begin(), move.listed.end(), [](const std::string& value) {
            return value.find('\\') != std::string::npos;
        })) {
        return "its move of the default shard lists a value with a backslash, a condition whose "
               "meaning depends on the session's sql_mode";
    }
    return "";
}

} // namespace

std::optional<std::vector<std::string>> owned_rows(const BackendRegistry::SplitTables& split,
                                                   const sm::ShardMap& running,
                                                   const router::Plan& plan, std::string& why) {
    std::vector<std::string> filters;
    const auto database = split.find(plan.database);
    if (database == split.end() || plan.table_uses == nullptr) {
        return filters;
    }
    const auto& uses = *plan.table_uses;
    for (std::size_t u = 0; u < uses.size(); ++u) {
        const auto& table = uses[u].table;
        const auto moving = database->second.find(table);
        const bool seen = std::any_of(uses.begin(), uses.begin() + static_cast<std::ptrdiff_t>(u),
                                      [&](const auto& use) { return use.table == table; });
        if (moving == database->second.end() || seen) {
            continue; // (each moving table once, for all its uses)
        }
        if (!router::owned_rows_placeable(plan)) {
            why = refused(plan, table,
                          "this statement is not one SELECT ... FROM with a place for a "
                          "condition (a set operation such as UNION, or a parenthesised query)");
            return std::nullopt;
        }
        for (const auto& use : uses) {
            if (use.table == table && !use.top) {
                why = refused(plan, table,
                              "this statement reads it in a subquery, derived table or WITH "
                              "query, where shardgate cannot hide the copies");
                return std::nullopt;
            }
        }
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
                    for (const auto& use : uses) {
                        if (use.table != table) {
                            continue;
                        }
                        // (the condition the copy was made with: the source's placement)
                        std::string no_form;
                        const auto condition = sm::move_condition(sm::Engine::mysql, *from, move,
                                                                  no_form, use.qualifier);
                        if (!condition) {
                            why = refused(plan, table, "its move has no SQL form: " + no_form);
                            return std::nullopt;
                        }
                        auto& filter = filters[i];
                        filter.append(filter.empty() ? "(" : " AND (")
                            .append(*condition)
                            .append(") IS NOT TRUE");
                    }
                }
            }
        }
    }
    return filters;
}

} // namespace shardgate::proxy
