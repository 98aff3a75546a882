// The open-file limit at start and the client limit derived from it.
#include "shardgate/proxy/client_limit.hpp"

#include <algorithm>
#include <filesystem>
#include <sys/resource.h>
#include <system_error>

namespace shardgate::proxy {

OpenFileLimit raise_open_file_limit() {
    OpenFileLimit out;
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) {
        return out;
    }
    out.soft = limit.rlim_cur;
    out.hard = limit.rlim_max;
    if (limit.rlim_cur < limit.rlim_max) {
        rlimit raised = limit;
        raised.rlim_cur = limit.rlim_max;
        if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) {
            out.raised_from = limit.rlim_cur;
            out.soft = limit.rlim_max;
        }
    }
    return out;
}

std::size_t open_descriptors() {
    std::error_code ec;
    std::size_t count = 0;
    for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end;
         it.increment(ec)) {
        ++count;
    }
    return ec ? 0 : count;
}

std::size_t client_refusing_max(std::uint64_t soft) {
    return static_cast<std::size_t>(std::clamp<std::uint64_t>(soft / 64, 4, 64));
}

std::size_t derived_client_limit(std::uint64_t soft, std::size_t open, std::uint64_t backends) {
    if (soft == 0) {
        return 0;
    }
    const std::uint64_t reserve =
        std::min(std::max(std::clamp<std::uint64_t>(soft / 8, 32, 1024), backends), soft / 2);
    const std::uint64_t taken = open + reserve + client_refusing_max(soft);
    return soft > taken ? static_cast<std::size_t>(soft - taken) : 1;
}

} // namespace shardgate::proxy
