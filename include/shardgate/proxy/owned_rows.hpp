// Cross-shard reads of a MariaDB table in mid-move: while a resharding workflow moves key
// ranges of it, the moving rows are on two shards (the target's copies before the cutover, the
// source's rows after it, until `complete` or `abort`), and a read of every shard would return
// them twice. Each shard's statement then carries a filter that hides the rows the shard holds
// without owning them under the running map: `(<the moved rows' condition>) IS NOT TRUE`, the
// SQL form of the placement function (shardmaps/placement_sql.hpp) on the key column, ANDed to
// the top-level WHERE for each place the top-level FROM reads the table, or, when the
// statement reads it anywhere else too (a subquery, derived table, WITH query, set operation),
// in a derived table that replaces each reference to it. PostgreSQL hides them on the servers
// with row-level security instead (docs/resharding.md).
#pragma once

#include "shardgate/parser/dialect.hpp"
#include "shardgate/proxy/backend_registry.hpp"
#include "shardgate/router/merge.hpp"
#include "shardgate/router/plan.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shardgate::proxy {

/// For a cross-shard read of `plan` (made from `sql`, tokenised as `mode` says) in `split`
/// (BackendRegistry::split_tables) under `running` (the running map): one filter per shard of
/// plan.shard_names (empty: none), or an empty vector when no table of the plan is in mid-move.
/// nullopt with `why` (for the client) when a table in mid-move is read where no filter can go
/// (outside a FROM or JOIN), its move has no SQL form, its workflow's maps are unknown, or
/// `running` places it neither as the workflow's old map nor as its new one.
std::optional<std::vector<router::OwnershipFilter>>
owned_rows(const BackendRegistry::SplitTables& split, const shardmaps::ShardMap& running,
           const router::Plan& plan, std::string_view sql, parser::LexMode mode, std::string& why);

} // namespace shardgate::proxy
