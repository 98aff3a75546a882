// A transaction on several shards (PostgreSQL plane): the connection running statements now is
// pinned_; the other shards' connections wait in parked_, each inside its open transaction.
// COMMIT runs two-phase commit (common/two_phase) over all of them, the first shard
// coordinating; ROLLBACK rolls every shard back. docs/cross-shard-writes.md.
#include "client_session.hpp"
#include "common/distributed_txn.hpp"
#include "shardgate/protocol/pg/backend_decoder.hpp"
#include "shardgate/protocol/pg/encoder.hpp"
#include "worker.hpp"

#include <algorithm>
#include <chrono>
#include <spdlog/spdlog.h>

namespace shardgate::proxy::pg {

namespace ppg = protocol::pg;

namespace {

const TwoPhaseSql pg_two_phase{TwoPhaseEngine::postgresql};

} // namespace

asio::awaitable<StepResult> run_query(BackendConnection& backend, std::string sql) {
    StepResult result;
    ppg::ByteBuffer request;
    ppg::encode(request, ppg::Query{std::move(sql)});
    result.lost = static_cast<bool>(co_await write_all(backend.stream(), request));
    auto& in = backend.in();
    bool failed = false;
    while (!result.lost) {
        auto frame = ppg::next_frame(in.view());
        if (frame.need_more()) {
            result.lost = static_cast<bool>(co_await read_more(backend.stream(), in));
            continue;
        }
        if (!frame.ok()) {
            result.lost = true;
            break;
        }
        const auto& message = frame.value();
        if (message.type == ppg::PqMsg_ErrorResponse && !failed) {
            failed = true;
            auto error = ppg::decode_error_response(message);
            result.sqlstate = error ? std::string(error.value().field('C').value_or("XX000"))
                                    : std::string("XX000");
            result.message = error ? std::string(error.value().field('M').value_or("error"))
                                   : std::string("unreadable ErrorResponse");
            const auto severity =
                error ? error.value().field('V').value_or(error.value().field('S').value_or(""))
                      : std::string_view();
            if (severity == "FATAL" || severity == "PANIC") {
                result.lost = true; // the server closes the connection after it
            }
        } else if (message.type == ppg::PqMsg_DataRow && !result.first_value) {
            auto row = ppg::decode_data_row(message);
            if (row && !row.value().values.empty() && row.value().values[0]) {
                const auto& column = *row.value().values[0];
                result.first_value =
                    std::string(reinterpret_cast<const char*>(column.data()), column.size());
            }
        } else if (message.type == ppg::PqMsg_CommandComplete) {
            auto complete = ppg::decode_command_complete(message);
            result.tag = complete ? std::string(complete.value().tag) : std::string();
        } else if (message.type == ppg::PqMsg_ReadyForQuery) {
            in.consume(frame.consumed());
            result.ok = !failed;
            break;
        }
        in.consume(frame.consumed());
    }
    if (result.lost) {
        result.ok = false;
        backend.mark_broken();
    }
    co_return result;
}

std::string ClientSession::lock_timeout_sql() const {
    const auto ms = worker_.context().config.distributed_lock_timeout_ms;
    return ms == 0 ? std::string() : "SET LOCAL lock_timeout = '" + std::to_string(ms) + "ms'";
}

asio::awaitable<ClientSession::Switch> ClientSession::switch_shard(const Target& target) {
    // The transaction moves on to another shard: the current connection waits, inside its
    // open transaction, until the next statement for its shard or the end of the transaction.
    if (backend_status_ == 'E') {
        send_error("25P02", "current transaction is aborted, commands ignored until end of "
                            "transaction block");
        send_ready();
        co_return Switch::answered;
    }
    if (auto limit = lock_timeout_sql(); parked_.empty() && !limit.empty()) {
        // The transaction spans shards from now on: no shard would see a deadlock between it
        // and another such transaction, so its statements wait for locks only so long (the
        // shards it joins get the same right after their BEGIN).
        const auto set = co_await run_query(*pinned_, std::move(limit));
        if (set.lost) {
            // As a connection lost in mid-statement (execution.cpp): closing it rolled the
            // transaction back on that shard, so the client's transaction ends here.
            const auto shard = core_.shard_name(*core_.pinned_shard());
            release_backend();
            end_transaction();
            backend_status_ = 'I';
            send_error("08006", fmt::format("lost the connection to shard {} before the "
                                            "statement was sent; the transaction is gone "
                                            "(rolled back)",
                                            shard));
            send_ready();
            co_return Switch::answered;
        }
    }
    if (park_and_resume(core_, pinned_, parked_, target.shard)) {
        co_return Switch::resumed;
    }
    co_return Switch::join;
}

asio::awaitable<void> ClientSession::ensure_decision_table(shardmaps::ShardId shard) {
    const auto server = db_->shard(shard).primary.to_string() + "/" + database_;
    if (decision_table_known(server)) {
        co_return;
    }
    std::vector<BackendIndex> failed;
    auto held = co_await shard_connection(Target{shard, true, true}, failed);
    if (!held.connection) {
        co_return; // the decision's INSERT then fails and says why
    }
    auto& connection = *held.connection;
    co_await proxy::ensure_decision_table(pg_two_phase, server, [&connection](std::string sql) {
        return run_query(connection, std::move(sql));
    });
    return_backend(std::move(held.connection));
}

asio::awaitable<ClientSession::SessionAnswer> ClientSession::end_distributed(bool commit) {
    // Every shard of the transaction, the coordinator (the first shard) at index 0.
    const auto held = held_connections(core_, pinned_, parked_);
    const std::string txn = core_.txn_id();
    const auto shards = txn_shards(core_, txn, held);
    const RunStep run = [&](std::size_t index, std::string sql) -> asio::awaitable<StepResult> {
        auto& connection = held[index].connection;
        if (connection) { // after a cancel of an earlier step (broken when not confirmed)
            co_await connection->cancels_settled();
        }
        if (!connection || connection->state() == BackendConnection::State::broken) {
            co_return StepResult{false, "", true, "08006", "connection lost", std::nullopt, 0};
        }
        running_ = connection;
        auto step = co_await run_query(*connection, std::move(sql));
        running_ = nullptr;
        co_return step;
    };
    state_ = State::forwarding;
    SessionAnswer answer;
    const bool complete = !held.empty() && held.size() == core_.txn_shards().size();
    const bool aborted = aborted_ || backend_status_ == 'E' || !complete;
    if (commit && !aborted) {
        const auto started = std::chrono::steady_clock::now();
        co_await ensure_decision_table(held.front().shard);
        const auto outcome = co_await commit_two_phase(pg_two_phase, txn, shards, run);
        count_commit(worker_.stats(), outcome, started);
        for (const auto& shard : outcome.left_in_doubt) {
            spdlog::warn("client {}: distributed transaction {} left prepared on shard {} for the "
                         "resolver",
                         process_id_, txn, shard);
        }
        if (outcome.result == CommitOutcome::Result::committed) {
            answer.tag = "COMMIT";
            for (const auto& one : held) {
                if (one.connection->state() != BackendConnection::State::broken) {
                    co_await note_write_end(*one.connection, one.shard);
                }
            }
        } else {
            answer.sqlstate = outcome.sqlstate;
            answer.message = outcome.message;
        }
    } else {
        const auto failed = co_await rollback_all(pg_two_phase, shards, run);
        for (const auto index : failed) {
            held[index].connection->mark_broken(); // closing it rolls the transaction back
        }
        ++worker_.stats().two_phase_aborts;
        answer.tag = "ROLLBACK";
    }
    // Every connection goes back (a broken one is closed by the pool).
    for (auto& parked : parked_) {
        return_backend(std::move(parked.connection));
    }
    parked_.clear();
    end_transaction(answer.tag == "COMMIT");
    release_backend();
    backend_status_ = 'I';
    state_ = State::idle;
    co_return answer;
}

void ClientSession::drop_parked() {
    // The transaction ended without a COMMIT/ROLLBACK of ours (lost connection, client gone):
    // closing a connection rolls back the transaction open on it (none is prepared yet).
    for (auto& parked : parked_) {
        parked.connection->mark_broken();
        return_backend(std::move(parked.connection));
    }
    parked_.clear();
}

std::optional<std::string> ClientSession::distributed_refusal(router::Verb verb,
                                                              std::size_t statements) const {
    if (parked_.empty()) {
        return std::nullopt;
    }
    using router::Verb;
    if (verb == Verb::savepoint || verb == Verb::rollback_to || verb == Verb::release) {
        return std::string("not supported yet: savepoints in a transaction that runs on several "
                           "shards (a ROLLBACK TO would undo one shard only)");
    }
    if (router::ends_transaction(verb) && statements > 1) {
        return std::string("send COMMIT / ROLLBACK of a transaction that runs on several shards "
                           "as a statement of its own");
    }
    return std::nullopt;
}

} // namespace shardgate::proxy::pg
