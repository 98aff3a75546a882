// COM_QUERY: split, plan each statement, answer transaction control and USE locally where
// possible, track SET, refuse LOAD DATA LOCAL, forward the text unchanged to the one shard it
// needs.
#include "client_session.hpp"
#include "common/multi_write.hpp"
#include "common/statement_split.hpp"
#include "shardgate/protocol/mysql/commands.hpp"
#include "worker.hpp"

#include <algorithm>
#include <cctype>

namespace shardgate::proxy::mysql {

namespace pm = protocol::mysql;

namespace {

using router::Verb;

bool is_transaction_control(Verb verb) {
    switch (verb) {
    case Verb::begin:
    case Verb::start_transaction:
    case Verb::commit:
    case Verb::rollback:
    case Verb::rollback_to:
    case Verb::savepoint:
    case Verb::release:
    case Verb::two_phase:
        return true;
    default:
        return false;
    }
}

/// A SET that names time_zone (`SET time_zone = ...`, `SET @@session.time_zone = ...`): the
/// statements after it in the same COM_QUERY read times in a zone not known when they are routed.
bool sets_time_zone(std::string_view piece) {
    const auto words = leading_words(piece, 1);
    if (words.empty() || words[0] != "set") {
        return false;
    }
    return mentions(piece, "time_zone");
}

/// The database name of `USE name` (backticks and quotes removed).
std::string use_target(std::string_view sql) {
    auto at = sql.find_first_of("uU");
    std::string_view rest = at == std::string_view::npos ? "" : sql.substr(at + 3);
    std::string name;
    for (const char c : rest) {
        if (c == '`' || c == '\'' || c == '"' || c == ';' ||
            std::isspace(static_cast<unsigned char>(c))) {
            if (!name.empty() && c != '`' && c != '\'' && c != '"') {
                break;
            }
            continue;
        }
        name.push_back(c);
    }
    return name;
}

} // namespace

asio::awaitable<bool> ClientSession::on_query(pm::Bytes payload) {
    auto& stats = worker_.stats();
    ++stats.queries;
    state_ = State::routing;
    auto query = pm::decode_com_query(payload);
    if (!query.ok()) {
        ++stats.malformed_packets;
        send_err({query.error().code, "08S01", "malformed COM_QUERY"});
        co_await flush();
        co_return false;
    }
    const auto sql = query.value().sql;
    const auto pieces = split_statements(sql, parser::Dialect::mysql, lex_mode_);
    if (pieces.empty()) {
        send_err({1065, "42000", "Query was empty"});
        co_return co_await flush();
    }
    const auto planner = worker_.planner(database_, epoch_);
    // (a SET of time_zone among several statements: the zone after it is not known here)
    const bool zone_known =
        pieces.size() == 1 || std::none_of(pieces.begin(), pieces.end(), sets_time_zone);
    const router::RouteContext context{core_.txn() != Txn::none || !autocommit_,
                                       {},
                                       lex_mode_,
                                       zone_known && settings_.utc_time_zone()};
    const auto lease = worker_.borrow_plan(); // (the pieces are routed into it in turn)
    if (pieces.size() == 1) {                 // (routed here once; the loop below uses this plan)
        planner->route(pieces.front(), context, *lease);
        core_.digest_began(*lease);
        const auto verb = (*lease).verb;
        if (verb == Verb::use) {
            ++stats.session_statements;
            const auto name = use_target(pieces.front());
            if (pinned_ && name != database_) {
                send_err({1235, "0A000",
                          "not supported yet: USE of another database while the session holds "
                          "a backend connection (transaction or session state)"});
                co_return co_await flush();
            }
            if (auto failure = select_database(name)) {
                send_err(*failure);
                co_return co_await flush();
            }
            send_ok();
            co_return co_await flush();
        }
        if (is_transaction_control(verb)) {
            co_return co_await on_transaction(verb, pieces.front(), payload);
        }
        if (verb == Verb::set) {
            const auto effects = scan_effects(pieces.front());
            note_insert_id_use(effects); // SET @p = LAST_INSERT_ID()
            co_return co_await on_set(pieces.front(), payload, effects);
        }
        if (verb == Verb::kill) {
            co_return co_await on_kill(pieces.front());
        }
        if (verb == Verb::describe) {
            co_return co_await on_describe(*lease, payload);
        }
    }
    std::vector<Target> targets;
    bool pins = false;
    bool touches_settings = false;
    for (const auto piece : pieces) {
        const auto effects = scan_effects(piece);
        note_insert_id_use(effects);
        if (effects.local_infile) {
            ++stats.rejected_local_infile;
            send_err({1148, "42000", "LOAD DATA LOCAL INFILE is not supported by shardgate yet"});
            co_return co_await flush();
        }
        router::Plan& plan = *lease;
        if (pieces.size() > 1) { // (a single statement was routed and noted above)
            planner->route(piece, context, plan);
            core_.digest_began(plan);
        }
        if (auto limited = co_await admit(worker_.context().registry, plan, user_)) {
            // ER_USER_LIMIT_REACHED for a limit, else ER_UNKNOWN_ERROR
            send_err({limited->sqlstate == "53400" ? std::uint16_t{1226} : std::uint16_t{1105},
                      limited->sqlstate, limited->message});
            co_return co_await flush();
        }
        bool map_changed = false;
        if (auto paused =
                co_await pause_gate(worker_.context().registry, plan, database_, db_, [&] {
                    map_changed = true;
                    return plan;
                })) {
            send_err({1213, "40001", *paused});
            co_return co_await flush();
        }
        if (map_changed) { // the whole COM_QUERY is planned again under the new map
            --stats.queries;
            co_return co_await on_query(payload);
        }
        if (piece.find('@') == std::string_view::npos) { // (user variables are per session)
            worker_.context().registry.shadow().offer(plan, piece,
                                                      core_.txn() != Txn::none || !autocommit_,
                                                      backend_user_, backend_password_);
        }
        // (the key is built only for a statement that asked for the cache: not per statement;
        // user variables are per session)
        if (plan.cache_ttl_ms && pieces.size() == 1 && !pinned_ && autocommit_ &&
            worker_.context().registry.cache().enabled() &&
            piece.find('@') == std::string_view::npos) {
            const auto& registry = worker_.context().registry;
            std::string context = user_;
            context.append(1, '\0').append(std::to_string(capabilities_));
            context.append(1, '\0').append(std::to_string(character_set_));
            context.append(1, '\0').append(settings_.replay_sql());
            if (auto ticket = cache_ticket(registry, plan, piece, context)) {
                if (const auto answer = registry.cache().lookup(*ticket)) {
                    append_answer(out_, *answer);
                    co_return co_await flush();
                }
                start_capture(std::move(*ticket), registry.cache().max_entry());
                // from the primary: a lagging replica's answer would outlive its lag here
                plan.role = router::Role::primary;
            }
        }
        if (plan.verb == Verb::use) {
            send_err({1235, "0A000", "not supported yet: send USE as a statement of its own"});
            co_return co_await flush();
        }
        if (plan.verb == Verb::set) {
            std::vector<std::pair<std::string, std::string>> assignments;
            classify_set(piece, &assignments);
            for (const auto& assignment : assignments) {
                if (assignment.first == "sql_mode") {
                    send_err({1235, "0A000",
                              "not supported yet: send SET sql_mode as a statement of its own "
                              "(the statements after it are read by the new mode)"});
                    co_return co_await flush();
                }
            }
            auto refusal = core_.sequence_state_refusal(effects.reads_sequence,
                                                        effects.advances_sequence, false);
            if (!refusal) {
                refusal = row_counts_refusal(effects, set_shard());
            }
            if (refusal) {
                send_refusal(*refusal);
                co_return co_await flush();
            }
            const auto kind = settings_.apply(piece);
            if (kind == SetKind::password) { // (SET STATEMENT ... FOR: its statement unrouted)
                send_err({1235, "0A000",
                          "not supported yet: SET PASSWORD / ROLE / DEFAULT ROLE / STATEMENT "
                          "through shardgate"});
                co_return co_await flush();
            }
            if (kind == SetKind::pinning && sets_time_zone(piece)) {
                settings_.zone_unknown(); // (SET time_zone = @v: not read here)
            }
            if (kind != SetKind::session) {
                pins = true;
                if (holds_state()) {
                    // (with the other statements there, or refused as on two shards)
                    targets.push_back(Target{state_shard_, true});
                }
            }
            touches_settings = true;
            continue;
        }
        if (is_transaction_control(plan.verb)) {
            if (!parked_.empty() || core_.distributed()) {
                send_err({1235, "0A000",
                          "send COMMIT / ROLLBACK / SAVEPOINT of a transaction that runs on "
                          "several shards as a statement of its own"});
                co_return co_await flush();
            }
            if (plan.verb == Verb::savepoint) {
                core_.savepoint_set();
            }
            continue; // runs where the other statements run, on the primary
        }
        if (plan.kind == router::PlanKind::session) {
            continue;
        }
        if (const auto alone = runs_alone(plan)) {
            if (pieces.size() > 1) {
                send_err({1235, "0A000",
                          fmt::format("not supported yet: {} together with other statements in "
                                      "one query; send it on its own",
                                      *alone)});
                co_return co_await flush();
            }
            if (plan.key_move) {
                co_return co_await on_key_move(plan, piece);
            }
            if (plan.generated_keys) {
                co_return co_await on_generated_keys(plan, piece, false);
            }
            co_return co_await on_multi_write(plan, piece);
        }
        if (plan.kind == router::PlanKind::scatter && pieces.size() == 1 && !effects.pins() &&
            !effects.last_insert_id && !effects.found_rows) {
            co_return co_await on_scatter(plan, piece, payload);
        }
        if (plan.kind == router::PlanKind::broadcast &&
            plan.statement == parser::StatementKind::ddl && pieces.size() == 1 && !effects.pins()) {
            if (core_.txn() != Txn::none) {
                if (const auto error = co_await implicit_commit()) {
                    send_err(error->error_code, error->sql_state, error->message);
                    co_return co_await flush();
                }
            }
            co_return co_await on_broadcast(plan, payload);
        }
        if (effects.reads_row_counts && pieces.size() == 1 && answer_found_rows(piece)) {
            co_return co_await flush();
        }
        auto target = place(plan, effects);
        if (!target) {
            send_refusal(target.error());
            co_return co_await flush();
        }
        pins = pins || effects.pins();
        targets.push_back(*target);
        command_selected_ = command_selected_ || plan.statement == parser::StatementKind::select;
    }
    Target fallback{core_.pinned_shard().value_or(db_->default_shard()), true};
    if (targets.empty()) {
        targets.push_back(fallback);
    } else if (pieces.size() > 1 && targets.size() < pieces.size()) {
        targets.front().primary = true; // session or transaction statements ride along
    }
    auto target = core_.merge(targets);
    if (!target) {
        send_refusal(target.error());
        co_return co_await flush();
    }
    co_return co_await run_command(*target, payload, pm::ResponseKind::text_query, pins,
                                   touches_settings);
}

asio::awaitable<bool> ClientSession::on_describe(const router::Plan& plan, pm::Bytes payload) {
    // DESCRIBE / DESC table [column]: read from a shard that holds the table.
    if (plan.tables.empty()) {
        send_err({1064, "42000", "DESCRIBE needs a table name"});
        co_return co_await flush();
    }
    // A qualified name is placed by the planner's own DESCRIBE plan; a plain one may also be
    // read from the shard the session is pinned to.
    const auto& table = plan.tables.front();
    const auto target =
        table.find('.') == std::string::npos ? place_table(table) : place(plan, StatementEffects{});
    if (!target) {
        send_refusal(target.error());
        co_return co_await flush();
    }
    co_return co_await run_command(*target, payload, pm::ResponseKind::text_query, false, false);
}

asio::awaitable<bool> ClientSession::on_transaction(Verb verb, std::string_view sql,
                                                    pm::Bytes payload) {
    auto& stats = worker_.stats();
    if (verb == Verb::two_phase) {
        send_err({1235, "0A000", "not supported yet: XA transactions through shardgate"});
        co_return co_await flush();
    }
    if (!parked_.empty() && router::ends_transaction(verb)) {
        co_return co_await end_distributed(verb == Verb::commit);
    }
    if (auto refusal = distributed_refusal(verb, parser::StatementKind::transaction)) {
        send_err(1235, "0A000", *refusal);
        co_return co_await flush();
    }
    if (verb == Verb::savepoint) {
        core_.savepoint_set();
    }
    if (pinned_) {
        // The backend decides (MySQL commits implicitly on a second BEGIN, for example).
        co_return co_await run_command(Target{*core_.pinned_shard(), true}, payload,
                                       pm::ResponseKind::text_query, false, false);
    }
    ++stats.session_statements;
    if (verb == Verb::begin || verb == Verb::start_transaction) {
        core_.begin(std::string(sql));
        send_ok();
        co_return co_await flush();
    }
    if (router::ends_transaction(verb)) {
        core_.set_transaction(Txn::none); // nothing ran yet: nothing to commit
        send_ok();
        co_return co_await flush();
    }
    if (core_.txn() == Txn::deferred) {
        send_err(
            {1235, "0A000",
             "not supported yet: SAVEPOINT before the transaction's first statement (shardgate "
             "picks the shard at the first statement that names one)"});
        co_return co_await flush();
    }
    if (verb == Verb::savepoint) {
        send_ok(); // outside a transaction MySQL accepts and forgets it
        co_return co_await flush();
    }
    send_err({1305, "42000", "SAVEPOINT does not exist"});
    co_return co_await flush();
}

asio::awaitable<bool> ClientSession::on_set(std::string_view sql, pm::Bytes payload,
                                            const StatementEffects& effects) {
    auto& stats = worker_.stats();
    ++stats.session_statements;
    const auto kind = classify_set(sql);
    // (SET @n = FOUND_ROWS() / LASTVAL(s) reads a connection like a SELECT of it would)
    auto refusal =
        core_.sequence_state_refusal(effects.reads_sequence, effects.advances_sequence, false);
    if (!refusal) {
        refusal = row_counts_refusal(effects, set_shard());
    }
    if (refusal) {
        send_refusal(*refusal);
        co_return co_await flush();
    }
    // Session state goes where the session keeps its state (a transaction on several shards
    // may run on another one now).
    const Target here{set_shard(), true};
    switch (kind) {
    case SetKind::password:
        send_err({1235, "0A000",
                  "not supported yet: SET PASSWORD / ROLE / DEFAULT ROLE / STATEMENT through "
                  "shardgate"});
        co_return co_await flush();
    case SetKind::global:
        co_return co_await run_command(here, payload, pm::ResponseKind::text_query, false, false);
    case SetKind::pinning:
        if (sets_time_zone(sql)) {
            settings_.zone_unknown(); // (SET time_zone = @v: not read here)
        }
        co_return co_await run_command(here, payload, pm::ResponseKind::text_query, true, false);
    case SetKind::session:
        break;
    }
    if (!parked_.empty()) {
        std::vector<std::pair<std::string, std::string>> assignments;
        classify_set(sql, &assignments);
        for (const auto& assignment : assignments) {
            if (assignment.first == "autocommit") {
                send_err({1235, "0A000",
                          "SET autocommit inside a transaction that runs on several shards "
                          "would commit one shard only: COMMIT or ROLLBACK it first"});
                co_return co_await flush();
            }
        }
    }
    // Run where the session runs next (validates the values); kept for replay on success.
    // The backend is brought to the settings before this SET, which then runs once there (a
    // value relative to the current one, such as CONCAT(@@sql_mode, ...), must not be
    // applied twice); the new settings take effect when it succeeded.
    const auto previous = settings_;
    settings_.apply(sql);
    if (auto problem = refresh_lex_mode()) {
        settings_ = previous;
        send_err({1235, "0A000", *problem});
        co_return co_await flush();
    }
    ++stats.settings_tracked;
    settings_after_ = std::move(settings_);
    settings_ = previous;
    const Target target{core_.pinned_shard().value_or(db_->default_shard()), pinned_ != nullptr};
    const bool ok =
        co_await run_command(target, payload, pm::ResponseKind::text_query, false, true);
    settings_after_.reset();
    refresh_lex_mode();
    co_return ok;
}

} // namespace shardgate::proxy::mysql
