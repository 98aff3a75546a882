// Writes that need several shards (MySQL plane): a multi-row INSERT split per shard, a
// reference-table write, an UPDATE / DELETE of several shards. Each piece runs through the
// ordinary run_command() path of the session's transaction (its answer captured instead of
// sent), so a piece on a new shard joins as an XA branch like any statement would. Under
// autocommit outside a transaction the statement gets one of its own: committed with two-phase
// commit when every piece succeeded, rolled back on every shard otherwise. Inside the client's
// transaction a piece that fails after another shard applied its piece rolls the whole
// transaction back (a statement cannot be undone on one shard only). common/multi_write has
// the engine-neutral part; docs/cross-shard-writes.md.
#include "common/multi_write.hpp"

#include "client_session.hpp"
#include "common/key_move.hpp"
#include "shardgate/protocol/mysql/commands.hpp"
#include "shardgate/protocol/mysql/framing.hpp"
#include "shardgate/protocol/mysql/generic_packets.hpp"
#include "shardgate/protocol/mysql/text_result_set.hpp"
#include "worker.hpp"

namespace shardgate::proxy::mysql {

namespace pm = protocol::mysql;

CapturedSummary summarize_captured(const pm::Buffer& captured, std::uint32_t capabilities) {
    CapturedSummary out;
    pm::ResponseTracker tracker(pm::ResponseKind::text_query, capabilities);
    pm::Bytes rest(captured.data(), captured.size());
    while (!rest.empty() && !out.complete) {
        auto frame = pm::decode_frame(rest);
        if (!frame.ok()) {
            break;
        }
        const auto step = tracker.on_frame(frame.value());
        rest = rest.subspan(frame.consumed());
        out.complete = step.status == pm::TrackStatus::complete;
        if (step.status == pm::TrackStatus::protocol_error) {
            break;
        }
    }
    out.summary = tracker.summary();
    return out;
}

namespace {

/// A piece's answer as the client would have seen it, read back from its packets.
PieceAnswer read_answer(const pm::Buffer& captured, std::uint32_t capabilities) {
    PieceAnswer answer;
    const auto [summary, complete] = summarize_captured(captured, capabilities);
    if (summary.error) {
        answer.failure = {summary.error->sql_state, summary.error->message,
                          summary.error->error_code};
        return answer;
    }
    if (!complete) {
        answer.failure = {"08S01", "the shard's answer was cut short", 2013};
        return answer;
    }
    if (summary.result_sets > 0) {
        answer.failure = {"0A000",
                          "the statement returned rows, which a write on several shards "
                          "cannot pass on yet",
                          1235};
        return answer;
    }
    answer.ok = true;
    answer.affected = summary.affected_rows;
    answer.last_insert_id = summary.last_insert_id;
    answer.warnings = summary.warnings;
    return answer;
}

} // namespace

asio::awaitable<std::pair<bool, pm::Buffer>> ClientSession::captured_query(const Target& target,
                                                                           std::string_view sql) {
    pm::Buffer payload;
    pm::encode_com_query(sql, payload);
    pm::Buffer captured;
    out_.swap(captured);
    const auto sequence = sequence_;
    capturing_ = true;
    const bool alive =
        co_await run_command(target, payload, pm::ResponseKind::text_query, false, false);
    capturing_ = false;
    sequence_ = sequence;
    out_.swap(captured);
    co_return std::pair{alive, std::move(captured)};
}

asio::awaitable<bool> ClientSession::finish_pieces(bool own, std::size_t applied,
                                                   const MultiWriteOutcome& outcome) {
    if (!outcome.ok) {
        auto failure = outcome.failure;
        if (own && core_.txn() != Txn::none) {
            co_await finish_distributed(false);
            failure.message += " (the statement was rolled back on every shard)";
        } else if (applied > 0 && core_.txn() != Txn::none) {
            // Another shard applied its part: only the whole transaction can be undone.
            co_await finish_distributed(false);
            failure = {"XA100",
                       failure.message + " (another shard had applied its part of the "
                                         "statement: the transaction was rolled back "
                                         "on every shard)",
                       1614};
        }
        send_err(failure.code != 0 ? failure.code : error_code_for(failure.sqlstate),
                 failure.sqlstate, failure.message);
        co_return false;
    }
    if (own) {
        if (const auto error = co_await finish_distributed(true)) {
            ++worker_.stats().multi_shard_write_failures;
            send_err(error->error_code, error->sql_state, error->message);
            co_return false;
        }
    }
    co_return true;
}

asio::awaitable<bool> ClientSession::on_multi_write(const router::Plan& plan, std::string_view sql,
                                                    std::optional<std::uint64_t> last_insert_id) {
    auto refusal = is_multi_write(plan) ? multi_write_refusal(plan, *db_) : std::nullopt;
    if (!refusal && plan.returning) {
        refusal = "not supported yet: RETURNING on a write that needs several shards";
    }
    auto pieces =
        refusal ? std::nullopt : write_pieces(plan, sql, parser::Dialect::mysql, lex_mode_, false);
    if (!refusal && !pieces) {
        refusal = "not supported yet: shardgate cannot cut this INSERT's VALUES rows per shard; "
                  "insert the rows of each shard separately";
    }
    if (refusal) {
        send_err(1235, "0A000", *refusal);
        co_return co_await flush();
    }
    auto& stats = worker_.stats();
    // Outside a transaction (autocommit on) the statement gets one of its own.
    const bool own = core_.txn() == Txn::none && autocommit_;
    if (own) {
        core_.begin("START TRANSACTION");
    }
    std::size_t applied = 0; // pieces that succeeded
    const RunPiece run = [&](std::size_t index) -> asio::awaitable<PieceAnswer> {
        const auto& piece = (*pieces)[index];
        const Target target{plan.shards[piece.shard], true, true, plan.max_lag_ms, std::nullopt};
        if (core_.txn() != Txn::none) {
            if (auto refused = core_.second_shard(target.shard)) {
                co_return PieceAnswer{
                    false, {refused->sqlstate, refused->message, 1235}, {}, 0, 0, 0, {}, {}};
            }
        }
        auto [alive, captured] = co_await captured_query(target, piece.sql);
        auto answer = read_answer(captured, capabilities_ | pm::CLIENT_PROTOCOL_41);
        answer.ok = answer.ok && alive;
        applied += answer.ok ? 1 : 0;
        co_return answer;
    };
    const auto outcome = co_await run_multi_write(*pieces, plan.shard_names, plan.copies, run);
    const bool several = pieces->size() > 1;
    stats.multi_shard_writes += several ? 1 : 0;
    if (!outcome.ok) {
        stats.multi_shard_write_failures += several ? 1 : 0;
    }
    const bool finished = co_await finish_pieces(own, applied, outcome);
    if (!finished) {
        co_return co_await flush();
    }
    if (!last_insert_id && outcome.last_insert_id != 0) {
        insert_id_ = outcome.last_insert_id; // the id the client's OK reports, not the last piece's
    }
    pm::OkPacket ok;
    ok.affected_rows = outcome.affected;
    ok.last_insert_id = last_insert_id.value_or(outcome.last_insert_id);
    ok.warnings = outcome.warnings;
    ok.status_flags = status_flags();
    pm::Buffer payload;
    pm::encode_ok_packet(ok, capabilities_, payload);
    send_payload(payload);
    co_return co_await flush();
}

namespace {

constexpr std::uint16_t binary_charset = 63;

/// A captured text-protocol answer with its rows decoded (column count, definitions, [EOF],
/// rows, EOF / OK), or its OK / ERR.
ShardRows shard_rows(const pm::Buffer& captured, std::uint32_t capabilities, bool alive) {
    ShardRows out;
    pm::ResponseTracker tracker(pm::ResponseKind::text_query, capabilities);
    pm::Bytes rest(captured.data(), captured.size());
    bool complete = false;
    std::size_t packet = 0;
    std::uint64_t columns = 0;
    const bool deprecate_eof = (capabilities & pm::CLIENT_DEPRECATE_EOF) != 0;
    while (!rest.empty() && !complete) {
        auto frame = pm::decode_frame(rest);
        if (!frame.ok()) {
            break;
        }
        const auto payload = frame.value().payload;
        const auto step = tracker.on_frame(frame.value());
        rest = rest.subspan(frame.consumed());
        complete = step.status == pm::TrackStatus::complete;
        if (step.status == pm::TrackStatus::protocol_error) {
            break;
        }
        const auto index = packet++;
        const auto first = payload.empty() ? 0xff : std::to_integer<unsigned>(payload[0]);
        if (first == 0xff || (index == 0 && first == 0x00)) {
            continue; // ERR, OK: the tracker's summary has them
        }
        if (index == 0) {
            const auto count = pm::decode_column_count(payload);
            columns = count.ok() ? count.value() : 0;
        } else if (index <= columns) {
            if (auto column = pm::decode_column_definition(payload); column.ok()) {
                out.columns.push_back(column.value().name);
                out.binary.push_back(column.value().character_set == binary_charset);
            }
        } else if (index == columns + 1 && !deprecate_eof) {
            continue; // the EOF after the definitions
        } else if (!pm::is_eof_packet(payload) && !complete) {
            if (auto row = pm::decode_text_row(payload, columns); row.ok()) {
                auto& values = out.rows.emplace_back();
                for (const auto& value : row.value()) {
                    values.push_back(value ? std::optional<std::string>(*value) : std::nullopt);
                }
            }
        }
    }
    const auto& summary = tracker.summary();
    if (summary.error) {
        out.failure = {summary.error->sql_state, summary.error->message, summary.error->error_code};
        return out;
    }
    out.ok = complete && alive;
    if (!out.ok) {
        out.failure = {"08S01", "the shard's answer was cut short", 2013};
    }
    out.affected = columns > 0 ? out.rows.size() : summary.affected_rows;
    return out;
}

} // namespace

asio::awaitable<bool> ClientSession::on_key_move(const router::Plan& plan, std::string_view sql) {
    auto& stats = worker_.stats();
    const bool own = core_.txn() == Txn::none && autocommit_;
    if (own) {
        core_.begin("START TRANSACTION");
    }
    std::size_t applied = 0;
    const RunOnShard run = [&](shardmaps::ShardId shard,
                               std::string statement) -> asio::awaitable<ShardRows> {
        const Target target{shard, true, true, plan.max_lag_ms, std::nullopt};
        if (core_.txn() != Txn::none) {
            if (auto refused = core_.second_shard(shard)) {
                ShardRows refusal;
                refusal.failure = {refused->sqlstate, refused->message, 1235};
                co_return refusal;
            }
        }
        auto [alive, captured] = co_await captured_query(target, statement);
        auto rows = shard_rows(captured, capabilities_ | pm::CLIENT_PROTOCOL_41, alive);
        applied += rows.ok ? 1 : 0;
        co_return rows;
    };
    const auto outcome = co_await run_key_move(plan, sql, shardmaps::Engine::mysql,
                                               lex_mode_.backslash_escapes, run);
    ++stats.multi_shard_writes;
    stats.multi_shard_write_failures += outcome.ok ? 0 : 1;
    const bool finished = co_await finish_pieces(own, applied, outcome);
    if (!finished) {
        co_return co_await flush();
    }
    send_ok(outcome.affected);
    co_return co_await flush();
}

} // namespace shardgate::proxy::mysql
