// The resolver of distributed transactions: finds the participants shardgate left prepared on
// a database's shards (a proxy killed during a commit, a shard that was down), reads each
// one's decision on its coordinator shard, and commits or rolls it back. A participant with no
// decision is aborted: the resolver first records 'abort' on the coordinator shard, which a
// coordinator still committing then cannot overwrite (the decision table's primary key).
// Blocking (libpq / libmariadb): run it on a thread of its own (the proxy's) or from
// `shardctl txn`. docs/cross-shard-writes.md.
#pragma once

#include "shardgate/monitor/client_login.hpp"
#include "shardgate/monitor/sql_error.hpp"
#include "shardgate/shardmaps/database.hpp"
#include "shardgate/txn/two_phase_sql.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace shardgate::txn {

/// A shard's primary and how to log in to the shard's database there.
struct ShardServer {
    std::string shard;
    TwoPhaseEngine engine = TwoPhaseEngine::postgresql;
    std::string host;
    unsigned port = 0;
    std::string user;
    std::string password;
    std::string database;
    monitor::ClientTls tls; ///< the daemon's backend_tls (shardctl: the libraries' defaults)
};

/// The primaries of `database`'s shards, logging in as `user` (with `tls`).
std::vector<ShardServer> primaries(const shardmaps::Database& database, const std::string& user,
                                   const std::string& password, const monitor::ClientTls& tls = {});
/// The replicas of `database`'s shards (each with its shard's name), logging in the same way.
std::vector<ShardServer> replicas(const shardmaps::Database& database, const std::string& user,
                                  const std::string& password, const monitor::ClientTls& tls = {});

/// A failed statement or connection (throws of SqlSession).
using SqlError = monitor::SqlError;

/// One autocommit connection to a shard's primary.
class SqlSession {
public:
    using Row = std::vector<std::optional<std::string>>;
    virtual ~SqlSession() = default;
    /// Runs one statement; its rows (none for a statement without a result). Throws SqlError.
    virtual std::vector<Row> query(const std::string& sql) = 0;
};
std::unique_ptr<SqlSession> connect(const ShardServer& server, std::chrono::milliseconds timeout);

/// A participant found prepared, with its decision as far as the resolver could read it.
struct PreparedTxn {
    std::string shard; ///< where it is prepared
    std::string gid;
    std::string txn;
    std::string coordinator;
    /// "commit", "abort", "none" (no decision recorded yet) or "unknown: why" (the
    /// coordinator shard could not be read).
    std::string decision;
    double seen_seconds = 0; ///< since this resolver first saw it prepared
};

/// What the resolver did with one prepared participant.
struct Resolution {
    PreparedTxn prepared;
    /// "committed", "rolled back", "gone" (ended by someone else meanwhile) or "left: why".
    std::string action;
    bool done() const { return action.rfind("left", 0) != 0; }
};

struct Scan {
    std::vector<PreparedTxn> prepared;
    std::vector<std::string> errors; ///< shards that could not be listed, and why
};

class Resolver {
public:
    /// `replicas`: the shards' replicas, for end_replica_orphans (MariaDB).
    Resolver(std::vector<ShardServer> shards, std::chrono::milliseconds timeout,
             std::vector<ShardServer> replicas = {});
    ~Resolver();

    /// Lists every shard's prepared participants and reads their decisions (writes nothing).
    Scan scan();
    /// Ends every prepared participant this resolver has seen for at least `grace` (0: every
    /// one found now): commit when the coordinator decided commit, else abort (recording the
    /// abort first when nothing was decided). `scan_errors`: shards that could not be listed.
    std::vector<Resolution> resolve(std::chrono::milliseconds grace,
                                    std::vector<std::string>* scan_errors = nullptr);
    /// Deletes decisions older than `age` whose transactions are prepared nowhere (on no
    /// primary, nor on a MariaDB replica); only when every server could be listed. Returns
    /// how many went.
    std::size_t forget(std::chrono::seconds age);

    /// MariaDB replicas: rolls back, on the replica only, a shardgate branch prepared there
    /// that its primary has lost — the primary died after its binary log kept the XA PREPARE
    /// but before its engine did, so no XA COMMIT/ROLLBACK will ever be replicated, and the
    /// branch's row locks stop replication at the next change to those rows. Only a branch
    /// that is not prepared on the primary (for at least `grace`), on a server that replicates
    /// from the map's primary, whose transaction is decided `abort` (recorded first when
    /// nothing was decided: it can then only ever end in a rollback, so undoing it early
    /// cannot make the replica differ), and only when either the replica has applied the
    /// primary's whole binary log as it stood after the check (an end would have arrived), or
    /// its SQL thread has waited `grace` for a lock of a transaction without a connection and
    /// this is the only XA branch prepared there. Anything less certain is left with its
    /// reason; a replica merely behind is not reported.
    /// Resolution::prepared.shard is "SHARD replica HOST:PORT"; `errors`: replicas (or their
    /// primaries) that could not be checked, and why.
    std::vector<Resolution> end_replica_orphans(std::chrono::milliseconds grace,
                                                std::vector<std::string>* errors = nullptr);

private:
    /// The shard's session, connecting when needed; nullptr (and `why`) when it cannot.
    SqlSession* session(const std::string& shard, std::string& why);
    void drop(const std::string& shard);
    /// host:port of the shard's primary.
    std::string replica_of(const std::string& shard) const;
    /// orphan_seen_'s key prefix for a replica of a shard.
    static std::string orphan_key(const ShardServer& replica);
    /// Connects to `server` and keeps the session in `sessions` under `key`; nullptr (and
    /// `why`) when it cannot.
    SqlSession* open_session(std::map<std::string, std::unique_ptr<SqlSession>>& sessions,
                             const std::string& key, const ShardServer& server, std::string& why);
    /// The replica's session, like session().
    SqlSession* replica_session(const ShardServer& replica, std::string& why);
    /// What end_replica_orphans did on one replica.
    void end_orphans_on(const ShardServer& replica, std::chrono::milliseconds grace,
                        std::vector<Resolution>& out);
    std::string decision(const ShardServer& coordinator, const std::string& txn, bool record);

    std::vector<ShardServer> shards_;
    std::chrono::milliseconds timeout_;
    std::vector<ShardServer> replicas_;
    std::map<std::string, std::unique_ptr<SqlSession>> sessions_;
    std::map<std::string, std::unique_ptr<SqlSession>> replica_sessions_;     ///< by host:port
    std::map<std::string, std::chrono::steady_clock::time_point> first_seen_; ///< shard/gid
    /// orphan_key/gid of branches prepared on a replica and not on its primary, since when.
    std::map<std::string, std::chrono::steady_clock::time_point> orphan_seen_;
};

} // namespace shardgate::txn
