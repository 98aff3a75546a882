// The resharding workflows a proxy knows of, and the tables they leave on two shards. Proxies
// that share their map through etcd read the workflows there (EtcdStore); proxies whose maps
// come from files are told by shardctl, which POSTs each workflow's document to their admin
// APIs (`POST /reshard`) whenever it saves it. Either way a MariaDB table in mid-move is
// "split" (BackendRegistry::split_tables), and its cross-shard reads hide on each shard the rows
// it holds without owning them (owned_rows.hpp; PostgreSQL's copies are hidden by row-level
// security on the servers).
#pragma once

#include "shardgate/proxy/backend_registry.hpp"

#include <cstddef>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

namespace shardgate::proxy {

/// The maps of workflow documents, each text parsed once while it is in use.
class WorkflowMaps {
public:
    /// `text` parsed (nullptr when it is empty or not a valid map, and the reason in `why`
    /// unless it holds one already).
    shardmaps::ShardMapPtr parse(const std::string& text, std::string& why);
    /// Drops the maps not asked for since the last call.
    void forget_unused();

private:
    std::map<std::string, shardmaps::ShardMapPtr> maps_;
    std::map<std::string, shardmaps::ShardMapPtr> used_;
};

/// Adds to `split` the tables `workflow` (a workflow's JSON document, with its `from_map` and
/// `to_map`) has on two shards now: key-range moves (not whole tables, not reference copies) of
/// a MariaDB database of `map` (the running one), in a phase between the start of the copy and
/// `complete` / `abort` / `rollback`.
void note_split_tables(const shardmaps::ShardMap& map, const nlohmann::json& workflow,
                       BackendRegistry::SplitTables& split, WorkflowMaps& maps);

/// A state file that cannot be read back (ReshardBoard's constructor).
struct ReshardStateError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// The workflows POSTed to a proxy whose map comes from a file; thread-safe.
class ReshardBoard {
public:
    /// `state_file` (config reshard_state_file; "" = none): the workflows are read from it
    /// now (throws ReshardStateError when it exists but cannot be read) and written to it,
    /// whole and atomically (a temporary file renamed over it), at every accepted post.
    explicit ReshardBoard(const BackendRegistry& registry, std::string state_file = {});

    /// POST /reshard: adds or replaces the workflow named by `doc`'s "name" (with the maps it
    /// carries, which view() leaves out) and recomputes the registry's split tables. "" when taken,
    /// else why not (no name, no phase, `started_ms` not an integer, too many workflows, the state
    /// file could not be written: nothing changes then). Reports that come late are ignored: of an
    /// earlier run of the name (smaller `started_ms`), or an unfinished phase of a run that has
    /// finished (completed, aborted, rolled back).
    std::string post(nlohmann::json doc);
    /// {"workflows": [...]}, as EtcdStore::workflows() (GET /reshard, SHOW RESHARD).
    nlohmann::json view() const;

    /// Workflows kept at most; a new one then replaces the oldest finished one.
    static constexpr std::size_t max_workflows = 64;

private:
    /// Recomputes the registry's split tables from workflows_ (mutex_ held).
    void publish_split_tables();
    /// Writes workflows_ to the state file; "" or why not (mutex_ held).
    std::string save() const;

    const BackendRegistry& registry_;
    std::string state_file_;
    mutable std::mutex mutex_;
    std::map<std::string, nlohmann::json> workflows_; ///< by name
};

} // namespace shardgate::proxy
