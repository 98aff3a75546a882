// Live map reloads (see map_source.hpp).
#include "shardgate/proxy/map_source.hpp"

#include "shardgate/shardmaps/loader.hpp"

#include <fstream>
#include <spdlog/spdlog.h>
#include <sstream>

namespace shardgate::proxy {

namespace {

std::optional<std::string> read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return std::nullopt;
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

} // namespace

MapSource::MapSource(BackendRegistry& registry, std::string path)
    : registry_(registry), path_(std::move(path)), text_(read_file(path_).value_or("")) {}

MapReload MapSource::reload(const std::optional<std::string>& yaml) {
    const std::lock_guard lock(mutex_);
    MapReload out;
    out.previous_epoch = registry_.map_epoch();
    out.epoch = out.previous_epoch;
    const auto text = yaml ? yaml : read_file(path_);
    if (!text) {
        out.status = 400;
        out.problems.push_back(path_ + ": cannot read the map file");
        return out;
    }
    shardmaps::ShardMapPtr map;
    try {
        map = shardmaps::parse_shard_map(*text, yaml ? std::string("POST /map") : path_);
    } catch (const shardmaps::ShardMapError& e) {
        out.status = 400;
        for (const auto& diagnostic : e.diagnostics()) {
            out.problems.push_back(diagnostic.to_string());
        }
        spdlog::warn("shardgate: map reload refused, the map is invalid ({} problems); epoch {} "
                     "keeps running",
                     out.problems.size(), out.previous_epoch);
        return out;
    }
    out.problems = registry_.install_map(map);
    if (!out.problems.empty()) {
        out.status = 409;
        for (const auto& problem : out.problems) {
            spdlog::warn("shardgate: map reload refused: {}", problem);
        }
        return out;
    }
    text_ = *text;
    out.epoch = map->epoch();
    spdlog::info("shardgate: map epoch {} installed (was {}), from {}", out.epoch,
                 out.previous_epoch, yaml ? std::string("POST /map") : path_);
    return out;
}

std::string MapSource::text() const {
    const std::lock_guard lock(mutex_);
    return text_;
}

} // namespace shardgate::proxy
