// Builds the JSON documents printed by show --json and diff --json.
#include "map_json.hpp"

#include "shardgate/shardmaps/consistent_hash_scheme.hpp"
#include "shardgate/shardmaps/hash_scheme.hpp"
#include "shardgate/shardmaps/keyspace_id.hpp"
#include "shardgate/shardmaps/list_scheme.hpp"
#include "shardgate/shardmaps/time_scheme.hpp"

#include <limits>

namespace shardctl {

using nlohmann::json;
namespace sm = shardgate::shardmaps;

namespace {

json shard_name_or_null(const sm::Database& db, std::optional<sm::ShardId> id) {
    return id ? json(db.shard(*id).name) : json(nullptr);
}

json shard_json(const sm::Shard& shard) {
    json replicas = json::array();
    for (const auto& replica : shard.replicas) {
        replicas.push_back(
            {{"endpoint", replica.endpoint.to_string()}, {"weight", replica.weight}});
    }
    return {{"name", shard.name},
            {"primary", shard.primary.to_string()},
            {"replicas", replicas},
            {"max_replica_lag_ms", shard.reads.max_replica_lag_ms},
            {"read_routing",
             {{"balance", sm::balance_policy_name(shard.reads.balance)},
              {"fallback", sm::lag_fallback_name(shard.reads.fallback)},
              {"read_your_writes", sm::read_your_writes_name(shard.reads.read_your_writes)},
              {"read_your_writes_window_ms", shard.reads.read_your_writes_window_ms},
              {"primary_weight", shard.reads.primary_weight}}}};
}

json int_or_null(std::int64_t value, std::int64_t open_end) {
    return value == open_end ? json(nullptr) : json(value);
}

void add_hash(const sm::Database& db, const sm::HashScheme& scheme, json& out) {
    out["hash_ranges"] = json::array();
    for (const auto& r : scheme.ranges()) {
        out["hash_ranges"].push_back({{"from", sm::keyspace_id_hex(r.first)},
                                      {"to", sm::keyspace_id_hex(r.last)},
                                      {"shard", db.shard(r.shard).name}});
    }
}

void add_ring(const sm::Database& db, const sm::ConsistentHashScheme& scheme, json& out) {
    out["vnodes"] = scheme.vnodes();
    out["ring"] = json::array();
    for (const auto& p : scheme.points()) {
        out["ring"].push_back({{"point", sm::keyspace_id_hex(p.point)},
                               {"shard", db.shard(p.shard).name},
                               {"vnode", p.vnode}});
    }
}

void add_range(const sm::Database& db, const sm::RangeScheme& scheme, json& out) {
    constexpr auto lo = std::numeric_limits<std::int64_t>::min();
    constexpr auto hi = std::numeric_limits<std::int64_t>::max();
    out["ranges"] = json::array();
    for (const auto& r : scheme.integer_ranges()) {
        out["ranges"].push_back({{"from", int_or_null(r.first, lo)},
                                 {"to", int_or_null(r.last, hi)},
                                 {"shard", db.shard(r.shard).name}});
    }
    for (const auto& r : scheme.text_ranges()) {
        json entry = {{"from", r.first}, {"shard", db.shard(r.shard).name}};
        entry[r.last_inclusive ? "to" : "before"] = r.last ? json(*r.last) : json(nullptr);
        out["ranges"].push_back(entry);
    }
    out["default_shard"] = shard_name_or_null(db, scheme.default_shard());
}

void add_list(const sm::Database& db, const sm::ListScheme& scheme, json& out) {
    out["lists"] = json::array();
    for (const auto& e : scheme.entries()) {
        out["lists"].push_back({{"value", e.value}, {"shard", db.shard(e.shard).name}});
    }
    out["default_shard"] = shard_name_or_null(db, scheme.default_shard());
}

void add_time(const sm::Database& db, const sm::TimeScheme& scheme, json& out) {
    constexpr auto lo = std::numeric_limits<std::int64_t>::min();
    constexpr auto hi = std::numeric_limits<std::int64_t>::max();
    out["interval"] = sm::interval_name(scheme.interval());
    out["buckets"] = json::array();
    for (const auto& r : scheme.bucket_ranges()) {
        out["buckets"].push_back(
            {{"from",
              r.first == lo ? json(nullptr) : json(sm::bucket_label(r.first, scheme.interval()))},
             {"to",
              r.last == hi ? json(nullptr) : json(sm::bucket_label(r.last, scheme.interval()))},
             {"shard", db.shard(r.shard).name}});
    }
    out["default_shard"] = shard_name_or_null(db, scheme.default_shard());
}

void add_scheme(const sm::Database& db, const sm::Scheme& scheme, json& out) {
    switch (scheme.kind()) {
    case sm::SchemeKind::hash:
        add_hash(db, static_cast<const sm::HashScheme&>(scheme), out);
        break;
    case sm::SchemeKind::consistent_hash:
        add_ring(db, static_cast<const sm::ConsistentHashScheme&>(scheme), out);
        break;
    case sm::SchemeKind::range:
        add_range(db, static_cast<const sm::RangeScheme&>(scheme), out);
        break;
    case sm::SchemeKind::list:
        add_list(db, static_cast<const sm::ListScheme&>(scheme), out);
        break;
    case sm::SchemeKind::time:
        add_time(db, static_cast<const sm::TimeScheme&>(scheme), out);
        break;
    }
}

json database_json(const sm::Database& db) {
    json shards = json::array();
    for (const auto& shard : db.shards()) {
        shards.push_back(shard_json(shard));
    }
    json tables = json::array();
    for (const auto& [name, table] : db.tables()) {
        tables.push_back(table_to_json(db, table));
    }
    json sequences = json::object();
    for (const auto& [name, placement] : db.sequences()) {
        sequences[name] = db.shard(placement.shard()).name;
    }
    json channels = json::object();
    for (const auto& [name, shard] : db.channels()) {
        channels[name] = db.shard(shard).name;
    }
    nlohmann::json out{
        {"name", db.name()},
        {"engine", sm::engine_name(db.engine())},
        {"sequences", sequences},
        {"channels", channels},
        {"default_shard", db.shard(db.default_shard()).name},
        {"settings",
         {{"pool_mode", sm::pool_mode_name(db.settings().pool_mode)},
          {"read_policy", sm::read_policy_name(db.settings().read_policy)},
          {"unparsable", sm::unparsable_policy_name(db.settings().unparsable)},
          {"keyless_writes", sm::keyless_write_policy_name(db.settings().keyless_writes)},
          {"shard_key_updates", sm::shard_key_updates_name(db.settings().shard_key_updates)},
          {"cross_shard_transactions",
           sm::cross_shard_transactions_name(db.settings().cross_shard_transactions)}}},
        {"shards", shards},
        {"tables", tables}};
    for (const auto& [table, ttl] : db.settings().result_cache) {
        out["settings"]["result_cache"][table] = ttl;
    }
    return out;
}

} // namespace

json table_to_json(const sm::Database& db, const sm::Table& table) {
    json out = {{"name", table.name()}, {"placement", sm::table_kind_name(table.kind())}};
    if (table.kind() == sm::TableKind::vertical) {
        out["shard"] = db.shard(table.shard()).name;
        return out;
    }
    if (table.kind() == sm::TableKind::reference) {
        out["shards"] = json::array();
        for (auto id : table.shards()) {
            out["shards"].push_back(db.shard(id).name);
        }
        return out;
    }
    out["scheme"] = sm::scheme_kind_name(table.scheme()->kind());
    out["key"] = {{"column", table.key().column},
                  {"type", sm::key_type_name(table.key().type)},
                  {"case_insensitive", table.key().case_insensitive}};
    if (table.key().fraction_digits >= 0) {
        out["key"]["precision"] = table.key().fraction_digits; // (PostgreSQL time keys)
    }
    out["colocated_with"] =
        table.colocated_with().empty() ? json(nullptr) : json(table.colocated_with());
    add_scheme(db, *table.scheme(), out);
    return out;
}

json map_to_json(const sm::ShardMap& map) {
    json databases = json::array();
    for (const auto& db : map.databases()) {
        databases.push_back(database_json(db));
    }
    return {{"format_version", map.format_version()},
            {"epoch", map.epoch()},
            {"placement_function",
             {{"version", sm::placement_function_version},
              {"name", "md5-64: first 8 bytes of MD5(canonical key), big-endian"}}},
            {"databases", databases}};
}

json diff_to_json(const sm::MapDiff& diff) {
    json tables = json::array();
    for (const auto& t : diff.tables) {
        json moves = json::array();
        for (const auto& m : t.moves) {
            moves.push_back(
                {{"kind", m.kind},
                 {"first", m.first},
                 {"last", m.last},
                 {"from_shard", m.from_shard.empty() ? json(nullptr) : json(m.from_shard)},
                 {"to_shard", m.to_shard.empty() ? json(nullptr) : json(m.to_shard)}});
        }
        tables.push_back(
            {{"database", t.database},
             {"table", t.table},
             {"change", t.change},
             {"old_placement", t.old_placement.empty() ? json(nullptr) : json(t.old_placement)},
             {"new_placement", t.new_placement.empty() ? json(nullptr) : json(t.new_placement)},
             {"moved_fraction", t.moved_fraction ? json(*t.moved_fraction) : json(nullptr)},
             {"moves", moves}});
    }
    return {{"old_epoch", diff.old_epoch},
            {"new_epoch", diff.new_epoch},
            {"notes", diff.notes},
            {"tables", tables}};
}

} // namespace shardctl
