// Which backend connections a client holds between statements: none in transaction pooling
// (each one goes back to the pool at ReadyForQuery 'I'), or one per endpoint for the whole
// session in session pooling (`pool_mode: session` in the map), reset with DISCARD ALL when
// the client leaves.
#include "client_session.hpp"
#include "shardgate/protocol/pg/encoder.hpp"
#include "shardgate/protocol/pg/frame.hpp"
#include "worker.hpp"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace shardgate::proxy::pg {

namespace ppg = protocol::pg;

namespace {

/// Runs `sql` on an otherwise unused connection and waits for its ReadyForQuery; false when
/// the server failed it or the connection broke.
asio::awaitable<bool> run_reset(BackendConnection& connection, const std::string& sql) {
    ppg::ByteBuffer request;
    ppg::encode(request, ppg::Query{sql});
    if (co_await write_all(connection.stream(), request)) {
        co_return false;
    }
    bool ok = true;
    auto& in = connection.in();
    for (;;) {
        auto frame = ppg::next_frame(in.view());
        if (frame.is_error()) {
            co_return false;
        }
        if (frame.need_more()) {
            if (co_await read_more(connection.stream(), in)) {
                co_return false;
            }
            continue;
        }
        const char type = frame.value().type;
        in.consume(frame.consumed());
        ok = ok && type != ppg::PqMsg_ErrorResponse;
        if (type == ppg::PqMsg_ReadyForQuery) {
            co_return ok;
        }
    }
}

} // namespace

std::optional<std::string> ClientSession::listen_refusal(router::Verb verb) const {
    if ((verb != router::Verb::listen && verb != router::Verb::unlisten) || session_pooling()) {
        return std::nullopt;
    }
    // In transaction pooling the backend that registered the listener goes back to the
    // pool after the statement: the client would never see its notifications (and another
    // client could get them). NOTIFY works in both modes.
    return std::string("LISTEN needs a backend connection of its own: set pool_mode: session "
                       "for this database (transaction pooling shares backend connections)");
}

std::optional<std::string> ClientSession::session_state_refusal(const router::Plan& plan) const {
    if (plan.session_state.empty() || session_pooling()) {
        return std::nullopt;
    }
    // The connection goes back to the pool after the transaction: the next client would get
    // the table, the lock or the setting, and this one would lose it.
    ++worker_.stats().rejected_session_state;
    return fmt::format("not supported with transaction pooling: {} outlives the transaction on "
                       "its backend connection, which goes back to the pool for other clients; "
                       "set pool_mode: session for this database, or use the "
                       "transaction-scoped form (CREATE TEMP TABLE ... ON COMMIT DROP, "
                       "pg_advisory_xact_lock, SET LOCAL / set_config(..., true))",
                       plan.session_state);
}

bool ClientSession::session_pooling() const {
    return db_ != nullptr && db_->settings().pool_mode == shardmaps::PoolMode::session;
}

asio::awaitable<Acquired> ClientSession::acquire_backend(const BackendTarget& where) {
    if (session_pooling()) {
        const auto key = where.pool_key();
        const auto held = std::find_if(held_.begin(), held_.end(), [&](const auto& connection) {
            return connection->pool_key() == key;
        });
        if (held != held_.end()) {
            auto connection = *held;
            if (connection->state() != BackendConnection::State::broken) {
                co_return Acquired{std::move(connection), Acquired::Failure::none, {}};
            }
            // Cut while the client was idle (its server stopped answering): the statement
            // was not sent, and what the session kept there is gone; the next statement gets a
            // new connection.
            auto message = connection->lost_during_statement(where.shard, false) +
                           "; this session's state there (LISTEN, temporary tables, session "
                           "settings, prepared statements) is gone";
            return_backend(std::move(connection));
            session_state_lost_ = true;
            co_return Acquired{nullptr, Acquired::Failure::unavailable, std::move(message)};
        }
    }
    auto acquired = co_await worker_.pool().acquire(where);
    if (acquired.connection && session_pooling()) {
        held_.push_back(acquired.connection);
    }
    co_return acquired;
}

void ClientSession::return_backend(std::shared_ptr<BackendConnection> connection) {
    const bool broken =
        connection->state() == BackendConnection::State::broken || !connection->socket().is_open();
    if (session_pooling() && !broken) {
        return; // stays in held_ until the client leaves
    }
    std::erase(held_, connection);
    release_to_pool(std::move(connection));
}

namespace {

asio::awaitable<void> release_when_settled(BackendPool& pool,
                                           std::shared_ptr<BackendConnection> connection) {
    co_await connection->cancels_settled(); // (broken when a cancel was not confirmed)
    pool.release(std::move(connection));
}

} // namespace

void ClientSession::release_to_pool(std::shared_ptr<BackendConnection> connection) {
    if (!connection->cancel_unsettled()) {
        worker_.pool().release(std::move(connection));
        return;
    }
    asio::co_spawn(worker_.io(), release_when_settled(worker_.pool(), std::move(connection)),
                   asio::detached);
}

asio::awaitable<void> ClientSession::settle_cancels() {
    auto cancelled = std::move(cancelled_);
    cancelled_.clear();
    for (auto& connection : cancelled) {
        // One given back meanwhile is its pool's or another client's now: only waited for.
        const bool held = connection == pinned_ ||
                          std::find(held_.begin(), held_.end(), connection) != held_.end() ||
                          std::any_of(parked_.begin(), parked_.end(), [&](const auto& parked) {
                              return parked.connection == connection;
                          });
        if (held) {
            co_await connection->cancels_settled();
        } else {
            co_await connection->cancels_ended();
        }
    }
}

asio::awaitable<void> ClientSession::release_session_backends() {
    auto held = std::move(held_);
    held_.clear();
    for (auto& connection : held) {
        co_await connection->cancels_settled();
        if (connection->state() != BackendConnection::State::broken &&
            connection->socket().is_open()) {
            if (co_await run_reset(*connection, "DISCARD ALL")) {
                connection->prepared().clear();
                connection->applied_settings() = std::map<std::string, std::string>{};
            } else {
                spdlog::warn("client {}: DISCARD ALL failed on {}; connection dropped", process_id_,
                             connection->target().shard);
                connection->mark_broken();
            }
        }
        release_to_pool(std::move(connection));
    }
}

} // namespace shardgate::proxy::pg
