// Running a request on a backend: acquire (or reuse the pinned one), replay settings and a
// deferred BEGIN, forward responses frame by frame, relay COPY IN, release at 'I'.
#include "client_session.hpp"
#include "shardgate/protocol/pg/encoder.hpp"
#include "worker.hpp"

#include <spdlog/spdlog.h>

namespace shardgate::proxy::pg {

namespace ppg = protocol::pg;

asio::awaitable<std::shared_ptr<BackendConnection>>
ClientSession::backend_for(const Target& target, ppg::ByteBuffer& prefix, ResponseFilter& filter) {
    if (pinned_) {
        co_return pinned_;
    }
    const auto& shard = db_->shards()[target.shard];
    auto& stats = worker_.stats();
    BackendTarget where{shard.primary, shard.name, credentials_->backend_user,
                        credentials_->backend_password, database_};
    if (!target.primary && !shard.replicas.empty()) {
        where.endpoint =
            shard.replicas[worker_.next_round_robin() % shard.replicas.size()].endpoint;
        ++stats.routed_replica;
    } else {
        if (!target.primary) {
            ++stats.replica_fallback_to_primary;
        }
        ++stats.routed_primary;
    }
    state_ = State::waiting_backend;
    auto acquired = co_await acquire_backend(where);
    if (!acquired.connection) {
        send_error(acquired.sqlstate, acquired.message);
        if (txn_ == Txn::deferred) {
            end_transaction();
        }
        send_ready();
        co_return nullptr;
    }
    auto backend = std::move(acquired.connection);
    if (backend->applied_settings() != settings_.statements()) {
        ++stats.settings_replayed;
        ppg::encode(prefix, ppg::Query{settings_.replay_sql()});
        filter.expect(ResponseFilter::Expect::injected_query);
        backend->applied_settings() = settings_.statements();
    }
    if (txn_ == Txn::deferred) {
        ppg::encode(prefix, ppg::Query{begin_sql_});
        filter.expect(ResponseFilter::Expect::injected_query);
    }
    pinned_ = backend;
    pinned_shard_ = target.shard;
    co_return backend;
}

asio::awaitable<bool> ClientSession::execute(const Target& target, const RequestBuilder& build,
                                             bool touches_settings) {
    ppg::ByteBuffer request;
    ResponseFilter filter;
    last_exchange_failed_ = true;
    auto backend = co_await backend_for(target, request, filter);
    if (!backend) {
        co_return co_await flush();
    }
    ResponseFilter client_part;
    if (!build(*backend, request, client_part)) {
        co_return co_await flush();
    }
    filter.append(std::move(client_part));
    state_ = State::forwarding;
    running_ = backend;
    auto ec = co_await write_all(backend->socket(), request);
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
            filter.on_frame(frame.value(), out_);
            in.consume(frame.consumed());
            if (filter.done() || filter.copy_in()) {
                break;
            }
        }
        if (ec || filter.done()) {
            break;
        }
        co_await flush();
        if (filter.copy_in()) {
            filter.clear_copy_in();
            if (!co_await relay_copy_in(*backend)) {
                ec = asio::error::connection_aborted;
                break;
            }
            continue;
        }
        ec = co_await read_more(backend->socket(), in);
    }
    running_ = nullptr;
    if (ec) {
        ++worker_.stats().backend_dropped;
        spdlog::warn("client {}: lost backend {} ({}): {}", process_id_, backend->target().shard,
                     backend->target().endpoint.to_string(), ec.message());
        backend->mark_broken();
        release_backend();
        end_transaction();
        backend_status_ = 'I';
        send_error("08006", "lost the connection to shard " + backend->target().shard + " (" +
                                backend->target().endpoint.to_string() +
                                ") while running the statement; the transaction, if any, is "
                                "gone");
        send_ready();
        co_return co_await flush();
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
    const bool ok = co_await flush();
    finish_exchange(filter.status());
    co_return ok;
}

void ClientSession::finish_exchange(char status) {
    if (flushed_) { // Flush without Sync: no ReadyForQuery yet, the backend stays pinned
        state_ = State::idle;
        return;
    }
    backend_status_ = status;
    if (status == 'I') {
        end_transaction();
        release_backend();
    } else {
        txn_ = Txn::active;
    }
    state_ = State::idle;
}

void ClientSession::end_transaction() {
    txn_ = Txn::none;
    aborted_ = false;
}

asio::awaitable<std::optional<bool>>
ClientSession::on_aborted(const std::vector<std::string>& first_words, bool extended) {
    const std::string first = first_words.empty() ? "" : first_words[0];
    const std::string second = first_words.size() > 1 ? first_words[1] : "";
    const bool ends = first == "commit" || first == "end" || first == "abort" ||
                      (first == "rollback" && second != "to");
    if (!ends) {
        send_error("25P02", "current transaction is aborted, commands ignored until end of "
                            "transaction block");
        send_ready();
        co_return co_await flush();
    }
    if (pinned_) {
        const bool ok = co_await execute(
            Target{*pinned_shard_, true},
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
    pinned_shard_.reset();
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
        if (!chunk.empty() && co_await write_all(backend.socket(), chunk)) {
            co_return false;
        }
        if (finished) {
            co_return true;
        }
        if (co_await read_more(socket_, in_)) {
            client_gone_ = true;
            ppg::ByteBuffer fail;
            ppg::encode(fail, ppg::CopyFail{"client disconnected during COPY"});
            co_return !co_await write_all(backend.socket(), fail);
        }
    }
}

} // namespace shardgate::proxy::pg
