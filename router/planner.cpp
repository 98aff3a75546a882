// The planner: lex + fingerprint, plan-cache lookup, parse and analyse on a miss, then bind.
#include "shardgate/router/planner.hpp"

#include "router/analyze.hpp"
#include "router/bind.hpp"
#include "router/verb.hpp"
#include "shardgate/parser/lexer.hpp"
#include "shardgate/parser/parser.hpp"
#include "shardgate/parser/plan_cache.hpp"

namespace shardgate::router {
struct Planner::State {
    shardmaps::ShardMapPtr map;
    const shardmaps::Database* database = nullptr;
    parser::Dialect dialect;
    parser::PlanCache<PlanTemplate> cache;
    parser::LexedStatement lexed;

    State(shardmaps::ShardMapPtr m, const std::string& name, parser::Dialect d, std::size_t cap)
        : map(std::move(m)), dialect(d), cache(cap) {
        database = map->find_database(name);
    }
};

Planner::Planner(shardmaps::ShardMapPtr map, std::string database, parser::Dialect dialect,
                 std::size_t cache_capacity)
    : state_(std::make_unique<State>(std::move(map), database, dialect, cache_capacity)) {}

Planner::~Planner() = default;
Planner::Planner(Planner&&) noexcept = default;
Planner& Planner::operator=(Planner&&) noexcept = default;

Plan Planner::route(std::string_view sql, const RouteContext& context) {
    auto& s = *state_;
    if (s.database == nullptr) {
        Plan plan;
        plan.reason = "unknown database";
        plan.sqlstate = "3D000";
        return plan;
    }
    const auto lexed = parser::lex(sql, s.dialect, s.lexed, context.lex_mode);
    if (!lexed) {
        // Not even tokens: nothing to cache under.
        auto t = analyze_unparsable(*s.database, lexed.error());
        t.verb = verb_of(s.lexed);
        parser::Fingerprint empty;
        return bind(t, *s.database, empty, context);
    }
    const auto& fp = s.lexed.fingerprint;
    if (const auto* cached = s.cache.find(fp)) {
        auto plan = bind(*cached, *s.database, fp, context);
        plan.cached = true;
        return plan;
    }
    auto parsed = parser::parse(s.lexed);
    PlanTemplate t = parsed ? analyze(*s.map, *s.database, parsed->facts)
                            : analyze_unparsable(*s.database, parsed.error());
    t.verb = verb_of(s.lexed);
    const auto& stored = s.cache.insert(fp, std::move(t));
    return bind(stored, *s.database, fp, context);
}

std::size_t Planner::cache_hits() const {
    return state_->cache.stats().hits;
}
std::size_t Planner::cache_misses() const {
    return state_->cache.stats().misses;
}
std::size_t Planner::cache_size() const {
    return state_->cache.size();
}

} // namespace shardgate::router
