// Live map reloads (see map_source.hpp).
#include "shardgate/proxy/map_source.hpp"

#include "shardgate/proxy/server_settings_check.hpp"
#include "shardgate/shardmaps/loader.hpp"
#include "shardgate/shardmaps/map_diff.hpp"

#include <algorithm>
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

MapSource::MapSource(BackendRegistry& registry, std::string path, std::optional<std::string> text,
                     Publish publish)
    : registry_(registry), path_(std::move(path)), publish_(std::move(publish)),
      text_(text ? std::move(*text) : read_file(path_).value_or("")) {}

MapReload MapSource::reload(const std::optional<std::string>& yaml) {
    const std::lock_guard lock(mutex_);
    const auto text = yaml ? yaml : read_file(path_);
    if (!text) {
        MapReload out;
        out.status = 400;
        out.epoch = out.previous_epoch = registry_.map_epoch();
        out.problems.push_back(path_ + ": cannot read the map file");
        return out;
    }
    return install(*text, yaml ? std::string("POST /map") : path_, true);
}

MapReload MapSource::adopt(const std::string& yaml, const std::string& origin) {
    const std::lock_guard lock(mutex_);
    if (yaml == text_) {
        MapReload same;
        same.epoch = same.previous_epoch = registry_.map_epoch();
        return same;
    }
    return install(yaml, origin, false);
}

MapReload MapSource::install(const std::string& text, const std::string& origin, bool publish) {
    MapReload out;
    out.previous_epoch = registry_.map_epoch();
    out.epoch = out.previous_epoch;
    shardmaps::ShardMapPtr map;
    try {
        map = shardmaps::parse_shard_map(text, origin);
    } catch (const shardmaps::ShardMapError& e) {
        out.status = 400;
        for (const auto& diagnostic : e.diagnostics()) {
            out.problems.push_back(diagnostic.to_string());
        }
        spdlog::warn("shardgate: map from {} refused, it is invalid ({} problems); epoch {} keeps "
                     "running",
                     origin, out.problems.size(), out.previous_epoch);
        return out;
    }
    if (map->epoch() <= out.previous_epoch) {
        out.status = 409;
        out.problems.push_back("epoch " + std::to_string(map->epoch()) +
                               " is not greater than the running epoch " +
                               std::to_string(out.previous_epoch) + ": epochs only move forward");
        return out;
    }
    if (auto changes = shardmaps::live_refusals(registry_.map(), *map); !changes.empty()) {
        out.status = 409;
        for (auto& change : changes) {
            out.problems.push_back(std::move(change) +
                                   " (not possible in a live reload: restart shardgate)");
        }
        return out;
    }
    // (a map another proxy published to etcd was checked there: refusing it here would leave
    // this proxy on another map than its peers)
    if (publish) {
        // Only what this map adds: a problem the running map has too (a server that drifted
        // since the start) must not block every later map, a resharding cutover's included.
        auto problems = map_problems(*map, registry_);
        const auto running = map_problems(registry_.map(), registry_);
        std::erase_if(problems, [&](const std::string& problem) {
            return std::find(running.begin(), running.end(), problem) != running.end();
        });
        if (!problems.empty()) {
            out.status = 409;
            out.problems = std::move(problems);
            for (const auto& problem : out.problems) {
                spdlog::warn("shardgate: map from {} refused: {}", origin, problem);
            }
            return out;
        }
    }
    if (publish && publish_) {
        out.problems = publish_(text);
        if (!out.problems.empty()) {
            out.status = 409;
            return out;
        }
    }
    out.problems = registry_.install_map(map);
    if (!out.problems.empty()) {
        out.status = 409;
        for (const auto& problem : out.problems) {
            spdlog::warn("shardgate: map from {} refused: {}", origin, problem);
        }
        return out;
    }
    text_ = text;
    out.epoch = map->epoch();
    spdlog::info("shardgate: map epoch {} installed (was {}), from {}", out.epoch,
                 out.previous_epoch, origin);
    return out;
}

std::string MapSource::text() const {
    const std::lock_guard lock(mutex_);
    return text_;
}

} // namespace shardgate::proxy
