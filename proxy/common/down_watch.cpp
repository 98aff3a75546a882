// Backends newly called down, from the registry's published health views.
#include "common/down_watch.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace shardgate::proxy {

std::vector<DownWatch::Down> DownWatch::newly_down(const BackendRegistry& registry) {
    std::vector<Down> found;
    const auto version = registry.published_version();
    if (version == version_) {
        return found;
    }
    version_ = version;
    const auto view = registry.view();
    const auto backends = registry.backends();
    const auto count = std::min(view->states.size(), backends.size());
    down_.resize(std::max(down_.size(), count), false);
    for (std::size_t i = 0; i < count; ++i) {
        const auto& state = view->states[i];
        const bool down = state.health == monitor::Health::down && state.unresponsive;
        if (down && !down_[i]) {
            const auto why = state.last_error_line();
            found.push_back(
                {backends[i].endpoint, backends[i].shard_name,
                 fmt::format("health checks failed {} times in a row{}{}",
                             state.consecutive_failures, why.empty() ? "" : ": ", why)});
        }
        down_[i] = down;
    }
    return found;
}

} // namespace shardgate::proxy
