// Writes that need several shards (PostgreSQL plane): a multi-row INSERT split per shard, a
// reference-table write, an UPDATE / DELETE of several shards. Each piece runs through the
// ordinary execute() path of the session's transaction (its answer captured instead of sent),
// so a piece on a new shard joins the distributed transaction like any statement would. A
// statement sent outside a transaction gets one of its own: committed with two-phase commit
// when every piece succeeded, rolled back on every shard otherwise. common/multi_write has
// the engine-neutral part; docs/cross-shard-writes.md.
#include "common/multi_write.hpp"

#include "client_session.hpp"
#include "shardgate/protocol/pg/backend_decoder.hpp"
#include "shardgate/protocol/pg/encoder.hpp"
#include "shardgate/protocol/pg/frontend_decoder.hpp"
#include "worker.hpp"

namespace shardgate::proxy::pg {

namespace ppg = protocol::pg;

namespace {

/// A piece's answer as the client would have seen it, read back from its bytes.
PieceAnswer read_answer(const ppg::ByteBuffer& captured) {
    PieceAnswer answer;
    bool ready = false;
    ppg::ByteView rest(captured.data(), captured.size());
    while (!rest.empty()) {
        auto frame = ppg::next_frame(rest);
        if (!frame.ok()) {
            break;
        }
        const auto& message = frame.value();
        const std::string bytes(reinterpret_cast<const char*>(message.bytes.data()),
                                message.bytes.size());
        switch (message.type) {
        case ppg::PqMsg_ErrorResponse:
            if (answer.failure.sqlstate.empty()) {
                answer.failure = failure_of(message);
            }
            break;
        case ppg::PqMsg_RowDescription:
            answer.description = bytes;
            break;
        case ppg::PqMsg_DataRow:
            answer.rows.push_back(bytes);
            break;
        case ppg::PqMsg_CommandComplete: {
            auto complete = ppg::decode_command_complete(message);
            answer.tag = complete ? std::string(complete.value().tag) : std::string();
            answer.affected = tag_count(answer.tag);
            break;
        }
        case ppg::PqMsg_ReadyForQuery:
            ready = true;
            break;
        default:
            break;
        }
        rest = rest.subspan(frame.consumed());
    }
    answer.ok = ready && answer.failure.sqlstate.empty();
    if (!answer.ok && answer.failure.sqlstate.empty()) {
        answer.failure = {"08006", "the shard's answer was cut short", 0};
    }
    return answer;
}

void append(ppg::ByteBuffer& out, std::string_view bytes) {
    const auto* data = reinterpret_cast<const std::byte*>(bytes.data());
    out.insert(out.end(), data, data + bytes.size());
}

} // namespace

asio::awaitable<bool> ClientSession::on_multi_write(const router::Plan& plan,
                                                    std::string_view sql) {
    if (auto refusal = multi_write_refusal(plan)) {
        send_error("0A000", *refusal);
        send_ready();
        co_return co_await flush();
    }
    auto pieces = write_pieces(plan, sql, parser::Dialect::pg, {}, false);
    if (!pieces) {
        send_error("0A000", "not supported yet: shardgate cannot cut this INSERT's VALUES rows "
                            "per shard; insert the rows of each shard separately");
        send_ready();
        co_return co_await flush();
    }
    const PieceBuilder build = [](const WritePiece& piece) -> RequestBuilder {
        return [&piece](BackendConnection&, ppg::ByteBuffer& request, ResponseFilter& filter) {
            ppg::encode(request, ppg::Query{piece.sql});
            filter.expect(ResponseFilter::Expect::query);
            return true;
        };
    };
    co_return co_await run_write_pieces(plan, *pieces, build, ScatterAnswer{}, false);
}

asio::awaitable<bool>
ClientSession::on_extended_multi_write(const router::Plan& plan, const std::string& sql,
                                       const std::vector<std::uint32_t>& types) {
    // The batch is one Bind + Execute (extended_scatter_refusal): each shard gets the unnamed
    // statement with its own rows and the parameters they use, renumbered.
    std::optional<ppg::Bind> bind;
    auto answer = batch_answers([&bind](ppg::Bind one) { bind = std::move(one); });
    // The Bind's values point into batch_bytes_: keep them until the pieces ran.
    ppg::ByteBuffer kept;
    kept.swap(batch_bytes_);
    batch_.clear();
    batch_state_ = Batch::collecting;
    if (auto refusal = multi_write_refusal(plan)) {
        send_error("0A000", *refusal);
        send_ready();
        co_return co_await flush();
    }
    auto pieces = write_pieces(plan, sql, parser::Dialect::pg, {}, true);
    if (!pieces || !bind) {
        send_error("0A000", "not supported yet: shardgate cannot cut this INSERT's VALUES rows "
                            "per shard; insert the rows of each shard separately");
        send_ready();
        co_return co_await flush();
    }
    const auto& client = *bind;
    const PieceBuilder build = [&client, &types](const WritePiece& piece) -> RequestBuilder {
        return [&client, &types, &piece](BackendConnection&, ppg::ByteBuffer& request,
                                         ResponseFilter& filter) {
            // A split INSERT's piece uses some parameters, renumbered; any other piece is the
            // client's statement with all of them.
            std::vector<std::uint32_t> piece_types = types;
            ppg::Bind one{"", "", client.parameter_formats, client.parameters,
                          client.result_formats};
            if (!piece.rows.empty()) {
                piece_types.clear();
                one.parameter_formats.clear();
                one.parameters.clear();
                for (const auto param : piece.params) {
                    piece_types.push_back(param < types.size() ? types[param] : 0);
                    one.parameter_formats.push_back(client.parameter_format(param));
                    one.parameters.push_back(
                        param < client.parameters.size() ? client.parameters[param] : std::nullopt);
                }
            }
            ppg::encode(request, ppg::Parse{"", piece.sql, piece_types});
            ppg::encode(request, one);
            ppg::encode(request, ppg::Describe{ppg::TargetKind::portal, ""});
            ppg::encode(request, ppg::Execute{"", 0});
            ppg::encode(request, ppg::Sync{});
            filter.expect(ResponseFilter::Expect::parse);
            filter.expect(ResponseFilter::Expect::bind);
            filter.expect(ResponseFilter::Expect::describe_portal);
            filter.expect(ResponseFilter::Expect::execute);
            filter.expect(ResponseFilter::Expect::sync);
            return true;
        };
    };
    co_return co_await run_write_pieces(plan, *pieces, build, std::move(answer), true);
}

asio::awaitable<bool> ClientSession::run_write_pieces(const router::Plan& plan,
                                                      const std::vector<WritePiece>& pieces,
                                                      const PieceBuilder& build,
                                                      ScatterAnswer answer, bool extended) {
    auto& stats = worker_.stats();
    if (core_.txn() != Txn::none && backend_status_ == 'E') {
        send_error("25P02", "current transaction is aborted, commands ignored until end of "
                            "transaction block");
        send_ready();
        co_return co_await flush();
    }
    // Outside a transaction the statement gets one of its own.
    const bool own = core_.txn() == Txn::none;
    if (own) {
        core_.begin("BEGIN");
    }
    const RunPiece run = [&](std::size_t index) -> asio::awaitable<PieceAnswer> {
        const auto& piece = pieces[index];
        const Target target{plan.shards[piece.shard], true, true, plan.max_lag_ms, std::nullopt};
        if (core_.txn() != Txn::none) {
            if (auto refusal = core_.second_shard(target.shard)) {
                PieceAnswer refused;
                refused.failure = {refusal->sqlstate, refusal->message, 0};
                co_return refused;
            }
        }
        ppg::ByteBuffer captured;
        out_.swap(captured);
        capturing_ = true;
        const bool alive = co_await execute(target, build(piece), false);
        capturing_ = false;
        out_.swap(captured);
        auto piece_answer = read_answer(captured);
        if (!alive) {
            piece_answer.ok = false;
        }
        co_return piece_answer;
    };
    const auto outcome = co_await run_multi_write(pieces, plan.shard_names, run);
    ++stats.multi_shard_writes;
    std::optional<ScatterFailure> failure;
    if (!outcome.ok) {
        ++stats.multi_shard_write_failures;
        failure = outcome.failure;
        if (own && core_.txn() != Txn::none) {
            co_await end_distributed(false);
            failure->message += " (the statement was rolled back on every shard)";
        } else if (core_.txn() != Txn::none) {
            aborted_ = true; // as PostgreSQL: the error aborts the transaction
        }
    } else if (own) {
        const auto ended = co_await end_distributed(true);
        if (!ended.sqlstate.empty()) {
            ++stats.multi_shard_write_failures;
            failure = ScatterFailure{ended.sqlstate, ended.message, 0};
        }
    }
    out_.insert(out_.end(), answer.before_description.begin(), answer.before_description.end());
    if (failure) {
        send_error(failure->sqlstate, failure->message);
    } else {
        // Extended protocol: a RowDescription (or NoData) only for the client's Describe;
        // simple Query: before the rows of a RETURNING.
        if (extended ? answer.describe : !outcome.description.empty()) {
            if (outcome.description.empty()) {
                ppg::encode(out_, ppg::NoData{});
            } else {
                append(out_, outcome.description);
            }
        }
        for (const auto& row : outcome.rows) {
            append(out_, row);
        }
        ppg::encode(out_, ppg::CommandComplete{outcome.tag});
        out_.insert(out_.end(), answer.after_complete.begin(), answer.after_complete.end());
    }
    state_ = State::idle;
    send_ready();
    co_return co_await flush();
}

} // namespace shardgate::proxy::pg
