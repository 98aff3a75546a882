// One line of counters for logs: "name=value ..." of the non-zero ones, or "no activity".
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace shardgate::proxy {

std::string counter_summary(const std::vector<std::pair<std::string, std::uint64_t>>& values);

} // namespace shardgate::proxy
