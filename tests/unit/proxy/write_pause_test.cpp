// Write pauses: which writes wait, drain errors, fencing limits, and when a pause is drained.
#include "shardgate/proxy/write_pause.hpp"
#include "shardgate/shardmaps/loader.hpp"

#include <gtest/gtest.h>
#include <thread>

namespace shardgate::proxy {
namespace {

using namespace std::chrono_literals;

shardmaps::ShardMapPtr test_map() {
    static const auto map = shardmaps::parse_shard_map(R"(format_version: 1
epoch: 1
databases:
  shop:
    engine: postgresql
    default_shard: s0
    shards:
      s0: {primary: 127.0.0.1:5432}
      s1: {primary: 127.0.0.1:5433}
    tables:
      orders: {scheme: hash, key: customer_id, key_type: bigint}
      order_items: {colocated_with: orders, key: customer_id}
      invoices: {scheme: vertical, shard: s1}
)",
                                                       "map.yaml");
    return map;
}

const shardmaps::Database& shop() {
    return *test_map()->find_database("shop");
}

router::Plan write_of(std::string table) {
    router::Plan plan;
    plan.is_write = true;
    plan.tables = {std::move(table)};
    return plan;
}

TEST(WritePauses, TableGroupsWaitOthersGo) {
    WritePauses pauses;
    EXPECT_FALSE(pauses.active());
    const auto id = pauses.pause({"shop", "orders", std::nullopt}, 10s, 200ms);
    EXPECT_TRUE(pauses.active());
    EXPECT_EQ(pauses.check(write_of("orders"), shop(), std::nullopt).verdict, PauseVerdict::wait);
    EXPECT_EQ(pauses.check(write_of("order_items"), shop(), std::nullopt).verdict,
              PauseVerdict::wait); // co-located: the same group
    EXPECT_EQ(pauses.check(write_of("invoices"), shop(), std::nullopt).verdict, PauseVerdict::go);
    EXPECT_FALSE(pauses.check(write_of("orders"), shop(), std::nullopt).max_wait);
    EXPECT_TRUE(pauses.resume(id));
    EXPECT_FALSE(pauses.active());
}

TEST(WritePauses, InFlightTransactionsDrainThenFail) {
    WritePauses pauses;
    const auto began = WritePauses::Clock::now();
    std::this_thread::sleep_for(2ms);
    pauses.pause({"shop", "", std::nullopt}, 10s, 20ms);
    EXPECT_EQ(pauses.check(write_of("invoices"), shop(), began).verdict, PauseVerdict::go);
    std::this_thread::sleep_for(25ms);
    EXPECT_EQ(pauses.check(write_of("invoices"), shop(), began).verdict, PauseVerdict::drain_error);
    // A transaction begun after the pause waits like any write.
    EXPECT_EQ(pauses.check(write_of("invoices"), shop(), WritePauses::Clock::now()).verdict,
              PauseVerdict::wait);
}

TEST(WritePauses, FencingPausesLimitTheWait) {
    WritePauses pauses;
    pauses.pause({"shop", "orders", std::nullopt}, 24h, 200ms, 3000ms);
    pauses.pause({"shop", "", std::nullopt}, 24h, 200ms, 500ms);
    const auto check = pauses.check(write_of("orders"), shop(), std::nullopt);
    EXPECT_EQ(check.verdict, PauseVerdict::wait);
    ASSERT_TRUE(check.max_wait);
    EXPECT_EQ(*check.max_wait, 500ms); // the tightest limit
}

TEST(WritePauses, DrainedOnceEarlierWritersOfTheScopeEnd) {
    WritePauses pauses;
    const auto early = WritePauses::Clock::now();
    const auto in_scope = pauses.wrote(0, "shop", early, {"order_items"});
    const auto elsewhere = pauses.wrote(0, "shop", early, {"invoices"});
    std::this_thread::sleep_for(2ms);
    const auto id = pauses.pause({"shop", "orders", std::nullopt}, 10s, 200ms);
    const auto late = pauses.wrote(0, "shop", WritePauses::Clock::now(), {"orders"});
    EXPECT_EQ(pauses.undrained(id, shop()), 1u); // only the early writer of the group
    EXPECT_FALSE(pauses.drained(id, shop()));
    // The same writer writing another table keeps its token.
    EXPECT_EQ(pauses.wrote(elsewhere, "shop", early, {"orders"}), elsewhere);
    EXPECT_EQ(pauses.undrained(id, shop()), 2u);
    pauses.writer_ended(in_scope);
    pauses.writer_ended(elsewhere);
    EXPECT_TRUE(pauses.drained(id, shop()));
    pauses.writer_ended(late);
    EXPECT_EQ(pauses.status(test_map().get())["writers"], 0);
    EXPECT_EQ(pauses.status(test_map().get())["active"][0]["open_writers"], 0);
    EXPECT_FALSE(pauses.drained(id + 1, shop())); // no such pause
}

} // namespace
} // namespace shardgate::proxy
