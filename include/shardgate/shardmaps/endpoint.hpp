// host:port endpoints of shard servers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace shardgate::shardmaps {

/// A server address. `host` is a name or an IPv4 address, or an IPv6 address written as
/// "[::1]:5432" in the map (stored without brackets).
struct Endpoint {
    std::string host;
    std::uint16_t port = 0;

    /// "host:port" (IPv6 hosts in brackets).
    std::string to_string() const;
    bool operator==(const Endpoint&) const = default;
};

/// Parses "host:port" with port 1..65535; nullopt when malformed.
std::optional<Endpoint> parse_endpoint(std::string_view text);

} // namespace shardgate::shardmaps
