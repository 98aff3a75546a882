// Cross-shard reads, engine-neutral: run one statement on several shards and merge the answers
// (router/merge) into one, streaming where the merge allows. Each data plane supplies the
// legs (one backend answer each, decoded to text rows) and the sink (its client's protocol).
#pragma once

#include "common/session_stats.hpp"
#include "shardgate/proxy/net/stream.hpp"
#include "shardgate/proxy/net/wire_io.hpp"
#include "shardgate/router/merge.hpp"

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace shardgate::proxy {

/// What ends a cross-shard statement: a shard's error or shardgate's own refusal.
struct ScatterFailure {
    std::string sqlstate;
    std::string message;
    /// MySQL error number when a MySQL shard sent it (0: the plane picks one for sqlstate).
    std::uint16_t code = 0;
};

/// One shard's answer to the statement, read by a data plane.
class ScatterLeg {
public:
    virtual ~ScatterLeg() = default;
    virtual const std::string& shard() const = 0;
    /// Reads the answer up to its column descriptions; false: failure() says why.
    virtual asio::awaitable<bool> open() = 0;
    virtual const std::vector<router::MergeColumn>& columns() const = 0;
    /// The next row into `row`; false after the last row or on failure (failure()).
    virtual asio::awaitable<bool> next(router::Row& row) = 0;
    virtual const std::optional<ScatterFailure>& failure() const = 0;
    /// Reads and drops what is left of the answer, so the connection is reusable, and gives
    /// the connection back (or closes it when it cannot be reused).
    virtual asio::awaitable<void> close() = 0;

    // For interleaving several answers (a plain scatter passes on whichever shard's rows have
    // arrived):
    /// A whole message of the answer is already read, or the answer ended: next() makes
    /// progress without waiting for the network.
    virtual bool buffered() const = 0;
    /// The backend connection's stream (its socket, and what TLS already decrypted).
    virtual net::Stream& stream() = 0;
    /// Reads what has arrived (at least a byte: call it when the socket is readable) without
    /// waiting for a whole message; false when the connection failed (then buffered()).
    virtual asio::awaitable<bool> fill() = 0;
};

/// The client side of a cross-shard statement, in the plane's protocol.
class ScatterSink {
public:
    virtual ~ScatterSink() = default;
    /// The result's column descriptions, as `first` sent them, but only the first `visible`
    /// (the rest are sort columns shardgate added); row() then sends only those values.
    virtual void begin(ScatterLeg& first, std::size_t visible) = 0;
    /// Sends one row; false when the plane cannot encode a merged value (the statement fails).
    virtual bool row(const router::Row& row) = 0;
    /// Bytes encoded for the client and not sent yet.
    virtual std::size_t pending() const = 0;
    /// Sends what is buffered (and waits until the client took it: backpressure); false when
    /// the client is gone.
    virtual asio::awaitable<bool> drain() = 0;
    /// The end of a complete result of `rows` rows.
    virtual void end(std::uint64_t rows) = 0;
    /// The statement failed; `after_begin`: column descriptions (and maybe rows) were sent.
    virtual void fail(const ScatterFailure& failure, bool after_begin) = 0;
};

/// Counters of one cross-shard statement, added to the plane's stats by the caller.
struct ScatterOutcome {
    bool client_alive = true;
    bool failed = false;
    std::uint64_t legs = 0;      ///< shard statements sent
    std::uint64_t rows_in = 0;   ///< rows read from the shards
    std::uint64_t rows_out = 0;  ///< rows sent to the client
    bool waves = false;          ///< more shards than may be in flight: run in turns
    bool over_limit = false;     ///< ended by a bound (groups, bytes, shards in flight)
    bool in_transaction = false; ///< run_captured_scatter
};

/// Limits of one cross-shard statement (config: scatter_max_shards_in_flight,
/// scatter_max_buffered_bytes, scatter_max_groups).
struct ScatterLimits {
    /// Shard statements running at once. Past it, a statement without ORDER BY runs on the
    /// shards in turns (a shard's statement starts when an earlier one is read to its end);
    /// an ORDER BY merge needs every shard at once and is refused.
    std::size_t max_in_flight = 32;
    /// Bytes a grouped merge (GROUP BY, DISTINCT, UNION, aggregates) may hold.
    std::size_t max_buffered_bytes = 64u << 20;
    /// Groups a grouped merge may hold.
    std::size_t max_groups = 100'000;
    /// What the grouped merges of the whole process may hold together (nullptr: no bound).
    router::MergeBudget* shared_bytes = nullptr;
};

struct ScatterSettings {
    router::MergeEngine engine = router::MergeEngine::postgresql;
    ScatterLimits limits;
    /// Called once with the agreed result columns before the merge is built: the plane may
    /// make their kinds precise (MySQL: a text column's own collation).
    std::function<asio::awaitable<void>(std::vector<router::MergeColumn>&)> refine_columns;
};

/// A pooled connection to the server the router picked for one shard of a cross-shard
/// statement, or why there is none (`connection` null).
template <class Connection, class Where> struct ShardConnection {
    std::shared_ptr<Connection> connection;
    std::size_t backend = 0; ///< the router's index of the server (to report it failed)
    Where where;
    ScatterFailure failure;
};

/// A started shard statement, or why it could not start (no server, no connection).
struct LegStart {
    std::unique_ptr<ScatterLeg> leg;
    ScatterFailure failure;
};
/// Starts the statement on shard `index` of the plan's targets (a pooled connection, the
/// session's settings, the statement sent), without reading its answer.
using StartLeg = std::function<asio::awaitable<LegStart>(std::size_t index)>;

/// Adds one statement's outcome to the plane's counters.
void count_scatter(SessionStats& stats, const ScatterOutcome& outcome);

/// Runs `plan` on `shards` shards to the end: starts the legs (at most the limit at once),
/// opens them, checks that they agree on the columns, merges as the plan says and writes one
/// answer to `sink`; any leg's error (naming its shard) or a failed start ends the statement
/// through sink.fail. Every started leg is closed before it returns.
asio::awaitable<ScatterOutcome> run_scatter(const router::Plan& plan, std::size_t shards,
                                            const StartLeg& start, ScatterSink& sink,
                                            const ScatterSettings& settings);

/// One shard's answer to a cross-shard read inside a transaction, read whole through the
/// transaction's connection on that shard (the shard joins the transaction as any statement
/// would), or why the read stops there: a refusal, the shard's error (its message naming the
/// shard), an answer over the byte budget (`over_budget`). `bytes`: what the answer holds.
struct CapturedLeg {
    std::unique_ptr<ScatterLeg> leg;
    std::optional<ScatterFailure> failure;
    std::size_t bytes = 0;
    bool over_budget = false;
    bool client_alive = true;
};
/// Reads shard `index`'s whole answer; `budget`: the bytes it may hold (past them it fails).
using CaptureLeg =
    std::function<asio::awaitable<CapturedLeg>(std::size_t index, std::size_t budget)>;

/// A cross-shard read inside a transaction: the shards' answers are read one after the other
/// through the transaction's connections (at most settings.limits.max_buffered_bytes held
/// together), stopping at the first that failed (its error is the statement's, so a
/// PostgreSQL transaction is aborted by exactly the shard that failed), then merged as
/// run_scatter merges. docs/cross-shard.md "Inside a transaction".
asio::awaitable<ScatterOutcome> run_captured_scatter(const router::Plan& plan, std::size_t shards,
                                                     const CaptureLeg& capture, ScatterSink& sink,
                                                     const ScatterSettings& settings);

} // namespace shardgate::proxy
