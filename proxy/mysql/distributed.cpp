// A transaction on several shards (MySQL plane): the shard it started on runs an ordinary
// transaction and coordinates; every other shard joins as an XA branch (XA START when its
// first statement runs there). The connection running statements now is pinned_, the others
// wait in parked_. COMMIT runs two-phase commit (common/two_phase), ROLLBACK rolls every
// shard back. docs/cross-shard-writes.md.
#include "client_session.hpp"
#include "common/distributed_txn.hpp"
#include "shardgate/protocol/mysql/commands.hpp"
#include "shardgate/protocol/mysql/framing.hpp"
#include "shardgate/protocol/mysql/text_result_set.hpp"
#include "worker.hpp"

#include <algorithm>
#include <chrono>
#include <spdlog/spdlog.h>

namespace shardgate::proxy::mysql {

namespace pm = protocol::mysql;

namespace {

const TwoPhaseSql my_two_phase{TwoPhaseEngine::mysql};

} // namespace

asio::awaitable<StepResult> run_query(BackendConnection& backend, std::string sql) {
    StepResult result;
    pm::Buffer payload;
    pm::encode_com_query(sql, payload);
    pm::Buffer request;
    std::uint8_t sequence = 0;
    pm::append_packet(request, sequence, payload);
    result.lost = static_cast<bool>(co_await write_all(backend.stream(), request));
    pm::ResponseTracker tracker(pm::ResponseKind::text_query, backend.capabilities());
    auto& in = backend.in();
    std::uint64_t columns = 0;
    while (!result.lost) {
        auto frame = pm::decode_frame(in.view());
        if (frame.need_more()) {
            result.lost = static_cast<bool>(co_await read_more(backend.stream(), in));
            continue;
        }
        if (frame.is_error()) {
            result.lost = true;
            break;
        }
        const auto step = tracker.on_frame(frame.value());
        // The first value of the first row (a one-frame row: short values only).
        if (step.role == pm::PacketRole::column_count && columns == 0) {
            const auto count = pm::decode_column_count(frame.value().payload);
            columns = count.ok() ? count.value() : 0;
        } else if (step.role == pm::PacketRole::row && columns > 0 && !result.first_value) {
            const auto row = pm::decode_text_row(frame.value().payload, columns);
            if (row.ok() && !row.value().empty()) {
                result.first_value =
                    row.value().front() ? std::string(*row.value().front()) : std::string();
            }
        }
        in.consume(frame.consumed());
        if (step.status == pm::TrackStatus::protocol_error ||
            step.status == pm::TrackStatus::send_local_infile) {
            result.lost = true;
            break;
        }
        if (step.status == pm::TrackStatus::complete) {
            const auto& summary = tracker.summary();
            result.ok = summary.succeeded();
            result.last_insert_id = summary.last_insert_id;
            if (summary.error) {
                result.sqlstate = summary.error->sql_state;
                result.message =
                    fmt::format("{} ({})", summary.error->message, summary.error->error_code);
            }
            break;
        }
    }
    if (result.lost) {
        result.ok = false;
        backend.mark_broken();
    }
    co_return result;
}

bool ClientSession::switch_shard(const Target& target) {
    return park_and_resume(core_, pinned_, parked_, target.shard);
}

asio::awaitable<void> ClientSession::ensure_decision_table(shardmaps::ShardId shard) {
    const auto server = db_->shard(shard).primary.to_string();
    if (decision_table_known(server)) {
        co_return;
    }
    std::vector<BackendIndex> failed;
    auto held = co_await shard_connection(Target{shard, true, true}, failed);
    if (!held.connection) {
        co_return; // the decision's INSERT then fails and says why
    }
    auto& connection = *held.connection;
    co_await proxy::ensure_decision_table(my_two_phase, server, [&connection](std::string sql) {
        return run_query(connection, std::move(sql));
    });
    worker_.pool().release(std::move(held.connection));
}

asio::awaitable<bool> ClientSession::end_distributed(bool commit) {
    const auto error = co_await finish_distributed(commit);
    if (error) {
        send_err(error->error_code, error->sql_state, error->message);
    } else {
        send_ok();
    }
    co_return co_await flush();
}

asio::awaitable<std::optional<pm::ErrPacket>> ClientSession::finish_distributed(bool commit) {
    const auto held = held_connections(core_, pinned_, parked_);
    const std::string txn = core_.txn_id();
    const auto shards = txn_shards(core_, txn, held);
    const RunStep run = [&](std::size_t index, std::string sql) -> asio::awaitable<StepResult> {
        auto& connection = held[index].connection;
        if (!connection || connection->state() == BackendConnection::State::broken) {
            co_return StepResult{false, "", true, "08S01", "connection lost", std::nullopt, 0};
        }
        running_on_.emplace(connection->target(), connection->connection_id());
        auto step = co_await run_query(*connection, std::move(sql));
        running_on_.reset();
        co_return step;
    };
    state_ = State::forwarding;
    auto& stats = worker_.stats();
    const bool complete = !held.empty() && held.size() == core_.txn_shards().size();
    std::optional<pm::ErrPacket> error;
    if (commit && complete) {
        const auto started = std::chrono::steady_clock::now();
        co_await ensure_decision_table(held.front().shard);
        const auto outcome = co_await commit_two_phase(my_two_phase, txn, shards, run);
        count_commit(stats, outcome, started);
        for (const auto& shard : outcome.left_in_doubt) {
            spdlog::warn("mysql client {}: distributed transaction {} left prepared on shard {} "
                         "for the resolver",
                         connection_id_, txn, shard);
        }
        if (outcome.result == CommitOutcome::Result::committed) {
            // Read-your-writes: later reads of this session see the writes on every shard.
            Exchange committed;
            committed.ok = true;
            for (const auto& one : held) {
                if (one.connection->state() != BackendConnection::State::broken) {
                    co_await note_write_end(Target{one.shard, true, true}, *one.connection,
                                            committed);
                }
            }
        } else {
            // 1180 ER_ERROR_DURING_COMMIT; 1614 ER_XA_RBROLLBACK (rolled back).
            error =
                pm::ErrPacket{static_cast<std::uint16_t>(
                                  outcome.result == CommitOutcome::Result::unknown ? 1180 : 1614),
                              outcome.result == CommitOutcome::Result::unknown ? "08007" : "XA100",
                              outcome.message};
            // Whatever a failed protocol left on them, these connections are not reused.
            for (auto& one : held) {
                one.connection->mark_broken();
            }
        }
    } else {
        const auto failed = co_await rollback_all(my_two_phase, shards, run);
        for (const auto index : failed) {
            held[index].connection->mark_broken(); // closing it rolls the branch back
        }
        ++stats.two_phase_aborts;
        if (commit) {
            error = pm::ErrPacket{1614, "XA100",
                                  "the transaction lost a shard's connection; it was rolled back "
                                  "on every shard"};
        }
    }
    keep_state_connection();
    for (auto& parked : parked_) {
        worker_.pool().release(std::move(parked.connection));
    }
    parked_.clear();
    core_.end_transaction();
    if (!holds_state()) {
        release_backend();
    }
    state_ = State::idle;
    co_return error;
}

void ClientSession::keep_state_connection() {
    if (!holds_state()) {
        return;
    }
    if (!pinned_ || core_.pinned_shard() != state_shard_) {
        // The transaction ran on another shard last: the state's connection is a parked one.
        std::shared_ptr<BackendConnection> keeper;
        BackendIndex backend = 0;
        for (auto it = parked_.begin(); it != parked_.end(); ++it) {
            if (it->shard == state_shard_) {
                keeper = std::move(it->connection);
                backend = it->backend;
                parked_.erase(it);
                break;
            }
        }
        release_backend();
        if (keeper) {
            pinned_ = std::move(keeper);
            core_.pin(state_shard_, backend);
        }
    }
    if (!pinned_ || pinned_->state() == BackendConnection::State::broken) {
        // A failed commit closes its connections: the state on it is gone (the client heard
        // of the failure).
        spdlog::warn("mysql client {}: the session state kept on shard {} is gone with its "
                     "connection",
                     connection_id_, core_.shard_name(state_shard_));
        release_backend();
        state_pinned_ = false;
        cursor_open_ = false;
        cursor_statement_.reset();
    }
}

asio::awaitable<std::optional<pm::ErrPacket>> ClientSession::implicit_commit() {
    // What MySQL does before DDL: the open transaction commits (on several shards: two-phase).
    if (!parked_.empty() || core_.distributed()) {
        co_return co_await finish_distributed(true);
    }
    if (!pinned_ || core_.txn() != Txn::active) {
        if (core_.txn() == Txn::deferred) {
            core_.set_transaction(Txn::none); // BEGIN never reached a shard
        }
        co_return std::nullopt;
    }
    const auto result = co_await run_query(*pinned_, "COMMIT");
    if (!result.ok) {
        const auto shard = pinned_->target().shard;
        drop_pinned(); // a lost or failed COMMIT: the connection is not reused
        if (result.lost) {
            // The COMMIT may have been applied before the connection went.
            co_return pm::ErrPacket{1180, "08007",
                                    fmt::format("the open transaction's implicit commit before "
                                                "the DDL lost the connection to shard {}; the "
                                                "transaction's outcome is unknown",
                                                shard)};
        }
        co_return pm::ErrPacket{
            1180, "HY000",
            fmt::format("the open transaction's implicit commit before the DDL failed on shard "
                        "{}: {}",
                        shard, result.message)};
    }
    Exchange committed;
    committed.ok = true;
    co_await note_write_end(Target{*core_.pinned_shard(), true, true}, *pinned_, committed);
    core_.set_transaction(Txn::none);
    if (!state_pinned_ && !cursor_open_) {
        release_backend();
    }
    co_return std::nullopt;
}

void ClientSession::drop_parked() {
    for (auto& parked : parked_) {
        parked.connection->mark_broken();
        worker_.pool().release(std::move(parked.connection));
    }
    parked_.clear();
}

std::optional<std::string>
ClientSession::distributed_refusal(router::Verb verb, parser::StatementKind statement) const {
    if (parked_.empty() && !core_.distributed()) {
        return std::nullopt;
    }
    using router::Verb;
    if (verb == Verb::savepoint || verb == Verb::rollback_to || verb == Verb::release) {
        return std::string("not supported yet: savepoints in a transaction that runs on several "
                           "shards (a ROLLBACK TO would undo one shard only)");
    }
    if (router::ends_transaction(verb)) {
        return std::string("send COMMIT / ROLLBACK of a transaction that runs on several shards "
                           "as a query of its own");
    }
    if (verb == Verb::begin || verb == Verb::start_transaction) {
        return std::string("BEGIN inside a transaction that runs on several shards would commit "
                           "one shard only: COMMIT or ROLLBACK it first");
    }
    if (statement == parser::StatementKind::ddl) {
        return std::string("DDL inside a transaction that runs on several shards would commit "
                           "one shard only: COMMIT or ROLLBACK it first");
    }
    return std::nullopt;
}

} // namespace shardgate::proxy::mysql
