// The running test topology (build/topology.json, written by scripts/topology) and
// connections to its servers through the control-plane client libraries.
#pragma once

#include <memory>
#include <mysql.h>
#include <pqxx/pqxx>
#include <string>
#include <vector>

namespace shardgate::testing {

/// One database server of the topology, as described in build/topology.json.
struct Server {
    std::string engine; ///< "postgresql" or "mysql"
    std::string shard;  ///< shard name, e.g. "pg0", "my1"
    std::string role;   ///< "primary" or "replica"
    std::string host;
    int port = 0;
    std::string user; ///< application user
    std::string password;
    std::string admin_user;
    std::string admin_password;
    std::string database; ///< physical database created for the demo (shop / social)
    std::string datadir;
};

/// Reads $SHARDGATE_TOPOLOGY (default build/topology.json). Throws when absent or malformed.
std::vector<Server> load_topology();

/// The servers of one engine and role, in shard order.
std::vector<Server> servers(const std::vector<Server>& all, const std::string& engine,
                            const std::string& role);

/// The server of `shard` with `role`; throws when missing.
Server find_server(const std::vector<Server>& all, const std::string& shard,
                   const std::string& role);

/// libpq connection string for a PostgreSQL server (admin or application credentials).
std::string pg_conninfo(const Server& server, bool admin = false, const std::string& database = "");

/// Runs a shell command; returns its exit status and puts its combined output in *output.
int run_command(const std::string& command, std::string* output = nullptr);

/// Runs scripts/topology with `arguments` (e.g. "lag pause pg0"); throws on failure.
void topology_script(const std::string& arguments);

/// An open libmysqlclient connection, closed on destruction.
class MysqlConnection {
public:
    MysqlConnection(const Server& server, bool admin = false, const std::string& database = "");
    ~MysqlConnection();
    MysqlConnection(const MysqlConnection&) = delete;
    MysqlConnection& operator=(const MysqlConnection&) = delete;

    /// Runs a statement that returns no rows; throws std::runtime_error with the server's
    /// message on failure.
    void execute(const std::string& sql);
    /// Runs a query and returns all rows as text (NULL as "NULL").
    std::vector<std::vector<std::string>> query(const std::string& sql);
    /// Like execute() but returns the server's error number (0 on success) instead of throwing.
    unsigned try_execute(const std::string& sql, std::string* message = nullptr);
    MYSQL* handle() { return mysql_; }

private:
    MYSQL* mysql_ = nullptr;
};

} // namespace shardgate::testing
