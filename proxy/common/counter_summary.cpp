// The log line of a data plane's counters.
#include "common/counter_summary.hpp"

namespace shardgate::proxy {

std::string counter_summary(const std::vector<std::pair<std::string, std::uint64_t>>& values) {
    std::string out;
    for (const auto& [name, value] : values) {
        if (value != 0) {
            out += (out.empty() ? "" : " ") + name + "=" + std::to_string(value);
        }
    }
    return out.empty() ? "no activity" : out;
}

} // namespace shardgate::proxy
