// diff_maps(): per table, the keys whose shard changes between two maps.
#include "shardgate/shardmaps/map_diff.hpp"

#include "shardgate/shardmaps/consistent_hash_scheme.hpp"
#include "shardgate/shardmaps/hash_scheme.hpp"
#include "shardgate/shardmaps/list_scheme.hpp"
#include "shardgate/shardmaps/time_scheme.hpp"

#include <algorithm>
#include <limits>
#include <set>

namespace shardgate::shardmaps {
namespace {

using Owner = std::optional<std::string>; // shard name, or nullopt when no shard

constexpr std::int64_t int_min = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t int_max = std::numeric_limits<std::int64_t>::max();

Owner name_of(const Database& db, std::optional<ShardId> id) {
    return id ? Owner(db.shard(*id).name) : std::nullopt;
}

/// The owner the new side names, unless `forced` (placement_segments: every segment "moves"
/// to a name no shard has, so that each is listed with its owner).
Owner new_name(const Database& b, std::optional<ShardId> id, const Owner* forced) {
    return forced ? *forced : name_of(b, id);
}

// Appends a move, merging it into the previous one when contiguous with the same shards.
void add_move(std::vector<Move>& moves, const std::string& kind, std::string first,
              std::string last, const Owner& from, const Owner& to, bool contiguous) {
    if (from == to) {
        return;
    }
    if (contiguous && !moves.empty() && moves.back().from_shard == from.value_or("") &&
        moves.back().to_shard == to.value_or("")) {
        moves.back().last = std::move(last);
        return;
    }
    moves.push_back({kind, std::move(first), std::move(last), from.value_or(""), to.value_or("")});
}

// Walks keyspace segments starting at each of `starts` (sorted, unique, starting at 0) and
// records those whose owner changes; returns the moved fraction of the keyspace.
template <class OldOwner, class NewOwner>
double diff_keyspace(const std::vector<KeyspaceId>& starts, OldOwner old_owner, NewOwner new_owner,
                     const std::string& kind, std::vector<Move>& moves) {
    unsigned __int128 moved = 0;
    bool previous_moved = false;
    for (std::size_t i = 0; i < starts.size(); ++i) {
        const KeyspaceId first = starts[i];
        const KeyspaceId last =
            i + 1 < starts.size() ? starts[i + 1] - 1 : std::numeric_limits<KeyspaceId>::max();
        const Owner from = old_owner(first), to = new_owner(first);
        const bool changes = from != to;
        if (changes) {
            moved += static_cast<unsigned __int128>(last - first) + 1;
            add_move(moves, kind, keyspace_id_hex(first), keyspace_id_hex(last), from, to,
                     previous_moved);
        }
        previous_moved = changes;
    }
    return static_cast<double>(moved) / 18446744073709551616.0;
}

std::vector<KeyspaceId> sorted_starts(std::vector<KeyspaceId> starts) {
    starts.push_back(0);
    std::sort(starts.begin(), starts.end());
    starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
    return starts;
}

double diff_hash(const Database& a, const HashScheme& x, const Database& b, const HashScheme& y,
                 std::vector<Move>& moves, const Owner* forced) {
    std::vector<KeyspaceId> starts;
    for (const auto* scheme : {&x, &y}) {
        for (const auto& range : scheme->ranges()) {
            starts.push_back(range.first);
        }
    }
    return diff_keyspace(
        sorted_starts(std::move(starts)), [&](KeyspaceId id) { return name_of(a, x.owner(id)); },
        [&](KeyspaceId id) { return new_name(b, y.owner(id), forced); }, "hash_range", moves);
}

double diff_ring(const Database& a, const ConsistentHashScheme& x, const Database& b,
                 const ConsistentHashScheme& y, std::vector<Move>& moves, const Owner* forced) {
    // Ownership can only change right after a point of either ring.
    std::vector<KeyspaceId> starts;
    for (const auto* scheme : {&x, &y}) {
        for (const auto& point : scheme->points()) {
            if (point.point != std::numeric_limits<KeyspaceId>::max()) {
                starts.push_back(point.point + 1);
            }
        }
    }
    return diff_keyspace(
        sorted_starts(std::move(starts)), [&](KeyspaceId id) { return name_of(a, x.owner(id)); },
        [&](KeyspaceId id) { return new_name(b, y.owner(id), forced); }, "ring_arc", moves);
}

// Integer-like keys (range values or time buckets): segments between every range boundary.
template <class OldOwner, class NewOwner, class Label>
void diff_integers(const std::vector<const std::vector<IntegerRange>*>& all, OldOwner old_owner,
                   NewOwner new_owner, Label label, const std::string& kind,
                   std::vector<Move>& moves) {
    std::vector<std::int64_t> starts{int_min};
    for (const auto* ranges : all) {
        for (const auto& range : *ranges) {
            starts.push_back(range.first);
            if (range.last != int_max) {
                starts.push_back(range.last + 1);
            }
        }
    }
    std::sort(starts.begin(), starts.end());
    starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
    bool previous_moved = false;
    for (std::size_t i = 0; i < starts.size(); ++i) {
        const std::int64_t first = starts[i];
        const std::int64_t last = i + 1 < starts.size() ? starts[i + 1] - 1 : int_max;
        const Owner from = old_owner(first), to = new_owner(first);
        add_move(moves, kind, first == int_min ? "" : label(first),
                 last == int_max ? "" : label(last), from, to, previous_moved);
        previous_moved = from != to;
    }
}

void diff_text_ranges(const Database& a, const RangeScheme& x, const Database& b,
                      const RangeScheme& y, std::vector<Move>& moves, const Owner* forced) {
    // Segment starts: every 'from', and the first string after every end.
    std::set<std::string> starts{""};
    for (const auto* scheme : {&x, &y}) {
        for (const auto& range : scheme->text_ranges()) {
            starts.insert(range.first);
            if (range.last) {
                starts.insert(range.last_inclusive ? *range.last + '\0' : *range.last);
            }
        }
    }
    for (auto it = starts.begin(); it != starts.end(); ++it) {
        const Owner from = name_of(a, x.owner(*it)), to = new_name(b, y.owner(*it), forced);
        const auto next = std::next(it);
        // Moves of text ranges carry the exclusive end as "<end" (open end: "").
        add_move(moves, "range", *it, next == starts.end() ? "" : "<" + *next, from, to, false);
    }
}

void diff_lists(const Database& a, const ListScheme& x, const Database& b, const ListScheme& y,
                std::vector<Move>& moves, const Owner* forced) {
    std::set<std::string> values;
    for (const auto* scheme : {&x, &y}) {
        for (const auto& entry : scheme->entries()) {
            values.insert(entry.value);
        }
    }
    for (const auto& value : values) {
        add_move(moves, "list_value", value, value, name_of(a, x.owner(value)),
                 new_name(b, y.owner(value), forced), false);
    }
    const auto before = moves.size();
    add_move(moves, "default", "", "", name_of(a, x.default_shard()),
             new_name(b, y.default_shard(), forced), false);
    if (moves.size() > before) {
        moves.back().listed.assign(values.begin(), values.end());
    }
}

// Compares two horizontal tables of the same scheme kind; false when they are incomparable.
bool diff_schemes(const Database& a, const Scheme& x, const Database& b, const Scheme& y,
                  TableDiff& diff, const Owner* forced = nullptr) {
    auto& moves = diff.moves;
    if (x.kind() == SchemeKind::hash) {
        diff.moved_fraction = diff_hash(a, static_cast<const HashScheme&>(x), b,
                                        static_cast<const HashScheme&>(y), moves, forced);
    } else if (x.kind() == SchemeKind::consistent_hash) {
        diff.moved_fraction = diff_ring(a, static_cast<const ConsistentHashScheme&>(x), b,
                                        static_cast<const ConsistentHashScheme&>(y), moves, forced);
    } else if (x.kind() == SchemeKind::list) {
        diff_lists(a, static_cast<const ListScheme&>(x), b, static_cast<const ListScheme&>(y),
                   moves, forced);
    } else if (x.kind() == SchemeKind::range) {
        const auto& rx = static_cast<const RangeScheme&>(x);
        const auto& ry = static_cast<const RangeScheme&>(y);
        if (rx.integer_keys() != ry.integer_keys()) {
            return false;
        }
        if (!rx.integer_keys()) {
            diff_text_ranges(a, rx, b, ry, moves, forced);
            return true;
        }
        diff_integers(
            {&rx.integer_ranges(), &ry.integer_ranges()},
            [&](std::int64_t v) { return name_of(a, rx.owner(v)); },
            [&](std::int64_t v) { return new_name(b, ry.owner(v), forced); },
            [](std::int64_t v) { return std::to_string(v); }, "range", moves);
    } else {
        const auto& tx = static_cast<const TimeScheme&>(x);
        const auto& ty = static_cast<const TimeScheme&>(y);
        if (tx.interval() != ty.interval()) {
            return false;
        }
        // Owner lookups by bucket go through the bucket ranges (owner() takes seconds).
        const RangeScheme bx(tx.bucket_ranges(), tx.default_shard());
        const RangeScheme by(ty.bucket_ranges(), ty.default_shard());
        diff_integers(
            {&tx.bucket_ranges(), &ty.bucket_ranges()},
            [&](std::int64_t v) { return name_of(a, bx.owner(v)); },
            [&](std::int64_t v) { return new_name(b, by.owner(v), forced); },
            [&](std::int64_t v) { return bucket_label(v, tx.interval()); }, "time_bucket", moves);
    }
    return true;
}

void diff_table(const Database& a, const Table& x, const Database& b, const Table& y,
                TableDiff& diff) {
    // (another key, or a key read otherwise, places rows anew: the whole table moves)
    const bool same_kind =
        x.kind() == y.kind() && (x.kind() != TableKind::horizontal ||
                                 (x.scheme()->kind() == y.scheme()->kind() && x.key() == y.key()));
    bool compared = false;
    if (same_kind && x.kind() == TableKind::horizontal) {
        compared = diff_schemes(a, *x.scheme(), b, *y.scheme(), diff);
    } else if (same_kind && x.kind() == TableKind::vertical) {
        add_move(diff.moves, "table", "", "", a.shard(x.shard()).name, b.shard(y.shard()).name,
                 false);
        compared = true;
    } else if (same_kind) {
        compared = true; // reference tables stay on every shard
    }
    if (!compared) {
        diff.moves.push_back({"table", "", "", diff.old_placement, diff.new_placement});
    }
    diff.change = diff.moves.empty() ? "unchanged" : "moved";
}

void diff_shards(const Database& a, const Database& b, std::vector<std::string>& notes) {
    const std::string prefix = "database " + a.name() + ": ";
    for (const auto& shard : a.shards()) {
        const auto id = b.find_shard(shard.name);
        if (!id) {
            notes.push_back(prefix + "shard " + shard.name + " removed");
        } else if (!(b.shard(*id) == shard)) {
            notes.push_back(prefix + "shard " + shard.name + " servers or limits changed");
        }
    }
    for (const auto& shard : b.shards()) {
        if (!a.find_shard(shard.name)) {
            notes.push_back(prefix + "shard " + shard.name + " added");
        }
    }
    if (a.shard(a.default_shard()).name != b.shard(b.default_shard()).name) {
        notes.push_back(prefix + "default shard " + a.shard(a.default_shard()).name + " -> " +
                        b.shard(b.default_shard()).name + " (tables the map does not name move)");
    }
}

void diff_database(const Database* a, const Database* b, MapDiff& result) {
    if (a == nullptr || b == nullptr) {
        result.notes.push_back("database " + (a ? a->name() : b->name()) +
                               (a ? " removed" : " added"));
    } else {
        diff_shards(*a, *b, result.notes);
    }
    std::set<std::string> names;
    for (const auto* db : {a, b}) {
        for (const auto& [name, table] :
             db ? db->tables() : std::map<std::string, Table, std::less<>>{}) {
            names.insert(name);
        }
    }
    for (const auto& name : names) {
        const Table* x = a ? a->find_table(name) : nullptr;
        const Table* y = b ? b->find_table(name) : nullptr;
        TableDiff diff;
        diff.database = a ? a->name() : b->name();
        diff.table = name;
        diff.old_placement = x ? describe_placement(*a, *x) : "";
        diff.new_placement = y ? describe_placement(*b, *y) : "";
        if (x && y) {
            diff_table(*a, *x, *b, *y, diff);
        } else {
            diff.change = x ? "removed" : "added";
        }
        result.tables.push_back(std::move(diff));
    }
}

} // namespace

std::string describe_placement(const Database& database, const Table& table) {
    switch (table.kind()) {
    case TableKind::vertical:
        return "vertical(" + database.shard(table.shard()).name + ")";
    case TableKind::reference:
        return "reference";
    case TableKind::horizontal:
        break;
    }
    const std::string scheme(scheme_kind_name(table.scheme()->kind()));
    if (!table.colocated_with().empty()) {
        return "colocated(" + table.colocated_with() + ") " + scheme + "(" + table.key().column +
               ")";
    }
    return scheme + "(" + table.key().column + ")";
}

std::vector<Move> table_moves(const Database& a, const Table& x, const Database& b,
                              const Table& y) {
    TableDiff diff;
    diff.old_placement = describe_placement(a, x);
    diff.new_placement = describe_placement(b, y);
    diff_table(a, x, b, y, diff);
    return std::move(diff.moves);
}

std::vector<Move> placement_segments(const Database& database, const Table& table) {
    if (table.kind() != TableKind::horizontal) {
        return {};
    }
    // Every segment "moves" from its owner to a name no shard has: listed once, with its owner
    // (a segment no shard owns is listed with from_shard "").
    const Owner nowhere = std::string("\x01");
    TableDiff diff;
    diff_schemes(database, *table.scheme(), database, *table.scheme(), diff, &nowhere);
    for (auto& move : diff.moves) {
        move.to_shard.clear();
    }
    return std::move(diff.moves);
}

MapDiff diff_maps(const ShardMap& old_map, const ShardMap& new_map) {
    MapDiff result;
    result.old_epoch = old_map.epoch();
    result.new_epoch = new_map.epoch();
    std::set<std::string> names;
    for (const auto* map : {&old_map, &new_map}) {
        for (const auto& db : map->databases()) {
            names.insert(db.name());
        }
    }
    for (const auto& name : names) {
        diff_database(old_map.find_database(name), new_map.find_database(name), result);
    }
    return result;
}

std::vector<std::string> live_refusals(const ShardMap& old_map, const ShardMap& new_map) {
    std::vector<std::string> refusals;
    for (const auto& before : old_map.databases()) {
        const auto* after = new_map.find_database(before.name());
        if (after == nullptr) {
            refusals.push_back("database " + before.name() + " is removed");
            continue;
        }
        if (after->engine() != before.engine()) {
            refusals.push_back("database " + before.name() + " changes engine (" +
                               std::string(engine_name(before.engine())) + " -> " +
                               std::string(engine_name(after->engine())) + ")");
            continue;
        }
        const auto& old_shards = before.shards();
        const auto& new_shards = after->shards();
        for (std::size_t s = 0; s < old_shards.size(); ++s) {
            if (s >= new_shards.size()) {
                refusals.push_back("database " + before.name() + ": shard " + old_shards[s].name +
                                   " is removed");
            } else if (old_shards[s].name != new_shards[s].name) {
                refusals.push_back("database " + before.name() + ": shard " + old_shards[s].name +
                                   " becomes " + new_shards[s].name +
                                   " (shards are only added after the existing ones)");
            }
        }
    }
    return refusals;
}

} // namespace shardgate::shardmaps
