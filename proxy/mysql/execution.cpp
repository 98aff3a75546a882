// Running a command on a backend: acquire (or reuse the pinned one), replay settings and a
// deferred BEGIN, forward the response frame by frame, then keep or release the backend.
#include "client_session.hpp"
#include "common/replica_wait.hpp"
#include "shardgate/protocol/mysql/byte_io.hpp"
#include "shardgate/protocol/mysql/commands.hpp"
#include "shardgate/protocol/mysql/constants.hpp"
#include "shardgate/protocol/mysql/framing.hpp"
#include "shardgate/protocol/mysql/text_result_set.hpp"
#include "shardgate/proxy/net/wire_io.hpp"
#include "worker.hpp"

#include <charconv>
#include <spdlog/spdlog.h>

namespace shardgate::proxy::mysql {

namespace pm = protocol::mysql;

namespace {

/// Flush forwarded bytes to the client once this many are buffered.
constexpr std::size_t flush_threshold = 64 * 1024;

/// Variables a server reports through session_track_system_variables='*' that cannot be SET.
bool is_read_only_variable(std::string_view name) {
    return name == "last_gtid" || name == "in_transaction" || name == "warning_count" ||
           name == "error_count" || name == "last_insert_id" || name == "identity";
}

void append_command(pm::Buffer& wire, const pm::Buffer& payload) {
    std::uint8_t sequence = 0;
    pm::append_packet(wire, sequence, payload);
}

} // namespace

bool ClientSession::may_retry(const Target& target) const {
    return core_.may_retry(target) && failed_.empty();
}

asio::awaitable<std::shared_ptr<BackendConnection>>
ClientSession::backend_for(const Target& target, pm::Buffer& prefix,
                           std::vector<pm::ResponseKind>& injected, bool retrying) {
    if (pinned_ && core_.pinned_shard() == target.shard) {
        restore_insert_id(prefix, injected);
        if (core_.txn() == Txn::deferred) {
            // a transaction (a statement's own) that starts on the connection the session holds
            pm::Buffer payload;
            pm::encode_com_query(core_.begin_sql(), payload);
            append_command(prefix, payload);
            injected.push_back(pm::ResponseKind::text_query);
        }
        co_return pinned_;
    }
    // place() let the open transaction reach another shard: it goes on there (a new shard
    // joins as an XA branch).
    bool joining = false;
    if (pinned_ && core_.txn() != Txn::none && core_.txn_shards().empty()) {
        // The transaction has not started on the connection the session holds for its state
        // (a statement's own transaction, still deferred): it cannot take a second shard.
        send_err(1235, "0A000",
                 fmt::format("this session keeps state (user variables, temporary tables, locks, "
                             "an open cursor) on shard {}; a statement that needs shard {} too "
                             "cannot run in a transaction of its own there: send it inside "
                             "BEGIN ... COMMIT, or from a session without such state",
                             core_.shard_name(*core_.pinned_shard()),
                             core_.shard_name(target.shard)));
        co_return nullptr;
    }
    if (pinned_ && core_.txn() != Txn::none) {
        if (switch_shard(target)) {
            co_return pinned_;
        }
        joining = true;
    } else if (!pinned_ && core_.txn() != Txn::none && !parked_.empty()) {
        // An earlier join failed after parking the current connection.
        if (resume_parked(core_, pinned_, parked_, target.shard)) {
            restore_insert_id(prefix, injected);
            co_return pinned_;
        }
        joining = true;
    }
    if (!retrying) {
        failed_.clear();
    }
    auto& stats = worker_.stats();
    // Whatever the caller asked for, a transaction only ever starts on a primary.
    Target where_to = target;
    where_to.primary = where_to.primary || core_.txn() == Txn::deferred || joining;
    Acquired acquired;
    for (;;) {
        const auto choice = co_await core_.choose(where_to, failed_);
        if (!choice.ok()) {
            ++stats.route_errors;
            send_err(choice.mysql_errno != 0 ? choice.mysql_errno : 1105, "HY000", choice.message);
            if (core_.txn() == Txn::deferred) {
                core_.set_transaction(Txn::none);
            }
            co_return nullptr;
        }
        const auto where = backend_target(*choice.info);
        routed_backend_ = choice.backend;
        state_ = State::waiting_backend;
        acquired = co_await worker_.pool().acquire(where);
        if (acquired.connection) {
            break;
        }
        if (acquired.failure != Acquired::Failure::unavailable) {
            break; // pool timeout: the backend is busy, not broken
        }
        const bool retry = may_retry(where_to);
        core_.backend_failed(choice.backend);
        failed_.push_back(choice.backend);
        if (!retry) {
            break;
        }
        ++stats.read_retries;
        spdlog::debug("mysql client {}: {}; the read goes to another backend", connection_id_,
                      acquired.message);
    }
    if (!acquired.connection) {
        const auto error = error_of(acquired.failure);
        send_err(error.code, error.sqlstate, acquired.message);
        if (core_.txn() == Txn::deferred) {
            core_.set_transaction(Txn::none);
        }
        co_return nullptr;
    }
    auto backend = std::move(acquired.connection);
    replay_settings(*backend, prefix, injected);
    restore_insert_id(prefix, injected);
    if (core_.txn() == Txn::deferred || joining) {
        std::string begin = core_.begin_sql();
        if (joining) { // the new shard is a branch of the distributed transaction
            const auto gid =
                participant_gid(core_.txn_id(), core_.shard_name(core_.txn_shards().front()),
                                core_.shard_name(target.shard));
            begin = TwoPhaseSql{TwoPhaseEngine::mysql}.start(gid.value_or(""), "");
        }
        pm::Buffer payload;
        pm::encode_com_query(begin, payload);
        append_command(prefix, payload);
        injected.push_back(pm::ResponseKind::text_query);
    }
    co_return backend;
}

BackendTarget ClientSession::backend_target(const BackendInfo& info) const {
    return BackendTarget{info.endpoint,     info.shard_name, backend_user_,
                         backend_password_, database_,       capabilities_ & format_capabilities,
                         character_set_};
}

void ClientSession::note_insert_id_use(const StatementEffects& effects) {
    // A procedure or an SQL-level prepared statement may read or set it, unseen.
    const bool hidden = effects.procedure_call || effects.sql_prepared;
    reads_insert_id_ = reads_insert_id_ || effects.last_insert_id || hidden;
    sets_insert_id_ = sets_insert_id_ || effects.last_insert_id_set || hidden;
    calc_found_rows_ = calc_found_rows_ || effects.calc_found_rows;
}

asio::awaitable<void> ClientSession::learn_found_rows(BackendConnection& backend) {
    ++worker_.stats().found_rows_reads;
    const auto read = co_await run_query(backend, "SELECT FOUND_ROWS()");
    std::uint64_t value = 0;
    if (read.ok && read.first_value &&
        std::from_chars(read.first_value->data(),
                        read.first_value->data() + read.first_value->size(), value)
                .ec == std::errc{}) {
        found_rows_ = value;
        found_rows_at_ = core_.statements();
    }
}

std::optional<Refusal> ClientSession::row_counts_refusal(const StatementEffects& effects,
                                                         shardmaps::ShardId shard) const {
    if (!effects.reads_row_counts) {
        return std::nullopt;
    }
    const auto now = core_.statements();
    if (now > command_first_ && (command_selected_ || !effects.reads_found_rows)) {
        // The statement before it (for FOUND_ROWS(): a SELECT) is in the same COM_QUERY.
        return std::nullopt;
    }
    if (pinned_ && core_.txn() == Txn::active && core_.pinned_shard() == shard &&
        held_at_ + 1 == now && found_rows_at_ + 1 != now) {
        // The connection that ran the statement before, in the transaction, runs it too
        // (outside one, shardgate may have run a statement of its own there since:
        // note_write_end).
        return std::nullopt;
    }
    return Refusal{"0A000",
                   "not supported with pooled connections: FOUND_ROWS() / ROW_COUNT() read "
                   "what the previous statement left on its backend connection, which went back "
                   "to the pool (another client's value could come back). Send `SELECT "
                   "FOUND_ROWS()` on its own right after the SQL_CALC_FOUND_ROWS statement, send "
                   "both in one COM_QUERY, or run them in one transaction"};
}

void ClientSession::note_held_statement() {
    // A piece of a statement shardgate split (captured), or one it followed with its own
    // LAST_INSERT_ID() read-back, leaves ROW_COUNT() / FOUND_ROWS() that are not the client's.
    held_at_ = capturing_ || sets_insert_id_ ? 0 : core_.statements();
}

bool ClientSession::answer_found_rows(std::string_view sql, bool binary) {
    if (!found_rows_ || found_rows_at_ + 1 != core_.statements()) {
        return false;
    }
    const auto label = found_rows_label(sql);
    if (!label) {
        return false;
    }
    ++worker_.stats().found_rows_answers;
    pm::TextResultSet result;
    auto column = pm::text_column(*label);
    column.type = pm::MYSQL_TYPE_LONGLONG;
    column.character_set = 63; // binary
    column.column_length = 21;
    column.flags = 0x0001 | 0x0080 | 0x8000; // NOT NULL, BINARY, NUM
    result.columns.push_back(std::move(column));
    result.rows.push_back({std::to_string(*found_rows_)});
    result.status_flags = status_flags();
    if (!binary) {
        pm::encode_text_result_set(result, capabilities_, sequence_, out_);
    } else if (!pm::encode_binary_result_set(result, capabilities_, sequence_, out_)) {
        return false; // (a count is always an integer)
    }
    return true;
}

void ClientSession::restore_insert_id(pm::Buffer& prefix, std::vector<pm::ResponseKind>& injected) {
    if (!reads_insert_id_) {
        return;
    }
    // The connection may hold another client's value, or none: the session's own.
    ++worker_.stats().insert_id_restores;
    pm::Buffer payload;
    pm::encode_com_query(fmt::format("DO LAST_INSERT_ID({})", insert_id_), payload);
    append_command(prefix, payload);
    injected.push_back(pm::ResponseKind::text_query);
}

asio::awaitable<void> ClientSession::learn_insert_id(BackendConnection& backend) {
    if (!sets_insert_id_ || cursor_open_) {
        co_return;
    }
    ++worker_.stats().insert_id_reads;
    const auto read = co_await run_query(backend, "SELECT LAST_INSERT_ID()");
    std::uint64_t value = 0;
    if (read.ok && read.first_value) {
        const auto& text = *read.first_value;
        if (std::from_chars(text.data(), text.data() + text.size(), value).ec == std::errc{}) {
            insert_id_ = value;
            insert_id_learned_ = true;
        }
    }
    if (!insert_id_learned_) {
        // (a lost connection is marked broken by run_query: the next statement on it fails)
        spdlog::warn("mysql client {}: could not read LAST_INSERT_ID() back from {}: {}",
                     connection_id_, backend.target().shard,
                     read.message.empty() ? std::string("connection lost") : read.message);
    }
}

void ClientSession::replay_settings(BackendConnection& backend, pm::Buffer& prefix,
                                    std::vector<pm::ResponseKind>& injected) {
    const auto wanted = settings_.replay_sql();
    if (backend.applied_settings() == wanted) {
        return;
    }
    ++worker_.stats().settings_replayed;
    pm::Buffer payload;
    if (!backend.applied_settings() || !backend.applied_settings()->empty()) {
        // Another client's settings: start from a clean session.
        pm::encode_simple_command(pm::COM_RESET_CONNECTION, payload);
        append_command(prefix, payload);
        injected.push_back(pm::ResponseKind::simple);
        backend.statements().clear();
    }
    if (!wanted.empty()) {
        payload.clear();
        pm::encode_com_query(wanted, payload);
        append_command(prefix, payload);
        injected.push_back(pm::ResponseKind::text_query);
    }
    backend.applied_settings() = wanted;
}

asio::awaitable<ClientSession::Exchange>
ClientSession::exchange(BackendConnection& backend, const pm::Buffer& request,
                        const std::vector<pm::ResponseKind>& injected, pm::ResponseKind kind,
                        std::optional<std::uint32_t> prepare_id) {
    Exchange result;
    state_ = State::forwarding;
    // Where this session's statement runs, for a KILL QUERY from another connection.
    struct Running {
        std::optional<std::pair<BackendTarget, std::uint32_t>>& slot;
        ~Running() { slot.reset(); }
    } running{running_on_};
    running_on_.emplace(backend.target(), backend.connection_id());
    if (co_await write_all(backend.stream(), request)) {
        co_return result;
    }
    result.sent = true;
    std::size_t next_injected = 0;
    auto current =
        pm::ResponseTracker(injected.empty() ? kind : injected.front(), backend.capabilities());
    if (injected.empty() && kind == pm::ResponseKind::none) {
        result.ok = true;
        co_return result;
    }
    auto& in = backend.in();
    for (;;) {
        auto frame = pm::decode_frame(in.view());
        if (frame.need_more()) {
            if (!out_.empty()) {
                const bool flushed = co_await flush();
                if (!flushed) {
                    co_return result;
                }
            }
            if (co_await read_more(backend.stream(), in)) {
                co_return result;
            }
            continue;
        }
        if (frame.is_error()) {
            ++worker_.stats().backend_protocol_errors;
            co_return result;
        }
        const auto step = current.on_frame(frame.value());
        if (step.status == pm::TrackStatus::protocol_error ||
            step.status == pm::TrackStatus::send_local_infile) {
            ++worker_.stats().backend_protocol_errors;
            spdlog::warn("mysql client {}: backend {} answered out of protocol: {}", connection_id_,
                         backend.target().shard,
                         step.status == pm::TrackStatus::protocol_error
                             ? current.protocol_error()
                             : std::string("unrequested LOCAL INFILE"));
            in.consume(frame.consumed());
            co_return result;
        }
        if (next_injected < injected.size()) {
            in.consume(frame.consumed());
            if (step.status != pm::TrackStatus::complete) {
                continue;
            }
            if (current.summary().error) {
                ++worker_.stats().settings_replay_errors;
                spdlog::warn("mysql client {}: replayed session state failed on {}: {}",
                             connection_id_, backend.target().shard,
                             current.summary().error->message);
                backend.applied_settings() = std::nullopt;
            }
            ++next_injected;
            current = pm::ResponseTracker(next_injected < injected.size() ? injected[next_injected]
                                                                          : kind,
                                          backend.capabilities());
            if (next_injected == injected.size() && kind == pm::ResponseKind::none) {
                result.ok = true;
                co_return result;
            }
            continue;
        }
        const auto bytes = in.view().first(frame.consumed());
        const auto start = out_.size();
        out_.insert(out_.end(), bytes.begin(), bytes.end());
        result.forwarded = true;
        if (prepare_id && step.role == pm::PacketRole::prepare_ok && out_.size() >= start + 9) {
            // COM_STMT_PREPARE_OK: status 0x00, then the 4-byte statement id.
            auto* id = out_.data() + start + pm::packet_header_size + 1;
            for (int i = 0; i < 4; ++i) {
                id[i] = static_cast<std::byte>((*prepare_id >> (8 * i)) & 0xff);
            }
        }
        in.consume(frame.consumed());
        if (step.status == pm::TrackStatus::complete) {
            result.ok = true;
            result.summary = current.summary();
            co_return result;
        }
        if (out_.size() >= flush_threshold) {
            const bool flushed = co_await flush();
            if (!flushed) {
                co_return result;
            }
        }
    }
}

asio::awaitable<bool> ClientSession::run_command(const Target& target, pm::Bytes payload,
                                                 pm::ResponseKind kind, bool pins,
                                                 bool touches_settings) {
    pm::Buffer request;
    std::vector<pm::ResponseKind> injected;
    last_exchange_failed_ = true;
    auto backend = co_await backend_for(target, request, injected);
    for (;;) {
        if (!backend) {
            co_return co_await flush();
        }
        std::uint8_t sequence = 0;
        pm::append_packet(request, sequence, payload);
        const bool routed = backend != pinned_;
        const auto result = co_await exchange(*backend, request, injected, kind);
        if (result.ok) {
            // Outside a transaction shardgate may run statements of its own on the connection
            // (note_write_end) before it goes back: FOUND_ROWS() is read first.
            if (calc_found_rows_ && result.summary.succeeded() && !cursor_open_ &&
                !result.summary.in_transaction() && parked_.empty()) {
                co_await learn_found_rows(*backend);
            }
            co_await note_write_end(target, *backend, result);
            if (sets_insert_id_) {                  // (a coroutine frame per statement otherwise)
                co_await learn_insert_id(*backend); // before the backend can go back
            }
            after_exchange(target, backend, result, pins, touches_settings);
            co_return co_await flush();
        }
        if (!drop_for_retry(target, backend, routed, result)) {
            co_return co_await backend_lost(backend, result);
        }
        request.clear();
        injected.clear();
        backend = co_await backend_for(target, request, injected, true);
    }
}

bool ClientSession::drop_for_retry(const Target& target,
                                   std::shared_ptr<BackendConnection>& backend, bool routed,
                                   const Exchange& result) {
    if (routed) {
        core_.backend_failed(routed_backend_);
    }
    if (!routed || result.forwarded || !may_retry(target)) {
        return false;
    }
    // Nothing of the answer reached the client: the read runs once more elsewhere.
    ++worker_.stats().backend_dropped;
    ++worker_.stats().read_retries;
    spdlog::warn("mysql client {}: lost backend {} ({}) before the answer; retrying the read "
                 "elsewhere",
                 connection_id_, backend->target().shard, backend->target().endpoint.to_string());
    backend->mark_broken();
    worker_.pool().release(std::move(backend));
    failed_.push_back(routed_backend_);
    return true;
}

void ClientSession::after_exchange(const Target& target,
                                   const std::shared_ptr<BackendConnection>& backend,
                                   const Exchange& result, bool pins, bool touches_settings) {
    auto& stats = worker_.stats();
    const auto& summary = result.summary;
    last_exchange_failed_ = !summary.succeeded();
    core_.digest_rows(summary.rows + summary.affected_rows);
    if (!summary.succeeded()) {
        core_.digest_error();
    }
    if (settings_after_ && summary.succeeded()) {
        settings_ = std::move(*settings_after_); // the SET it ran succeeded
    }
    settings_after_.reset();
    if (summary.last_ok) {
        for (const auto& change : summary.last_ok->session_state_changes) {
            if (change.type == pm::SESSION_TRACK_SYSTEM_VARIABLES && !change.name.empty() &&
                !is_read_only_variable(change.name)) {
                settings_.record(change.name, change.value);
                ++stats.settings_tracked;
                touches_settings = true;
                if (change.name == "sql_mode") {
                    refresh_lex_mode(); // a literal from the server: always readable
                }
            }
        }
    }
    if (touches_settings) {
        backend->applied_settings() =
            summary.succeeded() ? std::optional<std::string>(settings_.replay_sql()) : std::nullopt;
    }
    if (summary.succeeded() && summary.status_known) {
        autocommit_ = summary.status_flags & pm::SERVER_STATUS_AUTOCOMMIT;
        // On several shards only end_distributed ends the transaction (an XA branch's own
        // status is not the transaction's).
        core_.set_transaction(summary.in_transaction() || !parked_.empty() ? Txn::active
                                                                           : Txn::none);
        // LAST_INSERT_ID() is what the OKs' insert id says (a generated id, or
        // LAST_INSERT_ID(expr) in an INSERT / UPDATE), unless it was read back
        // (learn_insert_id, for a statement that may set it without an OK saying so).
        if (summary.latest_insert_id != 0 && !insert_id_learned_) {
            insert_id_ = summary.latest_insert_id;
        }
        if (summary.latest_insert_id != 0 || insert_id_learned_) {
            insert_shard_ = target.shard;
        }
    } else if (core_.txn() == Txn::deferred) {
        core_.transaction_started(); // the injected BEGIN ran
    }
    if (core_.txn() == Txn::active) {
        core_.ran(target); // (a sequence it advanced is readable in the transaction)
    }
    // autocommit=0 needs no pin of its own: it is replayed as a setting, and the implicit
    // transaction its first statement opens pins like BEGIN (status flag IN_TRANS).
    if (pins && !state_pinned_) {
        ++stats.session_pins;
        if (!cursor_open_) {
            state_shard_ = target.shard;
        }
        state_pinned_ = true;
    }
    if (summary.succeeded()) {
        // A cursor opened by COM_STMT_EXECUTE holds the client on its connection until a
        // COM_STMT_FETCH has sent its last row.
        if ((summary.status_flags & pm::SERVER_STATUS_CURSOR_EXISTS) && !cursor_open_) {
            ++stats.session_pins;
            if (!state_pinned_) {
                state_shard_ = target.shard;
            }
            cursor_open_ = true;
        } else if (summary.status_flags & pm::SERVER_STATUS_LAST_ROW_SENT) {
            cursor_open_ = false;
            cursor_statement_.reset();
        }
    }
    const bool hold = core_.txn() != Txn::none || state_pinned_ || cursor_open_;
    if (backend == pinned_) {
        if (!hold) {
            release_backend();
        } else {
            note_held_statement();
        }
        return;
    }
    if (hold && !pinned_) {
        pinned_ = backend;
        core_.pin(target.shard, routed_backend_);
        note_held_statement();
        return;
    }
    worker_.pool().release(backend);
    if (pinned_ && core_.txn() == Txn::none && !state_pinned_ && !cursor_open_) {
        release_backend(); // nothing holds it any more
    }
}

asio::awaitable<bool> ClientSession::backend_lost(const std::shared_ptr<BackendConnection>& backend,
                                                  const Exchange& result) {
    ++worker_.stats().backend_dropped;
    spdlog::warn("mysql client {}: lost backend {} ({})", connection_id_, backend->target().shard,
                 backend->target().endpoint.to_string());
    backend->mark_broken();
    const bool was_pinned = backend == pinned_;
    std::string gone = "; the transaction and session state on it, if any, are gone";
    if ((was_pinned || !pinned_) && (!parked_.empty() || core_.distributed())) {
        // The transaction is gone on that shard: every other shard's branch is rolled back
        // there, and a connection of another shard that keeps the session's state (user
        // variables, temporary tables) stays held, as after any ROLLBACK (before, all of them
        // were closed and the state went with them).
        const bool state_elsewhere =
            holds_state() && core_.shard_name(state_shard_) != backend->target().shard;
        co_await finish_distributed(false); // releases the lost connection if pinned
        if (!was_pinned) {
            worker_.pool().release(backend);
        }
        gone = state_elsewhere && holds_state()
                   ? fmt::format("; the transaction was rolled back on every shard (the "
                                 "session state kept on shard {} is still there)",
                                 core_.shard_name(state_shard_))
                   : "; the transaction was rolled back on every shard, and the session state "
                     "on that shard, if any, is gone";
    } else {
        if (was_pinned) {
            pinned_ = nullptr;
            core_.unpin();
            state_pinned_ = false;
            cursor_open_ = false;
            cursor_statement_.reset();
            core_.set_transaction(Txn::none);
        }
        worker_.pool().release(backend);
    }
    if (result.forwarded) {
        co_return false; // part of a response reached the client: it cannot be completed
    }
    send_err(2013, "HY000",
             backend->lost_during_statement(backend->target().shard, result.sent) + gone);
    co_return co_await flush();
}

void ClientSession::release_backend() {
    if (pinned_) {
        worker_.pool().release(std::move(pinned_));
        pinned_ = nullptr;
    }
    core_.unpin();
}

void ClientSession::drop_pinned() {
    if (pinned_) {
        pinned_->mark_broken();
    }
    drop_parked();
    release_backend();
    state_pinned_ = false;
    cursor_open_ = false;
    cursor_statement_.reset();
    core_.set_transaction(Txn::none);
}

} // namespace shardgate::proxy::mysql
