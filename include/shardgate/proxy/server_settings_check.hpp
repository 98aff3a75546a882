// Checks, at start and for maps installed later, that the map describes the servers as they
// are configured.
#pragma once

#include "shardgate/proxy/backend_registry.hpp"

#include <string>
#include <vector>

namespace shardgate::proxy {

/// Problems found between the map and what the monitor read from the servers, one message
/// each: a MySQL database whose primaries compare table names differently from the map's
/// `lower_case_table_names` (routing would then match table names the server does not, or
/// miss ones it does); a MySQL server whose sessions start in a time zone other than UTC
/// while a table of its database is placed by a timestamptz key (shardgate takes a session
/// that did not set time_zone as UTC); a time-keyed table whose key column on a primary is of the
/// other time type than the map's `key_type` (timestamp: wall clock, PostgreSQL timestamp and
/// MariaDB DATETIME; timestamptz: an instant, PostgreSQL timestamptz and MariaDB TIMESTAMP).
/// Servers not measured yet are skipped. Call after registry.start().
std::vector<std::string> server_settings_problems(const BackendRegistry& registry);

/// The same checks for `map`, against the servers of the registry's running topology (retired
/// ones left out) as the monitor last read them: for a map about to be installed while the
/// daemon runs (MapSource refuses only the problems the running map does not have too).
std::vector<std::string> map_problems(const shardmaps::ShardMap& map,
                                      const BackendRegistry& registry);

/// Things worth an operator's attention that do not stop the daemon: replicas that accept
/// writes (MariaDB read_only=OFF, or a PostgreSQL "replica" not in recovery); primaries whose
/// column types could not be read (the key-type check did not run there).
std::vector<std::string> server_settings_warnings(const BackendRegistry& registry);

} // namespace shardgate::proxy
