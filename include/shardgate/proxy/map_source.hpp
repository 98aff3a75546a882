// Where a running proxy's shard map comes from and how a new one is installed without a
// restart: the map file again (SIGHUP, `POST /map` without a body) or a map sent to the admin
// API (`POST /map` with the YAML). A new map is validated first (an invalid one is refused with
// the validator's file:line:column messages and the running one stays), must have a greater
// epoch, and must keep the running map's databases, shards and servers (a restart installs
// those). Installed maps take effect per statement: docs/admin.md, "Live map reload".
#pragma once

#include "shardgate/proxy/backend_registry.hpp"

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace shardgate::proxy {

/// The outcome of one reload.
struct MapReload {
    /// 200 installed, 400 invalid map, 409 refused (epoch not greater, topology changed).
    int status = 200;
    std::uint64_t epoch = 0;          ///< the running epoch afterwards
    std::uint64_t previous_epoch = 0; ///< before
    std::vector<std::string> problems;
};

class MapSource {
public:
    /// Writes a validated map where every proxy reads it (the etcd store) before this proxy
    /// installs it: the problems when it could not.
    using Publish = std::function<std::vector<std::string>(const std::string& yaml)>;

    /// `path`: the config's shard_map; `text`: the running map's YAML (read from `path` when
    /// not given); `publish`: set when the map lives in a shared store.
    MapSource(BackendRegistry& registry, std::string path,
              std::optional<std::string> text = std::nullopt, Publish publish = {});

    /// Validates and installs `yaml` (a map sent to the admin API), or the map file again;
    /// published first when the map lives in a shared store. Thread-safe; one at a time.
    MapReload reload(const std::optional<std::string>& yaml);
    /// Validates and installs a map read from the shared store (not published again); a map
    /// whose text is the running one's is left alone.
    MapReload adopt(const std::string& yaml, const std::string& origin);
    /// The running map's YAML text.
    std::string text() const;

private:
    MapReload install(const std::string& text, const std::string& origin, bool publish);

    BackendRegistry& registry_;
    std::string path_;
    Publish publish_;
    mutable std::mutex mutex_;
    std::string text_;
};

} // namespace shardgate::proxy
