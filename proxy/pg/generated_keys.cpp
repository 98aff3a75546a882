// Generated keys in the PostgreSQL plane (a table's `id` setting; common/generated_ids): an
// INSERT without its key gets ids from the counter and runs as the INSERT with them, routed
// like any other (one shard, or a write of several); `SELECT nextval('<counter>')` is
// answered here. docs/global-ids.md.
#include "client_session.hpp"
#include "common/generated_ids.hpp"
#include "common/multi_write.hpp"
#include "shardgate/protocol/pg/encoder.hpp"
#include "worker.hpp"

namespace shardgate::proxy::pg {

namespace ppg = protocol::pg;

namespace {

constexpr std::uint32_t int8_oid = 20;

/// The answer to `SELECT nextval(...)`: one bigint column named `label`, one row.
MultiWriteOutcome next_value_answer(const std::string& label, std::int64_t id, bool binary) {
    MultiWriteOutcome outcome;
    outcome.ok = true;
    outcome.tag = "SELECT 1";
    const auto format = binary ? ppg::FormatCode::binary : ppg::FormatCode::text;
    ppg::ByteBuffer bytes;
    ppg::encode(bytes, ppg::RowDescription{{{label, 0, 0, int8_oid, 8, -1, format}}});
    outcome.description.assign(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    std::string value;
    if (binary) {
        const auto bits = static_cast<std::uint64_t>(id);
        for (int shift = 56; shift >= 0; shift -= 8) {
            value += static_cast<char>((bits >> shift) & 0xff);
        }
    } else {
        value = std::to_string(id);
    }
    bytes.clear();
    const ppg::ByteView view(reinterpret_cast<const std::byte*>(value.data()), value.size());
    ppg::encode(bytes, ppg::DataRow{{view}});
    outcome.rows.emplace_back(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    return outcome;
}

} // namespace

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
    return lazy_counter(held, acquire, run, "08006",
                        "no connection to the primary of shard " + db_->shard(shard).name);
}

asio::awaitable<FilledInsert> ClientSession::filled_insert(const router::Plan& plan,
                                                           std::string_view sql,
                                                           const router::RouteContext& context) {
    const auto shard = plan.generated_keys->counter_shard;
    std::shared_ptr<BackendConnection> held;
    const auto planner = worker_.planner(database_, epoch_);
    auto filled = co_await fill_generated_keys(
        *planner, plan, sql, context, *db_, db_->shard(shard).primary.to_string() + "/" + database_,
        primary_runner(shard, held));
    if (held) {
        return_backend(std::move(held));
    }
    co_return filled;
}

asio::awaitable<TakenIds> ClientSession::next_value(const router::GeneratedKeys& keys) {
    std::shared_ptr<BackendConnection> held;
    auto taken = co_await take_ids(
        db_->engine(), db_->shard(keys.counter_shard).primary.to_string() + "/" + database_,
        database_, keys, primary_runner(keys.counter_shard, held));
    if (held) {
        return_backend(std::move(held));
    }
    co_return taken;
}

asio::awaitable<bool> ClientSession::on_generated_keys(const router::Plan& plan,
                                                       std::string_view sql) {
    if (plan.generated_keys->next_value) {
        const auto taken = co_await next_value(*plan.generated_keys);
        if (taken.ok()) {
            render_write(next_value_answer(plan.generated_keys->label, taken.ids.front(), false),
                         ScatterAnswer{}, false);
        } else {
            send_error(taken.sqlstate, taken.message);
        }
        send_ready();
        co_return co_await flush();
    }
    const auto filled = co_await filled_insert(plan, sql, {core_.txn() != Txn::none, {}});
    if (!filled.ok()) {
        send_error(filled.sqlstate, filled.message);
        send_ready();
        co_return co_await flush();
    }
    if (is_multi_write(filled.plan)) {
        co_return co_await on_multi_write(filled.plan, filled.sql);
    }
    auto target = core_.target_for(filled.plan, false);
    if (!target) {
        send_error(target.error().sqlstate, target.error().message);
        send_ready();
        co_return co_await flush();
    }
    co_return co_await execute(
        *target,
        [&filled](BackendConnection&, ppg::ByteBuffer& request, ResponseFilter& filter) {
            ppg::encode(request, ppg::Query{filled.sql});
            filter.expect(ResponseFilter::Expect::query);
            return true;
        },
        false);
}

asio::awaitable<bool>
ClientSession::on_extended_generated_keys(const router::Plan& plan, const std::string& sql,
                                          const std::vector<std::uint32_t>& types,
                                          const std::vector<std::string>& leading) {
    // One Bind + Execute (extended_scatter_refusal): its INSERT runs as the unnamed statement
    // with the ids written in and the client's parameters.
    std::optional<ppg::Bind> bind;
    auto answer = batch_answers([&bind](ppg::Bind one) { bind = std::move(one); }, leading);
    ppg::ByteBuffer kept; // the Bind's values point into it
    kept.swap(batch_bytes_);
    batch_.clear();
    batch_state_ = Batch::collecting;
    auto fail = [&](std::string_view sqlstate, std::string_view message) {
        out_.insert(out_.end(), answer.before_description.begin(), answer.before_description.end());
        send_error(sqlstate, message);
        send_ready();
        return flush();
    };
    if (!bind) {
        co_return co_await fail("08P01", "a batch without Bind");
    }
    if (plan.generated_keys->next_value) {
        const auto taken = co_await next_value(*plan.generated_keys);
        if (!taken.ok()) {
            co_return co_await fail(taken.sqlstate, taken.message);
        }
        const bool binary = !bind->result_formats.empty() &&
                            bind->result_formats.front() == ppg::FormatCode::binary;
        render_write(next_value_answer(plan.generated_keys->label, taken.ids.front(), binary),
                     answer, true);
        send_ready();
        co_return co_await flush();
    }
    const auto params = routing_params(*bind);
    const auto filled = co_await filled_insert(plan, sql, {core_.txn() != Txn::none, params});
    if (!filled.ok()) {
        co_return co_await fail(filled.sqlstate, filled.message);
    }
    auto refusal =
        is_multi_write(filled.plan) ? multi_write_refusal(filled.plan, *db_) : std::nullopt;
    auto pieces = refusal ? std::nullopt
                          : write_pieces(filled.plan, filled.sql, parser::Dialect::pg, {}, true);
    if (refusal || !pieces) {
        co_return co_await fail("0A000", refusal.value_or("not supported yet: shardgate cannot "
                                                          "cut this INSERT's rows per shard"));
    }
    co_return co_await run_write_pieces(filled.plan, *pieces, extended_piece_builder(*bind, types),
                                        std::move(answer), true);
}

} // namespace shardgate::proxy::pg
