// Writes that need several shards (PostgreSQL plane): a multi-row INSERT split per shard, a
// reference-table write, an UPDATE / DELETE of several shards. Each piece runs through the
// ordinary execute() path of the session's transaction (its answer captured instead of sent),
// so a piece on a new shard joins the distributed transaction like any statement would. A
// statement sent outside a transaction gets one of its own: committed with two-phase commit
// when every piece succeeded, rolled back on every shard otherwise. common/multi_write has
// the engine-neutral part; docs/cross-shard-writes.md.
#include "common/multi_write.hpp"

#include "client_session.hpp"
#include "common/key_move.hpp"
#include "shardgate/protocol/pg/backend_decoder.hpp"
#include "shardgate/protocol/pg/encoder.hpp"
#include "shardgate/protocol/pg/frontend_decoder.hpp"
#include "worker.hpp"

#include <fmt/format.h>

namespace shardgate::proxy::pg {

namespace ppg = protocol::pg;

namespace {

/// Calls `each` with every whole message of a captured answer, in order.
template <class Each> void for_each_message(const ppg::ByteBuffer& captured, Each each) {
    ppg::ByteView rest(captured.data(), captured.size());
    while (!rest.empty()) {
        auto frame = ppg::next_frame(rest);
        if (!frame.ok()) {
            return;
        }
        each(frame.value());
        rest = rest.subspan(frame.consumed());
    }
}

} // namespace

PieceAnswer read_piece_answer(const ppg::ByteBuffer& captured) {
    PieceAnswer answer;
    bool ready = false;
    for_each_message(captured, [&](const ppg::Frame& message) {
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
    });
    answer.ok = ready && answer.failure.sqlstate.empty();
    if (!answer.ok && answer.failure.sqlstate.empty()) {
        answer.failure = {"08006", "the shard's answer was cut short", 0};
    }
    return answer;
}

namespace {

constexpr const char* cannot_cut = "not supported yet: shardgate cannot cut this INSERT's "
                                   "VALUES rows per shard; insert the rows of each shard "
                                   "separately";

void append(ppg::ByteBuffer& out, std::string_view bytes) {
    const auto* data = reinterpret_cast<const std::byte*>(bytes.data());
    out.insert(out.end(), data, data + bytes.size());
}

} // namespace

ClientSession::RequestBuilder ClientSession::query_piece(const WritePiece& piece) {
    // A simple Query: the piece's statement as its text.
    return [&piece](BackendConnection&, ppg::ByteBuffer& request, ResponseFilter& filter) {
        ppg::encode(request, ppg::Query{piece.sql});
        filter.expect(ResponseFilter::Expect::query);
        return true;
    };
}

asio::awaitable<bool> ClientSession::on_multi_write(const router::Plan& plan,
                                                    std::string_view sql) {
    if (auto refusal = multi_write_refusal(plan, *db_)) {
        send_error("0A000", *refusal);
        send_ready();
        co_return co_await flush();
    }
    auto pieces = write_pieces(plan, sql, parser::Dialect::pg, {}, false);
    if (!pieces) {
        send_error("0A000", cannot_cut);
        send_ready();
        co_return co_await flush();
    }
    co_return co_await run_write_pieces(plan, *pieces, query_piece, ScatterAnswer{}, false);
}

asio::awaitable<bool> ClientSession::on_ddl_in_transaction(const router::Plan& plan,
                                                           std::string_view sql) {
    // PostgreSQL's DDL is transactional: each shard runs it inside the client's transaction
    // (joining it), and COMMIT makes it visible on every shard or on none (two-phase commit).
    std::vector<WritePiece> pieces;
    for (std::size_t i = 0; i < plan.shards.size(); ++i) {
        pieces.push_back({i, std::string(sql), {}, {}});
    }
    co_return co_await run_write_pieces(plan, pieces, query_piece, ScatterAnswer{}, false);
}

ClientSession::PieceBuilder
ClientSession::extended_piece_builder(const ppg::Bind& client,
                                      const std::vector<std::uint32_t>& types) {
    return [&client, &types](const WritePiece& piece) -> RequestBuilder {
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
}

asio::awaitable<bool>
ClientSession::on_extended_multi_write(const router::Plan& plan, const std::string& sql,
                                       const std::vector<std::uint32_t>& types,
                                       const std::vector<std::string>& leading) {
    // The batch is one Bind + Execute (extended_scatter_refusal): each shard gets the unnamed
    // statement with its own rows and the parameters they use, renumbered.
    std::optional<ppg::Bind> bind;
    auto answer = batch_answers([&bind](ppg::Bind one) { bind = std::move(one); }, leading);
    // The Bind's values point into batch_bytes_: keep them until the pieces ran.
    ppg::ByteBuffer kept;
    kept.swap(batch_bytes_);
    batch_.clear();
    batch_state_ = Batch::collecting;
    auto refusal = multi_write_refusal(plan, *db_);
    auto pieces = refusal ? std::nullopt : write_pieces(plan, sql, parser::Dialect::pg, {}, true);
    if (refusal || !pieces || !bind) {
        send_error("0A000", refusal.value_or(cannot_cut));
        send_ready();
        co_return co_await flush();
    }
    const auto build = extended_piece_builder(*bind, types);
    co_return co_await run_write_pieces(plan, *pieces, build, std::move(answer), true);
}

asio::awaitable<std::pair<bool, ppg::ByteBuffer>>
ClientSession::captured_execute(const Target& target, const RequestBuilder& build) {
    ppg::ByteBuffer captured;
    out_.swap(captured);
    capturing_ = true;
    const bool alive = co_await execute(target, build, false);
    capturing_ = false;
    out_.swap(captured);
    co_return std::pair{alive, std::move(captured)};
}

asio::awaitable<MultiWriteOutcome> ClientSession::run_pieces(const router::Plan& plan,
                                                             const std::vector<WritePiece>& pieces,
                                                             const PieceBuilder& build) {
    const RunPiece run = [&](std::size_t index) -> asio::awaitable<PieceAnswer> {
        const auto& piece = pieces[index];
        const Target target{plan.shards[piece.shard], true, true, plan.max_lag_ms, std::nullopt};
        if (auto refusal = core_.second_shard(target.shard)) {
            PieceAnswer refused;
            refused.failure = {refusal->sqlstate, refusal->message, 0};
            co_return refused;
        }
        auto [alive, captured] = co_await captured_execute(target, build(piece));
        auto answer = read_piece_answer(captured);
        answer.ok = answer.ok && alive;
        co_return answer;
    };
    auto outcome = co_await run_multi_write(pieces, plan.shard_names, plan.copies, run);
    if (pieces.size() > 1) {
        ++worker_.stats().multi_shard_writes;
        worker_.stats().multi_shard_write_failures += outcome.ok ? 0 : 1;
    }
    co_return outcome;
}

void ClientSession::render_write(const MultiWriteOutcome& outcome, const ScatterAnswer& answer,
                                 bool extended) {
    out_.insert(out_.end(), answer.before_description.begin(), answer.before_description.end());
    // Extended protocol: a RowDescription (or NoData) only for the client's Describe; simple
    // Query: before the rows of a RETURNING.
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

std::optional<bool> ClientSession::open_own() {
    if (core_.txn() != Txn::none && backend_status_ == 'E') {
        send_error("25P02", "current transaction is aborted, commands ignored until end of "
                            "transaction block");
        send_ready();
        return std::nullopt;
    }
    // Outside a transaction the statement gets one of its own.
    const bool own = core_.txn() == Txn::none;
    if (own) {
        core_.begin("BEGIN");
    }
    return own;
}

asio::awaitable<void> ClientSession::finish_own(bool own, std::optional<ScatterFailure>& failure,
                                                std::string_view what) {
    if (failure) {
        if (own) {
            co_await end_own(false);
            failure->message += fmt::format(" (the {} was rolled back on every shard)", what);
        } else if (core_.txn() != Txn::none) {
            aborted_ = true; // as PostgreSQL: the error aborts the transaction
        }
    } else if (own) {
        const auto ended = co_await end_own(true);
        if (!ended.sqlstate.empty()) {
            failure = ScatterFailure{ended.sqlstate, ended.message, 0};
        }
    }
}

asio::awaitable<ClientSession::SessionAnswer> ClientSession::end_own(bool commit) {
    if (core_.txn() == Txn::none) {
        co_return SessionAnswer{commit ? "COMMIT" : "ROLLBACK", "", ""}; // nothing ran
    }
    if (core_.distributed() || !parked_.empty()) {
        co_return co_await end_distributed(commit);
    }
    if (!pinned_) { // BEGIN never reached a shard
        end_transaction(commit);
        co_return SessionAnswer{commit ? "COMMIT" : "ROLLBACK", "", ""};
    }
    const std::string sql = commit && !aborted_ && backend_status_ != 'E' ? "COMMIT" : "ROLLBACK";
    auto [alive, captured] = co_await captured_execute(
        Target{*core_.pinned_shard(), true},
        [&sql](BackendConnection&, ppg::ByteBuffer& request, ResponseFilter& filter) {
            ppg::encode(request, ppg::Query{sql});
            filter.expect(ResponseFilter::Expect::query);
            return true;
        });
    auto answer = read_piece_answer(captured);
    if (!answer.ok || !alive) {
        co_return SessionAnswer{"", answer.failure.sqlstate, answer.failure.message};
    }
    co_return SessionAnswer{answer.tag, "", ""};
}

asio::awaitable<bool> ClientSession::run_write_pieces(const router::Plan& plan,
                                                      const std::vector<WritePiece>& pieces,
                                                      const PieceBuilder& build,
                                                      ScatterAnswer answer, bool extended) {
    const auto opened = open_own();
    if (!opened) {
        co_return co_await flush();
    }
    const bool own = *opened;
    const auto outcome = co_await run_pieces(plan, pieces, build);
    std::optional<ScatterFailure> failure;
    if (!outcome.ok) {
        failure = outcome.failure;
    }
    co_await finish_own(own, failure, "statement");
    if (failure) {
        out_.insert(out_.end(), answer.before_description.begin(), answer.before_description.end());
        send_error(failure->sqlstate, failure->message);
    } else {
        render_write(outcome, answer, extended);
    }
    state_ = State::idle;
    send_ready();
    co_return co_await flush();
}

asio::awaitable<bool> ClientSession::run_segments() {
    // A batch whose statements need different shards (pgjdbc's executeBatch, a rewritten
    // batch of several multi-row INSERTs, BEGIN sent with a transaction's first statement):
    // each statement's messages (up to its Execute) run as a batch of their own, ended by a
    // Sync shardgate adds, inside the client's transaction or one for the whole batch (as
    // PostgreSQL runs a batch without BEGIN: one implicit transaction).
    auto all = std::move(batch_);
    batch_.clear();
    std::vector<std::vector<Pending>> segments(1);
    for (const auto& pending : all) {
        segments.back().push_back(pending);
        if (pending.type == ppg::PqMsg_Execute) {
            segments.emplace_back();
        }
    }
    if (segments.back().empty()) {
        segments.pop_back();
    } else if (segments.size() > 1) { // Close and the like after the last Execute
        auto tail = std::move(segments.back());
        segments.pop_back();
        segments.back().insert(segments.back().end(), tail.begin(), tail.end());
    }
    ppg::ByteBuffer answers;
    std::optional<ScatterFailure> failure;
    bool own = false;
    const auto planner = worker_.planner(database_, epoch_);
    for (std::size_t i = 0; i < segments.size() && !failure; ++i) {
        batch_ = segments[i];
        // The segment's own Parse names its statement (a later one may reuse the name).
        std::optional<ppg::Bind> bind;
        for (const auto& pending : batch_) {
            const ppg::ByteView bytes(batch_bytes_.data() + pending.offset, pending.size);
            const auto frame = ppg::next_frame(bytes).value();
            if (pending.type == ppg::PqMsg_Parse) {
                auto parse = ppg::decode_parse(frame).value();
                statements_[std::string(parse.statement)] =
                    Statement{std::string(parse.query), parse.parameter_types, {}};
            } else if (pending.type == ppg::PqMsg_Bind && !bind) {
                bind = ppg::decode_bind(frame).value();
            }
        }
        const auto it = bind ? statements_.find(std::string(bind->statement)) : statements_.end();
        if (it == statements_.end()) {
            failure = ScatterFailure{"0A000",
                                     "not supported yet: a batch whose statements need "
                                     "different shards with messages other than Parse, Bind, "
                                     "Describe, Execute, Close",
                                     0};
            break;
        }
        const auto params = routing_params(*bind);
        auto plan = planner->route(it->second.sql, route_context(params, it->second.types));
        std::string sql = it->second.sql;
        // A statement whose keys shardgate generates runs with them written in, as a piece.
        const bool generated = plan.generated_keys && !plan.generated_keys->next_value;
        if (generated) {
            auto filled = co_await filled_insert(plan, sql, {core_.txn() != Txn::none, params});
            if (!filled.ok()) {
                failure = ScatterFailure{filled.sqlstate, filled.message, 0};
                break;
            }
            plan = std::move(filled.plan);
            sql = std::move(filled.sql);
        }
        if (plan.kind == router::PlanKind::session) {
            const bool begins =
                plan.verb == router::Verb::begin || plan.verb == router::Verb::start_transaction;
            // Only a BEGIN that opens the batch (routing the batch took it already: the
            // transaction is deferred, on no shard yet).
            const bool opens =
                i == 0 && (core_.txn() == Txn::none || (core_.txn() == Txn::deferred && !pinned_));
            if (!(begins && opens)) {
                failure = ScatterFailure{
                    "0A000",
                    fmt::format("not supported yet: {} inside a batch whose statements need "
                                "different shards; send it in a batch of its own",
                                router::verb_name(plan.verb)),
                    0};
                break;
            }
            const auto begun = answer_session(plan.verb, it->second.sql);
            auto answer = batch_answers([](ppg::Bind) {}, {begun.tag});
            answers.insert(answers.end(), answer.before_description.begin(),
                           answer.before_description.end());
            answers.insert(answers.end(), answer.after_complete.begin(),
                           answer.after_complete.end());
            continue;
        }
        if (core_.txn() == Txn::none) {
            own = true; // the batch's implicit transaction
            core_.begin("BEGIN");
        }
        if (is_multi_write(plan) || generated) {
            auto refusal = is_multi_write(plan) ? multi_write_refusal(plan, *db_) : std::nullopt;
            auto pieces =
                refusal ? std::nullopt : write_pieces(plan, sql, parser::Dialect::pg, {}, true);
            if (refusal || !pieces) {
                failure = ScatterFailure{"0A000", refusal.value_or(cannot_cut), 0};
                break;
            }
            const auto& types = it->second.types;
            auto answer = batch_answers([](ppg::Bind) {}, {});
            const auto outcome =
                co_await run_pieces(plan, *pieces, extended_piece_builder(*bind, types));
            std::swap(out_, answers);
            if (outcome.ok) {
                render_write(outcome, answer, true);
            } else {
                out_.insert(out_.end(), answer.before_description.begin(),
                            answer.before_description.end());
                failure = outcome.failure;
            }
            std::swap(out_, answers);
            continue;
        }
        auto target = core_.target_for(plan, true);
        if (target) {
            if (auto refusal = core_.second_shard(target->shard)) {
                target = std::move(*refusal);
            }
        }
        if (!target) {
            failure = ScatterFailure{target.error().sqlstate, target.error().message, 0};
            break;
        }
        auto [alive, captured] = co_await captured_execute(
            *target,
            [this](BackendConnection& backend, ppg::ByteBuffer& request, ResponseFilter& filter) {
                return build_batch(backend, request, filter, true);
            });
        // The answers without the ReadyForQuery of the Sync shardgate added.
        for_each_message(captured, [&](const ppg::Frame& message) {
            if (message.type == ppg::PqMsg_ErrorResponse && !failure) {
                failure = failure_of(message);
            }
            if (message.type != ppg::PqMsg_ReadyForQuery) {
                answers.insert(answers.end(), message.bytes.begin(), message.bytes.end());
            }
        });
        if (failure) {
            failure->sqlstate.clear(); // already in the answers
        } else if (!alive) {
            failure = ScatterFailure{"08006", "lost the connection to the client", 0};
        }
    }
    batch_.clear();
    batch_bytes_.clear();
    batch_state_ = Batch::collecting;
    if (own) {
        const auto ended = co_await end_own(!failure);
        if (!failure && !ended.sqlstate.empty()) {
            failure = ScatterFailure{ended.sqlstate, ended.message, 0};
        }
    } else if (failure && core_.txn() != Txn::none) {
        aborted_ = true; // as PostgreSQL: the error aborts the transaction
    }
    out_.insert(out_.end(), answers.begin(), answers.end());
    if (failure && !failure->sqlstate.empty()) {
        send_error(failure->sqlstate, failure->message);
    }
    state_ = State::idle;
    send_ready();
    co_return co_await flush();
}

namespace {

/// A captured answer with its rows decoded as text (a simple Query's).
ShardRows shard_rows(const ppg::ByteBuffer& captured, bool alive) {
    ShardRows out;
    bool ready = false;
    for_each_message(captured, [&](const ppg::Frame& message) {
        switch (message.type) {
        case ppg::PqMsg_ErrorResponse:
            if (out.failure.sqlstate.empty()) {
                out.failure = failure_of(message);
            }
            break;
        case ppg::PqMsg_RowDescription:
            if (auto description = ppg::decode_row_description(message)) {
                for (const auto& field : description.value().fields) {
                    out.columns.emplace_back(field.name);
                    out.binary.push_back(false); // text format: bytea as \x hex
                }
            }
            break;
        case ppg::PqMsg_DataRow:
            if (auto row = ppg::decode_data_row(message)) {
                auto& values = out.rows.emplace_back();
                for (const auto& value : row.value().values) {
                    values.push_back(
                        value ? std::optional<std::string>(std::string(
                                    reinterpret_cast<const char*>(value->data()), value->size()))
                              : std::nullopt);
                }
            }
            break;
        case ppg::PqMsg_CommandComplete:
            if (auto complete = ppg::decode_command_complete(message)) {
                out.affected = tag_count(complete.value().tag);
            }
            break;
        case ppg::PqMsg_ReadyForQuery:
            ready = true;
            break;
        default:
            break;
        }
    });
    out.ok = ready && alive && out.failure.sqlstate.empty();
    if (!out.ok && out.failure.sqlstate.empty()) {
        out.failure = {"08006", "the shard's answer was cut short", 0};
    }
    return out;
}

} // namespace

asio::awaitable<bool> ClientSession::on_key_move(const router::Plan& plan, std::string_view sql) {
    std::optional<ScatterFailure> failure;
    const auto opened = open_own();
    if (!opened) {
        co_return co_await flush();
    }
    const bool own = *opened;
    const RunOnShard run = [this](shardmaps::ShardId shard,
                                  std::string statement) -> asio::awaitable<ShardRows> {
        if (auto refusal = core_.second_shard(shard)) {
            ShardRows refused;
            refused.failure = {refusal->sqlstate, refusal->message, 0};
            co_return refused;
        }
        auto [alive, captured] = co_await captured_execute(
            Target{shard, true, true},
            [&statement](BackendConnection&, ppg::ByteBuffer& request, ResponseFilter& filter) {
                ppg::encode(request, ppg::Query{statement});
                filter.expect(ResponseFilter::Expect::query);
                return true;
            });
        co_return shard_rows(captured, alive);
    };
    const auto outcome =
        co_await run_key_move(plan, sql, shardmaps::Engine::postgresql, false, run);
    ++worker_.stats().multi_shard_writes;
    if (!outcome.ok) {
        ++worker_.stats().multi_shard_write_failures;
        failure = outcome.failure;
    }
    co_await finish_own(own, failure, "statement");
    if (failure) {
        send_error(failure->sqlstate, failure->message);
    } else {
        ppg::encode(out_, ppg::CommandComplete{outcome.tag});
    }
    state_ = State::idle;
    send_ready();
    co_return co_await flush();
}

} // namespace shardgate::proxy::pg
