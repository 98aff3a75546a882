// Generated keys in the MySQL plane (a table's `id` setting; common/generated_ids): an INSERT
// without its key gets ids from the counter and runs as the INSERT with them, routed like any
// other; its OK packet's last insert id is the first generated id, as MariaDB reports for an
// AUTO_INCREMENT column. `SELECT NEXT VALUE FOR <counter>` is answered here. docs/global-ids.md.
#include "client_session.hpp"
#include "common/generated_ids.hpp"
#include "common/multi_write.hpp"
#include "shardgate/protocol/mysql/commands.hpp"
#include "shardgate/protocol/mysql/constants.hpp"
#include "shardgate/protocol/mysql/text_result_set.hpp"
#include "worker.hpp"

namespace shardgate::proxy::mysql {

namespace pm = protocol::mysql;

RunCounter ClientSession::primary_runner(shardmaps::ShardId shard,
                                         std::shared_ptr<BackendConnection>& held) {
    const auto acquire = [this, shard]() -> asio::awaitable<std::shared_ptr<BackendConnection>> {
        std::vector<BackendIndex> failed;
        auto acquired = co_await shard_connection(Target{shard, true, true}, failed);
        co_return std::move(acquired.connection);
    };
    const auto run = [](BackendConnection& connection, std::string sql) {
        return run_query(connection, std::move(sql));
    };
    return lazy_counter(held, acquire, run, "08S01",
                        "no connection to the primary of shard " + db_->shard(shard).name);
}

asio::awaitable<bool> ClientSession::on_generated_keys(const router::Plan& plan,
                                                       std::string_view sql, bool binary) {
    const auto& keys = *plan.generated_keys;
    const auto server = db_->shard(keys.counter_shard).primary.to_string();
    std::shared_ptr<BackendConnection> held;
    const auto run = primary_runner(keys.counter_shard, held);
    auto give_back = [&] {
        if (held) {
            worker_.pool().release(std::move(held));
        }
    };
    if (keys.next_value) {
        const auto taken = co_await take_ids(db_->engine(), server, database_, keys, run);
        give_back();
        if (!taken.ok()) {
            send_err(error_code_for(taken.sqlstate), taken.sqlstate, taken.message);
            co_return co_await flush();
        }
        if (binary) {
            send_err(1235, "0A000", plan.reason);
            co_return co_await flush();
        }
        pm::TextResultSet result;
        auto column = pm::text_column(keys.label);
        column.type = pm::MYSQL_TYPE_LONGLONG;
        column.character_set = 63; // binary
        column.column_length = 20;
        column.flags = 0x0001 | 0x0080 | 0x8000; // NOT NULL, BINARY, NUM
        result.columns.push_back(std::move(column));
        result.rows.push_back({std::to_string(taken.ids.front())});
        result.status_flags = status_flags();
        pm::encode_text_result_set(result, capabilities_, sequence_, out_);
        co_return co_await flush();
    }
    const router::RouteContext context{
        core_.txn() != Txn::none || !autocommit_, {}, lex_mode_, settings_.utc_time_zone()};
    const auto planner = worker_.planner(database_, epoch_);
    const auto filled =
        co_await fill_generated_keys(*planner, plan, sql, context, *db_, server, run);
    give_back();
    if (!filled.ok()) {
        send_err(error_code_for(filled.sqlstate), filled.sqlstate, filled.message);
        co_return co_await flush();
    }
    if (!filled.plan.returning || is_multi_write(filled.plan)) {
        // MariaDB's OK for rows given AUTO_INCREMENT ids names the first one.
        co_return co_await on_multi_write(filled.plan, filled.sql,
                                          static_cast<std::uint64_t>(filled.ids.front()));
    }
    if (binary) {
        send_err(1235, "0A000",
                 "not supported yet: INSERT ... RETURNING with a generated key as a prepared "
                 "statement; send it as a query, or read the id from the OK packet");
        co_return co_await flush();
    }
    // One shard with RETURNING (the rows carry the ids): the statement as a query of its own.
    auto target = place(filled.plan, scan_effects(filled.sql));
    if (!target) {
        send_refusal(target.error());
        co_return co_await flush();
    }
    pm::Buffer payload;
    pm::encode_com_query(filled.sql, payload);
    co_return co_await run_command(*target, payload, pm::ResponseKind::text_query, false, false);
}

} // namespace shardgate::proxy::mysql
