// Prepared statements (binary protocol): shardgate owns the statement ids the client sees,
// routes each COM_STMT_EXECUTE by its bound parameters, prepares the statement lazily on
// whichever backend connection runs it and rewrites the id to that connection's.
#include "client_session.hpp"
#include "common/multi_write.hpp"
#include "inline_parameters.hpp"
#include "shardgate/protocol/mysql/byte_io.hpp"
#include "shardgate/protocol/mysql/commands.hpp"
#include "shardgate/protocol/mysql/constants.hpp"
#include "shardgate/protocol/mysql/framing.hpp"
#include "shardgate/protocol/mysql/generic_packets.hpp"
#include "shardgate/protocol/mysql/stmt_execute.hpp"
#include "shardgate/proxy/net/wire_io.hpp"
#include "worker.hpp"

#include <boost/container/small_vector.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace shardgate::proxy::mysql {

namespace pm = protocol::mysql;

namespace {

void append_command(pm::Buffer& wire, const pm::Buffer& payload) {
    std::uint8_t sequence = 0;
    pm::append_packet(wire, sequence, payload);
}

} // namespace

asio::awaitable<bool> ClientSession::on_stmt_prepare(pm::Bytes payload) {
    auto& stats = worker_.stats();
    ++stats.stmt_prepares;
    auto request = pm::decode_com_stmt_prepare(payload);
    if (!request.ok()) {
        ++stats.malformed_packets;
        send_err({request.error().code, "08S01", "malformed COM_STMT_PREPARE"});
        co_await flush();
        co_return false;
    }
    Statement statement;
    statement.sql = std::string(request.value().sql);
    statement.effects = scan_effects(statement.sql);
    statement.lex_mode = lex_mode_;
    if (statement.effects.local_infile) {
        ++stats.rejected_local_infile;
        send_err({1148, "42000", "LOAD DATA LOCAL INFILE is not supported by shardgate yet"});
        co_return co_await flush();
    }
    // Only the metadata is needed now: prepare where the statement would go without
    // parameters, else on the default shard.
    const auto plan = worker_.planner(database_, epoch_)
                          ->route(statement.sql, {core_.txn() != Txn::none, {}, lex_mode_});
    if (plan.verb == router::Verb::set) {
        // Its executes would change a setting shardgate neither records nor replays, on a
        // pooled connection the next client then gets (and, for time_zone, routes by UTC).
        send_err({1235, "0A000",
                  "not supported yet: SET as a prepared statement; send it as a text query "
                  "(COM_QUERY), where shardgate records the setting for the session"});
        co_return co_await flush();
    }
    Target target{core_.pinned_shard().value_or(db_->default_shard()), pinned_ != nullptr};
    if (!pinned_ && plan.kind == router::PlanKind::route && plan.shards.size() == 1) {
        target.shard = plan.shards.front();
    }
    // A prepare must not start the client's deferred transaction: the backend it lands on
    // (perhaps a replica, perhaps another shard) is not where the transaction's first
    // execute will run. The transaction stays deferred until a statement picks its shard.
    const bool keep_deferred = core_.txn() == Txn::deferred && !pinned_;
    if (keep_deferred) {
        core_.set_transaction(Txn::none);
    }
    const auto restore = [this, keep_deferred] {
        if (keep_deferred && core_.txn() == Txn::none) {
            core_.set_transaction(Txn::deferred);
        }
    };
    pm::Buffer wire;
    std::vector<pm::ResponseKind> injected;
    auto backend = co_await backend_for(target, wire, injected);
    if (!backend) {
        restore();
        co_return co_await flush();
    }
    std::uint8_t sequence = 0;
    pm::append_packet(wire, sequence, payload);
    const auto id = next_statement_id_;
    const auto result =
        co_await exchange(*backend, wire, injected, pm::ResponseKind::stmt_prepare, id);
    if (!result.ok) {
        restore();
        co_return co_await backend_lost(backend, result);
    }
    if (const auto& ok = result.summary.prepare_ok) {
        ++next_statement_id_;
        statement.num_params = ok->num_params;
        backend->statements()[statement.sql] = BackendStatement{ok->statement_id, std::nullopt};
        statements_.emplace(id, std::move(statement));
    }
    after_exchange(target, backend, result, false, false);
    restore();
    co_return co_await flush();
}

asio::awaitable<std::optional<std::uint32_t>>
ClientSession::ensure_prepared(BackendConnection& backend, const std::string& sql) {
    if (auto it = backend.statements().find(sql); it != backend.statements().end()) {
        co_return it->second.id;
    }
    ++worker_.stats().stmt_reprepares;
    pm::Buffer payload, wire;
    pm::encode_com_stmt_prepare(sql, payload);
    append_command(wire, payload);
    if (co_await write_all(backend.stream(), wire)) {
        co_return std::nullopt;
    }
    pm::ResponseTracker tracker(pm::ResponseKind::stmt_prepare, backend.capabilities());
    auto& in = backend.in();
    for (;;) {
        auto frame = pm::decode_frame(in.view());
        if (frame.need_more()) {
            if (co_await read_more(backend.stream(), in)) {
                co_return std::nullopt;
            }
            continue;
        }
        if (frame.is_error()) {
            co_return std::nullopt;
        }
        const auto step = tracker.on_frame(frame.value());
        in.consume(frame.consumed());
        if (step.status == pm::TrackStatus::protocol_error) {
            co_return std::nullopt;
        }
        if (step.status == pm::TrackStatus::complete) {
            break;
        }
    }
    const auto& summary = tracker.summary();
    if (!summary.prepare_ok) {
        send_err(summary.error ? summary.error->error_code : 1105,
                 summary.error ? summary.error->sql_state : "HY000",
                 "preparing the statement again on shard " + backend.target().shard +
                     " failed: " + (summary.error ? summary.error->message : "no answer"));
        co_return 0u;
    }
    backend.statements()[sql] = BackendStatement{summary.prepare_ok->statement_id, std::nullopt};
    co_return summary.prepare_ok->statement_id;
}

asio::awaitable<bool> ClientSession::on_stmt_execute(pm::Bytes payload) {
    auto& stats = worker_.stats();
    ++stats.stmt_executes;
    state_ = State::routing;
    const auto client_id = pm::statement_id_of(payload);
    const auto found = client_id ? statements_.find(*client_id) : statements_.end();
    if (found == statements_.end()) {
        send_err({1243, "HY000",
                  "Unknown prepared statement handler (" + std::to_string(client_id.value_or(0)) +
                      ") given to mysqld_stmt_execute"});
        co_return co_await flush();
    }
    auto& statement = found->second;
    note_insert_id_use(statement.effects);
    std::vector<std::uint8_t> long_sent(statement.num_params, 0);
    for (const auto& [param, data] : statement.long_data) {
        if (param < long_sent.size()) {
            long_sent[param] = 1;
        }
    }
    pm::ExecuteContext context{statement.num_params, statement.types, long_sent};
    auto decoded = pm::decode_com_stmt_execute(payload, context);
    if (!decoded.ok()) {
        ++stats.malformed_packets;
        send_err({decoded.error().code, "08S01",
                  "malformed COM_STMT_EXECUTE: " + decoded.error().message});
        co_await flush();
        co_return false;
    }
    auto execute = std::move(decoded).value();
    if (execute.new_params_bound) {
        statement.types.clear();
        for (const auto& param : execute.params) {
            statement.types.push_back(param.type);
        }
    }
    std::vector<std::optional<std::string>> params;
    params.reserve(execute.params.size());
    // Numbers as the router sees them (MariaDB compares a text column with a number as
    // numbers): filled only when a parameter is one, inline up to 16 parameters (sysbench and
    // most drivers bind integers: no allocation per statement for it).
    boost::container::small_vector<parser::LiteralCast, 16> casts;
    for (std::size_t i = 0; i < execute.params.size(); ++i) {
        const auto& param = execute.params[i];
        if (param.long_data) {
            const auto& data = statement.long_data[static_cast<std::uint16_t>(i)];
            params.emplace_back(std::string(pm::as_chars(data)));
        } else {
            params.push_back(pm::binary_value_as_text(param.value));
        }
        const auto& value = param.value;
        const auto cast = std::holds_alternative<std::int64_t>(value) ||
                                  std::holds_alternative<std::uint64_t>(value)
                              ? parser::LiteralCast::integer
                          : std::holds_alternative<float>(value) ||
                                  std::holds_alternative<double>(value) ||
                                  param.type.type == pm::MYSQL_TYPE_DECIMAL ||
                                  param.type.type == pm::MYSQL_TYPE_NEWDECIMAL
                              ? parser::LiteralCast::number
                              : parser::LiteralCast::none;
        if (cast != parser::LiteralCast::none) {
            casts.resize(execute.params.size(), parser::LiteralCast::none);
            casts[i] = cast;
        }
    }
    router::RouteContext routing{core_.txn() != Txn::none || !autocommit_, params,
                                 statement.lex_mode, settings_.utc_time_zone()};
    routing.param_casts = std::span<const parser::LiteralCast>(casts.data(), casts.size());
    auto route = [&] { return worker_.planner(database_, epoch_)->route(statement.sql, routing); };
    const auto lease = worker_.borrow_plan();
    router::Plan& plan = *lease;
    worker_.planner(database_, epoch_)->route(statement.sql, routing, plan);
    core_.digest_began(plan);
    if (auto limited = co_await admit(worker_.context().registry, plan, user_)) {
        statement.long_data.clear();
        // ER_USER_LIMIT_REACHED for a limit, else ER_UNKNOWN_ERROR
        send_err({limited->sqlstate == "53400" ? std::uint16_t{1226} : std::uint16_t{1105},
                  limited->sqlstate, limited->message});
        co_return co_await flush();
    }
    if (auto paused =
            co_await pause_gate(worker_.context().registry, plan, database_, db_, route)) {
        statement.long_data.clear();
        send_err({1213, "40001", *paused});
        co_return co_await flush();
    }
    if ((plan.kind == router::PlanKind::scatter || is_multi_write(plan) || plan.generated_keys ||
         plan.key_move) &&
        !statement.effects.pins() && !statement.effects.last_insert_id &&
        !statement.effects.found_rows) {
        co_return co_await execute_scatter(statement, execute);
    }
    if (statement.effects.reads_row_counts && answer_found_rows(statement.sql, true)) {
        statement.long_data.clear();
        co_return co_await flush();
    }
    auto target = place(plan, statement.effects);
    if (target && (execute.flags & 0x07) != 0 && plan.statement == parser::StatementKind::select &&
        holds_state() && target->shard != state_shard_) {
        // A cursor holds its connection like session state does: one shard only.
        ++worker_.stats().rejected_state_elsewhere;
        target = Refusal{
            "0A000", fmt::format("this session keeps state (user variables, temporary "
                                 "tables, locks, an open cursor) on shard {}; a cursor on "
                                 "shard {} too is not supported",
                                 core_.shard_name(state_shard_), core_.shard_name(target->shard))};
    }
    if (!target) {
        statement.long_data.clear();
        send_refusal(target.error());
        co_return co_await flush();
    }
    offer_shadow(plan, statement, execute);
    // Kept until the execute ran: a read that loses its backend runs again elsewhere.
    auto long_data = std::move(statement.long_data);
    statement.long_data.clear();
    pm::Buffer wire;
    std::vector<pm::ResponseKind> injected;
    auto backend = co_await backend_for(*target, wire, injected);
    for (;;) {
        if (!backend) {
            co_return co_await flush();
        }
        const bool routed = backend != pinned_;
        Exchange result;
        if (!injected.empty()) {
            // Replay first: a reset would drop statements prepared before it.
            result = co_await exchange(*backend, wire, injected, pm::ResponseKind::none);
            wire.clear();
            injected.clear();
            if (result.ok && core_.txn() == Txn::deferred) {
                core_.transaction_started();
            }
        } else {
            result.ok = true;
        }
        std::optional<std::uint32_t> backend_id;
        if (result.ok) {
            backend_id = co_await ensure_prepared(*backend, statement.sql);
            result.ok = backend_id.has_value();
        }
        if (backend_id == 0u) { // the re-prepare failed; its ERR is queued
            // As a statement that failed: the session's autocommit and transaction stay as
            // they were (an empty summary would read as an OK with every status flag off).
            pm::ResponseSummary failed;
            failed.status_flags = status_flags();
            failed.error = pm::ErrPacket{};
            after_exchange(
                *target, backend,
                Exchange{.ok = true, .sent = true, .forwarded = true, .summary = std::move(failed)},
                false, false);
            co_return co_await flush();
        }
        if (result.ok) {
            for (const auto& [param, data] : long_data) {
                pm::Buffer chunk;
                pm::encode_com_stmt_send_long_data({*backend_id, param, data}, chunk);
                append_command(wire, chunk);
            }
            append_command(wire,
                           execute_request(*backend, statement, execute, payload, *backend_id));
            result = co_await exchange(*backend, wire, injected, pm::ResponseKind::stmt_execute);
        }
        if (result.ok) {
            // As for COM_QUERY (run_command): FOUND_ROWS() read back before anything else
            // runs there; not past a cursor the execute opened.
            if (calc_found_rows_ && result.summary.succeeded() && (execute.flags & 0x07) == 0 &&
                !cursor_open_ && !result.summary.in_transaction() && parked_.empty()) {
                co_await learn_found_rows(*backend);
            }
            co_await note_write_end(*target, *backend, result);
            if (sets_insert_id_) {                  // (a coroutine frame per statement otherwise)
                co_await learn_insert_id(*backend); // before the backend can go back
            }
            after_exchange(*target, backend, result, false, false);
            if (cursor_open_ && !cursor_statement_) {
                cursor_statement_ = *client_id;
            }
            co_return co_await flush();
        }
        if (!drop_for_retry(*target, backend, routed, result)) {
            co_return co_await backend_lost(backend, result);
        }
        wire.clear();
        injected.clear();
        backend = co_await backend_for(*target, wire, injected, true);
    }
}

std::vector<BoundParameter> ClientSession::bound_parameters(const Statement& statement,
                                                            const pm::ComStmtExecute& execute) {
    std::vector<BoundParameter> bound;
    bound.reserve(execute.params.size());
    for (std::size_t i = 0; i < execute.params.size(); ++i) {
        const auto& param = execute.params[i];
        if (param.long_data) {
            const auto found = statement.long_data.find(static_cast<std::uint16_t>(i));
            bound.push_back({found == statement.long_data.end()
                                 ? pm::BinaryValue{std::string_view()}
                                 : pm::BinaryValue{std::string_view(pm::as_chars(found->second))},
                             param.type});
        } else {
            bound.push_back({param.value, param.type});
        }
    }
    return bound;
}

void ClientSession::offer_shadow(const router::Plan& plan, const Statement& statement,
                                 const pm::ComStmtExecute& execute) {
    auto& shadow = worker_.context().registry.shadow();
    if (!shadow.sampled(plan, core_.txn() != Txn::none || !autocommit_) ||
        statement.sql.find('@') != std::string::npos) { // (user variables are per session)
        return;
    }
    // The shadow's sessions and planner read text in the default sql_mode.
    if (statement.lex_mode != parser::LexMode{}) {
        shadow.offer_skipped(plan, "a prepared statement of a session whose sql_mode has "
                                   "ANSI_QUOTES or NO_BACKSLASH_ESCAPES");
        return;
    }
    const auto inlined =
        inline_parameters(statement.sql, bound_parameters(statement, execute), statement.lex_mode);
    if (inlined.error.empty()) {
        shadow.offer_sampled(plan, inlined.sql, backend_user_, backend_password_, statement.sql);
    } else {
        shadow.offer_skipped(plan, "a prepared statement whose " + inlined.error);
    }
}

asio::awaitable<bool> ClientSession::execute_scatter(Statement& statement,
                                                     const pm::ComStmtExecute& execute) {
    const auto inlined =
        inline_parameters(statement.sql, bound_parameters(statement, execute), lex_mode_);
    statement.long_data.clear();
    if (!inlined.error.empty()) {
        send_err({1235, "0A000",
                  "not supported yet: a statement on several shards whose " + inlined.error});
        co_return co_await flush();
    }
    // The text with its values is planned like a COM_QUERY (the same fingerprint: the cached
    // plan is reused) and answered with binary rows, or an OK for a write.
    const auto plan = worker_.planner(database_, epoch_)
                          ->route(inlined.sql, {core_.txn() != Txn::none || !autocommit_,
                                                {},
                                                lex_mode_,
                                                settings_.utc_time_zone()});
    if (plan.generated_keys) {
        co_return co_await on_generated_keys(plan, inlined.sql, true);
    }
    if (plan.key_move) {
        co_return co_await on_key_move(plan, inlined.sql);
    }
    if (is_multi_write(plan)) {
        co_return co_await on_multi_write(plan, inlined.sql);
    }
    if (plan.kind != router::PlanKind::scatter) {
        if (auto target = place(plan, statement.effects); !target) {
            send_refusal(target.error()); // e.g. a value the key column cannot hold
            co_return co_await flush();
        }
        send_err({1105, "HY000",
                  "the statement routes differently with its parameters written in; run it "
                  "as a plain query"});
        co_return co_await flush();
    }
    if (auto& shadow = worker_.context().registry.shadow();
        shadow.sampled(plan, core_.txn() != Txn::none || !autocommit_) &&
        statement.sql.find('@') == std::string::npos) { // (user variables are per session)
        if (lex_mode_ == parser::LexMode{}) {
            shadow.offer_sampled(plan, inlined.sql, backend_user_, backend_password_,
                                 statement.sql);
        } else {
            shadow.offer_skipped(plan, "a prepared statement of a session whose sql_mode has "
                                       "ANSI_QUOTES or NO_BACKSLASH_ESCAPES");
        }
    }
    co_return co_await on_scatter(plan, inlined.sql, {}, ScatterRows::binary);
}

pm::Buffer ClientSession::execute_request(BackendConnection& backend, Statement& statement,
                                          pm::ComStmtExecute execute, pm::Bytes payload,
                                          std::uint32_t backend_id) {
    auto& held = backend.statements()[statement.sql];
    pm::Buffer request;
    if (execute.new_params_bound || held.types == statement.types) {
        request.assign(payload.begin(), payload.end());
        pm::rewrite_statement_id(request, backend_id);
    } else {
        // This connection last saw other parameter types: send them again.
        execute.statement_id = backend_id;
        execute.new_params_bound = true;
        for (std::size_t i = 0; i < execute.params.size() && i < statement.types.size(); ++i) {
            execute.params[i].type = statement.types[i];
        }
        pm::encode_com_stmt_execute(execute, request);
    }
    if (execute.params.empty() || execute.new_params_bound) {
        held.types = statement.types;
    }
    return request;
}

asio::awaitable<bool> ClientSession::on_stmt_long_data(pm::Bytes payload) {
    auto request = pm::decode_com_stmt_send_long_data(payload);
    if (!request.ok()) {
        ++worker_.stats().malformed_packets;
        sequence_ = 1;
        send_err({request.error().code, "08S01", "malformed COM_STMT_SEND_LONG_DATA"});
        co_await flush();
        co_return false;
    }
    ++worker_.stats().stmt_long_data;
    if (auto it = statements_.find(request.value().statement_id); it != statements_.end()) {
        auto& data = it->second.long_data[request.value().param_id];
        data.insert(data.end(), request.value().data.begin(), request.value().data.end());
    }
    co_return true; // no response, as the server
}

asio::awaitable<bool> ClientSession::on_stmt_close_or_reset(pm::Bytes payload, bool reset) {
    auto request = reset ? pm::decode_com_stmt_reset(payload) : pm::decode_com_stmt_close(payload);
    if (!request.ok()) {
        ++worker_.stats().malformed_packets;
        send_err({request.error().code, "08S01", "malformed statement command"});
        co_await flush();
        co_return false;
    }
    const auto id = request.value().statement_id;
    if (cursor_open_ && cursor_statement_ == id) {
        if (const auto lost = co_await close_cursor(id, reset)) {
            co_return *lost;
        }
    }
    if (!reset) {
        statements_.erase(id); // backends keep theirs for other clients with the same SQL
        co_return true;
    }
    auto it = statements_.find(id);
    if (it == statements_.end()) {
        send_err({1243, "HY000",
                  "Unknown prepared statement handler (" + std::to_string(id) +
                      ") given to mysqld_stmt_reset"});
        co_return co_await flush();
    }
    it->second.long_data.clear();
    send_ok();
    co_return co_await flush();
}

asio::awaitable<std::optional<bool>> ClientSession::close_cursor(std::uint32_t client_id,
                                                                 bool answers) {
    const auto found = statements_.find(client_id);
    if (!pinned_ || found == statements_.end() ||
        !pinned_->statements().contains(found->second.sql)) {
        co_return std::nullopt;
    }
    // COM_STMT_RESET closes the cursor on the backend; its OK stays here.
    pm::Buffer payload;
    pm::encode_com_stmt_reset(pinned_->statements()[found->second.sql].id, payload);
    pm::Buffer request;
    append_command(request, payload);
    const std::vector<pm::ResponseKind> swallowed{pm::ResponseKind::simple};
    const auto result = co_await exchange(*pinned_, request, swallowed, pm::ResponseKind::none);
    if (!result.ok) {
        const auto backend = pinned_;
        if (answers) {
            co_return co_await backend_lost(backend, result); // the client gets ERR 2013
        }
        // COM_STMT_CLOSE has no answer to carry the error, and a transaction may have been
        // lost with the backend: end the session rather than let it go on without telling.
        co_await backend_lost(
            backend, Exchange{.ok = false, .sent = true, .forwarded = true, .summary = {}});
        co_return false;
    }
    cursor_open_ = false;
    cursor_statement_.reset();
    if (core_.txn() == Txn::none && !state_pinned_) {
        release_backend();
    }
    co_return std::nullopt;
}

asio::awaitable<bool> ClientSession::on_stmt_fetch(pm::Bytes payload) {
    ++worker_.stats().stmt_fetches;
    const auto client_id = pm::statement_id_of(payload);
    const auto found = client_id ? statements_.find(*client_id) : statements_.end();
    if (found == statements_.end() || !pinned_ ||
        !pinned_->statements().contains(found->second.sql)) {
        send_err(
            {1421, "HY000",
             "The statement (" + std::to_string(client_id.value_or(0)) + ") has no open cursor"});
        co_return co_await flush();
    }
    pm::Buffer request(payload.begin(), payload.end());
    pm::rewrite_statement_id(request, pinned_->statements()[found->second.sql].id);
    co_return co_await run_command(Target{*core_.pinned_shard(), true}, request,
                                   pm::ResponseKind::stmt_fetch, false, false);
}

} // namespace shardgate::proxy::mysql
