// One logical database of a shard map: engine, shards, settings and tables.
#pragma once

#include "shardgate/shardmaps/shard.hpp"
#include "shardgate/shardmaps/table.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shardgate::shardmaps {

/// The wire protocol and SQL dialect of a database's servers.
enum class Engine { postgresql, mysql };
std::string_view engine_name(Engine engine);
/// `name` quoted as an identifier of `engine`'s SQL ("name" or `name`, quotes doubled).
std::string quoted_identifier(Engine engine, std::string_view name);

/// Backend pooling mode the proxies use for this database.
enum class PoolMode { session, transaction };
std::string_view pool_mode_name(PoolMode mode);

/// Where reads go: always the primary, or a healthy fresh-enough replica (primary fallback).
enum class ReadPolicy { primary, replica };
std::string_view read_policy_name(ReadPolicy policy);

/// What the router does with a statement the parser cannot understand.
enum class UnparsablePolicy { reject, default_shard };
std::string_view unparsable_policy_name(UnparsablePolicy policy);

/// What the router does with an UPDATE/DELETE on a sharded table that has no shard-key
/// condition: refuse it (default) or run it on every shard of the table.
enum class KeylessWritePolicy { reject, broadcast };
std::string_view keyless_write_policy_name(KeylessWritePolicy policy);

/// What a proxy does with an UPDATE that changes a row's shard key to a value of another
/// shard: refuse it, or move the rows (update, read, delete on the old shard, insert on the new
/// one, in one distributed transaction).
enum class ShardKeyUpdates { reject, move };
std::string_view shard_key_updates_name(ShardKeyUpdates policy);

/// What a proxy does with a transaction that needs a second shard: refuse the statement, or
/// open a transaction there too and commit them all with two-phase commit (default).
enum class CrossShardTransactions { reject, two_phase };
std::string_view cross_shard_transactions_name(CrossShardTransactions policy);

/// How a MySQL database's servers compare table names: the server variable
/// `lower_case_table_names` (0: as written, case-sensitive; 1 and 2: case-insensitive).
/// PostgreSQL databases always use `exact` (the parser folds unquoted names to lower case).
enum class TableNameCase { exact, insensitive };

/// Per-database settings read by the planner and the proxies.
struct DatabaseSettings {
    PoolMode pool_mode = PoolMode::transaction;
    ReadPolicy read_policy = ReadPolicy::replica;
    UnparsablePolicy unparsable = UnparsablePolicy::reject;
    KeylessWritePolicy keyless_writes = KeylessWritePolicy::reject;
    ShardKeyUpdates shard_key_updates = ShardKeyUpdates::reject;
    CrossShardTransactions cross_shard_transactions = CrossShardTransactions::two_phase;
    /// From the map's `lower_case_table_names` (MySQL only; the proxy checks it against the
    /// servers at start).
    TableNameCase table_name_case = TableNameCase::exact;
    int lower_case_table_names = 0;
    /// `result_cache: {table: ttl_ms}`: reads of only these tables use the proxies' result
    /// cache with the smallest of their TTLs (as the hint cache_ttl_ms would), in map order.
    std::vector<std::pair<std::string, std::uint32_t>> result_cache;
};

/// A logical database. Immutable; all lookups are pure and thread-safe.
class Database {
public:
    /// Precondition: shards non-empty with distinct names, default_shard < shards.size(),
    /// table names distinct, every ShardId in tables valid.
    Database(std::string name, Engine engine, std::vector<Shard> shards, ShardId default_shard,
             DatabaseSettings settings, std::vector<Table> tables);

    /// Named objects that live on one shard outside the table list: sequences (advanced by
    /// nextval / NEXT VALUE FOR) and notification channels (LISTEN/NOTIFY, PostgreSQL).
    /// Unnamed ones are on the default shard's side of the statement (a sequence) or on the
    /// default shard (a channel).
    void place_sequence(std::string name, ShardId shard);
    void place_channel(std::string name, ShardId shard);

    const std::string& name() const { return name_; }
    Engine engine() const { return engine_; }
    /// Shards in map order; ShardId indexes this vector.
    const std::vector<Shard>& shards() const { return shards_; }
    const Shard& shard(ShardId id) const { return shards_[id]; }
    /// The shard id of a shard name, or nullopt.
    std::optional<ShardId> find_shard(std::string_view shard_name) const;
    /// Where tables the map does not name live (and, by policy, unparsable statements go).
    ShardId default_shard() const { return default_shard_; }
    const DatabaseSettings& settings() const { return settings_; }
    /// The result cache TTL of a read of `tables` (settings().result_cache): the smallest of
    /// theirs, nullopt when one of them has none (or `tables` is empty).
    std::optional<std::uint32_t> cache_ttl_ms(const std::vector<std::string>& tables) const;
    /// Tables by name as the map spells them (see find_table for the lookup rules).
    const std::map<std::string, Table, std::less<>>& tables() const { return tables_; }
    /// The named table, or nullptr when the map does not name it. Exact match, or
    /// case-insensitive when settings().table_name_case is `insensitive`. PostgreSQL callers
    /// pass names already folded by the parser; a name outside the default schema is passed
    /// as "schema.table" (docs/shardmaps.md, "Table names").
    const Table* find_table(std::string_view table_name) const;
    /// The named table, or for unnamed tables a vertical placement on the default shard.
    const Table& placement(std::string_view table_name) const;
    /// A sequence the map places, as a vertical placement on its shard; nullptr when the map
    /// does not name it. Names follow find_table's rules.
    const Table* find_sequence(std::string_view sequence_name) const;
    /// The table whose generated keys (its `id` setting) come from counter `sequence`; nullptr
    /// when no table's does. Names follow find_table's rules.
    const Table* find_generated(std::string_view sequence) const;
    /// The shard storing generated-id counter `sequence`: the shard the map's `sequences`
    /// places that name on, else the default shard.
    ShardId id_counter_shard(std::string_view sequence) const;
    /// The shard of a notification channel: the map's, else the default shard. Channel names
    /// are exact (PostgreSQL folds an unquoted LISTEN name before this lookup).
    ShardId channel_shard(std::string_view channel) const;
    const std::map<std::string, Table, std::less<>>& sequences() const { return sequences_; }
    const std::map<std::string, ShardId, std::less<>>& channels() const { return channels_; }
    /// placement(table_name).locate(key).
    Result<Location> locate(std::string_view table_name, const KeyValue& key) const;

private:
    std::string name_;
    Engine engine_;
    std::vector<Shard> shards_;
    ShardId default_shard_;
    DatabaseSettings settings_;
    std::map<std::string, Table, std::less<>> tables_;
    Table unnamed_; // vertical on the default shard
    std::map<std::string, Table, std::less<>> sequences_;
    std::map<std::string, ShardId, std::less<>> channels_;

    const Table* find_named(const std::map<std::string, Table, std::less<>>& in,
                            std::string_view name) const;
};

} // namespace shardgate::shardmaps
