// An UPDATE that gives rows a shard key of another shard (the database's `shard_key_updates:
// move`, router::KeyMove), engine-neutral: on each shard the statement reaches, the rows are
// updated in place (taking the new key), read back, deleted, and inserted on the new key's
// shard with the values read; on the new key's own shard the UPDATE simply runs. Every step
// runs in the session's transaction (or one of its own), so the move is all-or-nothing across
// shards (two-phase commit). docs/cross-shard-writes.md.
#pragma once

#include "common/multi_write.hpp"
#include "shardgate/router/plan.hpp"
#include "shardgate/shardmaps/database.hpp"

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace shardgate::proxy {

/// One statement's answer on one shard, its rows decoded as text.
struct ShardRows {
    bool ok = false;
    ScatterFailure failure;
    std::uint64_t affected = 0; ///< rows written (or returned)
    std::vector<std::string> columns;
    std::vector<bool> binary; ///< per column: binary data (MariaDB: quoted as _binary)
    std::vector<std::vector<std::optional<std::string>>> rows;
};

/// Runs `sql` on `shard`'s primary inside the session's transaction.
using RunOnShard =
    std::function<asio::awaitable<ShardRows>(shardmaps::ShardId shard, std::string sql)>;

/// A value as a literal of `engine` (NULL for nullopt). MariaDB: `backslash_escapes` unless the
/// session's sql_mode has NO_BACKSLASH_ESCAPES; binary values get the _binary introducer.
std::string value_literal(shardmaps::Engine engine, const std::optional<std::string>& value,
                          bool binary, bool backslash_escapes);

/// Moves the rows of the UPDATE `sql` (plan.key_move set, plan.shards the shards its rows are
/// on). The outcome's `affected` is the rows the UPDATE changed; the first failure stops it
/// (the caller rolls the transaction back).
asio::awaitable<MultiWriteOutcome> run_key_move(const router::Plan& plan, std::string_view sql,
                                                shardmaps::Engine engine, bool backslash_escapes,
                                                const RunOnShard& run);

} // namespace shardgate::proxy
