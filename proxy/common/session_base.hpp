// The members every client session has, whatever its protocol: its worker, the client's byte
// stream and read buffer, its state, the engine-neutral session core and the backend it
// holds (pinned) between statements. Each plane's ClientSession derives from it.
#pragma once

#include "common/large_message.hpp"
#include "common/session_core.hpp"
#include "shardgate/proxy/client_limit.hpp"
#include "shardgate/proxy/net/stream.hpp"
#include "shardgate/proxy/net/wire_io.hpp"
#include "shardgate/proxy/owned_rows.hpp"
#include "shardgate/proxy/write_pause.hpp"

#include <algorithm>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <spdlog/spdlog.h>
#include <string>

namespace shardgate::proxy {

/// `Worker` is the plane's worker (stats(), read_router(), io()); `Backend` its
/// BackendConnection.
template <class Worker, class Backend> class SessionBase : public TrackedSession {
public:
    using State = SessionState;

    SessionBase(Worker& worker, tcp::socket socket)
        : worker_(worker), socket_(std::move(socket)), connected_(std::chrono::system_clock::now()),
          admission_(worker.context().registry.client_limit().admit()),
          large_(worker.context().registry.client_buffers()),
          core_(worker.stats(), worker.read_router()) {
        core_.set_digests(&worker.digests());
        core_.set_slow_log(worker.slow_statement_ms(), this);
        error_code ec;
        const auto peer = socket_.socket().remote_endpoint(ec);
        if (!ec) {
            address_ = peer.address().to_string();
            address_ += ':';
            address_ += std::to_string(peer.port());
        }
    }

    State state() const override { return state_; }
    ClientRow describe() const override {
        ClientRow row;
        row.address = address_;
        row.tls = socket_.tls();
        row.connected_unix_ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(connected_.time_since_epoch())
                .count();
        row.state = to_string(state_);
        row.database = core_.database_name();
        switch (core_.txn()) {
        case Txn::none:
            row.transaction = "none";
            break;
        case Txn::deferred:
            row.transaction = "deferred";
            break;
        case Txn::active:
            row.transaction = "active";
            break;
        }
        for (const auto shard : core_.txn_shards()) {
            row.shards.push_back(core_.shard_name(shard));
        }
        row.txn_id = core_.known_txn_id();
        describe_plane(row);
        return row;
    }
    /// Closes the client's socket and the backend it holds (worker shutdown).
    void close() override {
        socket_.close();
        if (pinned_) {
            pinned_->close();
        }
    }

protected:
    /// The plane's part of describe(): protocol, id, user, admin (and the database name when
    /// the plane keeps its own).
    virtual void describe_plane(ClientRow& row) const = 0;

    /// Closes the client's connection unless its login (TLS, startup, authentication) ends
    /// within `ms` (0: no limit): a client that connects and then says nothing, or one byte a
    /// second, does not hold a connection for ever. Keep the returned timer until the login
    /// ended; dropping it cancels the deadline. `self` keeps the check safe if the session is
    /// gone first.
    template <class Self>
    std::unique_ptr<asio::steady_timer> login_deadline(unsigned ms, std::weak_ptr<Self> self) {
        if (admission_.admission() == ClientLimit::Admission::refused) {
            // a client being refused holds one of few places: it is closed soon either way
            ms = ms == 0 ? client_refusal_timeout_ms : std::min(ms, client_refusal_timeout_ms);
        }
        if (ms == 0) {
            return nullptr;
        }
        auto timer =
            std::make_unique<asio::steady_timer>(worker_.io(), std::chrono::milliseconds(ms));
        timer->async_wait([this, self = std::move(self)](const boost::system::error_code& ec) {
            if (!ec && !self.expired()) {
                ++worker_.stats().login_timeouts;
                socket_.close();
            }
        });
        return timer;
    }

    /// The text of the "too many connections" error for a client past max_client_connections;
    /// the refusals are logged once per 10 s, not per client.
    std::string refusal_message(std::string_view words) {
        auto& limit = worker_.context().registry.client_limit();
        std::string message = std::string(words) + " (shardgate max_client_connections " +
                              std::to_string(limit.max()) + ")";
        if (limit.time_to_log(std::chrono::seconds(10))) {
            spdlog::warn("{}: {} clients refused and {} closed at once since start", message,
                         limit.refused(), limit.dropped());
        }
        return message;
    }

    /// Outside a transaction the session follows the running map: `db` (the plane's database
    /// pointer, for logical database `database`) and the epoch its statements are planned
    /// under. Inside one it finishes under the map it began with. Cheap when nothing changed.
    template <class Registry>
    void follow_map(const Registry& registry, const std::string& database,
                    const shardmaps::Database*& db) {
        if (core_.txn() == Txn::none) {
            txn_began_.reset();
        } else if (!txn_began_) {
            txn_began_ = std::chrono::steady_clock::now(); // its first statement after BEGIN
        }
        const auto running = registry.map_epoch();
        if (running == epoch_ || core_.txn() != Txn::none) {
            return;
        }
        const auto map = registry.map_of(running);
        if (const auto* now = map->find_database(database); now != nullptr && db != nullptr) {
            db = now;
            core_.follow(now);
        }
        epoch_ = map->epoch();
    }

    /// A copy of what is sent to the client from now on (the answer to store in the result
    /// cache), up to `limit` bytes (past it the copy is dropped: nothing stored).
    void start_capture(ResultCache::Ticket ticket, std::size_t limit) {
        cache_ticket_ = std::move(ticket);
        capture_.emplace();
        capture_limit_ = limit;
    }
    /// Called by the plane's flush() with the bytes it sends.
    void captured(std::span<const std::byte> bytes) {
        if (!capture_) {
            return;
        }
        if (capture_->size() + bytes.size() > capture_limit_) {
            capture_.reset();
            return;
        }
        capture_->append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    }
    /// The request ended: the captured answer, if complete and successful, for its ticket
    /// (`trim`: bytes to drop from its end, e.g. PostgreSQL's ReadyForQuery); capture stops.
    template <class Registry, class Accept>
    void finish_capture(const Registry& registry, Accept&& accept) {
        if (!cache_ticket_) {
            return;
        }
        auto ticket = std::move(*cache_ticket_);
        cache_ticket_.reset();
        if (!capture_) {
            return;
        }
        std::string bytes = std::move(*capture_);
        capture_.reset();
        if (!core_.request_failed() && accept(bytes)) {
            registry.cache().store(ticket, std::move(bytes));
        }
    }
    /// A stored answer for the client.
    template <class Buffer> static void append_answer(Buffer& out, const std::string& answer) {
        const auto* data = reinterpret_cast<const std::byte*>(answer.data());
        out.insert(out.end(), data, data + answer.size());
    }

    /// A write of `plan` (or DDL run on every shard) makes its tables busy in the result cache
    /// until it has been answered (a write that names no table: the whole database).
    template <class Registry>
    void note_cache_writes(const Registry& registry, const router::Plan& plan) {
        auto& cache = registry.cache();
        if (plan.kind == router::PlanKind::reject) {
            return;
        }
        // With the cache off here, writes still matter to other proxies' caches (etcd) for a
        // database whose map sets result_cache.
        const auto* db = core_.database();
        if (!cache.enabled() &&
            (db == nullptr || db->settings().result_cache.empty() || !cache.sharing())) {
            return;
        }
        // What may write without saying which table (EXECUTE of a prepared statement, COPY,
        // CALL, DO, ...): the whole database.
        const bool opaque =
            !plan.is_write &&
            (plan.verb == router::Verb::execute || plan.verb == router::Verb::copy ||
             (plan.verb == router::Verb::other && plan.statement != parser::StatementKind::select));
        if (!plan.is_write && plan.kind != router::PlanKind::broadcast && !opaque) {
            return;
        }
        if (plan.tables.empty() || opaque) {
            core_.hold_written(cache, cache_table(plan.database, "*"));
        }
        for (const auto& table : plan.tables) {
            core_.hold_written(cache, cache_table(plan.database, table));
        }
    }

    /// A read-only statement that asked for the result cache (cache_ttl_ms) and may use it:
    /// one statement alone in its request, outside a transaction, deterministic. Its ticket
    /// (`context`: what else decides the bytes of the answer: user, settings, capabilities).
    template <class Registry>
    std::optional<ResultCache::Ticket> cache_ticket(const Registry& registry,
                                                    const router::Plan& plan, std::string_view sql,
                                                    std::string_view context) const {
        const auto& cache = registry.cache();
        if (!cache.enabled() || !plan.cache_ttl_ms || plan.is_write ||
            plan.statement != parser::StatementKind::select ||
            (plan.kind != router::PlanKind::route && plan.kind != router::PlanKind::scatter) ||
            core_.txn() != Txn::none || nondeterministic_sql(sql)) {
            return std::nullopt;
        }
        ResultCache::Ticket ticket;
        ticket.ttl = std::chrono::milliseconds(*plan.cache_ttl_ms);
        ticket.key.reserve(context.size() + sql.size() + plan.database.size() + 2);
        ticket.key.append(plan.database).append(1, '\0').append(context).append(1, '\0');
        ticket.key.append(sql);
        ticket.tables.push_back(cache_table(plan.database, "*"));
        for (const auto& table : plan.tables) {
            ticket.tables.push_back(cache_table(plan.database, table));
        }
        return ticket;
    }

    /// A cross-shard read of a MariaDB table in mid-move: per shard of `plan` the filter its
    /// statement carries to hide the rows the shard holds without owning them (owned_rows.hpp; an
    /// empty vector when no table of the plan is moving), decided under the map the plan was
    /// made with. The refusal (55000) when no filter can be made, or when `sql` has an
    /// executable comment (`/*! ... */`, `/*M! ... */`: the server runs what the planner
    /// skipped, so the condition's place is not known).
    template <class Registry>
    Refusable<std::vector<router::OwnershipFilter>>
    owned_rows_filters(const Registry& registry, const router::Plan& plan, std::string_view sql,
                       parser::LexMode mode) {
        const auto split = registry.split_tables();
        if (!split || !split->contains(plan.database)) {
            return std::vector<router::OwnershipFilter>{};
        }
        std::string why;
        auto filters = owned_rows(*split, *registry.map_of(epoch_), plan, sql, mode, why);
        if (filters && !filters->empty() &&
            (sql.find("/*!") != std::string_view::npos ||
             sql.find("/*M!") != std::string_view::npos)) {
            filters.reset();
            why = "cross-shard reads of a table a resharding workflow moves part of are refused "
                  "when the statement has an executable comment (/*! ... */); read by shard key "
                  "or without the comment meanwhile";
        }
        if (!filters) {
            ++worker_.stats().rejected_cross_shard;
            return Refusal{"55000", std::move(why)};
        }
        return std::move(*filters);
    }

    /// Before `plan` runs: the rate limits of `user` and the plan's database and
    /// fingerprint, and for a cross-shard read a slot of its database and shards (held until the
    /// request is answered). Waits up to rate_limits.max_wait_ms for a token or a slot; past it,
    /// the refusal (53400) for the client.
    template <class Registry>
    asio::awaitable<std::optional<Refusal>>
    admit(const Registry& registry, const router::Plan& plan, const std::string& user) {
        note_cache_writes(registry, plan);
        auto& limits = registry.limits();
        // Transaction control and settings are never refused (a refused COMMIT would leave
        // the transaction to be rolled back).
        if (!limits.enabled() || plan.kind == router::PlanKind::reject ||
            plan.statement == parser::StatementKind::transaction ||
            router::changes_settings(plan.verb)) {
            co_return std::nullopt;
        }
        auto& stats = worker_.stats();
        const auto digest = plan.fingerprint.empty() ? 0 : statement_digest(plan);
        const auto admission = limits.take(user, plan.database, digest);
        if (admission.refusal) {
            ++stats.rate_limit_refusals;
            co_return Refusal{"53400", *admission.refusal};
        }
        if (admission.wait.count() > 0) {
            ++stats.rate_limit_waits;
            asio::steady_timer timer(worker_.io(), admission.wait);
            co_await timer.async_wait(asio::use_awaitable);
        }
        if (plan.kind != router::PlanKind::scatter || core_.holds_scatter()) {
            co_return std::nullopt;
        }
        const auto deadline = std::chrono::steady_clock::now() + limits.max_wait();
        bool waited = false;
        for (;;) {
            std::string why;
            if (const auto key = limits.try_scatter(plan.database, plan.shard_names, why)) {
                if (*key != 0) {
                    core_.hold_scatter(limits, *key);
                }
                co_return std::nullopt;
            }
            if (std::chrono::steady_clock::now() >= deadline) {
                ++stats.scatter_limit_refusals;
                co_return Refusal{"53400", why};
            }
            if (!waited) {
                ++stats.scatter_limit_waits;
                waited = true;
            }
            asio::steady_timer timer(worker_.io(), std::chrono::milliseconds(2));
            co_await timer.async_wait(asio::use_awaitable);
        }
    }

    /// Before a write of `plan`: waits while a write pause covers it (admin POST /pause, a
    /// cutover). The error for the client (retryable: 40001) when its transaction wrote in the
    /// scope before the pause and did not finish within the pause's drain time; when the pause
    /// fences writes and the wait outlasted its limit; or when, inside a transaction, the map
    /// changed during the wait. Outside one, a write whose map changed (while it waited, or
    /// since it was planned) follows the new map: `plan` is routed again by `route()` and
    /// checked again. A write that goes on is recorded as a writer in the same step
    /// (WritePauses::enter), so a pause that starts later waits for it.
    template <class Registry, class Route>
    asio::awaitable<std::optional<std::string>>
    pause_gate(const Registry& registry, router::Plan& plan, const std::string& database,
               const shardmaps::Database*& db, Route&& route) {
        if (!plan.is_write || db == nullptr) {
            co_return std::nullopt;
        }
        auto& pauses = registry.pauses();
        const auto start = std::chrono::steady_clock::now();
        bool waited = false;
        for (;;) {
            const bool in_txn = core_.txn() != Txn::none;
            const auto check =
                core_.enter_write(plan, in_txn ? txn_began_.value_or(start) : start, in_txn);
            if (check.verdict == PauseVerdict::go) {
                if (registry.map_epoch() == epoch_ || (in_txn && !waited)) {
                    break; // a transaction finishes under the map it began with
                }
                if (in_txn) {
                    co_return std::string("the shard map changed while this write waited (a "
                                          "cutover moved its data): roll back and retry");
                }
                follow_map(registry, database, db);
                plan = route(); // planned again under the new map, then checked again
                if (!plan.is_write || db == nullptr) {
                    break;
                }
                continue;
            }
            if (check.verdict == PauseVerdict::drain_error) {
                pauses.drain_failed();
                co_return std::string(
                    "writes to this data are paused (a cutover) and this transaction, open "
                    "when the pause began, did not finish within its drain time: roll back and "
                    "retry");
            }
            if (check.max_wait && std::chrono::steady_clock::now() - start >= *check.max_wait) {
                pauses.drain_failed();
                co_return std::string(
                    "writes to this data are paused by a cutover whose outcome this proxy has "
                    "not learned (its map store is unreachable): not written; retry");
            }
            waited = true;
            asio::steady_timer timer(co_await asio::this_coro::executor,
                                     std::chrono::milliseconds(2));
            co_await timer.async_wait(asio::use_awaitable);
        }
        if (waited) {
            pauses.waited(std::chrono::duration_cast<std::chrono::microseconds>(
                std::chrono::steady_clock::now() - start));
        }
        co_return std::nullopt;
    }

    Worker& worker_;
    /// The map epoch this session's statements are planned under (0 before the first).
    std::uint64_t epoch_ = 0;
    /// When the open transaction began (its first statement after BEGIN), for write pauses.
    std::optional<std::chrono::steady_clock::time_point> txn_began_;
    net::Stream socket_; ///< plain TCP, or TLS after the protocol's SSLRequest
    std::chrono::system_clock::time_point connected_;
    /// While a shard's answer is captured for a cross-shard read inside a transaction
    /// (capture_leg): the bytes it may hold. Past them the plane's flush() drops what the
    /// answer holds (it is still read to its end, the connection stays usable) and sets `over`.
    struct AnswerBudget {
        std::size_t limit = SIZE_MAX;
        bool over = false;
    };
    AnswerBudget answer_budget_;
    /// A captured answer may hold `limit` bytes from now on.
    void capture_within(std::size_t limit) { answer_budget_ = {limit, false}; }
    /// The captured answer of `size` bytes ended: whether it was over its budget (the budget
    /// is lifted).
    bool capture_over_budget(std::size_t size) {
        const bool over = answer_budget_.over || size > answer_budget_.limit;
        answer_budget_ = {};
        return over;
    }
    /// flush() while capturing: keeps `out` within answer_budget_.
    template <class Buffer> void keep_within_budget(Buffer& out) {
        if (out.size() > answer_budget_.limit) {
            answer_budget_.over = true;
            out.clear();
        }
    }

    /// This client's place under max_client_connections (refused or dropped past it).
    ClientLimit::Ticket admission_;
    std::string address_;                             ///< the client's host:port
    std::optional<ResultCache::Ticket> cache_ticket_; ///< the request's cacheable statement
    std::optional<std::string> capture_;              ///< its answer so far
    std::size_t capture_limit_ = 0;
    ReadBuffer in_;
    /// The budget held for a large client message in `in_`.
    LargeMessage large_;
    State state_ = State::handshake;
    /// Target selection, transaction and pin, read routing (engine-neutral).
    SessionCore core_;
    /// The backend this client holds: in a transaction, for session state, until a Sync.
    std::shared_ptr<Backend> pinned_;
    bool client_gone_ = false;
    /// The client is in the middle of a message the session gave up reading (past
    /// client_max_buffered_bytes_total): once the statement is answered, the session ends.
    bool unframable_ = false;
};

} // namespace shardgate::proxy
