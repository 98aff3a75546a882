// One PostgreSQL client connection: startup and authentication, then the simple and
// extended query protocols routed through the planner to pooled backend connections.
// Lives on one worker thread; the coroutine in run() is the session's state machine and
// `state_` names the step it is in.
#pragma once

#include "backend_connection.hpp"
#include "backend_pool.hpp"
#include "common/distributed_txn.hpp"
#include "common/generated_ids.hpp"
#include "common/multi_write.hpp"
#include "common/scatter.hpp"
#include "common/session_base.hpp"
#include "common/session_core.hpp"
#include "response_filter.hpp"
#include "session_settings.hpp"
#include "shardgate/protocol/pg/frame.hpp"
#include "shardgate/protocol/pg/frontend_messages.hpp"
#include "shardgate/proxy/admin_console.hpp"
#include "shardgate/proxy/net/stream.hpp"
#include "shardgate/proxy/net/wire_io.hpp"
#include "shardgate/proxy/read_freshness.hpp"
#include "shardgate/proxy/read_router.hpp"
#include "shardgate/router/copy_split.hpp"
#include "shardgate/router/plan.hpp"
#include "shardgate/shardmaps/database.hpp"

#include <algorithm>
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace shardgate::proxy::pg {

class Worker;
struct UserCredentials;

/// What a client gets around the merged rows of a cross-shard read: the answers to its
/// messages before the RowDescription, whether it asked for one, the answers after
/// CommandComplete (simple Query: just the RowDescription).
struct ScatterAnswer {
    protocol::pg::ByteBuffer before_description{};
    bool describe = true;
    protocol::pg::ByteBuffer after_complete{};
};

/// A Bind's parameters as the planner reads them (text; binary integers converted; the rest
/// unknown from the first other binary one on).
std::vector<std::optional<std::string>> routing_params(const protocol::pg::Bind& bind,
                                                       std::span<const std::uint32_t> types = {});

/// A captured answer as the client would have seen it, read back from its bytes.
PieceAnswer read_piece_answer(const protocol::pg::ByteBuffer& captured);

/// One shard's COPY of a COPY FROM STDIN split per shard (copy.cpp).
struct ShardCopy;

/// An ErrorResponse's SQLSTATE and message.
ScatterFailure failure_of(const protocol::pg::Frame& frame);

/// Runs one Query on `backend` (idle, no client waiting on it) and reads its answer to the
/// ReadyForQuery; a lost connection is marked broken.
asio::awaitable<StepResult> run_query(BackendConnection& backend, std::string sql);

class ClientSession : public SessionBase<Worker, BackendConnection>,
                      public std::enable_shared_from_this<ClientSession> {
public:
    ClientSession(Worker& worker, tcp::socket socket);
    ~ClientSession() override;

    void start();
    std::int32_t secret() const { return secret_; }
    /// The backend running this client's statement right now (for CancelRequest).
    std::shared_ptr<BackendConnection> running_backend() const { return running_; }
    /// The backends running this client's cross-shard statement right now (each is in the list
    /// until its answer was read to the end and it went back to the pool).
    const std::vector<std::shared_ptr<BackendConnection>>& scatter_backends() const {
        return scatter_running_;
    }
    /// A CancelRequest went to `connection`'s server: this session's next statement waits
    /// until the server acted on it (BackendConnection::cancels_settled()).
    void cancel_forwarded(std::shared_ptr<BackendConnection> connection) {
        if (std::find(cancelled_.begin(), cancelled_.end(), connection) == cancelled_.end()) {
            cancelled_.push_back(std::move(connection));
        }
    }

private:
    /// A client prepared statement: SQL and parameter types, kept by name.
    struct Statement {
        std::string sql;
        std::vector<std::uint32_t> types;
        std::string server_name; ///< worker-wide name for sql+types, set on first use
    };
    /// How one attempt at running a request ended.
    enum class Attempt { done, client_gone, retry };
    /// One buffered extended-protocol message (until Sync).
    struct Pending {
        char type;
        std::size_t offset;
        std::size_t size;
    };

    template <class Session>
    friend void proxy::spawn_session(asio::io_context& io, tcp::socket& socket,
                                     std::shared_ptr<Session> session);
    asio::awaitable<void> run();
    // client_login.cpp
    asio::awaitable<bool> login();
    asio::awaitable<bool> authenticate(const UserCredentials& user);
    asio::awaitable<std::optional<protocol::pg::Frame>> read_auth_frame();
    void send_welcome();
    // admin_console.cpp
    /// The session is in the admin console (database `shardgate`): every Query goes there.
    asio::awaitable<void> serve_console();
    void render_console(const ConsoleAnswer& answer);
    void describe_plane(ClientRow& row) const override {
        row.protocol = "postgresql";
        row.id = static_cast<std::uint32_t>(process_id_);
        row.user = user_;
        row.admin = console_;
    }
    /// What shardgate answers to a session statement it handles itself.
    struct SessionAnswer {
        std::string tag;      ///< CommandComplete tag when ok
        std::string sqlstate; ///< set on error
        std::string message;
    };
    /// Builds the request for the backend once it is known (names depend on what it has
    /// prepared already).
    using RequestBuilder =
        std::function<bool(BackendConnection&, protocol::pg::ByteBuffer&, ResponseFilter&)>;

    // simple_query.cpp
    asio::awaitable<bool> on_query(const protocol::pg::Frame& frame);
    // scatter.cpp
    /// A cross-shard read (a scatter plan) run on every shard and merged; `query` is the
    /// client's Query message, sent to each shard unchanged.
    /// `sql` is the statement the plan was made from (rewritten for the shards when the merge
    /// needs it, e.g. an OFFSET), `query` the client's Query message.
    asio::awaitable<bool> on_scatter(const router::Plan& plan, std::string_view sql,
                                     protocol::pg::ByteView query);
    /// Why the buffered extended-protocol batch cannot run as a cross-shard read (it must be
    /// one Bind + Execute ended by Sync, Describe of the portal only), or nullopt.
    /// `rowless`: a write without RETURNING, whose Execute may carry any row limit.
    /// `leading`: Bind/Execute pairs of session statements answered by shardgate before it
    /// (pgjdbc sends BEGIN with a transaction's first statement).
    std::optional<std::string> extended_scatter_refusal(bool sync, bool rowless = false,
                                                        std::size_t leading = 0) const;
    /// The buffered batch (Parse/Bind/Describe portal/Execute/Close, Sync) as a cross-shard
    /// read of `sql` with parameter types `types`.
    asio::awaitable<bool> on_extended_scatter(const router::Plan& plan, const std::string& sql,
                                              const std::vector<std::uint32_t>& types,
                                              const std::vector<std::string>& leading);
    /// The answers to the buffered batch's own messages (Parse, Bind, Close) around the
    /// statement's rows; `on_bind` sees each Bind.
    /// `leading`: the tags of the session statements before it (their CommandCompletes).
    ScatterAnswer batch_answers(const std::function<void(protocol::pg::Bind)>& on_bind,
                                const std::vector<std::string>& leading);
    /// Sends `query` (one complete request ending in Sync) to every shard of `plan` and
    /// writes the merged answer, then ReadyForQuery.
    asio::awaitable<bool> run_scatter_legs(const router::Plan& plan, protocol::pg::ByteView query,
                                           ScatterAnswer answer);
    /// Outside a transaction: `query` sent to a pooled connection per target before any
    /// answer is read, the answers merged as they arrive.
    asio::awaitable<ScatterOutcome> run_pooled_legs(const router::Plan& plan,
                                                    protocol::pg::ByteView query,
                                                    const std::vector<Target>& targets,
                                                    ScatterSink& sink,
                                                    const ScatterSettings& settings);
    /// Inside a transaction: each shard's answer to `query` read whole through execute()
    /// (the shard joins the transaction), at most `budget` bytes of it.
    asio::awaitable<CapturedLeg> capture_leg(const Target& target, protocol::pg::ByteView query,
                                             std::size_t budget);
    /// A pooled connection for one shard of a cross-shard statement (`failed`: servers the
    /// statement already lost, not chosen again).
    asio::awaitable<ShardConnection<BackendConnection, BackendTarget>>
    shard_connection(const Target& target, std::vector<BackendIndex>& failed);
    /// DDL on a table of several shards (`CREATE INDEX ON customers (name)`): run on every
    /// shard's primary, shard after shard (common/broadcast), answered once.
    asio::awaitable<bool> on_broadcast(const router::Plan& plan, std::string_view sql);
    // multi_write.cpp: writes that need several shards (common/multi_write)
    /// Builds the request of one piece for execute().
    using PieceBuilder = std::function<RequestBuilder(const WritePiece&)>;
    /// A write of several shards sent as a simple Query (`sql` alone in it).
    asio::awaitable<bool> on_multi_write(const router::Plan& plan, std::string_view sql);
    /// DDL of a table on several shards inside a transaction: run in it on every shard.
    asio::awaitable<bool> on_ddl_in_transaction(const router::Plan& plan, std::string_view sql);
    /// The buffered batch (one Bind + Execute, Sync) as a write of several shards.
    asio::awaitable<bool> on_extended_multi_write(const router::Plan& plan, const std::string& sql,
                                                  const std::vector<std::uint32_t>& types,
                                                  const std::vector<std::string>& leading);
    /// The request of a piece sent as a simple Query.
    static RequestBuilder query_piece(const WritePiece& piece);
    /// The request of each piece of an extended-protocol write: the client's Bind (`client`,
    /// kept alive by the caller) with the parameters the piece uses.
    static PieceBuilder extended_piece_builder(const protocol::pg::Bind& client,
                                               const std::vector<std::uint32_t>& types);
    /// execute() with the answer kept from the client: whether the client is still there, and
    /// the answer's bytes.
    asio::awaitable<std::pair<bool, protocol::pg::ByteBuffer>>
    captured_execute(const Target& target, const RequestBuilder& build);
    /// Runs the pieces in the session's transaction, each joining it as needed.
    asio::awaitable<MultiWriteOutcome> run_pieces(const router::Plan& plan,
                                                  const std::vector<WritePiece>& pieces,
                                                  const PieceBuilder& build);
    /// Appends the statement's answer (around the client's other messages) to out_.
    void render_write(const MultiWriteOutcome& outcome, const ScatterAnswer& answer, bool extended);
    /// Ends a transaction shardgate opened for a statement or batch: two-phase commit on
    /// several shards, COMMIT / ROLLBACK on one. The answer's sqlstate is set on failure.
    asio::awaitable<SessionAnswer> end_own(bool commit);
    /// Before a statement shardgate runs in parts: nullopt (25P02 and ReadyForQuery queued)
    /// when the client's transaction is aborted; else whether the statement gets a transaction
    /// of its own (begun now).
    std::optional<bool> open_own();
    /// The end of a statement that ran in `own` transaction (or the client's): commit it, or
    /// roll it back after `failure` (saying so: "the `what` was rolled back on every shard"),
    /// or mark the client's transaction aborted. A failed commit becomes `failure`.
    asio::awaitable<void> finish_own(bool own, std::optional<ScatterFailure>& failure,
                                     std::string_view what);
    /// An UPDATE that moves rows to another shard (common/key_move), `sql` alone in its Query.
    asio::awaitable<bool> on_key_move(const router::Plan& plan, std::string_view sql);
    /// A batch (ended by Sync) whose statements need different shards: each statement's
    /// messages run as a batch of their own in one transaction (the client's, or one for the
    /// batch), answered together.
    asio::awaitable<bool> run_segments();
    /// Runs the pieces in the client's transaction or one of their own and answers: `answer`
    /// holds the answers to the client's other messages (extended protocol).
    asio::awaitable<bool> run_write_pieces(const router::Plan& plan,
                                           const std::vector<WritePiece>& pieces,
                                           const PieceBuilder& build, ScatterAnswer answer,
                                           bool extended);
    // copy.cpp: COPY FROM STDIN into a sharded table, rows cut per shard
    /// Why the COPY cannot be split (a message for a 0A000 error), or nullopt with its
    /// options in `spec` and the key's field number in `key_field`.
    /// `catalog`: the table's columns in order (for a COPY without a column list).
    std::optional<std::string> copy_in_refusal(const router::Plan& plan, std::string_view sql,
                                               const std::vector<std::string>& catalog,
                                               router::CopySpec& spec,
                                               std::size_t& key_field) const;
    /// The columns of `table` in order, read from `shard`'s catalog (empty when unknown).
    asio::awaitable<std::vector<std::string>> table_columns(shardmaps::ShardId shard,
                                                            const std::string& table);
    asio::awaitable<bool> on_copy_in(const router::Plan& plan, std::string_view sql);
    /// COPY ... TO STDOUT of several shards: their rows concatenated.
    asio::awaitable<bool> on_copy_out(const router::Plan& plan, std::string_view sql);
    /// The client's COPY data cut into the shards' COPYs (started), then every shard's COPY
    /// ended: the first failure, or nullopt.
    asio::awaitable<std::optional<ScatterFailure>>
    stream_copy_in(const router::CopySpec& spec, std::size_t key_field, bool text_key,
                   const shardmaps::Table& table, std::vector<ShardCopy>& copies,
                   const protocol::pg::ByteBuffer& response);
    // generated_keys.cpp: keys shardgate generates (common/generated_ids)
    /// Runs statements of shardgate's own (a counter, a catalog lookup) on `shard`'s primary,
    /// outside the client's transaction, on `held` (acquired at the first one;
    /// the caller returns it).
    RunCounter primary_runner(shardmaps::ShardId shard, std::shared_ptr<BackendConnection>& held);
    /// The INSERT of `plan` with its generated keys, routed in `context`.
    asio::awaitable<FilledInsert> filled_insert(const router::Plan& plan, std::string_view sql,
                                                const router::RouteContext& context);
    /// One id of the counter (nextval).
    asio::awaitable<TakenIds> next_value(const router::GeneratedKeys& keys);
    /// A simple Query needing generated keys (`sql` alone in it).
    asio::awaitable<bool> on_generated_keys(const router::Plan& plan, std::string_view sql);
    /// The buffered batch (one Bind + Execute, Sync) needing generated keys.
    asio::awaitable<bool> on_extended_generated_keys(const router::Plan& plan,
                                                     const std::string& sql,
                                                     const std::vector<std::uint32_t>& types,
                                                     const std::vector<std::string>& leading);
    // distributed.cpp: a transaction on several shards
    using Parked = proxy::Parked<BackendConnection>;
    /// How a statement for another shard of the open transaction got its connection.
    enum class Switch {
        resumed,  ///< that shard's parked connection is pinned again
        join,     ///< no connection there yet: acquire one and start the transaction on it
        answered, ///< refused (the transaction is aborted), the client was answered
    };
    asio::awaitable<Switch> switch_shard(const Target& target);
    /// `SET LOCAL lock_timeout` of a transaction on several shards (config
    /// distributed_lock_timeout_ms; empty when 0).
    std::string lock_timeout_sql() const;
    /// Creates the decision table on the coordinator shard's server once per process.
    asio::awaitable<void> ensure_decision_table(shardmaps::ShardId shard);
    /// COMMIT (two-phase) or ROLLBACK of a transaction that reached several shards; every
    /// connection goes back and the transaction ends. The answer is the client's.
    asio::awaitable<SessionAnswer> end_distributed(bool commit);
    /// The transaction ended elsewhere (lost connection, client gone): closes parked ones.
    void drop_parked();
    /// Why `verb` cannot run in the open multi-shard transaction (savepoints; COMMIT with
    /// other statements in one Query), or nullopt.
    std::optional<std::string> distributed_refusal(router::Verb verb, std::size_t statements) const;
    // sql_prepared.cpp
    /// PREPARE / EXECUTE / DEALLOCATE in SQL (`verb` says which).
    asio::awaitable<bool> on_sql_prepared(std::string_view sql, router::Verb verb);
    SessionAnswer answer_session(router::Verb verb, std::string_view sql);
    asio::awaitable<bool>
    forward_settings(const protocol::pg::Frame& frame,
                     const std::vector<std::pair<std::string_view, router::Verb>>& pieces);
    // extended_query.cpp
    asio::awaitable<bool> on_sync();
    asio::awaitable<bool> on_flush();
    /// Routes and runs the buffered messages, ended by Sync (`sync`) or by Flush.
    asio::awaitable<bool> run_batch(bool sync);
    void answer_locally(const std::optional<SessionAnswer>& answer, bool ready = true);
    /// The SQL of the first Bind in the batch (recording its Parses on the way).
    std::optional<std::string> first_bound_sql();
    bool build_batch(BackendConnection& backend, protocol::pg::ByteBuffer& request,
                     ResponseFilter& filter, bool sync);
    std::string ensure_prepared(BackendConnection& backend, const std::string& name,
                                protocol::pg::ByteBuffer& request, ResponseFilter& filter);
    // execution.cpp
    asio::awaitable<bool> execute(const Target& target, const RequestBuilder& build,
                                  bool touches_settings);
    asio::awaitable<Attempt> execute_once(const Target& target, const RequestBuilder& build,
                                          bool touches_settings, std::vector<BackendIndex>& failed,
                                          bool may_retry);
    /// The pinned backend, or one acquired for `target` (replay prefix added). On failure
    /// either reports the error to the client or, when `may_retry`, returns retry = true.
    /// A backend for one attempt, or none (`retry`: the caller may try once more elsewhere;
    /// otherwise the error was reported to the client).
    struct Lease {
        std::shared_ptr<BackendConnection> backend;
        bool retry = false;
    };
    asio::awaitable<Lease> backend_for(const Target& target, protocol::pg::ByteBuffer& prefix,
                                       ResponseFilter& filter, std::vector<BackendIndex>& failed,
                                       bool may_retry);
    void report_unavailable(std::string_view sqlstate, std::string_view message);
    // read_routing.cpp
    /// After a write transaction ended on `backend`: remember it for read-your-writes
    /// (causal mode asks the primary for its WAL position first).
    asio::awaitable<void> note_write_end(BackendConnection& backend, shardmaps::ShardId shard);
    /// `committed`: the exchange committed a transaction block (ResponseFilter::committed).
    void finish_exchange(char status, bool committed = false);
    /// The transaction ended: committed, or rolled back (or gone with its connection).
    void end_transaction(bool committed = false);
    /// SAVEPOINT, ROLLBACK TO SAVEPOINT, RELEASE or ROLLBACK AND CHAIN (`verb`, text `sql`)
    /// sent in a transaction block: the recorded settings follow what the server undoes
    /// (SessionSettings::savepoint; a chained rollback ends the block's settings while the
    /// block goes on).
    void follow_block_statement(router::Verb verb, std::string_view sql);
    /// In a transaction that a shardgate-side error aborted: COMMIT/ROLLBACK roll the
    /// backend transaction back (tag ROLLBACK, as PostgreSQL), anything else is 25P02.
    /// `verb` is the first statement's. Returns nullopt when the extended-protocol caller
    /// answers the batch itself.
    asio::awaitable<std::optional<bool>> on_aborted(router::Verb verb, bool extended);
    void release_backend();
    asio::awaitable<bool> relay_copy_in(BackendConnection& backend);
    /// Relays a DataRow (or CopyData) of more than large_row_bytes whose start is in `in` to the
    /// client as its bytes arrive (the session holds at most a read's worth of it, not the row).
    asio::awaitable<error_code> relay_large_row(BackendConnection& backend, std::size_t length);
    // session_backends.cpp: pool access by pool mode
    bool session_pooling() const;
    /// Why LISTEN/UNLISTEN cannot run in this session's pooling mode, or nullopt.
    std::optional<std::string> listen_refusal(router::Verb verb) const;
    /// A statement that leaves state on its backend connection past the transaction
    /// (Plan::session_state) is refused in transaction pooling.
    std::optional<std::string> session_state_refusal(const router::Plan& plan) const;
    /// A routed read of the extended protocol, offered to the shadow reads with its
    /// parameters written in (only when the sample takes it).
    void offer_shadow(const router::Plan& plan, const Statement& statement,
                      const protocol::pg::Bind& bind);
    /// How the planner reads this session's statements: in a transaction or not, the bound
    /// parameters and the types Parse declared for them, and whether its TimeZone is UTC.
    router::RouteContext route_context(std::span<const std::optional<std::string>> params = {},
                                       std::span<const std::uint32_t> types = {}) const {
        router::RouteContext context{core_.txn() != Txn::none, params};
        context.utc_session = settings_.utc_time_zone();
        context.param_types = types;
        return context;
    }
    asio::awaitable<Acquired> acquire_backend(const BackendTarget& where);
    void return_backend(std::shared_ptr<BackendConnection> connection);
    /// To the pool; a connection with a cancel under way goes there once the cancel ended
    /// (dropped when the server did not confirm it).
    void release_to_pool(std::shared_ptr<BackendConnection> connection);
    asio::awaitable<void> release_session_backends();
    /// Waits until the cancels forwarded for this session's connections ended; one the server
    /// did not confirm is marked broken.
    asio::awaitable<void> settle_cancels();

    // output helpers (client_session.cpp)
    void send_error(std::string_view sqlstate, std::string_view message,
                    std::string_view severity = "ERROR");
    void send_ready();
    char transaction_status() const;
    asio::awaitable<bool> flush();
    asio::awaitable<void> fatal(std::string_view sqlstate, std::string_view message);

    protocol::pg::ByteBuffer out_;
    /// A piece of a multi-shard write runs: its answer stays in out_ (flush() sends nothing).
    bool capturing_ = false;
    std::int32_t process_id_ = 0;
    std::int32_t secret_ = 0;
    std::string user_;
    std::string database_;
    const shardmaps::Database* db_ = nullptr;
    const UserCredentials* credentials_ = nullptr;
    bool console_ = false; ///< logged in to the admin console
    SessionSettings settings_;
    char backend_status_ = 'I';
    /// The exchange's COMMIT / ROLLBACK AND CHAIN was followed by the settings as it was
    /// routed (follow_block_statement): its COMMIT tag needs nothing more at ReadyForQuery.
    bool chain_followed_ = false;
    bool aborted_ = false;              ///< a shardgate-side error hit the open transaction
    bool commit_seen_ = false;          ///< a COMMIT's answer came before the block's end
    bool last_exchange_failed_ = false; ///< the last execute() saw an error or no backend
    /// SQLSTATE and message of a failed first attempt (reported if the retry has no backend).
    std::pair<std::string, std::string> first_failure_;
    std::vector<std::shared_ptr<BackendConnection>> scatter_running_;
    std::shared_ptr<BackendConnection> running_;
    /// Connections a cancel went to since this session's last statement (cancel_forwarded).
    std::vector<std::shared_ptr<BackendConnection>> cancelled_;
    std::vector<Parked> parked_;
    /// Session pooling: the connections this client keeps until it leaves, one per endpoint.
    std::vector<std::shared_ptr<BackendConnection>> held_;
    /// acquire_backend found a held (session-pooled) connection cut: reported, not retried.
    bool session_state_lost_ = false;
    std::unordered_map<std::string, Statement> statements_;
    /// A SQL-level PREPAREd statement: its body, the "(types)" text and those types as casts.
    struct SqlStatement {
        std::string body;
        std::string types;
        std::vector<parser::LiteralCast> casts;
    };
    std::unordered_map<std::string, SqlStatement> sql_statements_;
    protocol::pg::ByteBuffer batch_bytes_;
    std::vector<Pending> batch_;
    /// Where the extended-protocol sequence stands between the client's Syncs:
    /// collecting: messages are buffered until Flush or Sync;
    /// flushed: messages ending in Flush went to pinned_ without Sync; it stays pinned and
    ///   the Sync goes there;
    /// skipping: shardgate answered an error; messages are ignored until Sync, answered here;
    /// skipping_flushed: the backend answered an error after a Flush; messages are ignored
    ///   until Sync, which goes to the backend.
    enum class Batch { collecting, flushed, skipping, skipping_flushed };
    Batch batch_state_ = Batch::collecting;
    bool flushed() const {
        return batch_state_ == Batch::flushed || batch_state_ == Batch::skipping_flushed;
    }
    bool skipping() const {
        return batch_state_ == Batch::skipping || batch_state_ == Batch::skipping_flushed;
    }
    /// An error was answered: ignore the client's messages until its Sync.
    void skip_to_sync() { batch_state_ = flushed() ? Batch::skipping_flushed : Batch::skipping; }
};

} // namespace shardgate::proxy::pg
