// Running a request on a backend: pick one (read routing), acquire (or reuse the pinned one),
// replay settings and a deferred BEGIN, forward responses frame by frame, relay COPY IN,
// release at 'I'; a read that lost its backend before answering runs once more elsewhere.
#include "client_session.hpp"
#include "common/replica_wait.hpp"
#include "common/statement_split.hpp"
#include "shardgate/protocol/pg/backend_decoder.hpp"
#include "shardgate/protocol/pg/encoder.hpp"
#include "worker.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <utility>

namespace shardgate::proxy::pg {

namespace ppg = protocol::pg;

namespace {

/// The message of a FATAL or PANIC ErrorResponse (the server closes the connection after
/// it), or nullopt for any other frame.
std::optional<std::string> fatal_message(const ppg::Frame& frame) {
    if (frame.type != ppg::PqMsg_ErrorResponse) {
        return std::nullopt;
    }
    auto error = ppg::decode_error_response(frame);
    if (!error) {
        return std::nullopt;
    }
    const auto severity = error.value().field('V').value_or(error.value().field('S').value_or(""));
    if (severity != "FATAL" && severity != "PANIC") {
        return std::nullopt;
    }
    return std::string(error.value().field('M').value_or("connection terminated"));
}

/// Rows larger than this are relayed as they arrive instead of held whole (a bytea or text
/// value can reach 1 GiB; held whole, each client reading one would cost the proxy as much).
constexpr std::size_t large_row_bytes = std::size_t{1} << 20;

/// The whole length (type byte included) of the DataRow or COPY TO STDOUT CopyData that
/// `buffered` starts with, when it is larger than large_row_bytes and not all there yet; else 0.
std::size_t large_row_ahead(ppg::ByteView buffered) {
    if (buffered.empty() || (static_cast<char>(buffered[0]) != ppg::PqMsg_DataRow &&
                             static_cast<char>(buffered[0]) != ppg::PqMsg_CopyData)) {
        return 0;
    }
    // (framing knows the whole size once the header is there; a bad length is its error)
    const auto framed = ppg::next_frame(buffered);
    return framed.need_more() && framed.needed() > large_row_bytes ? framed.needed() : 0;
}

} // namespace

asio::awaitable<error_code> ClientSession::relay_large_row(BackendConnection& backend,
                                                           std::size_t length) {
    auto& in = backend.in();
    std::size_t left = length;
    for (;;) {
        const auto part = std::min(left, in.size());
        const auto bytes = in.view().first(part);
        out_.insert(out_.end(), bytes.begin(), bytes.end());
        in.consume(part);
        left -= part;
        co_await flush(); // (a client gone: the row is read to its end all the same)
        if (left == 0) {
            co_return error_code{};
        }
        if (auto ec = co_await read_more(backend.stream(), in)) {
            if (capturing_) {
                co_return ec; // nothing reached the client: the capture reports the loss
            }
            // The client has part of a message whose rest will never come: no error can
            // follow it on this stream, so the client's connection ends here.
            spdlog::warn("client {}: backend lost in the middle of a {}-byte message relayed to "
                         "the client; closing the client's connection",
                         process_id_, length);
            client_gone_ = true;
            socket_.close();
            co_return ec;
        }
    }
}

asio::awaitable<ClientSession::Lease>
ClientSession::backend_for(const Target& target, ppg::ByteBuffer& prefix, ResponseFilter& filter,
                           std::vector<BackendIndex>& failed, bool may_retry) {
    bool joining = false;
    if (pinned_ && core_.txn() != Txn::none && core_.pinned_shard() != target.shard) {
        // core_.merge allowed it: the transaction goes on on another shard.
        const auto switched = co_await switch_shard(target);
        if (switched == Switch::answered) {
            co_return Lease{};
        }
        joining = switched == Switch::join;
    }
    if (!pinned_ && core_.txn() == Txn::active && !parked_.empty()) {
        // An earlier join failed after parking the current connection: the shard's branch.
        resume_parked(core_, pinned_, parked_, target.shard);
    }
    if (pinned_) {
        co_return Lease{pinned_};
    }
    joining = joining || (core_.txn() == Txn::active && !parked_.empty());
    auto& stats = worker_.stats();
    const auto choice = co_await core_.choose(target, failed);
    if (!choice.ok()) {
        // After a failed first attempt, its own error says more than "nothing left".
        if (!failed.empty() && !first_failure_.second.empty()) {
            report_unavailable(first_failure_.first, first_failure_.second);
        } else {
            report_unavailable(choice.sqlstate, choice.message);
        }
        co_return Lease{};
    }
    BackendTarget where{choice.info->endpoint, choice.info->shard_name, credentials_->backend_user,
                        credentials_->backend_password, database_};
    state_ = State::waiting_backend;
    auto acquired = co_await acquire_backend(where);
    if (!acquired.connection) {
        const bool unavailable = acquired.failure == Acquired::Failure::unavailable;
        if (unavailable) {
            core_.backend_failed(choice.backend);
            failed.push_back(choice.backend);
        }
        // A session's own connection that was cut: the client hears of its lost state (LISTEN,
        // temporary tables) once, instead of a silent retry on a new connection.
        const bool state_lost = std::exchange(session_state_lost_, false);
        if (may_retry && unavailable && !state_lost) {
            ++stats.read_retries;
            first_failure_ = {std::string(sqlstate_of(acquired.failure)), acquired.message};
            co_return Lease{nullptr, true};
        }
        report_unavailable(sqlstate_of(acquired.failure), acquired.message);
        co_return Lease{};
    }
    auto backend = std::move(acquired.connection);
    if (backend->applied_settings() != settings_.statements()) {
        ++stats.settings_replayed;
        ppg::encode(prefix, ppg::Query{settings_.replay_sql()});
        filter.expect(ResponseFilter::Expect::injected_query);
        backend->applied_settings() = settings_.statements();
    }
    if (core_.txn() == Txn::deferred || joining) {
        ppg::encode(prefix, ppg::Query{core_.begin_sql()});
        filter.expect(ResponseFilter::Expect::injected_query);
        // SET LOCAL answered before the block had a shard, or run on the shards it had so far
        if (auto local = settings_.local_sql(); !local.empty()) {
            ppg::encode(prefix, ppg::Query{std::move(local)});
            filter.expect(ResponseFilter::Expect::injected_query);
        }
    }
    if (auto limit = lock_timeout_sql(); joining && !limit.empty()) {
        ppg::encode(prefix, ppg::Query{std::move(limit)});
        filter.expect(ResponseFilter::Expect::injected_query);
    }
    pinned_ = backend;
    core_.pin(target.shard, choice.backend);
    co_return Lease{std::move(backend)};
}

void ClientSession::report_unavailable(std::string_view sqlstate, std::string_view message) {
    send_error(sqlstate, message);
    if (core_.txn() == Txn::deferred) {
        end_transaction();
    }
    send_ready();
}

asio::awaitable<bool> ClientSession::execute(const Target& target, const RequestBuilder& build,
                                             bool touches_settings) {
    // A read outside a transaction may run again elsewhere when its backend failed before
    // any byte of the answer reached the client; once.
    const bool retryable = core_.may_retry(target) && !pinned_;
    std::vector<BackendIndex> failed;
    first_failure_ = {};
    auto outcome = co_await execute_once(target, build, touches_settings, failed, retryable);
    if (outcome == Attempt::retry) {
        outcome = co_await execute_once(target, build, touches_settings, failed, false);
    }
    co_return outcome == Attempt::done;
}

asio::awaitable<ClientSession::Attempt>
ClientSession::execute_once(const Target& target, const RequestBuilder& build,
                            bool touches_settings, std::vector<BackendIndex>& failed,
                            bool may_retry) {
    ppg::ByteBuffer request;
    ResponseFilter filter;
    last_exchange_failed_ = true;
    const auto client_bytes_before = out_.size();
    auto lease = co_await backend_for(target, request, filter, failed, may_retry);
    auto backend = std::move(lease.backend);
    if (!backend) {
        if (lease.retry) {
            co_return Attempt::retry;
        }
        co_return co_await flush() ? Attempt::done : Attempt::client_gone;
    }
    ResponseFilter client_part;
    if (!build(*backend, request, client_part)) {
        co_return co_await flush() ? Attempt::done : Attempt::client_gone;
    }
    filter.append(std::move(client_part));
    state_ = State::forwarding;
    running_ = backend;
    bool answered = false; // some of the backend's answer went to the client
    std::string backend_fatal;
    auto ec = co_await write_all(backend->stream(), request);
    const bool sent = !ec;
    while (!ec) {
        auto& in = backend->in();
        for (;;) {
            auto frame = ppg::next_frame(in.view());
            if (!frame.ok()) {
                if (frame.is_error()) {
                    ec = asio::error::invalid_argument;
                }
                break;
            }
            if (auto fatal = fatal_message(frame.value())) {
                // The server ends this connection (shutdown, crash, postmaster gone): not
                // an answer to the client's statement, so a read may still run elsewhere.
                backend_fatal = std::move(*fatal);
                in.consume(frame.consumed());
                ec = asio::error::connection_aborted;
                break;
            }
            filter.on_frame(frame.value(), out_);
            in.consume(frame.consumed());
            if (filter.done() || filter.copy_in()) {
                break;
            }
        }
        if (ec || filter.done()) {
            break;
        }
        answered = answered || out_.size() > client_bytes_before;
        co_await flush();
        if (filter.copy_in()) {
            filter.clear_copy_in();
            const bool relayed = co_await relay_copy_in(*backend);
            if (!relayed) {
                ec = asio::error::connection_aborted;
                break;
            }
            continue;
        }
        if (const auto length = large_row_ahead(backend->in().view());
            length != 0 && filter.forwards_data_row() &&
            (!capturing_ || length > answer_budget_.limit)) {
            // (captured over its budget: the row passes through out_, dropped as it comes)
            answered = true;
            ec = co_await relay_large_row(*backend, length);
            continue;
        }
        ec = co_await read_more(backend->stream(), in);
    }
    running_ = nullptr;
    if (ec) {
        ++worker_.stats().backend_dropped;
        spdlog::warn("client {}: lost backend {} ({}): {}", process_id_, backend->target().shard,
                     backend->target().endpoint.to_string(), ec.message());
        backend->mark_broken();
        if (const auto pinned = core_.pinned_backend()) {
            core_.backend_failed(*pinned);
            failed.push_back(*pinned);
        }
        release_backend();
        auto lost = backend->lost_during_statement(backend->target().shard, sent);
        if (may_retry && !answered) {
            ++worker_.stats().read_retries;
            first_failure_ = {"08006", std::move(lost)};
            out_.resize(client_bytes_before);
            co_return Attempt::retry;
        }
        end_transaction();
        drop_parked();
        backend_status_ = 'I';
        if (!backend_fatal.empty()) {
            lost += fmt::format(" ({})", backend_fatal);
        }
        send_error("08006", lost + "; the transaction, if any, is gone");
        send_ready();
        co_return co_await flush() ? Attempt::done : Attempt::client_gone;
    }
    for (const auto& error : filter.injected_errors()) {
        ++worker_.stats().settings_replay_errors;
        spdlog::warn("client {}: replayed session state failed on {}: {}", process_id_,
                     backend->target().shard, error);
        backend->applied_settings() = std::nullopt;
    }
    for (const auto& name : filter.failed_parses()) {
        backend->prepared().erase(name);
    }
    if (touches_settings) {
        backend->applied_settings() = std::nullopt;
    }
    last_exchange_failed_ = filter.saw_error();
    core_.digest_rows(filter.rows());
    if (filter.saw_error()) {
        core_.digest_error();
    }
    core_.ran(target);
    const bool ok = co_await flush();
    if (filter.status() == 'I' && core_.wrote()) {
        co_await note_write_end(*backend, target.shard);
    }
    finish_exchange(filter.status(), filter.committed());
    co_return ok ? Attempt::done : Attempt::client_gone;
}

void ClientSession::finish_exchange(char status, bool committed) {
    // (a COMMIT executed before a Flush is known only at the Sync's ReadyForQuery)
    commit_seen_ = commit_seen_ || committed;
    if (flushed()) { // Flush without Sync: no ReadyForQuery yet, the backend stays pinned
        state_ = State::idle;
        return;
    }
    backend_status_ = status;
    if (status == 'I') {
        if (!parked_.empty()) {
            // Only end_distributed ends a transaction on several shards; anything else that
            // ended it here leaves the other shards to roll back as their connections close.
            spdlog::warn("client {}: a transaction on several shards ended outside COMMIT / "
                         "ROLLBACK; the other shards roll back",
                         process_id_);
            drop_parked();
        }
        end_transaction(commit_seen_);
        release_backend();
    } else {
        if (commit_seen_ && !chain_followed_) {
            // (COMMIT and BEGIN in one exchange: a block committed and another began, which
            // the settings did not follow in order: the zone is unknown until this block ends)
            settings_.local_zone_unknown();
        }
        commit_seen_ = false;
        chain_followed_ = false;
        core_.transaction_started();
    }
    state_ = State::idle;
}

void ClientSession::end_transaction(bool committed) {
    settings_.transaction_ended(!committed);
    commit_seen_ = false;
    chain_followed_ = false;
    core_.end_transaction();
    aborted_ = false;
}

void ClientSession::follow_block_statement(router::Verb verb, std::string_view sql) {
    if (core_.txn() != Txn::active) {
        // (outside a block the server refuses it; before the block has a shard shardgate
        // answers it: no savepoint exists on a server either way)
        return;
    }
    // In a failed block (status 'E') only ROLLBACK TO runs: a SAVEPOINT or RELEASE there
    // fails and changes nothing.
    if (verb == router::Verb::savepoint && backend_status_ != 'E') {
        settings_.savepoint(sql);
    } else if (verb == router::Verb::rollback_to) {
        settings_.rollback_to(sql);
    } else if (verb == router::Verb::release && backend_status_ != 'E') {
        settings_.release(sql);
    } else if ((verb == router::Verb::rollback || verb == router::Verb::commit) &&
               mentions(sql, "chain")) {
        // COMMIT / ROLLBACK AND CHAIN: the block ends — committed, unless it failed (then the
        // server rolls it back) — and a new one begins at once; followed here, in order with
        // the SETs sent after it (a plain COMMIT / ROLLBACK, or AND NO CHAIN, ends the block
        // at its ReadyForQuery again: no harm done twice)
        settings_.transaction_ended(verb == router::Verb::rollback || backend_status_ == 'E');
        chain_followed_ = true;
    }
}

asio::awaitable<std::optional<bool>> ClientSession::on_aborted(router::Verb verb, bool extended) {
    if (!router::ends_transaction(verb)) {
        send_error("25P02", "current transaction is aborted, commands ignored until end of "
                            "transaction block");
        send_ready();
        co_return co_await flush();
    }
    if (!parked_.empty()) {
        const auto answer = co_await end_distributed(false);
        if (extended) {
            co_return std::nullopt;
        }
        ppg::encode(out_, ppg::CommandComplete{answer.tag});
        send_ready();
        co_return co_await flush();
    }
    if (pinned_) {
        const bool ok = co_await execute(
            Target{*core_.pinned_shard(), true},
            [](BackendConnection&, ppg::ByteBuffer& request, ResponseFilter& filter) {
                ppg::encode(request, ppg::Query{"ROLLBACK"});
                filter.expect(ResponseFilter::Expect::injected_query);
                return true;
            },
            false);
        if (!ok) {
            co_return false;
        }
    }
    end_transaction();
    release_backend();
    if (extended) {
        co_return std::nullopt; // the caller answers the batch with tag ROLLBACK
    }
    ppg::encode(out_, ppg::CommandComplete{"ROLLBACK"});
    send_ready();
    co_return co_await flush();
}

void ClientSession::release_backend() {
    if (pinned_) {
        return_backend(std::move(pinned_));
        pinned_ = nullptr;
    }
    core_.unpin();
}

asio::awaitable<bool> ClientSession::relay_copy_in(BackendConnection& backend) {
    for (;;) {
        ppg::ByteBuffer chunk;
        bool finished = false;
        for (;;) {
            auto frame = ppg::next_frame(in_.view());
            if (!frame.ok()) {
                if (frame.is_error()) {
                    ++worker_.stats().malformed_messages;
                    ppg::encode(chunk, ppg::CopyFail{"malformed message from client"});
                    finished = true;
                    client_gone_ = true;
                }
                break;
            }
            const auto& f = frame.value();
            chunk.insert(chunk.end(), f.bytes.begin(), f.bytes.end());
            in_.consume(frame.consumed());
            if (f.type == ppg::PqMsg_CopyDone || f.type == ppg::PqMsg_CopyFail) {
                finished = true;
                break;
            }
        }
        if (!chunk.empty()) {
            const auto ec = co_await write_all(backend.stream(), chunk);
            if (ec) {
                co_return false;
            }
        }
        large_.release(); // the complete messages went to the backend
        if (finished) {
            co_return true;
        }
        if (!large_.hold(in_.view().size())) { // (a CopyData message of many MiB)
            // The server fails the COPY with this reason (its error goes to the client); the
            // session then ends: what the client goes on sending cannot be framed.
            unframable_ = true;
            ppg::ByteBuffer fail;
            ppg::encode(fail, ppg::CopyFail{large_.refusal("a message of more than " +
                                                           std::to_string(in_.view().size()) +
                                                           " bytes during COPY")});
            const auto error = co_await write_all(backend.stream(), fail);
            co_return !error;
        }
        if (co_await read_more(socket_, in_)) {
            client_gone_ = true;
            ppg::ByteBuffer fail;
            ppg::encode(fail, ppg::CopyFail{"client disconnected during COPY"});
            const auto error = co_await write_all(backend.stream(), fail);
            co_return !error;
        }
    }
}

} // namespace shardgate::proxy::pg
