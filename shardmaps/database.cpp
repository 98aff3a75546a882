// Logical databases: shard and table lookup, with the default shard for unnamed tables.
#include "shardgate/shardmaps/database.hpp"

#include <algorithm>
#include <cctype>
#include <strings.h>

namespace shardgate::shardmaps {
namespace {

/// Equal names; with `fold`, ASCII case-insensitively (lower_case_table_names 1 and 2).
bool same_name(std::string_view a, std::string_view b, bool fold) {
    return a == b || (fold && a.size() == b.size() &&
                      std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
                          return std::tolower(static_cast<unsigned char>(x)) ==
                                 std::tolower(static_cast<unsigned char>(y));
                      }));
}

} // namespace

std::string quoted_identifier(Engine engine, std::string_view name) {
    const char quote = engine == Engine::mysql ? '`' : '"';
    std::string out(1, quote);
    for (const char c : name) {
        out += c;
        if (c == quote) {
            out += quote;
        }
    }
    out += quote;
    return out;
}

std::string_view engine_name(Engine engine) {
    return engine == Engine::postgresql ? "postgresql" : "mysql";
}

std::string_view pool_mode_name(PoolMode mode) {
    return mode == PoolMode::session ? "session" : "transaction";
}

std::string_view read_policy_name(ReadPolicy policy) {
    return policy == ReadPolicy::primary ? "primary" : "replica";
}

std::string_view unparsable_policy_name(UnparsablePolicy policy) {
    return policy == UnparsablePolicy::reject ? "reject" : "default_shard";
}

std::string_view shard_key_updates_name(ShardKeyUpdates policy) {
    return policy == ShardKeyUpdates::move ? "move" : "reject";
}

std::string_view keyless_write_policy_name(KeylessWritePolicy policy) {
    return policy == KeylessWritePolicy::reject ? "reject" : "broadcast";
}

std::string_view cross_shard_transactions_name(CrossShardTransactions policy) {
    return policy == CrossShardTransactions::reject ? "reject" : "two_phase";
}

Database::Database(std::string name, Engine engine, std::vector<Shard> shards,
                   ShardId default_shard, DatabaseSettings settings, std::vector<Table> tables)
    : name_(std::move(name)), engine_(engine), shards_(std::move(shards)),
      default_shard_(default_shard), settings_(settings),
      unnamed_(Table::vertical("", default_shard)) {
    for (auto& table : tables) {
        auto table_name = table.name();
        tables_.emplace(std::move(table_name), std::move(table));
    }
}

std::optional<ShardId> Database::find_shard(std::string_view shard_name) const {
    for (ShardId id = 0; id < shards_.size(); ++id) {
        if (shards_[id].name == shard_name) {
            return id;
        }
    }
    return std::nullopt;
}

void Database::place_sequence(std::string name, ShardId shard) {
    auto placement = Table::vertical(name, shard);
    sequences_.insert_or_assign(std::move(name), std::move(placement));
}

void Database::place_channel(std::string name, ShardId shard) {
    channels_.insert_or_assign(std::move(name), shard);
}

const Table* Database::find_table(std::string_view table_name) const {
    return find_named(tables_, table_name);
}

const Table* Database::find_sequence(std::string_view sequence_name) const {
    return find_named(sequences_, sequence_name);
}

const Table* Database::find_generated(std::string_view sequence) const {
    const bool fold = settings_.table_name_case == TableNameCase::insensitive;
    for (const auto& [name, table] : tables_) {
        const auto* generation = table.key_generation();
        if (generation == nullptr) {
            continue;
        }
        if (same_name(generation->sequence, sequence, fold)) {
            return &table;
        }
    }
    return nullptr;
}

std::optional<std::uint32_t> Database::cache_ttl_ms(const std::vector<std::string>& tables) const {
    const auto& cached = settings_.result_cache;
    if (cached.empty() || tables.empty()) {
        return std::nullopt;
    }
    const bool fold = settings_.table_name_case == TableNameCase::insensitive;
    std::optional<std::uint32_t> ttl;
    for (const auto& table : tables) {
        const auto it = std::find_if(cached.begin(), cached.end(), [&](const auto& entry) {
            return same_name(entry.first, table, fold);
        });
        if (it == cached.end()) {
            return std::nullopt;
        }
        ttl = ttl ? std::min(*ttl, it->second) : it->second;
    }
    return ttl;
}

ShardId Database::id_counter_shard(std::string_view sequence) const {
    const Table* placed = find_sequence(sequence);
    return placed != nullptr ? placed->shard() : default_shard_;
}

ShardId Database::channel_shard(std::string_view channel) const {
    const auto it = channels_.find(channel);
    return it != channels_.end() ? it->second : default_shard_;
}

const Table* Database::find_named(const std::map<std::string, Table, std::less<>>& in,
                                  std::string_view table_name) const {
    if (const auto it = in.find(table_name); it != in.end()) {
        return &it->second;
    }
    if (settings_.table_name_case == TableNameCase::exact) {
        return nullptr;
    }
    for (const auto& [name, table] : in) {
        if (name.size() == table_name.size() &&
            strncasecmp(name.data(), table_name.data(), name.size()) == 0) {
            return &table;
        }
    }
    return nullptr;
}

const Table& Database::placement(std::string_view table_name) const {
    const Table* table = find_table(table_name);
    return table != nullptr ? *table : unnamed_;
}

Result<Location> Database::locate(std::string_view table_name, const KeyValue& key) const {
    return placement(table_name).locate(key);
}

} // namespace shardgate::shardmaps
