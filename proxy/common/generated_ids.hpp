// Generated keys, engine-neutral (a table's `id` setting, docs/global-ids.md). Each counter is
// a row of shardgate's table `id_blocks` on one shard (the `shardgate` schema on PostgreSQL,
// the `shardgate` database on MariaDB). A proxy advances the row by a whole block of ids in one
// statement and hands the block out from memory, so rows need no round trip of their own, and
// two proxies never hand out the same id: each block is theirs alone by the row's update.
#pragma once

#include "common/two_phase.hpp"
#include "shardgate/router/plan.hpp"
#include "shardgate/router/planner.hpp"
#include "shardgate/shardmaps/database.hpp"

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace shardgate::proxy {

/// Runs one statement on the counter's shard, on a connection outside the client's
/// transaction (autocommit), so a block taken stays taken whatever the client does.
using RunCounter = std::function<asio::awaitable<StepResult>(std::string sql)>;

/// A RunCounter that acquires its connection at the first statement (`acquire()`: an
/// awaitable shared_ptr, null when there is none) and keeps it in `held`, which the caller gives
/// back; `run(connection, sql)` runs one statement. Without a connection a statement ends as
/// lost with `sqlstate` and `message`.
template <class Connection, class Acquire, class Run>
RunCounter lazy_counter(std::shared_ptr<Connection>& held, Acquire acquire, Run run,
                        std::string sqlstate, std::string message) {
    return
        [&held, acquire, run, sqlstate, message](std::string sql) -> asio::awaitable<StepResult> {
            if (!held) {
                held = co_await acquire();
                if (!held) {
                    co_return StepResult{false, "", true, sqlstate, message, std::nullopt, 0};
                }
            }
            co_return co_await run(*held, std::move(sql));
        };
}

/// The ids, or why there are none (`sqlstate` and `message` for the client).
struct TakenIds {
    std::vector<std::int64_t> ids;
    std::string sqlstate;
    std::string message;
    bool ok() const { return sqlstate.empty(); }
};

/// `keys.count` ids of the counter `keys.sequence` of logical database `database`, stored on
/// `server` (the counter shard's primary, as a key of this process's blocks). New blocks are
/// taken through `run` only when this process has too few ids left; the table is created on
/// the first use.
asio::awaitable<TakenIds> take_ids(shardmaps::Engine engine, const std::string& server,
                                   const std::string& database, const router::GeneratedKeys& keys,
                                   const RunCounter& run);

/// An INSERT with its generated keys filled in, and its plan (an ordinary INSERT's: one
/// shard, or a write of several); `sqlstate` and `message` when that failed.
struct FilledInsert {
    std::string sql;
    std::vector<std::int64_t> ids; ///< the generated ids, in row order
    router::Plan plan;
    std::string sqlstate;
    std::string message;
    bool ok() const { return sqlstate.empty(); }
};

/// Takes the ids `plan` (with generated_keys) needs, writes them into `sql`
/// (router::fill_keys) and routes the result with `planner` in `context`.
asio::awaitable<FilledInsert> fill_generated_keys(router::Planner& planner,
                                                  const router::Plan& plan, std::string_view sql,
                                                  const router::RouteContext& context,
                                                  const shardmaps::Database& db,
                                                  const std::string& server, const RunCounter& run);

/// The statements that create the counter table (IF NOT EXISTS).
std::vector<std::string> id_table_statements(shardmaps::Engine engine);

/// The statement that advances counter `name` by `count` ids (creating it at `start`) and
/// produces the new next value: PostgreSQL as its one row, MariaDB as the OK packet's last
/// insert id. The ids taken are [value - count, value).
std::string take_block_statement(shardmaps::Engine engine, const std::string& name,
                                 std::uint64_t count, std::int64_t start);

} // namespace shardgate::proxy
