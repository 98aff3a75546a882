// The engine-neutral core of one client session: where a statement runs (a target from the
// planner's plan), the client's transaction and the shard and backend it is pinned to, read
// routing with read-your-writes, and the retry-once policy. Each data plane keeps one per
// session and turns a Refusal into its own error (ErrorResponse, ERR packet); framing,
// login, statement forms and response tracking stay in the plane (docs/architecture.md).
#pragma once

#include "common/session_stats.hpp"
#include "shardgate/proxy/net/wire_io.hpp"
#include "shardgate/proxy/query_digests.hpp"
#include "shardgate/proxy/read_freshness.hpp"
#include "shardgate/proxy/read_router.hpp"
#include "shardgate/proxy/status_report.hpp"
#include "shardgate/result.hpp"
#include "shardgate/router/plan.hpp"
#include "shardgate/shardmaps/database.hpp"

#include <algorithm>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace shardgate::proxy {

/// Where a statement (or the statements sent together) runs: one shard, its primary or a
/// replica chosen by the read router.
struct Target {
    shardmaps::ShardId shard = 0;
    bool primary = true;
    bool write = false;                                     ///< changes data (read-your-writes)
    std::optional<std::uint32_t> max_lag_ms = std::nullopt; ///< hint max_lag_ms=N
    std::optional<std::uint64_t> key_hash = std::nullopt;   ///< Plan::key_hash (hash balancing)
};

/// Why shardgate refuses a statement: an SQLSTATE and a message for people. The session
/// survives a refusal; the plane answers with its protocol's error and reads on.
struct Refusal {
    std::string sqlstate;
    std::string message;
};

/// A value, or the refusal that replaces it.
template <class T> using Refusable = Result<T, Refusal>;

/// The step a client session is in (both planes; counted per state in admin /status):
/// handshake (TLS, startup or greeting), authenticating, idle (waiting for the client),
/// routing (planning a statement), waiting_backend (for a pooled connection), forwarding
/// (a backend's answer to the client), closed.
enum class SessionState {
    handshake,
    authenticating,
    idle,
    routing,
    waiting_backend,
    forwarding,
    closed
};
inline constexpr SessionState all_session_states[] = {
    SessionState::handshake, SessionState::authenticating,  SessionState::idle,
    SessionState::routing,   SessionState::waiting_backend, SessionState::forwarding,
    SessionState::closed};
const char* to_string(SessionState state);

/// What a worker needs of its client sessions.
class TrackedSession {
public:
    virtual ~TrackedSession() = default;
    /// Closes the client socket and any backend the session holds (worker shutdown).
    virtual void close() = 0;
    virtual SessionState state() const = 0;
    /// The session as the admin console lists it.
    virtual ClientRow describe() const = 0;
};

/// Starts a client session: TCP_NODELAY on its socket, then its run() coroutine on `io`
/// (the coroutine holds the session alive until it returns).
template <class Session>
void spawn_session(asio::io_context& io, tcp::socket& socket, std::shared_ptr<Session> session) {
    error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    asio::co_spawn(
        io, [session = std::move(session)] { return session->run(); }, asio::detached);
}

/// The key of a statement's digest and rate-limit bucket: its fingerprint in its database.
std::uint64_t statement_digest(const router::Plan& plan);

/// The client's transaction: none, BEGIN received but no shard picked yet (deferred: it
/// starts on the primary of the first shard a statement needs), or running there (active).
enum class Txn { none, deferred, active };

class SessionCore {
public:
    SessionCore(SessionStats& stats, ReadRouter& router)
        : stats_(stats), router_(router), pauses_(router.registry().pauses()) {}
    ~SessionCore() {
        writer_done();
        release_scatter();
        release_written();
    }
    SessionCore(const SessionCore&) = delete;
    SessionCore& operator=(const SessionCore&) = delete;

    /// The logical database the session uses (after login, USE, COM_CHANGE_USER).
    void use(const shardmaps::Database* database, std::string name);
    const shardmaps::Database* database() const { return db_; }
    /// The same database in a newer map of the same topology (a live reload): read-your-writes
    /// marks stay (they are per shard, and shards did not change).
    void follow(const shardmaps::Database* database) { db_ = database; }
    const std::string& database_name() const { return database_; }
    const std::string& shard_name(shardmaps::ShardId shard) const;

    // --- plans to targets ---
    /// A single-shard route's target (`primary` also forces the primary: a transaction, an
    /// open MySQL autocommit=0 session). Rejections and plans that need several shards are
    /// refused and counted.
    Refusable<Target> target_for(const router::Plan& plan, bool primary);
    /// One target for statements sent together (a multi-statement Query, an extended-protocol
    /// batch): all on one shard, primary if any needs it; else refused.
    Refusable<Target> merge(const std::vector<Target>& targets);
    /// One target (the primary) per shard of a broadcast DDL statement (`CREATE INDEX` on a
    /// sharded table, ...), run shard after shard; refused inside a transaction and for writes
    /// that need every shard atomically (reference-table rows: two-phase commit, not yet).
    Refusable<std::vector<Target>> broadcast_targets(const router::Plan& plan);
    /// The targets of a cross-shard read (one per shard of a scatter plan), or why it cannot
    /// run as one: not a read, or inside a transaction unless `in_transaction` (the plane
    /// then runs it on the transaction's connections, primaries, one shard after the other).
    Refusable<std::vector<Target>> scatter_targets(const router::Plan& plan,
                                                   bool in_transaction = false);
    /// Whether a statement of an open transaction may run on `shard` when the transaction
    /// runs elsewhere: it joins the distributed transaction (committed with two-phase commit)
    /// unless the database sets `cross_shard_transactions: reject`, the transaction used a
    /// savepoint (a ROLLBACK TO would undo one shard only), or a shard's name cannot be part
    /// of a prepared transaction's id.
    std::optional<Refusal> second_shard(shardmaps::ShardId shard);

    // --- transaction and pin ---
    Txn txn() const { return txn_; }
    /// BEGIN seen: the backend transaction starts with the first statement, with `sql`.
    void begin(std::string sql);
    const std::string& begin_sql() const { return begin_sql_; }
    /// The backend reported an open transaction.
    void transaction_started() {
        txn_ = Txn::active;
        joined_pinned();
    }
    /// The transaction state the server reports (MySQL's status flags), or a deferred BEGIN
    /// taken back before it reached any backend.
    void set_transaction(Txn txn) {
        if (txn == Txn::none) {
            end_transaction();
        } else {
            txn_ = txn;
            if (txn == Txn::active) {
                joined_pinned();
            }
        }
    }
    /// The transaction ended (COMMIT, ROLLBACK, an error that ended it, a lost backend).
    void end_transaction();
    /// A write of `plan` asks the write pauses (WritePauses::enter); when it may go, the open
    /// transaction, or this autocommit statement, is a writer of its tables until it ends, so a
    /// pause knows when it is drained. `began`: when the transaction (or statement) began.
    PauseCheck enter_write(const router::Plan& plan, std::chrono::steady_clock::time_point began,
                           bool in_transaction);
    /// The session waits for its client: outside a transaction, its writes are done.
    void between_statements() {
        if (txn_ == Txn::none) {
            writer_done();
        }
    }
    /// The running transaction wrote on its primary (or `target` does now).
    bool wrote() const { return txn_wrote_; }
    void ran(const Target& target) { txn_wrote_ = txn_wrote_ || (target.write && target.primary); }
    /// The shards the open transaction reached, in order; the first coordinates its commit.
    const std::vector<shardmaps::ShardId>& txn_shards() const { return txn_shards_; }
    /// The transaction runs on several shards (COMMIT is two-phase).
    bool distributed() const { return txn_shards_.size() > 1; }
    /// The open transaction's distributed id (made when a second shard joins).
    const std::string& txn_id();
    /// The distributed id if one was made (empty otherwise).
    const std::string& known_txn_id() const { return txn_id_; }
    /// The transaction set a savepoint: it cannot reach another shard any more.
    void savepoint_set() { savepoint_ = txn_ != Txn::none; }
    std::optional<shardmaps::ShardId> pinned_shard() const { return pinned_shard_; }
    std::optional<BackendIndex> pinned_backend() const { return pinned_backend_; }
    /// The session holds a backend of `shard` (registry index `backend`).
    void pin(shardmaps::ShardId shard, BackendIndex backend);
    void unpin();

    // --- read routing ---
    /// The backend for `target`: a write, or any statement once a transaction starts, goes to
    /// the primary; a read to a replica fresh enough for this session (read-your-writes),
    /// waiting briefly for one on the first attempt. `failed`: backends that already failed
    /// this statement. Counts where it went.
    boost::asio::awaitable<RouteChoice> choose(const Target& target,
                                               std::span<const BackendIndex> failed);
    /// The session's write on `shard` ended (committed) at `mark`: later reads of this
    /// session (and, in proxy mode, of every session) see it.
    void committed(shardmaps::ShardId shard, WriteMark mark);
    /// Whether a read may run once more on another backend after its backend failed before
    /// any byte of the answer reached the client: reads outside a transaction only.
    bool may_retry(const Target& target) const { return !target.primary && txn_ == Txn::none; }
    /// The backend `backend` failed: the router suspects it for a while.
    void backend_failed(BackendIndex backend) { router_.failed(backend); }

    SessionStats& stats() { return stats_; }

    // --- query digests ---
    /// The worker's digest table (null: none). Statement latencies go to the stats' histograms
    /// either way.
    void set_digests(DigestTable* digests) { digests_ = digests; }
    /// Statements slower than `ms` (0: none) are logged with `owner`'s description.
    void set_slow_log(unsigned ms, const TrackedSession* owner) {
        slow_us_ = std::uint64_t{ms} * 1000;
        owner_ = owner;
    }
    /// A statement of the client's current request was planned (once per statement the
    /// client sent, run or refused): its latency runs from now to digest_ended().
    void digest_began(const router::Plan& plan);
    /// Statements planned so far in this session (digest_began counts them): the number of
    /// the current one.
    std::uint64_t statements() const { return statements_; }
    /// Rows the current request returned or changed, and that it failed (an error reached the
    /// client).
    void digest_rows(std::uint64_t rows) { digest_rows_ += rows; }
    /// The rows counted so far, and going back to such a count: a cross-shard read inside a
    /// transaction counts its merged rows, not each shard statement's (which execute() counted).
    std::uint64_t digest_rows_counted() const { return digest_rows_; }
    void digest_rows_restore(std::uint64_t counted) { digest_rows_ = counted; }
    void digest_error() { digest_failed_ = true; }
    /// The client's request (Query, Sync, command) was answered: every statement noted since
    /// gets its latency; the request's rows and failure go to its last statement. Outside a
    /// transaction its writes are done (`committed`; not after a PostgreSQL Flush, whose
    /// implicit transaction is still open).
    void digest_ended(bool committed = true);
    /// A cross-shard slot of `limits` (RateLimiter::try_scatter) held until the request ends.
    void hold_scatter(RateLimiter& limits, std::uint64_t key) {
        release_scatter();
        scatter_limits_ = &limits;
        scatter_slot_ = key;
    }
    bool holds_scatter() const { return scatter_slot_ != 0; }
    /// The session writes `table` (database-qualified) of `cache`: busy there until the
    /// request, or the transaction, has been answered.
    void hold_written(ResultCache& cache, const std::string& table) {
        cache.write_began(table);
        written_cache_ = &cache;
        written_.push_back(table);
    }
    /// currval() / lastval() / PREVIOUS VALUE FOR read what the session's last nextval() left
    /// on a backend connection. Between requests outside a transaction that connection went
    /// back to the pool (another client's value, or none, would come back): allowed only in
    /// the request (an earlier statement of it) or the transaction that wrote (may have
    /// advanced a sequence) on the connection that answers it, or when the session keeps its
    /// connections (`connections_kept`: session pooling). Call after digest_began(plan).
    std::optional<Refusal> sequence_state_refusal(const router::Plan& plan,
                                                  bool connections_kept) const {
        return sequence_state_refusal(plan.reads_sequence_state, plan.advances_sequence,
                                      connections_kept);
    }
    /// The same for a statement the planner does not read (MySQL's SET @v = LASTVAL(s)):
    /// `reads` / `advances` a sequence's session value.
    std::optional<Refusal> sequence_state_refusal(bool reads, bool advances,
                                                  bool connections_kept) const;
    /// Whether the current request failed (an error reached the client).
    bool request_failed() const { return digest_failed_; }
    void release_scatter() {
        if (scatter_slot_ != 0) {
            scatter_limits_->release(scatter_slot_);
            scatter_slot_ = 0;
        }
    }

private:
    /// One target per shard of `plan`, each like `each`; refused when the plan is not one
    /// the caller runs (`runs`, an internal error naming `what`) or inside a transaction
    /// unless `in_transaction`.
    Refusable<std::vector<Target>> every_shard(const router::Plan& plan, bool runs,
                                               std::string_view what, std::string_view subject,
                                               const Target& each, bool in_transaction = false);
    void writer_done();
    /// A transaction that starts on a connection the session already held (session state):
    /// that shard is its first (pin() records it only when the transaction came first).
    void joined_pinned() {
        if (pinned_shard_ && std::find(txn_shards_.begin(), txn_shards_.end(), *pinned_shard_) ==
                                 txn_shards_.end()) {
            txn_shards_.push_back(*pinned_shard_);
        }
    }

    SessionStats& stats_;
    ReadRouter& router_;
    WritePauses& pauses_;      ///< the process's (outlives every session)
    std::uint64_t writer_ = 0; ///< WritePauses token of the open writer, 0: none
    const shardmaps::Database* db_ = nullptr;
    std::string database_;
    Txn txn_ = Txn::none;
    std::string begin_sql_;
    bool txn_wrote_ = false;
    std::optional<shardmaps::ShardId> pinned_shard_;
    std::optional<BackendIndex> pinned_backend_;
    std::vector<shardmaps::ShardId> txn_shards_;
    std::string txn_id_;
    bool savepoint_ = false;
    ReadFreshness freshness_;
    struct PendingDigest {
        std::optional<std::uint32_t> slot; ///< in the digest table (none: digests off)
        std::uint64_t hash = 0;
        std::chrono::steady_clock::time_point began;
        router::PlanKind kind = router::PlanKind::route;
    };
    DigestTable* digests_ = nullptr;
    std::vector<PendingDigest> pending_digests_;
    std::uint64_t digest_rows_ = 0;
    bool digest_failed_ = false;
    bool request_wrote_ = false; ///< a statement of the current request is a write
    bool wrote_before_ = false;  ///< ... one before the current statement
    std::uint64_t statements_ = 0;
    std::uint64_t slow_us_ = 0;
    RateLimiter* scatter_limits_ = nullptr;
    ResultCache* written_cache_ = nullptr;
    std::vector<std::string> written_;
    void release_written() {
        for (const auto& table : written_) {
            written_cache_->write_ended(table);
        }
        written_.clear();
    }
    std::uint64_t scatter_slot_ = 0;
    const TrackedSession* owner_ = nullptr;
    void log_slow(const PendingDigest& statement, std::uint64_t us, bool failed,
                  std::uint64_t rows) const;
};

} // namespace shardgate::proxy
