// Where a resharding workflow's state lives, and the lock that lets one shardctl at a time run
// it: in etcd (`<prefix>/reshard/<name>`, locked by a key under a lease) when the proxies share
// their map there; otherwise — proxies whose maps come from files, reached through their admin
// APIs (`--admin`) — in a table on a designated shard's primary, `shardgate_reshard_workflows`,
// locked by a session lock of that server (pg_try_advisory_lock / GET_LOCK) which the
// connection of a shardctl killed -9 lets go. docs/resharding.md, "Without etcd".
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace shardctl::reshard {

struct StoreOptions {
    std::string name; ///< the workflow
    std::string etcd;
    std::string prefix;
    std::vector<std::string> admins; ///< non-empty: no etcd, the state in a shard's table
    std::string token;
    std::string state_shard; ///< "" : the first shard of the map's first database
    std::string user;
    std::string password;
    /// A map that names the state shard's server (`start`: --from); "" : the map the first
    /// reachable proxy runs (GET /map).
    std::string map_text;
    /// `start`: the target map, which must give the state shard the same primary.
    std::string target_map_text;
};

class WorkflowStore {
public:
    virtual ~WorkflowStore() = default;
    /// The workflow's saved document (JSON text), nullopt when there is none.
    virtual std::optional<std::string> load() const = 0;
    virtual void save(const std::string& doc) const = 0;
    /// Takes the workflow's lock for this process's life; false when another shardctl has it.
    virtual bool lock() = 0;
    /// The epoch of the map the proxies run: etcd's shared map ("etcd" -> epoch), or each
    /// admin URL's. Throws when one cannot be read.
    virtual std::map<std::string, std::uint64_t> running_epochs() const = 0;
    /// Where the state is, for messages: "etcd /shardgate", "shardgate_reshard_workflows on pg0".
    virtual std::string where() const = 0;
    /// The admin URLs of the proxies: the --admin list, or those registered in etcd.
    virtual std::vector<std::string> proxy_admins() const = 0;
    /// Tells the proxies a workflow's document (JSON text, with its maps), so that they hide
    /// the copies in cross-shard reads of MariaDB tables in mid-move and list it in GET
    /// /reshard: without etcd, POST /reshard to each admin URL; with etcd the proxies read it
    /// there, and with `wait` this waits (3 s at most) until every proxy registered in etcd
    /// lists this run of the workflow (name and started_ms) as read (without it, one look).
    /// What went wrong, one line per proxy that did not take it (or for etcd itself).
    virtual std::vector<std::string> announce(const std::string& doc, bool wait) const = 0;
    /// Hands the proxies a shadow-reads spec (JSON text; "sample": 0 ends it): `<prefix>/shadow`
    /// in etcd, else POST /shadow to each. Throws when one refuses or cannot be reached.
    virtual void publish_shadow(const std::string& spec) const = 0;
};

std::unique_ptr<WorkflowStore> open_store(const StoreOptions& options);

} // namespace shardctl::reshard
