// Simple query protocol: split, plan each statement, answer session statements locally,
// forward the Query unchanged to the one shard it needs.
#include "client_session.hpp"
#include "common/statement_split.hpp"
#include "shardgate/protocol/pg/encoder.hpp"
#include "shardgate/protocol/pg/routing_helpers.hpp"
#include "worker.hpp"

namespace shardgate::proxy::pg {

namespace ppg = protocol::pg;

namespace {

/// `SET [SESSION | LOCAL] TIME ZONE ...`, `SET ... timezone ...` or a statement calling
/// set_config() that mentions a zone: a Query that changes the zone in which its later
/// statements' times are read.
bool sets_time_zone(std::string_view piece) {
    const auto words = leading_words(piece, 4);
    if (!words.empty() && words[0] != "set") { // set_config('TimeZone', ...) in any statement
        return mentions(piece, "set_config") && mentions(piece, "zone");
    }
    if (words.empty()) {
        return false;
    }
    for (std::size_t i = 1; i < words.size(); ++i) {
        if (words[i].starts_with("timezone") ||
            (words[i] == "time" && i + 1 < words.size() && words[i + 1] == "zone")) {
            return true;
        }
    }
    return false;
}

bool only_settings(const std::vector<std::pair<std::string_view, router::Verb>>& pieces) {
    for (const auto& piece : pieces) {
        if (!router::changes_settings(piece.second)) {
            return false;
        }
    }
    return true;
}

} // namespace

ClientSession::SessionAnswer ClientSession::answer_session(router::Verb verb,
                                                           std::string_view sql) {
    using router::Verb;
    ++worker_.stats().session_statements;
    switch (verb) {
    case Verb::begin:
    case Verb::start_transaction:
        if (core_.txn() == Txn::none) {
            core_.begin(std::string(sql));
        }
        return {verb == Verb::begin ? "BEGIN" : "START TRANSACTION", "", ""};
    case Verb::commit:
        end_transaction(true);
        return {"COMMIT", "", ""};
    case Verb::rollback:
        end_transaction();
        return {"ROLLBACK", "", ""};
    case Verb::rollback_to:
        if (core_.txn() == Txn::none) {
            return {"", "25P01", "ROLLBACK TO SAVEPOINT can only be used in transaction blocks"};
        }
        return {"ROLLBACK", "", ""};
    case Verb::savepoint:
    case Verb::release:
        if (core_.txn() == Txn::none) {
            return {"", "25P01", "SAVEPOINT can only be used in transaction blocks"};
        }
        return {"", "0A000",
                "not supported yet: SAVEPOINT before the transaction's first statement "
                "(shardgate picks the shard at the first statement that names one)"};
    case Verb::set:
    case Verb::reset: {
        auto outcome = settings_.apply(sql, core_.txn() != Txn::none);
        if (!outcome.error.empty()) {
            return {"", "0A000", outcome.error};
        }
        return {outcome.tag, "", ""};
    }
    case Verb::discard:
        settings_.clear();
        statements_.clear();
        return {"DISCARD ALL", "", ""};
    case Verb::use:
        return {"", "0A000", "USE is not supported: connect to the other logical database"};
    default:
        return {"", "0A000",
                "not supported yet: session statement '" + std::string(router::verb_name(verb)) +
                    "' is not handled by shardgate"};
    }
}

asio::awaitable<bool> ClientSession::forward_settings(
    const ppg::Frame& frame, const std::vector<std::pair<std::string_view, router::Verb>>& pieces) {
    // Run on a backend (default shard, replica) so the server validates the values and
    // reports ParameterStatus (client_encoding, DateStyle, TimeZone, ...); recorded for
    // replay only when it succeeded.
    ++worker_.stats().session_statements;
    SessionSettings next = settings_;
    for (const auto& piece : pieces) {
        if (auto outcome = next.apply(piece.first); !outcome.error.empty()) {
            send_error("0A000", outcome.error);
            send_ready();
            co_return co_await flush();
        }
    }
    const ppg::ByteBuffer request(frame.bytes.begin(), frame.bytes.end());
    const bool ok = co_await execute(
        Target{db_->default_shard(), false},
        [&request](BackendConnection&, ppg::ByteBuffer& out, ResponseFilter& filter) {
            out.insert(out.end(), request.begin(), request.end());
            filter.expect(ResponseFilter::Expect::query);
            return true;
        },
        true);
    if (!last_exchange_failed_) {
        settings_ = std::move(next);
    }
    co_return ok;
}

asio::awaitable<bool> ClientSession::on_query(const ppg::Frame& frame) {
    ++worker_.stats().queries;
    follow_map(worker_.context().registry, database_, db_);
    state_ = State::routing;
    auto text = ppg::statement_text(frame);
    if (!text) {
        // The message's length framed it, so the stream is intact: as PostgreSQL ("invalid
        // message format"), an error for this Query and the session goes on.
        ++worker_.stats().malformed_messages;
        send_error("08P01", "invalid message format: " + text.error().message);
        send_ready();
        co_return co_await flush();
    }
    const auto planner = worker_.planner(database_, epoch_);
    const auto pieces = split_statements(text.value());
    if (pieces.empty()) {
        ppg::encode(out_, ppg::EmptyQueryResponse{});
        send_ready();
        co_return co_await flush();
    }
    router::RouteContext context = route_context();
    const bool zone_touched =
        pieces.size() > 1 && std::any_of(pieces.begin(), pieces.end(), sets_time_zone);
    if (zone_touched) {
        context.utc_session = false; // (the zone after the SET is not known here: the safe side)
    }
    if (aborted_) {
        const auto verb = planner->route(pieces.front(), context).verb;
        auto handled = co_await on_aborted(verb, false);
        co_return handled.value_or(false);
    }
    bool any_session = false;
    bool all_session = true;
    bool touches_settings = false;
    std::vector<Target> targets;
    std::vector<std::pair<std::string_view, router::Verb>> session_pieces;
    const auto lease = worker_.borrow_plan(); // (the pieces are routed into it in turn)
    for (const auto piece : pieces) {
        router::Plan& plan = *lease;
        planner->route(piece, context, plan);
        core_.digest_began(plan);
        if (auto limited = co_await admit(worker_.context().registry, plan, user_)) {
            send_error(limited->sqlstate, limited->message);
            send_ready();
            co_return co_await flush();
        }
        bool map_changed = false;
        if (auto paused =
                co_await pause_gate(worker_.context().registry, plan, database_, db_, [&] {
                    map_changed = true;
                    return plan;
                })) {
            send_error("40001", *paused);
            send_ready();
            co_return co_await flush();
        }
        if (map_changed) { // the whole Query is planned again under the new map
            --worker_.stats().queries;
            co_return co_await on_query(frame);
        }
        worker_.context().registry.shadow().offer(plan, piece, core_.txn() != Txn::none,
                                                  credentials_->backend_user,
                                                  credentials_->backend_password);
        // (the key is built only for a statement that asked for the cache: not per statement)
        if (plan.cache_ttl_ms && pieces.size() == 1 && !pinned_ &&
            worker_.context().registry.cache().enabled()) {
            const auto& registry = worker_.context().registry;
            std::string context = user_;
            for (const auto& [name, value] : settings_.statements()) {
                context.append(1, '\0').append(name).append(1, '=').append(value);
            }
            if (auto ticket = cache_ticket(registry, plan, piece, context)) {
                if (const auto answer = registry.cache().lookup(*ticket)) {
                    append_answer(out_, *answer);
                    state_ = State::idle;
                    send_ready();
                    co_return co_await flush();
                }
                start_capture(std::move(*ticket), registry.cache().max_entry());
                // from the primary: a lagging replica's answer would outlive its lag here
                plan.role = router::Role::primary;
            }
        }
        if (auto refusal = distributed_refusal(plan.verb, pieces.size())) {
            send_error("0A000", *refusal);
            send_ready();
            co_return co_await flush();
        }
        if (!parked_.empty() && router::ends_transaction(plan.verb)) {
            const auto answer = co_await end_distributed(plan.verb == router::Verb::commit);
            if (answer.sqlstate.empty()) {
                ppg::encode(out_, ppg::CommandComplete{answer.tag});
            } else {
                send_error(answer.sqlstate, answer.message);
            }
            send_ready();
            co_return co_await flush();
        }
        // (before the statements shardgate runs in parts too)
        if (auto refusal = session_state_refusal(plan)) {
            send_error("0A000", *refusal);
            send_ready();
            co_return co_await flush();
        }
        if (plan.calls_set_config) { // (it may change the time zone: see RouteContext)
            settings_.set_config_called(piece, {}, !plan.session_state.empty(),
                                        core_.txn() != Txn::none);
        }
        if (const auto alone = runs_alone(plan)) {
            if (pieces.size() > 1) {
                send_error("0A000", fmt::format("not supported yet: {} together with other "
                                                "statements in one Query; send it on its own",
                                                *alone));
                send_ready();
                co_return co_await flush();
            }
            if (plan.generated_keys) {
                co_return co_await on_generated_keys(plan, piece);
            }
            if (plan.key_move) {
                co_return co_await on_key_move(plan, piece);
            }
            if (plan.merge.split_copy_rows) {
                co_return co_await on_copy_in(plan, piece);
            }
            co_return co_await on_multi_write(plan, piece);
        }
        if (plan.verb == router::Verb::savepoint) {
            core_.savepoint_set();
        }
        if (auto refusal = listen_refusal(plan.verb)) {
            send_error("0A000", *refusal);
            send_ready();
            co_return co_await flush();
        }
        if (auto refusal = core_.sequence_state_refusal(plan, session_pooling())) {
            send_error(refusal->sqlstate, refusal->message);
            send_ready();
            co_return co_await flush();
        }
        if (is_sql_prepared(plan.verb)) {
            if (pieces.size() == 1) {
                co_return co_await on_sql_prepared(piece, plan.verb);
            }
            send_error("0A000", fmt::format("not supported yet: send {} as a Query of its own, "
                                            "not with other statements",
                                            router::verb_name(plan.verb)));
            send_ready();
            co_return co_await flush();
        }
        if (plan.kind == router::PlanKind::session) {
            any_session = true;
            touches_settings = touches_settings || router::changes_settings(plan.verb) ||
                               plan.verb == router::Verb::discard;
            session_pieces.emplace_back(piece, plan.verb);
            continue;
        }
        if (plan.kind == router::PlanKind::scatter && pieces.size() == 1 &&
            plan.verb == router::Verb::copy) {
            co_return co_await on_copy_out(plan, piece);
        }
        if (plan.kind == router::PlanKind::scatter && pieces.size() == 1) {
            co_return co_await on_scatter(plan, piece, frame.bytes);
        }
        if (plan.kind == router::PlanKind::broadcast &&
            plan.statement == parser::StatementKind::ddl && pieces.size() == 1) {
            if (core_.txn() != Txn::none) {
                co_return co_await on_ddl_in_transaction(plan, piece);
            }
            co_return co_await on_broadcast(plan, piece);
        }
        all_session = false;
        auto target = core_.target_for(plan, false);
        if (!target) {
            send_error(target.error().sqlstate, target.error().message);
            send_ready();
            co_return co_await flush();
        }
        targets.push_back(*target);
    }
    if (all_session && core_.txn() == Txn::none && only_settings(session_pieces)) {
        co_return co_await forward_settings(frame, session_pieces);
    }
    if (all_session && core_.txn() != Txn::active) {
        for (const auto& [piece, verb] : session_pieces) {
            const auto answer = answer_session(verb, piece);
            if (!answer.sqlstate.empty()) {
                send_error(answer.sqlstate, answer.message);
                break;
            }
            ppg::encode(out_, ppg::CommandComplete{answer.tag});
        }
        send_ready();
        co_return co_await flush();
    }
    if (all_session) {
        for (const auto& [piece, verb] : session_pieces) { // (in order: SETs and savepoints)
            if (router::changes_settings(verb)) {
                settings_.apply(piece, true);
            }
            follow_block_statement(verb, piece);
        }
        targets.push_back(Target{*core_.pinned_shard(), true});
    }
    auto target = core_.merge(targets);
    if (!target) {
        send_error(target.error().sqlstate, target.error().message);
        send_ready();
        co_return co_await flush();
    }
    if (any_session) {
        target->primary = true;
    }
    // The frame's bytes stay valid until the next read from the client, which happens only
    // after the request is built (COPY IN relay): no copy of the Query needed.
    const ppg::ByteView request = frame.bytes;
    const bool ok = co_await execute(
        *target,
        [request](BackendConnection&, ppg::ByteBuffer& out, ResponseFilter& filter) {
            out.insert(out.end(), request.begin(), request.end());
            filter.expect(ResponseFilter::Expect::query);
            return true;
        },
        touches_settings);
    // Its zone changes ran there unrecorded, and the block goes on: not known until it ends —
    // also in a savepoint this Query took, and after a chain it ended a block with.
    const bool zone_lost = zone_touched && core_.txn() != Txn::none;
    if (zone_lost) {
        settings_.local_zone_unknown();
    }
    if (!all_session) {
        for (const auto& [piece, verb] : session_pieces) {
            follow_block_statement(verb, piece);
        }
        if (zone_lost) {
            settings_.local_zone_unknown();
        }
    }
    co_return ok;
}

} // namespace shardgate::proxy::pg
