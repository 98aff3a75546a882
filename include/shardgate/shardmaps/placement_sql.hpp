// The SQL form of a move between two maps: the condition that selects the rows of a table that
// a Move (diff_maps) sends elsewhere. It uses the placement function in SQL (docs/shardmaps.md,
// "Placement function"), so the server picks the rows itself. `shardctl reshard` estimates,
// copies, verifies and cleans up with it; a proxy hides, per shard, the rows of a MariaDB table
// in mid-move that the shard holds without owning (docs/resharding.md).
#pragma once

#include "shardgate/shardmaps/map_diff.hpp"
#include "shardgate/shardmaps/table.hpp"

#include <optional>
#include <string>

namespace shardgate::shardmaps {

/// A string literal for `engine`: quotes doubled, and backslashes too for MariaDB
/// (PostgreSQL's standard strings read them literally).
std::string sql_string(Engine engine, const std::string& text);

/// A MariaDB hex literal (`X'6162'`) of `bytes`: a binary string whose bytes no session
/// setting (sql_mode, character set) changes.
std::string sql_hex(const std::string& bytes);

/// A column or table name quoted for `engine` ("name" or `name`).
std::string quote_name(Engine engine, const std::string& name);

/// The rows of `table` that `move` covers, as a condition for a WHERE clause ("TRUE" for a
/// whole-table move); nullopt with `why` when that kind of move has no SQL form yet. The key
/// column is qualified with `qualifier` (a table name or alias, quoted here) unless it is "".
std::optional<std::string> move_condition(Engine engine, const Table& table, const Move& move,
                                          std::string& why, const std::string& qualifier = "");

} // namespace shardgate::shardmaps
