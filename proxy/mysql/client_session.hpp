// One MySQL client connection: handshake and authentication by shardgate, then the command
// phase routed through the planner to pooled backend connections (transaction pooling with
// session-state pins). Lives on one worker thread; run() is the session's state machine and
// `state_` names the step it is in.
#pragma once

#include "backend_connection.hpp"
#include "common/distributed_txn.hpp"
#include "common/generated_ids.hpp"
#include "common/multi_write.hpp"
#include "common/scatter.hpp"
#include "common/session_base.hpp"
#include "common/session_core.hpp"
#include "inline_parameters.hpp"
#include "session_state.hpp"
#include "shardgate/parser/dialect.hpp"
#include "shardgate/protocol/mysql/auth.hpp"
#include "shardgate/protocol/mysql/binary_value.hpp"
#include "shardgate/protocol/mysql/decoded.hpp"
#include "shardgate/protocol/mysql/handshake.hpp"
#include "shardgate/protocol/mysql/response_tracker.hpp"
#include "shardgate/protocol/mysql/stmt_execute.hpp"
#include "shardgate/proxy/config.hpp"
#include "shardgate/proxy/net/stream.hpp"
#include "shardgate/proxy/net/wire_io.hpp"
#include "shardgate/proxy/read_freshness.hpp"
#include "shardgate/proxy/read_router.hpp"
#include "shardgate/router/plan.hpp"
#include "shardgate/shardmaps/database.hpp"

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace shardgate::proxy::mysql {

class Worker;

/// The row format of a cross-shard read's answer: text (COM_QUERY) or binary
/// (COM_STMT_EXECUTE).
enum class ScatterRows : std::uint8_t { text, binary };

/// A captured answer (a COM_QUERY's, as the client would have seen it) read back: what it
/// said, and whether it was whole.
struct CapturedSummary {
    protocol::mysql::ResponseSummary summary;
    bool complete = false;
};
CapturedSummary summarize_captured(const protocol::mysql::Buffer& captured,
                                   std::uint32_t capabilities);

/// Runs one COM_QUERY on `backend` (idle, no client waiting on it) and reads its answer to
/// the end; a lost connection is marked broken.
asio::awaitable<StepResult> run_query(BackendConnection& backend, std::string sql);

class ClientSession : public SessionBase<Worker, BackendConnection>,
                      public std::enable_shared_from_this<ClientSession> {
public:
    ClientSession(Worker& worker, tcp::socket socket);
    ~ClientSession() override;

    void start();
    std::uint32_t connection_id() const { return connection_id_; }
    const std::string& user() const { return user_; }
    /// The backend connection running this session's statement right now (its target and
    /// server thread id), for KILL QUERY; nullopt while no statement runs.
    /// The backends running this session's cross-shard statement right now (target and
    /// thread id each, until the answer was read to the end and the connection pooled again).
    const std::vector<std::pair<BackendTarget, std::uint32_t>>& scatter_running() const {
        return scatter_running_;
    }
    const std::optional<std::pair<BackendTarget, std::uint32_t>>& running_on() const {
        return running_on_;
    }

private:
    /// An error for the client (ERR packet).
    struct Failure {
        std::uint16_t code = 0;
        std::string sqlstate;
        std::string message;
    };
    /// A statement prepared by the client (ids are shardgate's own).
    struct Statement {
        std::string sql;
        std::uint16_t num_params = 0;
        std::vector<protocol::mysql::ParamType> types;
        std::map<std::uint16_t, protocol::mysql::Buffer> long_data;
        StatementEffects effects;
        parser::LexMode lex_mode; ///< the session's sql_mode when it was prepared
    };
    /// What one backend exchange produced.
    struct Exchange {
        bool ok = false;        ///< response complete (it may be an ERR)
        bool sent = false;      ///< the request was written to the backend
        bool forwarded = false; ///< some bytes reached the client
        protocol::mysql::ResponseSummary summary;
    };

    template <class Session>
    friend void proxy::spawn_session(asio::io_context& io, tcp::socket& socket,
                                     std::shared_ptr<Session> session);
    asio::awaitable<void> run();
    // client_login.cpp
    asio::awaitable<bool> login();
    asio::awaitable<std::optional<protocol::mysql::Buffer>> read_login_packet();
    /// The client's first packet, read exactly (TLS bytes may follow an SSLRequest).
    asio::awaitable<std::optional<protocol::mysql::Buffer>> read_first_packet();
    /// After an SSLRequest: the server side of the TLS handshake, or an ERR when no TLS is
    /// configured. False: the client is to be closed.
    asio::awaitable<bool> upgrade_to_tls();
    /// The authentication exchange after the handshake response (auth switch, fast path, full
    /// authentication). Returns the client's plain password (for backend logins), or nullopt
    /// with an ERR queued or the client gone. `user`: the configured user of that name.
    asio::awaitable<std::optional<std::string>>
    authenticate(const protocol::mysql::HandshakeResponse& response,
                 const protocol::mysql::Scramble& scramble, const ProxyUser* user);
    /// caching_sha2_password full authentication: asks for the password (clear text over
    /// TLS; without TLS RSA-encrypted, the public key sent on request) and checks it.
    asio::awaitable<std::optional<std::string>>
    full_authentication(const ProxyUser* user, const protocol::mysql::Scramble& scramble,
                        bool used_password);
    /// Queues ERR 1045 "Access denied ...".
    void deny_access(bool used_password);
    /// Queues an AuthMoreData packet with one status byte (caching_sha2_password).
    void send_auth_more_data(std::uint8_t status);
    /// Switches to the named MySQL database of the map; the failure to report otherwise.
    /// The admin console's commands (admin_console.cpp), while console_.
    asio::awaitable<bool> dispatch_console(std::uint8_t command, protocol::mysql::Bytes payload);
    void describe_plane(ClientRow& row) const override {
        row.protocol = "mysql";
        row.id = connection_id_;
        row.user = user_;
        row.admin = console_;
    }
    std::optional<Failure> select_database(std::string_view name);
    // commands.cpp
    asio::awaitable<bool> dispatch(protocol::mysql::Bytes payload);
    asio::awaitable<bool> on_init_db(protocol::mysql::Bytes payload);
    asio::awaitable<bool> on_reset_connection();
    /// COM_CHANGE_USER: authenticates the new user against the handshake's scramble (auth
    /// switch and full authentication as at login), then starts a clean session for them.
    /// A failure ends the connection, as MariaDB does.
    asio::awaitable<bool> on_change_user(protocol::mysql::Bytes payload);
    /// Backend credentials for the logged-in user (config's backend_user/password, else the
    /// user's own).
    void set_backend_credentials(std::string password);
    asio::awaitable<bool> on_set_option(protocol::mysql::Bytes payload);
    asio::awaitable<bool> on_field_list(protocol::mysql::Bytes payload);
    /// Where a table's definition can be read (any one shard of a sharded table).
    Refusable<Target> place_table(std::string_view table);
    // query.cpp
    asio::awaitable<bool> on_query(protocol::mysql::Bytes payload);
    /// Transaction control sent alone (`verb` from the plan): answered here until the
    /// transaction has a backend, then run there.
    asio::awaitable<bool> on_transaction(router::Verb verb, std::string_view sql,
                                         protocol::mysql::Bytes payload);
    /// `effects`: scan_effects(sql).
    asio::awaitable<bool> on_set(std::string_view sql, protocol::mysql::Bytes payload,
                                 const StatementEffects& effects);
    asio::awaitable<bool> on_describe(const router::Plan& plan, protocol::mysql::Bytes payload);
    /// Where and as whom this session reaches a backend the router chose.
    BackendTarget backend_target(const BackendInfo& info) const;
    /// Appends to `prefix` what brings `backend` to this session's settings (a reset and the
    /// SETs), each answer kind to `injected`.
    void replay_settings(BackendConnection& backend, protocol::mysql::Buffer& prefix,
                         std::vector<protocol::mysql::ResponseKind>& injected);
    /// LAST_INSERT_ID() is the session's own, not a connection's: a statement that reads it
    /// (or may: CALL, SQL-level EXECUTE) gets `DO LAST_INSERT_ID(n)` with the session's value
    /// appended to `prefix` first, on whatever connection runs it.
    void restore_insert_id(protocol::mysql::Buffer& prefix,
                           std::vector<protocol::mysql::ResponseKind>& injected);
    /// Notes what the command's statements do with LAST_INSERT_ID() (reads_/sets_insert_id_)
    /// and whether one sets FOUND_ROWS() (calc_found_rows_).
    void note_insert_id_use(const StatementEffects& effects);
    /// After SQL_CALC_FOUND_ROWS on a connection the session does not keep: reads
    /// FOUND_ROWS() there before it goes back to the pool (found_rows_).
    asio::awaitable<void> learn_found_rows(BackendConnection& backend);
    /// FOUND_ROWS() / ROW_COUNT() read what the statement before left on its connection: only
    /// where that connection is this one (held, or the same COM_QUERY), else refused;
    /// `SELECT FOUND_ROWS()` after a SQL_CALC_FOUND_ROWS statement is answered by shardgate.
    /// `shard`: where the statement runs.
    std::optional<Refusal> row_counts_refusal(const StatementEffects& effects,
                                              shardmaps::ShardId shard) const;
    /// Where a SET that keeps state runs: the shard of the session's state, else the held
    /// connection's, else the default shard.
    shardmaps::ShardId set_shard() const {
        return holds_state() ? state_shard_ : core_.pinned_shard().value_or(db_->default_shard());
    }
    /// The current statement ran on the connection the session keeps (held_at_).
    void note_held_statement();
    /// `SELECT FOUND_ROWS()` answered from found_rows_ (false: not that statement, or no value).
    bool answer_found_rows(std::string_view sql, bool binary = false);
    /// After a statement that may set LAST_INSERT_ID() without an OK saying so
    /// (`SELECT LAST_INSERT_ID(5)`, CALL): reads the value on `backend` before it can go back
    /// to the pool.
    asio::awaitable<void> learn_insert_id(BackendConnection& backend);
    // scatter.cpp
    /// A cross-shard read (a scatter plan) run on every shard and merged; `payload` is the
    /// client's COM_QUERY, sent to each shard unchanged. `rows`: binary for a
    /// COM_STMT_EXECUTE (then `sql` has its parameters inlined and `payload` is unused).
    /// `sql` is the statement the plan was made from (rewritten for the shards when the merge
    /// needs it, e.g. an OFFSET).
    asio::awaitable<bool> on_scatter(const router::Plan& plan, std::string_view sql,
                                     protocol::mysql::Bytes payload,
                                     ScatterRows rows = ScatterRows::text);
    /// Outside a transaction: the statement sent to a pooled connection per shard of
    /// `targets` (each with its ownership filter of a table in mid-move, recomputed when the
    /// registry's moves are no longer `split_seen`), the answers merged as they arrive;
    /// `first`: set to the first shard's server.
    asio::awaitable<ScatterOutcome>
    run_scatter_legs(const router::Plan& plan, std::string_view sql, protocol::mysql::Bytes payload,
                     ScatterRows rows, const std::vector<Target>& targets,
                     const std::vector<router::OwnershipFilter>& filters,
                     const std::shared_ptr<const BackendRegistry::SplitTables>& split_seen,
                     std::optional<BackendTarget>& first, ScatterSink& sink,
                     const ScatterSettings& settings);
    /// Inside a transaction: shard `index` of `plan`'s read (its statement `statement`) read
    /// whole through run_command() (the shard joins the transaction as an XA branch), at most
    /// `budget` bytes of it.
    asio::awaitable<CapturedLeg> capture_leg(const Target& target, const std::string& statement,
                                             std::size_t budget, ScatterRows rows);
    /// A pooled connection for one shard of a cross-shard statement (`failed`: servers the
    /// statement already lost, not chosen again).
    asio::awaitable<ShardConnection<BackendConnection, BackendTarget>>
    shard_connection(const Target& target, std::vector<BackendIndex>& failed);
    /// DDL on a table of several shards (`ALTER TABLE users ADD INDEX ...`): the client's
    /// COM_QUERY `payload` run on every shard's primary, shard after shard
    /// (common/broadcast), answered with one OK.
    asio::awaitable<bool> on_broadcast(const router::Plan& plan, protocol::mysql::Bytes payload);
    // distributed.cpp: a transaction on several shards (XA branches joined to the first)
    using Parked = proxy::Parked<BackendConnection>;
    /// Makes `target`'s shard the current one of the open transaction: its parked connection
    /// again (true), or none yet (false: backend_for starts an XA branch on a new one).
    bool switch_shard(const Target& target);
    asio::awaitable<void> ensure_decision_table(shardmaps::ShardId shard);
    /// COMMIT (two-phase) or ROLLBACK of a transaction on several shards: every connection
    /// goes back, the transaction ends; the client's answer is queued (OK or ERR).
    asio::awaitable<bool> end_distributed(bool commit);
    /// end_distributed without the answer: the error for the client, or nullopt (OK).
    asio::awaitable<std::optional<protocol::mysql::ErrPacket>> finish_distributed(bool commit);
    /// The implicit commit MySQL runs before DDL, for the open transaction (two-phase on
    /// several shards): the error for the client, or nullopt.
    asio::awaitable<std::optional<protocol::mysql::ErrPacket>> implicit_commit();
    // multi_write.cpp
    /// A write that needs several shards (common/multi_write), `sql` a statement of its own
    /// (a COM_QUERY, or a COM_STMT_EXECUTE with its parameters written into the text). Also
    /// one shard's INSERT with generated keys, whose OK says `last_insert_id`.
    asio::awaitable<bool> on_multi_write(const router::Plan& plan, std::string_view sql,
                                         std::optional<std::uint64_t> last_insert_id = {});
    /// `sql` run as a COM_QUERY on `target` in the session's transaction, its answer kept from
    /// the client: whether the client is still there, and the answer's packets.
    asio::awaitable<std::pair<bool, protocol::mysql::Buffer>> captured_query(const Target& target,
                                                                             std::string_view sql);
    /// After pieces ran (`applied` of them succeeded) in the client's transaction or one of
    /// their own (`own`): commits it, or after a failure rolls back what cannot stand (saying
    /// so); false when the client's error is queued.
    asio::awaitable<bool> finish_pieces(bool own, std::size_t applied,
                                        const MultiWriteOutcome& outcome);
    /// An UPDATE that moves rows to another shard (common/key_move), a statement of its own.
    asio::awaitable<bool> on_key_move(const router::Plan& plan, std::string_view sql);
    // generated_keys.cpp: keys shardgate generates (common/generated_ids)
    /// Runs statements of shardgate's own (a counter, a catalog lookup) on `shard`'s primary,
    /// outside the client's transaction, on `held` (acquired at the first one;
    /// the caller returns it).
    RunCounter primary_runner(shardmaps::ShardId shard, std::shared_ptr<BackendConnection>& held);
    /// A statement needing generated keys (`sql` a statement of its own; `binary`: a
    /// COM_STMT_EXECUTE's, with its parameters written in).
    asio::awaitable<bool> on_generated_keys(const router::Plan& plan, std::string_view sql,
                                            bool binary);
    /// The transaction ended without us (lost connection, reset, client gone): closing the
    /// parked connections rolls their branches back.
    void drop_parked();
    /// A transaction on several shards ended: the connection that keeps the session's state
    /// stays held (pinned_), the others go back (finish_distributed).
    void keep_state_connection();
    /// Why a statement of kind `statement` / transaction verb `verb` cannot run while the
    /// transaction is on several shards (it would commit one shard only), or nullopt.
    std::optional<std::string> distributed_refusal(router::Verb verb,
                                                   parser::StatementKind statement) const;
    // routing.cpp
    /// The target of a planned statement (session core), refused when the statement keeps
    /// or reads session state held on another shard.
    Refusable<Target> place(const router::Plan& plan, const StatementEffects& effects);
    /// MySQL error number for a refusal's SQLSTATE.
    static std::uint16_t error_code_for(const std::string& sqlstate);
    void send_refusal(const Refusal& refusal);
    // execution.cpp
    /// The pinned backend, or one from the pool with the session's settings; commands that
    /// must run first (settings replay, a deferred BEGIN) are appended to `prefix` with the
    /// kinds of their responses in `injected`. nullptr after an ERR was queued. The backend
    /// comes from the worker's read router; a read outside a transaction whose backend cannot
    /// be reached goes once to another one. `retrying`: keep the backends that already
    /// failed this statement (failed_) out of the choice.
    asio::awaitable<std::shared_ptr<BackendConnection>>
    backend_for(const Target& target, protocol::mysql::Buffer& prefix,
                std::vector<protocol::mysql::ResponseKind>& injected, bool retrying = false);
    /// Whether a read on `target` may run again elsewhere after its backend failed.
    bool may_retry(const Target& target) const;
    /// Writes `request`, swallows the responses to the injected commands, forwards the
    /// response of kind `kind` (none: nothing more) to the client. `prepare_id` rewrites the
    /// statement id in a PREPARE_OK.
    asio::awaitable<Exchange> exchange(BackendConnection& backend,
                                       const protocol::mysql::Buffer& request,
                                       const std::vector<protocol::mysql::ResponseKind>& injected,
                                       protocol::mysql::ResponseKind kind,
                                       std::optional<std::uint32_t> prepare_id = std::nullopt);
    /// Runs `payload` (a command) on the target and forwards the response; updates pins.
    /// `touches_settings`: the command changes session variables (settings_ already holds
    /// the new ones): recorded as applied on success, unknown on failure.
    asio::awaitable<bool> run_command(const Target& target, protocol::mysql::Bytes payload,
                                      protocol::mysql::ResponseKind kind, bool pins,
                                      bool touches_settings);
    void after_exchange(const Target& target, const std::shared_ptr<BackendConnection>& backend,
                        const Exchange& result, bool pins, bool touches_settings);
    asio::awaitable<bool> backend_lost(const std::shared_ptr<BackendConnection>& backend,
                                       const Exchange& result);
    /// `backend` failed before the answer was complete (`routed`: picked for this statement,
    /// not the session's held one). A read outside a transaction of which nothing reached the
    /// client may run elsewhere: the connection is dropped, the backend marked failed for
    /// this statement, and true returned (call backend_for again, retrying). Else false.
    bool drop_for_retry(const Target& target, std::shared_ptr<BackendConnection>& backend,
                        bool routed, const Exchange& result);
    void release_backend();
    void drop_pinned();
    // read_freshness.cpp
    /// After work on the primary that left no transaction open: records the session's write
    /// on the shard for read-your-writes (the GTID from session tracking or @@last_gtid in
    /// causal mode). Nothing when the shard's read_your_writes is off.
    asio::awaitable<void> note_write_end(const Target& target, BackendConnection& backend,
                                         const Exchange& result);
    // kill.cpp
    /// KILL [CONNECTION | QUERY] id, for shardgate's own connection ids: KILL QUERY is sent
    /// to the backend connection that runs that session's statement; KILL CONNECTION closes
    /// that client. Only the same user may kill a session (1095), unknown ids give 1094.
    asio::awaitable<bool> on_kill(std::string_view sql);
    // sql_mode.cpp
    /// The session's sql_mode and how it tokenises statements: the client's sql_mode (a
    /// literal, or an expression of the current mode that a driver sends, recorded as the
    /// literal it gives), else the server's default as the monitor last read it. Returns a
    /// refusal message for an expression it cannot evaluate (nothing changed then).
    std::optional<std::string> refresh_lex_mode();
    std::string server_sql_mode();
    // prepared.cpp
    asio::awaitable<bool> on_stmt_prepare(protocol::mysql::Bytes payload);
    asio::awaitable<bool> on_stmt_execute(protocol::mysql::Bytes payload);
    asio::awaitable<bool> on_stmt_long_data(protocol::mysql::Bytes payload);
    asio::awaitable<bool> on_stmt_close_or_reset(protocol::mysql::Bytes payload, bool reset);
    asio::awaitable<bool> on_stmt_fetch(protocol::mysql::Bytes payload);
    /// Closes the open cursor of the client's statement `client_id` on the held backend
    /// (COM_STMT_RESET there, its OK not forwarded) and lets the backend go when nothing else
    /// holds it. nullopt when done; when the backend was lost, what the command handler
    /// returns (`answers`: the client's command expects a response, which is then the error).
    asio::awaitable<std::optional<bool>> close_cursor(std::uint32_t client_id, bool answers);
    asio::awaitable<std::optional<std::uint32_t>> ensure_prepared(BackendConnection& backend,
                                                                  const std::string& sql);
    /// The bound parameters of `execute` (long data from `statement`).
    std::vector<BoundParameter> bound_parameters(const Statement& statement,
                                                 const protocol::mysql::ComStmtExecute& execute);
    /// A routed read of COM_STMT_EXECUTE, offered to the shadow reads with its parameters
    /// written in (only when the sample takes it).
    void offer_shadow(const router::Plan& plan, const Statement& statement,
                      const protocol::mysql::ComStmtExecute& execute);
    /// A COM_STMT_EXECUTE whose plan needs several shards: its parameters written into the
    /// text, run by on_scatter with binary rows.
    asio::awaitable<bool> execute_scatter(Statement& statement,
                                          const protocol::mysql::ComStmtExecute& execute);
    /// The COM_STMT_EXECUTE for `backend`: the client's with the backend's statement id, or
    /// re-encoded with parameter types when the connection last saw other types.
    protocol::mysql::Buffer execute_request(BackendConnection& backend, Statement& statement,
                                            protocol::mysql::ComStmtExecute execute,
                                            protocol::mysql::Bytes payload,
                                            std::uint32_t backend_id);
    // output helpers (client_session.cpp)
    void send_ok(std::uint64_t affected_rows = 0, std::uint16_t extra_status = 0);
    void send_err(std::uint16_t code, std::string_view sqlstate, std::string_view message);
    void send_err(const Failure& failure) {
        send_err(failure.code, failure.sqlstate, failure.message);
    }
    void send_payload(const protocol::mysql::Buffer& payload);
    std::uint16_t status_flags() const;
    asio::awaitable<bool> flush();

    protocol::mysql::Buffer out_;
    /// A piece of a multi-shard write runs: its answer stays in out_ (flush() sends nothing).
    bool capturing_ = false;
    std::uint8_t sequence_ = 0; ///< next sequence id towards the client
    std::uint32_t connection_id_ = 0;
    std::uint32_t capabilities_ = 0; ///< negotiated with the client
    std::uint8_t character_set_ = 0;
    protocol::mysql::Scramble scramble_{}; ///< the handshake's, for COM_CHANGE_USER
    std::string user_;
    bool admin_user_ = false; ///< the user may use the admin console
    bool console_ = false;    ///< the session is in the admin console (USE shardgate)
    std::string password_;    ///< plain, for backend logins when no backend_password is set
    std::string backend_user_;
    std::string backend_password_;
    std::string database_;
    const shardmaps::Database* db_ = nullptr;
    SessionSettings settings_;
    /// While a SET runs: the settings it leads to, installed when it succeeds.
    std::optional<SessionSettings> settings_after_;
    /// Tokenising rules of the session's sql_mode (NO_BACKSLASH_ESCAPES, ANSI_QUOTES).
    parser::LexMode lex_mode_;
    std::string sql_mode_; ///< the session's sql_mode as far as shardgate knows it
    bool autocommit_ = true;
    /// Backend the session holds: during a transaction, or for session state.
    bool state_pinned_ = false; ///< session state lives on pinned_: keep it until reset
    bool cursor_open_ = false;  ///< a statement's cursor is open on pinned_
    /// The shard whose held connection keeps that state or cursor: pinned_, or, while the
    /// transaction runs on another shard, one of parked_ (meaningful while holds_state()).
    shardmaps::ShardId state_shard_ = 0;
    bool holds_state() const { return state_pinned_ || cursor_open_; }
    std::optional<std::uint32_t> cursor_statement_; ///< the client's id of that statement
    /// The session's LAST_INSERT_ID(): the insert id of its last OK that had one, or read
    /// back after a statement that set it (learn_insert_id); 0 before any.
    std::uint64_t insert_id_ = 0;
    bool insert_id_learned_ = false; ///< learn_insert_id ran for the current statement
    /// Where the session last generated or set it (in `database_`): a table-less read of it
    /// goes there.
    std::optional<shardmaps::ShardId> insert_shard_;
    /// The running command reads / may set LAST_INSERT_ID() (note_insert_id_use).
    bool reads_insert_id_ = false;
    bool sets_insert_id_ = false;
    bool calc_found_rows_ = false; ///< the running command has SQL_CALC_FOUND_ROWS
    /// FOUND_ROWS() of statement number found_rows_at_ (core_.statements()), read back.
    std::optional<std::uint64_t> found_rows_;
    std::uint64_t found_rows_at_ = 0;
    /// The number of the last statement that ran on a connection the session still holds.
    std::uint64_t held_at_ = 0;
    /// The number of the running command's first statement (a later one of the same
    /// COM_QUERY runs on the same connection).
    std::uint64_t command_first_ = 0;
    bool command_selected_ = false; ///< an earlier statement of the COM_QUERY is a SELECT
    std::unordered_map<std::uint32_t, Statement> statements_;
    std::uint32_t next_statement_id_ = 1;
    bool last_exchange_failed_ = false; ///< the last run_command saw an ERR or no backend
    /// Backends that failed the current statement (a retry goes elsewhere).
    std::vector<BackendIndex> failed_;
    /// The backend the router picked for the last backend_for that did not reuse pinned_.
    BackendIndex routed_backend_ = 0;
    std::optional<std::pair<BackendTarget, std::uint32_t>> running_on_;
    std::vector<std::pair<BackendTarget, std::uint32_t>> scatter_running_;
    /// The open transaction's connections on its other shards (distributed.cpp).
    std::vector<Parked> parked_;
};

} // namespace shardgate::proxy::mysql
