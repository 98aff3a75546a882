// Terminal tables for show and diff, built from the same JSON documents as --json so the
// two forms can never disagree.
#include "map_text.hpp"

#include "map_json.hpp"
#include "map_text_table.hpp"

#include <cstdio>
#include <map>

namespace shardctl {

using nlohmann::json;
namespace sm = shardgate::shardmaps;

namespace {

std::string text(const json& value) {
    if (value.is_null()) {
        return "*";
    }
    return value.is_string() ? value.get<std::string>() : value.dump();
}

/// "off", "causal" or "window 200 ms".
std::string read_your_writes_text(const json& reads) {
    const auto mode = text(reads["read_your_writes"]);
    return mode == "window" ? mode + " " + text(reads["read_your_writes_window_ms"]) + " ms" : mode;
}

std::string percent(double fraction) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.2f%%", fraction * 100.0);
    return buffer;
}

// Share of the keyspace each shard's arcs cover (an arc ends at its owner's point).
std::map<std::string, double> ring_shares(const json& ring) {
    std::map<std::string, double> shares;
    const double space = 18446744073709551616.0;
    for (std::size_t i = 0; i < ring.size(); ++i) {
        const auto point = std::stoull(ring[i]["point"].get<std::string>(), nullptr, 16);
        const auto prev = std::stoull(
            ring[(i + ring.size() - 1) % ring.size()]["point"].get<std::string>(), nullptr, 16);
        const std::uint64_t arc = point - prev; // wraps correctly for the first point
        shares[ring[i]["shard"]] += (ring.size() == 1 ? space : static_cast<double>(arc)) / space;
    }
    return shares;
}

void print_details(std::ostream& out, const json& table, bool ring_points) {
    TextTable rows({"from", "to", "shard"});
    bool any = false;
    for (const char* field : {"hash_ranges", "ranges", "buckets"}) {
        for (const auto& r : table.value(field, json::array())) {
            const std::string last = r.contains("before")
                                         ? std::string("before ").append(text(r["before"]))
                                         : text(r["to"]);
            rows.add({text(r["from"]), last, text(r["shard"])});
            any = true;
        }
    }
    if (any) {
        rows.print(out, 6);
    }
    if (table.contains("lists")) {
        std::map<std::string, std::string> by_shard;
        for (const auto& e : table["lists"]) {
            auto& values = by_shard[e["shard"]];
            values.append(values.empty() ? "" : " ").append(e["value"].get<std::string>());
        }
        for (const auto& [shard, values] : by_shard) {
            out << "      " << shard << ": " << values << '\n';
        }
    }
    if (table.contains("default_shard") && !table["default_shard"].is_null()) {
        out << "      default: " << text(table["default_shard"]) << '\n';
    }
    if (table.contains("ring")) {
        out << "      ring: " << table["vnodes"] << " points per shard; keyspace share:";
        for (const auto& [shard, share] : ring_shares(table["ring"])) {
            out << ' ' << shard << ' ' << percent(share);
        }
        out << '\n';
        if (ring_points) {
            TextTable points({"point", "shard", "vnode"});
            for (const auto& p : table["ring"]) {
                points.add({text(p["point"]), text(p["shard"]), text(p["vnode"])});
            }
            points.print(out, 6);
        }
    }
}

std::string placement_summary(const json& table) {
    const std::string placement = table["placement"];
    if (placement == "vertical") {
        return "vertical on " + text(table["shard"]);
    }
    if (placement == "reference") {
        return "reference (every shard)";
    }
    std::string summary =
        text(table["scheme"]) + " by " + text(table["key"]["column"]) + " (" +
        text(table["key"]["type"]) +
        (table["key"]["case_insensitive"].get<bool>() ? ", case-insensitive" : "") + ")";
    if (table.contains("interval")) {
        summary += ", " + text(table["interval"]);
    }
    if (!table["colocated_with"].is_null()) {
        summary += ", co-located with " + text(table["colocated_with"]);
    }
    return summary;
}

void print_database(std::ostream& out, const json& db, bool ring_points) {
    out << "database " << text(db["name"]) << " (" << text(db["engine"]) << ")  default shard "
        << text(db["default_shard"]) << "  pool " << text(db["settings"]["pool_mode"]) << "  reads "
        << text(db["settings"]["read_policy"]) << "  unparsable "
        << text(db["settings"]["unparsable"]) << "  keyless writes "
        << text(db["settings"]["keyless_writes"]) << "\n\n";
    TextTable shards(
        {"shard", "primary", "replicas", "max lag ms", "balance", "fallback", "read your writes"});
    for (const auto& s : db["shards"]) {
        std::string replicas;
        for (const auto& r : s["replicas"]) {
            replicas.append(replicas.empty() ? "" : ", ").append(text(r["endpoint"]));
            if (r["weight"] != 1) {
                replicas.append(" (weight ").append(text(r["weight"])).append(")");
            }
        }
        shards.add({text(s["name"]), text(s["primary"]), replicas.empty() ? "-" : replicas,
                    text(s["max_replica_lag_ms"]), text(s["read_routing"]["balance"]),
                    text(s["read_routing"]["fallback"]), read_your_writes_text(s["read_routing"])});
    }
    shards.print(out, 2);
    out << '\n';
    for (const auto& t : db["tables"]) {
        out << "  " << text(t["name"]) << ": " << placement_summary(t) << '\n';
        if (t["colocated_with"].is_null() || !t.contains("colocated_with")) {
            print_details(out, t, ring_points);
        }
    }
    for (const char* kind : {"sequences", "channels"}) {
        if (db.contains(kind)) {
            for (const auto& [name, shard] : db[kind].items()) {
                out << "  " << (kind[0] == 's' ? "sequence " : "channel ") << name << ": on "
                    << text(shard) << '\n';
            }
        }
    }
    out << '\n';
}

} // namespace

void print_map(std::ostream& out, const sm::ShardMap& map, bool ring_points) {
    const json doc = map_to_json(map);
    out << "shard map " << map.source() << ": format " << map.format_version() << ", epoch "
        << map.epoch() << "\n\n";
    for (const auto& db : doc["databases"]) {
        print_database(out, db, ring_points);
    }
}

void print_diff(std::ostream& out, const sm::MapDiff& diff, std::size_t max_moves) {
    out << "epoch " << diff.old_epoch << " -> " << diff.new_epoch << '\n';
    for (const auto& note : diff.notes) {
        out << "  " << note << '\n';
    }
    TextTable summary({"table", "change", "old placement", "new placement", "keyspace moved"});
    for (const auto& t : diff.tables) {
        summary.add({t.database + "." + t.table, t.change,
                     t.old_placement.empty() ? "-" : t.old_placement,
                     t.new_placement.empty() ? "-" : t.new_placement,
                     t.moved_fraction ? percent(*t.moved_fraction) : "-"});
    }
    out << '\n';
    summary.print(out);
    for (const auto& t : diff.tables) {
        if (t.moves.empty()) {
            continue;
        }
        out << '\n' << t.database << "." << t.table << ": " << t.moves.size() << " moved span(s)\n";
        TextTable moves({"kind", "first", "last", "from", "to"});
        const std::size_t shown =
            max_moves == 0 ? t.moves.size() : std::min(max_moves, t.moves.size());
        for (std::size_t i = 0; i < shown; ++i) {
            const auto& m = t.moves[i];
            moves.add({m.kind, m.first.empty() ? "*" : m.first, m.last.empty() ? "*" : m.last,
                       m.from_shard.empty() ? "(none)" : m.from_shard,
                       m.to_shard.empty() ? "(none)" : m.to_shard});
        }
        moves.print(out, 2);
        if (shown < t.moves.size()) {
            out << "  ... and " << t.moves.size() - shown << " more (--all or --json lists them)\n";
        }
    }
}

} // namespace shardctl
