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

/// The verdict for a write of `table` by writer `token` (0: a new one).
PauseCheck enter(WritePauses& pauses, const std::string& table, std::uint64_t& token,
                 bool in_transaction = false,
                 WritePauses::Clock::time_point began = WritePauses::Clock::now()) {
    return pauses.enter(write_of(table), shop(), token, began, in_transaction);
}

TEST(WritePauses, TableGroupsWaitOthersGo) {
    WritePauses pauses;
    std::uint64_t token = 0;
    EXPECT_FALSE(pauses.active());
    const auto id = pauses.pause({"shop", "orders", std::nullopt}, 10s, 200ms);
    EXPECT_TRUE(pauses.active());
    EXPECT_EQ(enter(pauses, "orders", token).verdict, PauseVerdict::wait);
    EXPECT_EQ(enter(pauses, "order_items", token).verdict,
              PauseVerdict::wait); // co-located: the same group
    EXPECT_EQ(token, 0u);          // a write that waits is no writer yet
    EXPECT_EQ(enter(pauses, "invoices", token).verdict, PauseVerdict::go);
    EXPECT_NE(token, 0u); // the write that went on is one
    EXPECT_FALSE(enter(pauses, "orders", token).max_wait);
    EXPECT_TRUE(pauses.resume(id));
    EXPECT_FALSE(pauses.active());
}

TEST(WritePauses, OnlyTransactionsThatWroteInScopeDrainThenFail) {
    WritePauses pauses;
    const auto began = WritePauses::Clock::now();
    std::uint64_t in_scope = 0;
    std::uint64_t elsewhere = 0;
    ASSERT_EQ(enter(pauses, "orders", in_scope, true, began).verdict, PauseVerdict::go);
    ASSERT_EQ(enter(pauses, "invoices", elsewhere, true, began).verdict, PauseVerdict::go);
    std::this_thread::sleep_for(2ms);
    const auto id = pauses.pause({"shop", "orders", std::nullopt}, 10s, 20ms);
    EXPECT_EQ(pauses.undrained(id, shop()), 1u);
    // It wrote in the scope before the pause: it may go on within the drain time.
    EXPECT_EQ(enter(pauses, "order_items", in_scope, true, began).verdict, PauseVerdict::go);
    // It began before the pause but wrote elsewhere: it waits like a new write.
    EXPECT_EQ(enter(pauses, "orders", elsewhere, true, began).verdict, PauseVerdict::wait);
    std::this_thread::sleep_for(25ms);
    EXPECT_EQ(enter(pauses, "orders", in_scope, true, began).verdict, PauseVerdict::drain_error);
    pauses.writer_ended(in_scope);
    EXPECT_TRUE(pauses.drained(id, shop()));
}

TEST(WritePauses, FencingPausesLimitTheWait) {
    WritePauses pauses;
    std::uint64_t token = 0;
    pauses.pause({"shop", "orders", std::nullopt}, 24h, 200ms, 3000ms);
    pauses.pause({"shop", "", std::nullopt}, 24h, 200ms, 500ms);
    const auto check = enter(pauses, "orders", token);
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
