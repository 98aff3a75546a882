// Planner::route's plan-cache hit path allocates nothing when it routes into a reused Plan:
// counted by replacing the global allocation functions in this test program (its own
// executable, so no other test shares the counter). The figure is a count, never a time.
#include "planner_support.hpp"

#include <atomic>
#include <cstdlib>
#include <gtest/gtest.h>
#include <new>

namespace {

std::atomic<std::uint64_t> allocations{0};

} // namespace

void* operator new(std::size_t size) {
    allocations.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(size == 0 ? 1 : size)) {
        return p;
    }
    throw std::bad_alloc();
}
void* operator new[](std::size_t size) {
    return operator new(size);
}
void operator delete(void* p) noexcept {
    std::free(p);
}
void operator delete[](void* p) noexcept {
    std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
    std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
    std::free(p);
}

namespace {

using namespace shardgate::router;
using namespace shardgate::router::testing;

struct Case {
    const char* database;
    const char* sql;
    std::vector<std::optional<std::string>> params;
};

TEST(RouteAllocations, ACacheHitIntoAReusedPlanAllocatesNothing) {
    const Case cases[] = {
        // vertical / default-shard tables (pgbench, sysbench)
        {"shop", "SELECT abalance FROM pgbench_accounts WHERE aid = 12345", {}},
        {"shop", "UPDATE pgbench_accounts SET abalance = abalance + -1234 WHERE aid = 777", {}},
        {"social", "SELECT c FROM sbtest1 WHERE id=5000", {}},
        // hash (MD5 of the canonical key) and consistent hash, literal and parameter
        {"shop", "SELECT * FROM customers WHERE id = 42", {}},
        {"shop", "SELECT name FROM customers WHERE id = $1", {std::string("4242")}},
        {"shop", "UPDATE customers SET name = 'x' WHERE id = 99", {}},
        {"social", "SELECT * FROM users WHERE id = 42", {}},
        {"social", "SELECT * FROM users WHERE id = ?", {std::string("31337")}},
        {"shop", "SELECT * FROM customers WHERE id IN (1, 2, 3)", {}},
        // a cast on the key; a time key (events by month of created_at, timestamptz) written
        // as a string longer than a short string's inline storage
        {"shop", "SELECT * FROM customers WHERE id = $1::int8", {std::string("4242")}},
        {"shop", "SELECT * FROM events WHERE created_at = '2026-03-01 10:00+00'", {}},
        {"shop", "SELECT * FROM events WHERE created_at = '2026-03-01 10:00+00'::timestamptz", {}},
    };
    for (const auto& c : cases) {
        Planner planner(demo_map(), c.database, dialect_of(c.database));
        RouteContext context;
        context.params = c.params;
        Plan plan;
        planner.route(c.sql, context, plan); // the miss: parse, analyse, cache
        planner.route(c.sql, context, plan); // the plan takes its shape
        ASSERT_NE(plan.kind, PlanKind::reject) << c.sql << ": " << plan.reason;
        const auto before = allocations.load();
        for (int i = 0; i < 100; ++i) {
            planner.route(c.sql, context, plan);
        }
        EXPECT_EQ(allocations.load() - before, 0u) << c.sql;
        EXPECT_TRUE(plan.cached);
        EXPECT_EQ(planner.cache_misses(), 1u);
    }
}

TEST(RouteAllocations, TheCounterCounts) {
    // (the replacement is in effect: a plan returned by value allocates its strings)
    Planner planner(demo_map(), "shop", dialect_of("shop"));
    planner.route("SELECT * FROM customers WHERE id = 42");
    const auto before = allocations.load();
    const auto plan = planner.route("SELECT * FROM customers WHERE id = 42");
    EXPECT_GT(allocations.load() - before, 0u);
    EXPECT_EQ(plan.kind, PlanKind::route);
}

} // namespace
