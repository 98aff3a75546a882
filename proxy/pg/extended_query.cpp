// Extended query protocol: messages are buffered until Sync, routed at Bind with the bound
// parameter values, and sent as one batch. Client statement names are mapped to server
// names per SQL text and prepared lazily on whichever backend serves the batch.
#include "client_session.hpp"
#include "inline_parameters.hpp"
#include "shardgate/protocol/pg/encoder.hpp"
#include "shardgate/protocol/pg/frontend_decoder.hpp"
#include "shardgate/protocol/pg/routing_helpers.hpp"
#include "worker.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace shardgate::proxy::pg {

namespace ppg = protocol::pg;

namespace {

std::string statement_key(const std::string& sql, const std::vector<std::uint32_t>& types) {
    std::string key = sql;
    for (const auto type : types) {
        key += fmt::format("\x1f{}", type);
    }
    return key;
}

} // namespace

void ClientSession::offer_shadow(const router::Plan& plan, const Statement& statement,
                                 const ppg::Bind& bind) {
    auto& shadow = worker_.context().registry.shadow();
    if (!shadow.sampled(plan, core_.txn() != Txn::none)) {
        return;
    }
    if (const auto text = inline_parameters(statement.sql, statement.types, bind)) {
        shadow.offer_sampled(plan, *text, credentials_->backend_user,
                             credentials_->backend_password, statement.sql);
    } else {
        shadow.offer_skipped(plan, "a prepared statement with a binary parameter of a type "
                                   "shardgate does not write as a literal");
    }
}

std::vector<std::optional<std::string>> routing_params(const ppg::Bind& bind,
                                                       std::span<const std::uint32_t> types) {
    constexpr std::uint32_t bool_oid = 16;
    std::vector<std::optional<std::string>> params;
    for (std::size_t i = 0; i < bind.parameters.size(); ++i) {
        if (!bind.parameters[i]) {
            params.emplace_back(std::nullopt);
        } else if (bind.parameter_format(i) == ppg::FormatCode::text) {
            params.emplace_back(std::string(ppg::as_text(*bind.parameters[i])));
        } else if (i < types.size() && types[i] == bool_oid && bind.parameters[i]->size() == 1) {
            // a binary boolean declared as one (set_config's is_local): one byte, 0 or 1
            params.emplace_back(std::to_integer<std::uint8_t>((*bind.parameters[i])[0]) != 0 ? "t"
                                                                                             : "f");
        } else if (auto value = ppg::bind_parameter_int(bind, i)) {
            params.emplace_back(std::to_string(value.value()));
        } else {
            break; // unknown from here on
        }
    }
    return params;
}

asio::awaitable<bool> ClientSession::on_sync() {
    return run_batch(true);
}

asio::awaitable<bool> ClientSession::on_flush() {
    if (batch_.empty()) {
        co_return true; // nothing new since the last Flush: answers were sent already
    }
    co_return co_await run_batch(false);
}

asio::awaitable<bool> ClientSession::run_batch(bool sync) {
    ++worker_.stats().extended_batches;
    follow_map(worker_.context().registry, database_, db_);
    state_ = State::routing;
    if (aborted_ && sync) {
        if (auto sql = first_bound_sql()) {
            const auto verb = worker_.planner(database_, epoch_)->route(*sql).verb;
            auto handled = co_await on_aborted(verb, true);
            if (!handled) {
                answer_locally(SessionAnswer{"ROLLBACK", "", ""});
                handled = co_await flush();
            }
            batch_.clear();
            batch_bytes_.clear();
            co_return *handled;
        }
    }
    if (core_.txn() == Txn::none && !pinned_) {
        // A new implicit transaction: what an earlier one's set_config(..., true) did is over
        // (also when that batch was refused before it reached a server).
        settings_.transaction_ended(false);
    }
    auto planner = worker_.planner(database_, epoch_);
    std::vector<Target> targets;
    std::optional<SessionAnswer> session;
    std::optional<router::Plan> scatter; // a Bind whose statement needs several shards
    std::string scatter_sql;
    std::vector<std::uint32_t> scatter_types;
    bool needs_backend = false;
    bool touches_settings = false;
    std::optional<router::Verb> ending; // COMMIT / ROLLBACK of a transaction on several shards
    std::size_t binds = 0;
    std::vector<std::string> leading; // tags of session statements answered here, in order
    auto fail = [this, sync](std::string_view sqlstate, std::string_view message) {
        send_error(sqlstate, message);
        if (sync) {
            send_ready();
        } else {
            skip_to_sync(); // as PostgreSQL: skip the client's messages until Sync
        }
        batch_.clear();
        batch_bytes_.clear();
    };
    for (const auto& pending : batch_) {
        const ppg::ByteView bytes(batch_bytes_.data() + pending.offset, pending.size);
        const auto frame = ppg::next_frame(bytes).value();
        if (pending.type == ppg::PqMsg_Parse) {
            auto parse = ppg::decode_parse(frame);
            if (!parse) {
                ++worker_.stats().malformed_messages;
                // as PostgreSQL: an error, then the client's messages skipped until Sync
                fail("08P01", "invalid Parse message: " + parse.error().message);
                co_return co_await flush();
            }
            statements_[std::string(parse.value().statement)] =
                Statement{std::string(parse.value().query), parse.value().parameter_types, {}};
        } else if (pending.type == ppg::PqMsg_Bind) {
            auto bind = ppg::decode_bind(frame);
            if (!bind) {
                ++worker_.stats().malformed_messages;
                // as PostgreSQL: an error, then the client's messages skipped until Sync
                fail("08P01", "invalid Bind message: " + bind.error().message);
                co_return co_await flush();
            }
            const auto it = statements_.find(std::string(bind.value().statement));
            if (it == statements_.end()) {
                fail("26000", fmt::format("prepared statement \"{}\" does not exist",
                                          bind.value().statement));
                co_return co_await flush();
            }
            const auto params = routing_params(bind.value(), it->second.types);
            const auto lease = worker_.borrow_plan();
            router::Plan& plan = *lease;
            planner->route(it->second.sql, route_context(params, it->second.types), plan);
            core_.digest_began(plan);
            if (auto limited = co_await admit(worker_.context().registry, plan, user_)) {
                fail(limited->sqlstate, limited->message);
                co_return co_await flush();
            }
            ++binds;
            const auto& sql = it->second.sql;
            if (auto paused =
                    co_await pause_gate(worker_.context().registry, plan, database_, db_, [&] {
                        planner = worker_.planner(database_, epoch_); // the new map's
                        return planner->route(sql, route_context(params, it->second.types));
                    })) {
                fail("40001", *paused);
                co_return co_await flush();
            }
            if (auto refusal = listen_refusal(plan.verb)) {
                fail("0A000", *refusal);
                co_return co_await flush();
            }
            if (auto refusal = session_state_refusal(plan)) {
                fail("0A000", *refusal);
                co_return co_await flush();
            }
            if (plan.calls_set_config) { // (it may change the time zone: see RouteContext)
                settings_.set_config_called(sql, params, !plan.session_state.empty(),
                                            core_.txn() != Txn::none, true);
            }
            if (auto refusal = core_.sequence_state_refusal(plan, session_pooling())) {
                fail(refusal->sqlstate, refusal->message);
                co_return co_await flush();
            }
            if (auto refusal = distributed_refusal(plan.verb, 1)) {
                fail("0A000", *refusal);
                co_return co_await flush();
            }
            if (plan.verb == router::Verb::savepoint) {
                core_.savepoint_set();
            }
            follow_block_statement(plan.verb, it->second.sql);
            if (!parked_.empty() && router::ends_transaction(plan.verb)) {
                ending = plan.verb;
                continue;
            }
            if (plan.kind == router::PlanKind::session) {
                touches_settings = touches_settings || router::changes_settings(plan.verb);
                if (core_.txn() != Txn::active) {
                    session = answer_session(plan.verb, it->second.sql);
                    if (!scatter) { // answered before a statement of several shards (BEGIN)
                        leading.push_back(session->sqlstate.empty() ? session->tag : "");
                    }
                } else {
                    if (router::changes_settings(plan.verb)) { // (forwarded to the block's shard)
                        settings_.apply(it->second.sql, true);
                    }
                    needs_backend = true;
                }
                continue;
            }
            if (plan.merge.split_copy_rows ||
                (plan.kind == router::PlanKind::scatter && plan.verb == router::Verb::copy)) {
                fail("0A000", "not supported yet: COPY of a sharded table through the "
                              "extended protocol; send it as a simple Query");
                co_return co_await flush();
            }
            if (plan.kind == router::PlanKind::scatter || is_multi_write(plan) ||
                plan.generated_keys) {
                offer_shadow(plan, it->second, bind.value());
                scatter = plan;
                scatter_sql = it->second.sql;
                scatter_types = it->second.types;
                continue;
            }
            auto target = core_.target_for(plan, false);
            if (!target) {
                fail(target.error().sqlstate, target.error().message);
                co_return co_await flush();
            }
            targets.push_back(*target);
            needs_backend = true;
            offer_shadow(plan, it->second, bind.value());
        } else if (pending.type == ppg::PqMsg_Describe) {
            auto describe = ppg::decode_describe(frame);
            if (!describe) {
                ++worker_.stats().malformed_messages;
                // as PostgreSQL: an error, then the client's messages skipped until Sync
                fail("08P01", "invalid Describe message: " + describe.error().message);
                co_return co_await flush();
            }
            if (describe.value().kind == ppg::TargetKind::statement &&
                !statements_.contains(std::string(describe.value().name))) {
                fail("26000", fmt::format("prepared statement \"{}\" does not exist",
                                          describe.value().name));
                co_return co_await flush();
            }
            // after a Flush the portal lives on the pinned backend
            needs_backend =
                needs_backend || describe.value().kind == ppg::TargetKind::statement || flushed();
        } else if (pending.type == ppg::PqMsg_Execute) {
            if (auto execute = ppg::decode_execute(frame); !execute) {
                ++worker_.stats().malformed_messages;
                fail("08P01", "invalid Execute message: " + execute.error().message);
                co_return co_await flush();
            }
            needs_backend = needs_backend || !session;
        } else if (pending.type == ppg::PqMsg_Close) {
            // (later steps read it without checking again)
            if (auto close = ppg::decode_close(frame); !close) {
                ++worker_.stats().malformed_messages;
                fail("08P01", "invalid Close message: " + close.error().message);
                co_return co_await flush();
            }
        }
    }
    if (ending) {
        if (binds > 1 || !sync || flushed()) {
            fail("0A000", "send COMMIT / ROLLBACK of a transaction that runs on several shards "
                          "in a batch of its own, ended by Sync");
            co_return co_await flush();
        }
        const auto answer = co_await end_distributed(*ending == router::Verb::commit);
        answer_locally(answer, true);
        batch_.clear();
        batch_bytes_.clear();
        co_return co_await flush();
    }
    // Statements of different shards between two Syncs run one after the other.
    // (Every batch passes here: no allocation, one comparison per target.)
    const bool several = std::any_of(targets.begin(), targets.end(), [&](const Target& one) {
        return one.shard != targets.front().shard;
    });
    const bool spans = scatter ? binds > leading.size() + 1 : several;
    if (spans && sync && !flushed() && !ending) {
        co_return co_await run_segments();
    }
    if (scatter) {
        const bool answered = std::find(leading.begin(), leading.end(), "") == leading.end();
        const bool rowless = (is_multi_write(*scatter) || scatter->generated_keys) &&
                             !scatter->returning &&
                             !(scatter->generated_keys && scatter->generated_keys->next_value);
        auto refusal = extended_scatter_refusal(sync, rowless, leading.size());
        if (refusal || !answered || binds != leading.size() + 1) {
            fail("0A000", refusal.value_or("not supported yet: a statement that needs several "
                                           "shards after statements shardgate does not answer "
                                           "itself in one batch"));
            co_return co_await flush();
        }
        if (scatter->generated_keys) {
            co_return co_await on_extended_generated_keys(*scatter, scatter_sql, scatter_types,
                                                          leading);
        }
        if (is_multi_write(*scatter)) {
            co_return co_await on_extended_multi_write(*scatter, scatter_sql, scatter_types,
                                                       leading);
        }
        co_return co_await on_extended_scatter(*scatter, scatter_sql, scatter_types, leading);
    }
    // After a Flush the backend holds an unfinished sequence: its Sync must go there too.
    needs_backend = needs_backend || (flushed() && sync);
    if (!needs_backend || (session && targets.empty())) {
        answer_locally(session, sync);
        batch_.clear();
        batch_bytes_.clear();
        co_return co_await flush();
    }
    if (targets.empty()) {
        targets.push_back(core_.pinned_shard() ? Target{*core_.pinned_shard(), true}
                                               : Target{db_->default_shard(), true});
    }
    auto target = core_.merge(targets);
    if (!target) {
        fail(target.error().sqlstate, target.error().message);
        co_return co_await flush();
    }
    if (flushed() && core_.pinned_shard() && target->shard != *core_.pinned_shard()) {
        fail("0A000",
             fmt::format("not supported yet: this statement needs shard {} but the "
                         "statements flushed before it run on shard {}; send Sync "
                         "between them",
                         core_.shard_name(target->shard), core_.shard_name(*core_.pinned_shard())));
        co_return co_await flush();
    }
    if (session || touches_settings) {
        target->primary = true;
    }
    // Without Sync the backend stays with this client (finish_exchange keeps it) until the
    // Sync that ends the sequence.
    batch_state_ = sync ? Batch::collecting : Batch::flushed;
    const bool ok = co_await execute(
        *target,
        [this, sync](BackendConnection& backend, ppg::ByteBuffer& request, ResponseFilter& filter) {
            return build_batch(backend, request, filter, sync);
        },
        touches_settings);
    if (!pinned_) {
        batch_state_ = Batch::collecting; // no backend (error) or it was lost
    } else if (!sync && last_exchange_failed_) {
        skip_to_sync(); // the server skips to Sync after its error; so do we
    }
    batch_.clear();
    batch_bytes_.clear();
    co_return ok;
}

std::optional<std::string> ClientSession::first_bound_sql() {
    for (const auto& pending : batch_) {
        const ppg::ByteView bytes(batch_bytes_.data() + pending.offset, pending.size);
        const auto frame = ppg::next_frame(bytes).value();
        if (pending.type == ppg::PqMsg_Parse) {
            if (auto parse = ppg::decode_parse(frame)) {
                statements_[std::string(parse.value().statement)] =
                    Statement{std::string(parse.value().query), parse.value().parameter_types, {}};
            }
        } else if (pending.type == ppg::PqMsg_Bind) {
            auto bind = ppg::decode_bind(frame);
            if (!bind) {
                return std::nullopt;
            }
            const auto it = statements_.find(std::string(bind.value().statement));
            return it == statements_.end() ? std::string() : it->second.sql;
        }
    }
    return std::nullopt;
}

void ClientSession::answer_locally(const std::optional<SessionAnswer>& answer, bool ready) {
    bool failed = false;
    for (const auto& pending : batch_) {
        if (failed) {
            break;
        }
        const ppg::ByteView bytes(batch_bytes_.data() + pending.offset, pending.size);
        const auto frame = ppg::next_frame(bytes).value();
        switch (pending.type) {
        case ppg::PqMsg_Parse:
            ppg::encode(out_, ppg::ParseComplete{});
            break;
        case ppg::PqMsg_Bind:
            ppg::encode(out_, ppg::BindComplete{});
            break;
        case ppg::PqMsg_Describe: {
            auto describe = ppg::decode_describe(frame);
            if (describe && describe.value().kind == ppg::TargetKind::statement) {
                const auto& statement = statements_[std::string(describe.value().name)];
                ppg::encode(out_, ppg::ParameterDescription{statement.types});
            }
            ppg::encode(out_, ppg::NoData{});
            break;
        }
        case ppg::PqMsg_Execute:
            if (answer && !answer->sqlstate.empty()) {
                send_error(answer->sqlstate, answer->message);
                failed = true;
            } else {
                ppg::encode(out_, ppg::CommandComplete{answer ? answer->tag : ""});
            }
            break;
        case ppg::PqMsg_Close: {
            auto close = ppg::decode_close(frame);
            if (close && close.value().kind == ppg::TargetKind::statement) {
                statements_.erase(std::string(close.value().name));
            }
            ppg::encode(out_, ppg::CloseComplete{});
            break;
        }
        default:
            break;
        }
    }
    if (ready) {
        send_ready();
    }
}

std::string ClientSession::ensure_prepared(BackendConnection& backend, const std::string& name,
                                           ppg::ByteBuffer& request, ResponseFilter& filter) {
    auto& statement = statements_[name];
    if (statement.server_name.empty()) {
        statement.server_name =
            worker_.statement_name(statement_key(statement.sql, statement.types));
    }
    const auto& server = statement.server_name;
    if (!backend.prepared().contains(server)) {
        ++worker_.stats().statements_prepared;
        ppg::encode(request, ppg::Parse{server, statement.sql, statement.types});
        filter.expect(ResponseFilter::Expect::injected_parse, server);
        backend.prepared().insert(server);
    }
    return server;
}

bool ClientSession::build_batch(BackendConnection& backend, ppg::ByteBuffer& request,
                                ResponseFilter& filter, bool sync) {
    using Expect = ResponseFilter::Expect;
    bool unnamed_parsed = false;
    auto ensure_unnamed = [&] {
        if (!unnamed_parsed) {
            const auto& statement = statements_[""];
            ppg::encode(request, ppg::Parse{"", statement.sql, statement.types});
            filter.expect(Expect::injected_parse);
            unnamed_parsed = true;
        }
    };
    for (const auto& pending : batch_) {
        const ppg::ByteView bytes(batch_bytes_.data() + pending.offset, pending.size);
        const auto frame = ppg::next_frame(bytes).value();
        switch (pending.type) {
        case ppg::PqMsg_Parse: {
            auto parse = ppg::decode_parse(frame).value();
            if (parse.statement.empty()) {
                request.insert(request.end(), bytes.begin(), bytes.end());
                filter.expect(Expect::parse);
                unnamed_parsed = true;
                break;
            }
            const auto& server = worker_.statement_name(
                statement_key(std::string(parse.query), parse.parameter_types));
            if (backend.prepared().contains(server)) {
                ppg::ByteBuffer done;
                ppg::encode(done, ppg::ParseComplete{});
                filter.synthetic(done);
            } else {
                ++worker_.stats().statements_prepared;
                parse.statement = server;
                ppg::encode(request, parse);
                filter.expect(Expect::parse, server);
                backend.prepared().insert(server);
            }
            break;
        }
        case ppg::PqMsg_Bind: {
            auto bind = ppg::decode_bind(frame).value();
            if (bind.statement.empty()) {
                ensure_unnamed();
                request.insert(request.end(), bytes.begin(), bytes.end());
            } else {
                const auto server =
                    ensure_prepared(backend, std::string(bind.statement), request, filter);
                bind.statement = server;
                ppg::encode(request, bind);
            }
            filter.expect(Expect::bind);
            break;
        }
        case ppg::PqMsg_Describe: {
            auto describe = ppg::decode_describe(frame).value();
            if (describe.kind == ppg::TargetKind::portal) {
                request.insert(request.end(), bytes.begin(), bytes.end());
                filter.expect(Expect::describe_portal);
            } else if (describe.name.empty()) {
                ensure_unnamed();
                request.insert(request.end(), bytes.begin(), bytes.end());
                filter.expect(Expect::describe_statement);
            } else {
                const auto server =
                    ensure_prepared(backend, std::string(describe.name), request, filter);
                describe.name = server;
                ppg::encode(request, describe);
                filter.expect(Expect::describe_statement);
            }
            break;
        }
        case ppg::PqMsg_Execute:
            request.insert(request.end(), bytes.begin(), bytes.end());
            filter.expect(Expect::execute);
            break;
        case ppg::PqMsg_Close: {
            auto close = ppg::decode_close(frame).value();
            if (close.kind == ppg::TargetKind::statement && !close.name.empty()) {
                statements_.erase(std::string(close.name));
                ppg::ByteBuffer done;
                ppg::encode(done, ppg::CloseComplete{});
                filter.synthetic(done);
            } else {
                request.insert(request.end(), bytes.begin(), bytes.end());
                filter.expect(Expect::close);
            }
            break;
        }
        default:
            break;
        }
    }
    if (!sync) {
        ppg::encode(request, ppg::Flush{});
        return true;
    }
    ppg::encode(request, ppg::Sync{});
    filter.expect(Expect::sync);
    return true;
}

} // namespace shardgate::proxy::pg
