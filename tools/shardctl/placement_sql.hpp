// The SQL form of a move (shardgate/shardmaps/placement_sql.hpp), under shardctl's names.
#pragma once

#include "shardgate/shardmaps/placement_sql.hpp"

namespace shardctl {

using shardgate::shardmaps::move_condition;
using shardgate::shardmaps::quote_name;
using shardgate::shardmaps::sql_string;

} // namespace shardctl
