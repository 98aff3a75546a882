// The planner: statement text + shard map -> Plan, with a per-thread plan cache.
#pragma once

#include "shardgate/parser/dialect.hpp"
#include "shardgate/parser/literal.hpp"
#include "shardgate/router/plan.hpp"
#include "shardgate/shardmaps/shard_map.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace shardgate::router {

/// What the session knows when a statement arrives.
struct RouteContext {
    /// Inside an explicit transaction: everything goes to the primary.
    bool in_transaction = false;
    /// Bound parameter values, in placeholder order (`?` left to right, `$n` as n-1), as text;
    /// nullopt is SQL NULL. Parameters past the end are unknown (the key could be anything).
    std::span<const std::optional<std::string>> params;
    /// MySQL: how the session's sql_mode tokenises text (NO_BACKSLASH_ESCAPES, ANSI_QUOTES).
    parser::LexMode lex_mode{};
    /// The session's time zone is UTC. When it is not, a timestamptz shard key written
    /// without a UTC offset is refused (0A000): its column (timestamptz, MariaDB TIMESTAMP)
    /// reads it in the session's zone while the map buckets it in UTC.
    bool utc_session = true;
    /// PostgreSQL: the parameter types Parse declared, in placeholder order (0: unspecified).
    /// A time parameter typed as the other time type than its key column's is converted by
    /// the server through the session's zone.
    std::span<const std::uint32_t> param_types{};
    /// PostgreSQL: the types SQL-level `PREPARE name (types)` declared for its parameters, as
    /// casts (parser::declared_casts), read like param_types.
    std::span<const parser::LiteralCast> param_casts{};
    /// Set by the planner from the map (callers leave it): the database is MariaDB, which
    /// drops the UTC offset of a time literal and reads the rest in the session's zone.
    bool mariadb = false;
};

/// Plans statements of one logical database. Not thread-safe: each worker thread owns its
/// planners (the cache is per thread, so the hot path takes no lock). The map snapshot is
/// held for the planner's life; make a new planner to follow a new map epoch.
class Planner {
public:
    /// Precondition: `map` has a database named `database`.
    Planner(shardmaps::ShardMapPtr map, std::string database, parser::Dialect dialect,
            std::size_t cache_capacity = 4096);
    ~Planner();
    Planner(Planner&&) noexcept;
    Planner& operator=(Planner&&) noexcept;

    /// Routes one statement. Never throws on bad SQL: it becomes a reject plan (or, by the
    /// database's unparsable policy, a route to the default shard).
    Plan route(std::string_view sql, const RouteContext& context = {});
    /// The same plan, written into `out` (whatever it held before is replaced): its strings
    /// and vectors are reused, so a plan-cache hit routed into the same `out` again and again
    /// allocates nothing once `out` has held a plan of that shape (counted by a unit test).
    void route(std::string_view sql, const RouteContext& context, Plan& out);

    /// Plan-cache statistics.
    std::size_t cache_hits() const;
    std::size_t cache_misses() const;
    std::size_t cache_size() const;

private:
    struct State;
    std::unique_ptr<State> state_;
};

} // namespace shardgate::router
