// Fuzzes the shard map loader and validator (shardmaps/loader.cpp and the load_*.cpp files)
// with arbitrary map text. Bad maps are reported by throwing ShardMapError, the loader's
// documented way to fail: that is caught here, and must carry at least one diagnostic. Any
// other exception, a crash or undefined behaviour is a finding (one open finding is
// tolerated below). A map that loads must answer lookups for every table and compare equal
// to itself.
#include "fuzz_support.hpp"
#include "shardgate/shardmaps/loader.hpp"
#include "shardgate/shardmaps/map_diff.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <yaml-cpp/yaml.h>

namespace {

using namespace shardgate::fuzz;
using namespace shardgate::shardmaps;

void check_map(const ShardMap& map, std::string_view text) {
    require(map.format_version() == current_format_version && map.epoch() >= 1);
    // Lookups with keys taken from the input: errors are fine, exceptions and crashes are not.
    const std::int64_t number = static_cast<std::int64_t>(std::hash<std::string_view>{}(text));
    const std::string_view word = text.substr(0, 16);
    for (const auto& database : map.databases()) {
        require(map.find_database(database.name()) == &database);
        require(!database.shards().empty() && database.default_shard() < database.shards().size());
        for (const auto& [name, table] : database.tables()) {
            require(database.find_table(name) != nullptr);
            require(!describe_placement(database, table).empty());
            (void)map.locate(database.name(), name, KeyValue{number});
            (void)map.locate(database.name(), name, KeyValue{std::int64_t{0}});
            (void)map.locate(database.name(), name, KeyValue{word});
        }
    }
    require(live_refusals(map, map).empty());
    const MapDiff diff = diff_maps(map, map);
    require(diff.old_epoch == diff.new_epoch);
    for (const auto& table : diff.tables) {
        require(table.change == "unchanged" && table.moves.empty());
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    ShardMapPtr map;
    try {
        map = parse_shard_map(text, "fuzz.yaml");
    } catch (const ShardMapError& error) {
        require(!error.diagnostics().empty());
        for (const auto& diagnostic : error.diagnostics()) {
            require(diagnostic.line >= 0 && diagnostic.column >= 0 && !diagnostic.message.empty());
        }
        return 0;
    }
    require(map != nullptr);
    check_map(*map, text);
    return 0;
}
