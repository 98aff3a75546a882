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

router::Plan session_plan() {
    router::Plan plan;
    plan.kind = router::PlanKind::session;
    return plan;
}

/// Session statements the planner's grammar does not cover.
bool is_session_word(const std::string& word) {
    return word == "discard" || word == "reset";
}

bool is_settings_word(const std::string& word) {
    return word == "set" || word == "reset";
}

bool only_settings(const std::vector<std::string_view>& pieces) {
    for (const auto piece : pieces) {
        const auto words = leading_words(piece, 1);
        if (words.empty() || !is_settings_word(words[0])) {
            return false;
        }
    }
    return true;
}

} // namespace

ClientSession::SessionAnswer ClientSession::answer_session(std::string_view sql) {
    ++worker_.stats().session_statements;
    const auto words = leading_words(sql, 3);
    const std::string first = words.empty() ? "" : words[0];
    const std::string second = words.size() > 1 ? words[1] : "";
    if (first == "begin" || first == "start") {
        if (core_.txn() == Txn::none) {
            core_.begin(std::string(sql));
        }
        return {first == "begin" ? "BEGIN" : "START TRANSACTION", "", ""};
    }
    if (first == "commit" || first == "end") {
        end_transaction();
        return {"COMMIT", "", ""};
    }
    if (first == "rollback" || first == "abort") {
        if (second == "to") {
            if (core_.txn() == Txn::none) {
                return {"", "25P01",
                        "ROLLBACK TO SAVEPOINT can only be used in transaction "
                        "blocks"};
            }
            return {"ROLLBACK", "", ""};
        }
        end_transaction();
        return {"ROLLBACK", "", ""};
    }
    if (first == "savepoint" || first == "release") {
        if (core_.txn() == Txn::none) {
            return {"", "25P01", "SAVEPOINT can only be used in transaction blocks"};
        }
        return {"", "0A000",
                "not supported yet: SAVEPOINT before the transaction's first statement "
                "(shardgate picks the shard at the first statement that names one)"};
    }
    if (is_settings_word(first)) {
        auto outcome = settings_.apply(sql);
        if (!outcome.error.empty()) {
            return {"", "0A000", outcome.error};
        }
        return {outcome.tag, "", ""};
    }
    if (first == "discard") {
        settings_.clear();
        statements_.clear();
        return {"DISCARD ALL", "", ""};
    }
    if (first == "use") {
        return {"", "0A000", "USE is not supported: connect to the other logical database"};
    }
    return {"", "0A000",
            "not supported yet: session statement '" + first + "' is not handled by shardgate"};
}

asio::awaitable<bool> ClientSession::forward_settings(const ppg::Frame& frame,
                                                      const std::vector<std::string_view>& pieces) {
    // Run on a backend (default shard, replica) so the server validates the values and
    // reports ParameterStatus (client_encoding, DateStyle, TimeZone, ...); recorded for
    // replay only when it succeeded.
    ++worker_.stats().session_statements;
    SessionSettings next = settings_;
    for (const auto piece : pieces) {
        if (auto outcome = next.apply(piece); !outcome.error.empty()) {
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
    state_ = State::routing;
    auto text = ppg::statement_text(frame);
    if (!text) {
        ++worker_.stats().malformed_messages;
        co_await fatal("08P01", "invalid Query message: " + text.error().message);
        co_return false;
    }
    auto* planner = worker_.planner(database_);
    const auto pieces = split_statements(text.value());
    if (pieces.empty()) {
        ppg::encode(out_, ppg::EmptyQueryResponse{});
        send_ready();
        co_return co_await flush();
    }
    if (aborted_) {
        auto handled = co_await on_aborted(leading_words(pieces.front(), 2), false);
        co_return handled.value_or(false);
    }
    bool any_session = false;
    bool all_session = true;
    bool touches_settings = false;
    std::vector<Target> targets;
    std::vector<std::string_view> session_pieces;
    for (const auto piece : pieces) {
        const auto words = leading_words(piece, 2);
        const std::string first = words.empty() ? "" : words[0];
        // PREPARE TRANSACTION, COMMIT/ROLLBACK PREPARED: two-phase commit is shardgate's
        // own business; the planner refuses them with the reason.
        const bool two_phase =
            words.size() > 1 &&
            ((first == "prepare" && words[1] == "transaction") ||
             ((first == "commit" || first == "rollback") && words[1] == "prepared"));
        if (auto refusal = listen_refusal(first)) {
            send_error("0A000", *refusal);
            send_ready();
            co_return co_await flush();
        }
        if (!two_phase && (first == "prepare" || first == "execute" || first == "deallocate")) {
            if (pieces.size() == 1) {
                co_return co_await on_sql_prepared(piece, first);
            }
            send_error("0A000", "not supported yet: send " + first +
                                    " as a Query of its own, not with other statements");
            send_ready();
            co_return co_await flush();
        }
        if (first == "copy" || first == "vacuum" || first == "analyze" || first == "analyse") {
            if (auto target = plan_utility(piece)) {
                if (!*target) {
                    send_error(target->error().sqlstate, target->error().message);
                    send_ready();
                    co_return co_await flush();
                }
                all_session = false;
                targets.push_back(**target);
                continue;
            }
        }
        const router::Plan plan = is_session_word(first) && !two_phase
                                      ? session_plan()
                                      : planner->route(piece, {core_.txn() != Txn::none, {}});
        if (plan.kind == router::PlanKind::session) {
            any_session = true;
            touches_settings = touches_settings || is_settings_word(first) || first == "discard";
            session_pieces.push_back(piece);
            continue;
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
        for (const auto piece : session_pieces) {
            const auto answer = answer_session(piece);
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
        for (const auto piece : session_pieces) {
            if (auto first = leading_words(piece, 1);
                !first.empty() && is_settings_word(first[0])) {
                settings_.apply(piece);
            }
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
    co_return co_await execute(
        *target,
        [request](BackendConnection&, ppg::ByteBuffer& out, ResponseFilter& filter) {
            out.insert(out.end(), request.begin(), request.end());
            filter.expect(ResponseFilter::Expect::query);
            return true;
        },
        touches_settings);
}

} // namespace shardgate::proxy::pg
