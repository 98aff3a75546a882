// COPY ... FROM STDIN into a sharded table (PostgreSQL plane): the client's rows are cut per
// shard by their key (router/copy_split) and streamed to one COPY per shard, all inside one
// transaction (the client's, or one of its own committed with two-phase commit), so the load
// is all-or-nothing. Memory stays bounded: rows go out in CopyData messages of up to 64 KiB per
// shard as they arrive. docs/cross-shard-writes.md.
#include "client_session.hpp"
#include "shardgate/protocol/pg/backend_decoder.hpp"
#include "shardgate/protocol/pg/encoder.hpp"
#include "shardgate/protocol/pg/frontend_decoder.hpp"
#include "shardgate/router/copy_split.hpp"
#include "shardgate/shardmaps/time_bucket.hpp"
#include "worker.hpp"

#include <fmt/format.h>

namespace shardgate::proxy::pg {

namespace ppg = protocol::pg;

/// One shard's COPY: its connection, the rows waiting to go out, how it ended.
struct ShardCopy {
    shardmaps::ShardId shard = 0;
    std::string name;
    BackendConnection* connection = nullptr;
    std::string rows;
    std::uint64_t count = 0;
    std::optional<ScatterFailure> failure;
    bool lost = false;
    bool started = false; ///< the shard is in COPY mode (it sent CopyInResponse)
};

namespace {

constexpr std::size_t flush_bytes = 64 * 1024;

ppg::ByteView view_of(const std::string& bytes) {
    return {reinterpret_cast<const std::byte*>(bytes.data()), bytes.size()};
}

/// Sends what `message` encodes to the shard; false when the connection broke.
template <class Message>
asio::awaitable<bool> send_message(ShardCopy& copy, const Message& message) {
    ppg::ByteBuffer bytes;
    ppg::encode(bytes, message);
    if (co_await write_all(copy.connection->stream(), bytes)) {
        copy.lost = true;
        copy.connection->mark_broken();
        co_return false;
    }
    co_return true;
}

/// Reads the shard's answer up to `until` (a message type) or ReadyForQuery: its CopyInResponse
/// (kept in `response`), its COPY count, or its error.
asio::awaitable<void> read_shard(ShardCopy& copy, char until, ppg::ByteBuffer* response) {
    auto& backend = *copy.connection;
    auto& in = backend.in();
    for (;;) {
        auto frame = ppg::next_frame(in.view());
        if (frame.need_more()) {
            if (co_await read_more(backend.stream(), in)) {
                copy.lost = true;
                break;
            }
            continue;
        }
        if (!frame.ok()) {
            copy.lost = true;
            break;
        }
        const auto& message = frame.value();
        const char type = message.type;
        if (type == ppg::PqMsg_ErrorResponse && !copy.failure) {
            copy.failure = failure_of(message);
        } else if (type == ppg::PqMsg_CommandComplete) {
            auto complete = ppg::decode_command_complete(message);
            copy.count = complete ? tag_count(complete.value().tag) : 0;
        } else if (type == until && response != nullptr) {
            response->assign(message.bytes.begin(), message.bytes.end());
        }
        in.consume(frame.consumed());
        if (type == until || type == ppg::PqMsg_ReadyForQuery) {
            co_return;
        }
    }
    backend.mark_broken();
    if (!copy.failure) {
        copy.failure = ScatterFailure{"08006", "lost the connection to shard " + copy.name, 0};
    }
}

/// Sends the shard's waiting rows as one CopyData message.
asio::awaitable<void> send_rows(ShardCopy& copy) {
    if (copy.rows.empty() || copy.lost) {
        copy.rows.clear();
        co_return;
    }
    co_await send_message(copy, ppg::CopyData{view_of(copy.rows)});
    copy.rows.clear();
}

} // namespace

asio::awaitable<std::vector<std::string>> ClientSession::table_columns(shardmaps::ShardId shard,
                                                                       const std::string& table) {
    std::shared_ptr<BackendConnection> held;
    const auto run = primary_runner(shard, held);
    const auto step = co_await run(
        "SELECT string_agg(attname, chr(31) ORDER BY attnum) FROM pg_attribute WHERE attrelid = " +
        sql_literal(TwoPhaseEngine::postgresql, table) +
        "::regclass AND attnum > 0 AND NOT attisdropped");
    if (held) {
        return_backend(std::move(held));
    }
    std::vector<std::string> columns;
    if (step.ok && step.first_value) {
        std::string_view rest(*step.first_value);
        for (auto cut = rest.find('\x1f'); !rest.empty(); cut = rest.find('\x1f')) {
            columns.emplace_back(rest.substr(0, cut));
            rest = cut == std::string_view::npos ? std::string_view() : rest.substr(cut + 1);
        }
    }
    co_return columns;
}

std::optional<std::string> ClientSession::copy_in_refusal(const router::Plan& plan,
                                                          std::string_view sql,
                                                          const std::vector<std::string>& catalog,
                                                          router::CopySpec& spec,
                                                          std::size_t& key_field) const {
    std::string error;
    auto parsed = router::parse_copy_from(sql, error);
    if (!parsed) {
        return error;
    }
    if (parsed->columns.empty()) {
        parsed->columns = catalog; // the table's columns in order, as COPY without a list uses
    }
    const auto* table = plan.tables.empty() ? nullptr : db_->find_table(plan.tables.front());
    if (table == nullptr || table->kind() != shardmaps::TableKind::horizontal) {
        return std::string("internal: COPY split without a sharded table");
    }
    const auto& key = table->key().column;
    const auto at = std::find(parsed->columns.begin(), parsed->columns.end(), key);
    if (parsed->columns.empty() || at == parsed->columns.end()) {
        return fmt::format("COPY into sharded table {} must list its columns, with its shard key "
                           "'{}', e.g. COPY {} ({}, ...) FROM STDIN: shardgate cuts the rows per "
                           "shard by that field",
                           table->name(), key, table->name(), key);
    }
    if (core_.txn() != Txn::none && backend_status_ == 'E') {
        return std::string("current transaction is aborted, commands ignored until end of "
                           "transaction block");
    }
    key_field = static_cast<std::size_t>(at - parsed->columns.begin());
    spec = std::move(*parsed);
    return std::nullopt;
}

asio::awaitable<bool> ClientSession::on_copy_in(const router::Plan& plan, std::string_view sql) {
    router::CopySpec spec;
    std::size_t key_field = 0;
    std::vector<std::string> catalog;
    std::string ignored;
    if (const auto listed = router::parse_copy_from(sql, ignored);
        listed && listed->columns.empty() && !plan.shards.empty()) {
        catalog = co_await table_columns(plan.shards.front(), plan.tables.front());
    }
    if (auto refusal = copy_in_refusal(plan, sql, catalog, spec, key_field)) {
        send_error(backend_status_ == 'E' && core_.txn() != Txn::none ? "25P02" : "0A000",
                   *refusal);
        send_ready();
        co_return co_await flush();
    }
    const auto& table = *db_->find_table(plan.tables.front());
    const bool text_key = table.key().type == shardmaps::KeyType::text;
    // Every shard of the table joins the transaction (the client's, or one for the COPY).
    const bool own = core_.txn() == Txn::none;
    if (own) {
        core_.begin("BEGIN");
    }
    std::optional<ScatterFailure> failure;
    for (const auto shard : plan.shards) {
        if (auto refusal = core_.second_shard(shard)) {
            failure = ScatterFailure{refusal->sqlstate, refusal->message, 0};
            break;
        }
        auto [alive, captured] = co_await captured_execute(
            Target{shard, true, true, plan.max_lag_ms, std::nullopt},
            [](BackendConnection&, ppg::ByteBuffer& request, ResponseFilter& filter) {
                ppg::encode(request, ppg::Query{"SELECT 1"});
                filter.expect(ResponseFilter::Expect::query);
                return true;
            });
        const auto joined = read_piece_answer(captured);
        if (!joined.ok || !alive) {
            failure = joined.failure;
            break;
        }
    }
    std::vector<ShardCopy> copies;
    if (!failure) {
        const auto held = held_connections(core_, pinned_, parked_);
        for (const auto shard : plan.shards) {
            ShardCopy copy{shard, db_->shard(shard).name, nullptr, {},
                           0,     std::nullopt,           false,   false};
            for (const auto& one : held) {
                copy.connection = one.shard == shard ? one.connection.get() : copy.connection;
            }
            if (copy.connection == nullptr) {
                failure = ScatterFailure{"08006", "no connection to shard " + copy.name, 0};
                break;
            }
            copies.push_back(std::move(copy));
        }
    }
    // Each shard starts its COPY; the first one's CopyInResponse is the client's.
    ppg::ByteBuffer response;
    for (auto& copy : copies) {
        if (failure) {
            break;
        }
        if (co_await send_message(copy, ppg::Query{std::string(sql)})) {
            co_await read_shard(copy, ppg::PqMsg_CopyInResponse,
                                response.empty() ? &response : nullptr);
        }
        if (copy.failure || copy.lost) {
            failure = copy.failure.value_or(ScatterFailure{"08006", "lost shard " + copy.name, 0});
            failure->message = "shard " + copy.name + ": " + failure->message;
            break;
        }
        copy.started = true;
    }
    if (!failure) {
        failure = co_await stream_copy_in(spec, key_field, text_key, table, copies, response);
    } else {
        // Shards whose COPY started end it; the client never entered COPY mode.
        for (auto& copy : copies) {
            if (copy.started) {
                if (co_await send_message(copy, ppg::CopyFail{"another shard refused the COPY"})) {
                    co_await read_shard(copy, ppg::PqMsg_ReadyForQuery, nullptr);
                }
            }
        }
    }
    std::uint64_t total = 0;
    for (const auto& copy : copies) {
        total += copy.count;
    }
    if (copies.size() > 1) {
        ++worker_.stats().multi_shard_writes;
        worker_.stats().multi_shard_write_failures += failure ? 1 : 0;
    }
    co_await finish_own(own, failure, "COPY");
    if (failure) {
        send_error(failure->sqlstate, failure->message);
    } else {
        ppg::encode(out_, ppg::CommandComplete{"COPY " + std::to_string(total)});
    }
    state_ = State::idle;
    send_ready();
    co_return co_await flush();
}

asio::awaitable<std::optional<ScatterFailure>>
ClientSession::stream_copy_in(const router::CopySpec& spec, std::size_t key_field, bool text_key,
                              const shardmaps::Table& table, std::vector<ShardCopy>& copies,
                              const ppg::ByteBuffer& response) {
    out_.insert(out_.end(), response.begin(), response.end());
    const bool flushed = co_await flush();
    if (!flushed) {
        co_return ScatterFailure{"08006", "lost the connection to the client", 0};
    }
    router::CopySplitter splitter(spec, key_field, text_key);
    std::optional<ScatterFailure> failure;
    // (RouteContext::utc_session: a timestamptz without offset means another instant in this
    // zone; binary COPY sends timestamptz as UTC microseconds)
    const bool zoned_times = spec.format != router::CopySpec::Format::binary &&
                             table.key().type == shardmaps::KeyType::timestamptz &&
                             !settings_.utc_time_zone();
    const auto on_piece = [&](const router::CopySplitter::Piece& piece) {
        if (piece.shared) {
            for (auto& copy : copies) {
                copy.rows.append(piece.bytes);
            }
            return;
        }
        if (failure) {
            return;
        }
        if (!piece.key) {
            failure = ScatterFailure{"23502",
                                     fmt::format("COPY row {}: the shard key {} is NULL",
                                                 splitter.rows(), table.key().column),
                                     0};
            return;
        }
        if (zoned_times && !shardmaps::has_utc_offset(*piece.key)) {
            failure = ScatterFailure{
                "0A000",
                fmt::format("COPY row {}: the shard key {} is the time '{}' without a UTC offset, "
                            "and this session's TimeZone is not UTC (a timestamptz column reads "
                            "it in that zone, shardgate places it by UTC); COPY it in UTC with "
                            "+00, or SET TimeZone TO 'UTC'",
                            splitter.rows(), table.key().column, piece.key->substr(0, 40)),
                0};
            return;
        }
        const auto location = table.locate(shardmaps::KeyValue{std::string_view(*piece.key)});
        if (!location) {
            failure = ScatterFailure{
                "22023", fmt::format("COPY row {}: {}", splitter.rows(), location.error().message),
                0};
            return;
        }
        for (auto& copy : copies) {
            if (copy.shard == location->shard) {
                copy.rows.append(piece.bytes);
            }
        }
    };
    std::string fail_message; // the client's CopyFail
    bool done = false;
    while (!done) {
        auto frame = ppg::next_frame(in_.view());
        if (frame.need_more()) {
            if (!large_.hold(in_.view().size())) { // (a CopyData message of many MiB)
                failure = ScatterFailure{"53200",
                                         large_.refusal("a message of more than " +
                                                        std::to_string(in_.view().size()) +
                                                        " bytes during COPY"),
                                         0};
                unframable_ = true; // what it goes on sending cannot be framed
                break;
            }
            if (co_await read_more(socket_, in_)) {
                client_gone_ = true;
                failure = failure.value_or(
                    ScatterFailure{"08006", "the client disconnected during COPY", 0});
                break;
            }
            continue;
        }
        large_.release();
        if (!frame.ok()) {
            ++worker_.stats().malformed_messages;
            failure = ScatterFailure{"08P01", "malformed message from the client during COPY", 0};
            client_gone_ = true;
            break;
        }
        const auto message = frame.value();
        switch (message.type) {
        case ppg::PqMsg_CopyData: {
            const auto data = ppg::decode_copy_data(message);
            if (data && !failure) {
                const auto& bytes = data.value().data;
                if (!splitter.feed({reinterpret_cast<const char*>(bytes.data()), bytes.size()},
                                   on_piece)) {
                    failure = ScatterFailure{"22P04", splitter.error(), 0};
                }
            }
            break;
        }
        case ppg::PqMsg_CopyDone:
            if (!failure && !splitter.finish(on_piece)) {
                failure = ScatterFailure{"22P04", splitter.error(), 0};
            }
            done = true;
            break;
        case ppg::PqMsg_CopyFail: {
            const auto fail = ppg::decode_copy_fail(message);
            fail_message = fail ? std::string(fail.value().message) : std::string("COPY failed");
            failure = ScatterFailure{"57014", "COPY from stdin failed: " + fail_message, 0};
            done = true;
            break;
        }
        case ppg::PqMsg_Flush:
        case ppg::PqMsg_Sync:
            break; // ignored during COPY, as by the server
        default:
            failure = ScatterFailure{
                "08P01", fmt::format("unexpected message type '{}' during COPY", message.type), 0};
            done = true;
            break;
        }
        in_.consume(frame.consumed());
        for (auto& copy : copies) {
            if (copy.rows.size() >= flush_bytes) {
                co_await send_rows(copy);
            }
        }
    }
    // End every shard's COPY: its last rows and CopyDone, or CopyFail; then its answer.
    for (auto& copy : copies) {
        if (!failure) {
            if (spec.format == router::CopySpec::Format::binary) {
                copy.rows.append("\xff\xff", 2); // this stream's trailer
            }
            co_await send_rows(copy);
        }
        bool sent = false;
        if (failure) {
            sent = co_await send_message(copy, ppg::CopyFail{failure->message});
        } else {
            sent = co_await send_message(copy, ppg::CopyDone{});
        }
        if (sent) {
            co_await read_shard(copy, ppg::PqMsg_ReadyForQuery, nullptr);
        }
        if (!failure && (copy.failure || copy.lost)) {
            auto shard_failure =
                copy.failure.value_or(ScatterFailure{"08006", "lost the connection", 0});
            shard_failure.message = "shard " + copy.name + ": " + shard_failure.message;
            failure = shard_failure;
        }
    }
    co_return failure;
}

asio::awaitable<bool> ClientSession::on_copy_out(const router::Plan& plan, std::string_view sql) {
    // COPY ... TO STDOUT of a table or query on several shards: each shard's rows in turn, one
    // CopyOutResponse, one CopyDone, the counts summed.
    auto fail = [&](std::string_view sqlstate, std::string_view message) {
        send_error(sqlstate, message);
        send_ready();
        return flush();
    };
    std::string error;
    const auto spec = router::parse_copy(sql, false, error);
    if (!spec) {
        co_return co_await fail("0A000", error);
    }
    if (spec->format == router::CopySpec::Format::binary) {
        co_return co_await fail("0A000", "not supported yet: COPY ... TO STDOUT (FORMAT binary) "
                                         "of several shards; use text or CSV");
    }
    if (!plan.merge.order_by.empty() || !plan.merge.group_by.empty() ||
        !plan.merge.aggregates.empty() || plan.merge.distinct || plan.merge.has_limit ||
        plan.merge.has_offset || plan.merge.having || plan.merge.window) {
        co_return co_await fail("0A000",
                                "not supported yet: COPY (query) TO STDOUT of several shards with "
                                "ORDER BY, GROUP BY, aggregates, DISTINCT or LIMIT (the shards' "
                                "rows are concatenated, not merged); run the query as a SELECT");
    }
    auto targets = core_.scatter_targets(plan);
    if (!targets) {
        co_return co_await fail(targets.error().sqlstate, targets.error().message);
    }
    state_ = State::forwarding;
    std::optional<ScatterFailure> failure;
    std::uint64_t total = 0;
    bool copying = false; // the client got its CopyOutResponse
    std::vector<BackendIndex> failed;
    for (std::size_t i = 0; i < targets->size() && !failure; ++i) {
        auto shard = co_await shard_connection((*targets)[i], failed);
        if (!shard.connection) {
            failure = shard.failure;
            break;
        }
        auto backend = std::move(shard.connection);
        ppg::ByteBuffer request;
        bool replay = backend->applied_settings() != settings_.statements();
        if (replay) {
            ppg::encode(request, ppg::Query{settings_.replay_sql()});
            backend->applied_settings() = settings_.statements();
        }
        ppg::encode(request, ppg::Query{std::string(sql)});
        bool lost = static_cast<bool>(co_await write_all(backend->stream(), request));
        bool first_row = true;
        auto& in = backend->in();
        while (!lost) {
            auto frame = ppg::next_frame(in.view());
            if (frame.need_more()) {
                lost = static_cast<bool>(co_await read_more(backend->stream(), in));
                continue;
            }
            if (!frame.ok()) {
                lost = true;
                break;
            }
            const auto& message = frame.value();
            const char type = message.type;
            if (type == ppg::PqMsg_ErrorResponse && !failure) {
                failure = failure_of(message);
                failure->message = "shard " + shard.where.shard + ": " + failure->message;
            } else if (type == ppg::PqMsg_CopyOutResponse && !copying && !replay) {
                out_.insert(out_.end(), message.bytes.begin(), message.bytes.end());
                copying = true;
            } else if (type == ppg::PqMsg_CopyData) {
                // A CSV HEADER line: the first shard's only.
                if (!(spec->header && first_row && i > 0)) {
                    out_.insert(out_.end(), message.bytes.begin(), message.bytes.end());
                }
                first_row = false;
            } else if (type == ppg::PqMsg_CommandComplete && !replay) {
                auto complete = ppg::decode_command_complete(message);
                total += complete ? tag_count(complete.value().tag) : 0;
            }
            in.consume(frame.consumed());
            if (type == ppg::PqMsg_ReadyForQuery) {
                if (!replay) {
                    break;
                }
                replay = false; // the settings' answer; the COPY's follows
            }
            if (out_.size() >= 64 * 1024) {
                const bool flushed = co_await flush();
                if (!flushed) {
                    lost = true; // the client is gone: this connection is mid-answer
                    client_gone_ = true;
                }
            }
        }
        if (lost) {
            backend->mark_broken();
            failure = failure.value_or(
                ScatterFailure{"08006", "shard " + shard.where.shard + ": lost the connection", 0});
        }
        return_backend(std::move(backend));
    }
    if (failure) {
        send_error(failure->sqlstate, failure->message); // ends the client's COPY mode too
    } else {
        ppg::encode(out_, ppg::CopyDone{});
        ppg::encode(out_, ppg::CommandComplete{"COPY " + std::to_string(total)});
    }
    state_ = State::idle;
    send_ready();
    co_return co_await flush();
}

} // namespace shardgate::proxy::pg
