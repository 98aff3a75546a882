// shardctl route.
#include "commands.hpp"

namespace shardctl {

void register_route_command(CLI::App&) {}

} // namespace shardctl
