// Registration of shardctl's subcommands; each family lives in its own file.
#pragma once

#include "shardgate/shardmaps/shard_map.hpp"

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <string>

namespace shardctl {

/// validate, show, diff, locate: offline commands over shard map files.
void register_map_commands(CLI::App& app);

/// route: explain where a statement goes under a map.
void register_route_command(CLI::App& app);

/// status: health, lag and load of a running proxy's backends (admin HTTP endpoint).
void register_status_command(CLI::App& app);

/// txn list|resolve: distributed transactions left prepared on the shards.
void register_txn_command(CLI::App& app);
/// schema diff: a table's definition compared across the shards that hold it.
void register_schema_command(CLI::App& app);
/// apply: install a map on running proxies (admin API), after showing the diff.
void register_apply_command(CLI::App& app);
/// shardctl placement check: rows on a shard the map does not place them on.
void register_placement_command(CLI::App& app);
/// proxies: the proxies sharing a map through etcd.
void register_proxies_command(CLI::App& app);
/// cutover: switch every proxy sharing the map in etcd at one instant (the barrier).
void register_cutover_command(CLI::App& app);
/// reshard plan: what a change of map moves online, with estimates.
void register_reshard_command(CLI::App& app);

/// Reads and validates a map file: the map and its text (`text`), or nullptr after printing
/// why not (unreadable, or the validator's messages).
shardgate::shardmaps::ShardMapPtr read_map_file(const std::string& path, std::string& text);

/// The map at `path` (kept in `map`) and its database `name`, or nullptr after printing why
/// not on stderr (for commands that then exit 2).
const shardgate::shardmaps::Database*
load_database(const std::string& path, const std::string& name,
              std::shared_ptr<const shardgate::shardmaps::ShardMap>& map);

/// `value`, or the environment variable `name` when `value` is empty (backend logins:
/// SHARDGATE_USER, SHARDGATE_PASSWORD).
inline std::string or_env(const std::string& value, const char* name) {
    if (!value.empty()) {
        return value;
    }
    const char* env = std::getenv(name);
    return env ? std::string(env) : std::string();
}

} // namespace shardctl
