// The SQL form of a move between two maps: the condition that selects, on the source shard,
// the rows of a table that a Move (shardmaps::diff_maps) sends elsewhere. It uses the
// placement function in SQL (docs/shardmaps.md, "Placement function"), so the server picks the
// rows itself. Used by `shardctl reshard` to estimate, copy, verify and clean up.
#pragma once

#include "shardgate/shardmaps/map_diff.hpp"
#include "shardgate/shardmaps/table.hpp"

#include <optional>
#include <string>

namespace shardctl {

/// A string literal for `engine`: quotes doubled, and backslashes too for MariaDB
/// (PostgreSQL's standard strings read them literally).
std::string sql_string(shardgate::shardmaps::Engine engine, const std::string& text);

/// A column or table name quoted for `engine` ("name" or `name`).
std::string quote_name(shardgate::shardmaps::Engine engine, const std::string& name);

/// The rows of `table` that `move` covers, as a condition for a WHERE clause ("TRUE" for a
/// whole-table move); nullopt with `why` when that kind of move has no SQL form yet.
std::optional<std::string> move_condition(shardgate::shardmaps::Engine engine,
                                          const shardgate::shardmaps::Table& table,
                                          const shardgate::shardmaps::Move& move, std::string& why);

} // namespace shardctl
