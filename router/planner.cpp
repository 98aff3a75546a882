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

namespace {

/// For a scatter of a plain SELECT: where its top-level FROM starts (this statement's own byte
/// offset, so it is found per statement, not cached), for hidden sort columns; where its
/// WHERE condition starts and its FROM ... WHERE part ends, for an ownership filter.
void with_select_end(Plan& plan, const parser::LexedStatement& lexed) {
    if (plan.kind != PlanKind::scatter || plan.statement != parser::StatementKind::select) {
        return;
    }
    using parser::Keyword;
    int depth = 0;
    int selects = 0;
    std::optional<std::uint32_t> from;
    std::optional<std::uint32_t> where_end; // just after the WHERE keyword
    std::optional<std::uint32_t> having;
    std::optional<std::uint32_t> having_end;
    std::optional<std::uint32_t> group_by;
    std::optional<std::uint32_t> group_by_end;
    std::optional<std::uint32_t> clauses_at;
    bool rollup = false;
    // a clause after the GROUP BY list (the end of the statement ends them all)
    const auto ends_clause = [](Keyword k) {
        return k == Keyword::order || k == Keyword::limit || k == Keyword::offset ||
               k == Keyword::fetch || k == Keyword::for_ || k == Keyword::window ||
               k == Keyword::union_ || k == Keyword::intersect || k == Keyword::except ||
               k == Keyword::lock;
    };
    const auto at_end = [&](std::uint32_t offset) {
        if (having && !having_end) {
            having_end = offset;
        }
        if (group_by && !group_by_end) {
            group_by_end = offset;
        }
        if (from && !clauses_at) {
            clauses_at = offset;
        }
    };
    std::uint32_t last_end = 0; // where the last token ends: text added at the end goes there,
                                // not after a trailing comment that would swallow it
    const auto& tokens = lexed.tokens;
    // FOR that locks rows (FOR UPDATE, FOR SHARE, FOR NO KEY UPDATE, FOR KEY SHARE) ends the
    // clauses; MariaDB's FOR SYSTEM_TIME and index hints' FOR JOIN / ORDER BY / GROUP BY are
    // part of a table reference.
    const auto locks_rows = [&](std::size_t i) {
        const auto next = i + 1 < tokens.size() ? tokens[i + 1].keyword : Keyword::none;
        return next == Keyword::update || next == Keyword::share || next == Keyword::no ||
               next == Keyword::key;
    };
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const auto& token = tokens[i];
        if (token.kind == parser::TokenKind::end) {
            at_end(last_end);
            break;
        }
        last_end = token.offset + token.length;
        if (token.kind == parser::TokenKind::op) {
            depth += token.op == parser::Op::lparen ? 1 : (token.op == parser::Op::rparen ? -1 : 0);
            if (depth == 0 && token.op == parser::Op::semicolon) {
                at_end(token.offset);
            }
            continue;
        }
        if (depth != 0 || token.kind != parser::TokenKind::word) {
            continue;
        }
        const auto k = token.keyword;
        if (k == Keyword::for_ && !locks_rows(i)) {
            const auto next = i + 1 < tokens.size() ? tokens[i + 1].keyword : Keyword::none;
            if (next == Keyword::order || next == Keyword::group) {
                last_end = tokens[i + 1].offset + tokens[i + 1].length;
                ++i; // (an index hint's ORDER BY / GROUP BY)
            }
            continue;
        }
        if (k == Keyword::select) {
            ++selects;
        } else if (k == Keyword::from && selects == 1 && !from) {
            from = token.offset;
        } else if (k == Keyword::where && selects == 1 && from && !where_end && !clauses_at) {
            where_end = token.offset + token.length;
        } else if (k == Keyword::group && selects == 1 && from && !group_by) {
            group_by = token.offset;
            if (!clauses_at) {
                clauses_at = token.offset;
            }
        } else if (k == Keyword::having && selects == 1 && !having) {
            having = token.offset;
            if (group_by && !group_by_end) {
                group_by_end = token.offset;
            }
            if (from && !clauses_at) {
                clauses_at = token.offset;
            }
        } else if (k == Keyword::with && group_by && !group_by_end) {
            rollup = true; // GROUP BY ... WITH ROLLUP
        } else if (ends_clause(k)) {
            at_end(token.offset);
        }
    }
    if (selects == 1) { // not UNION ...: one select list
        plan.merge.select_end = from;
        if (from) {
            plan.merge.where_at = where_end;
            plan.merge.filter_at = clauses_at;
        }
        if (having && having_end) {
            plan.merge.having_begin = having;
            plan.merge.having_end = having_end;
        }
        if (!rollup) {
            plan.merge.group_by_end = group_by_end;
            plan.merge.clauses_at = clauses_at;
        }
    }
}

/// A scatter read keeps how it reads its tables (an ownership filter qualifies by them); no
/// other plan copies them.
void with_table_uses(Plan& plan, const PlanTemplate& t) {
    if (plan.kind == PlanKind::scatter && plan.statement == parser::StatementKind::select) {
        plan.table_uses = t.table_uses;
    }
}

} // namespace

Plan Planner::route(std::string_view sql, const RouteContext& context) {
    Plan plan;
    route(sql, context, plan);
    return plan;
}

void Planner::route(std::string_view sql, const RouteContext& context, Plan& out) {
    auto& s = *state_;
    if (s.database == nullptr) {
        out = Plan{};
        out.reason = "unknown database";
        out.sqlstate = "3D000";
        return;
    }
    const auto lexed = parser::lex(sql, s.dialect, s.lexed, context.lex_mode);
    if (!lexed) {
        // Not even tokens: nothing to cache under.
        auto t = analyze_unparsable(*s.database, lexed.error());
        t.verb = verb_of(s.lexed);
        parser::Fingerprint empty;
        bind(t, *s.database, empty, context, out);
        return;
    }
    const auto& fp = s.lexed.fingerprint;
    if (const auto* cached = s.cache.find(fp)) {
        bind(*cached, *s.database, fp, context, out);
        with_select_end(out, s.lexed);
        with_table_uses(out, *cached);
        out.cached = true;
        return;
    }
    auto parsed = parser::parse(s.lexed);
    PlanTemplate t = parsed ? analyze(*s.map, *s.database, parsed->facts)
                            : analyze_unparsable(*s.database, parsed.error());
    t.verb = verb_of(s.lexed);
    t.slot_casts = parser::slot_casts(s.lexed);
    const auto& stored = s.cache.insert(fp, std::move(t));
    bind(stored, *s.database, fp, context, out);
    with_select_end(out, s.lexed);
    with_table_uses(out, stored);
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
