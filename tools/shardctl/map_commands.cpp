// shardctl validate|show|diff|locate.
#include "commands.hpp"

namespace shardctl {

void register_map_commands(CLI::App&) {}

} // namespace shardctl
