// Generated keys without servers: blocks taken from a scripted counter, handed out in order,
// whole blocks per statement, the table created on first use, failures reported.
#include "common/generated_ids.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>

namespace {

using namespace shardgate;
using namespace shardgate::proxy;

/// A counter row in memory, answering take_block_statement as the engine would.
struct FakeCounter {
    std::int64_t next = 0; // 0: the row does not exist yet
    bool table = false;
    bool lost = false;
    std::vector<std::string> ran;

    RunCounter runner(shardmaps::Engine engine, std::uint64_t block_size) {
        return [this, engine, block_size](std::string sql) -> asio::awaitable<StepResult> {
            ran.push_back(sql);
            StepResult step;
            if (lost) {
                step.lost = true;
                step.message = "connection lost";
                co_return step;
            }
            if (sql.starts_with("CREATE")) {
                table = true;
                step.ok = true;
                co_return step;
            }
            if (!table) {
                step.sqlstate = engine == shardmaps::Engine::postgresql ? "42P01" : "42S02";
                step.message = "no such table";
                co_return step;
            }
            // The statement names count and start: count is a multiple of the block.
            const auto plus = sql.rfind("+ ");
            const auto count = std::stoll(sql.substr(plus + 2));
            EXPECT_EQ(count % static_cast<std::int64_t>(block_size), 0) << sql;
            next = next == 0 ? 5000 + count : next + count;
            step.ok = true;
            if (engine == shardmaps::Engine::postgresql) {
                step.first_value = std::to_string(next);
            } else {
                step.last_insert_id = static_cast<std::uint64_t>(next);
            }
            co_return step;
        };
    }
};

TakenIds take(shardmaps::Engine engine, const std::string& server, std::uint32_t count,
              FakeCounter& counter, std::uint32_t block = 10) {
    asio::io_context io;
    router::GeneratedKeys keys;
    keys.table = "t";
    keys.column = "id";
    keys.sequence = "t_id_seq";
    keys.block = block;
    keys.start = 5000;
    keys.count = count;
    const auto run = counter.runner(engine, block);
    auto future = asio::co_spawn(io, take_ids(engine, server, "db", keys, run), asio::use_future);
    io.run();
    return future.get();
}

std::vector<std::int64_t> range(std::int64_t from, std::int64_t to) {
    std::vector<std::int64_t> out;
    for (auto i = from; i < to; ++i) {
        out.push_back(i);
    }
    return out;
}

TEST(GeneratedIds, BlocksAreTakenWholeAndHandedOutInOrder) {
    for (const auto engine : {shardmaps::Engine::postgresql, shardmaps::Engine::mysql}) {
        FakeCounter counter;
        const std::string server = engine == shardmaps::Engine::postgresql ? "pg:1" : "my:1";
        auto taken = take(engine, server, 3, counter);
        ASSERT_TRUE(taken.ok()) << taken.message;
        EXPECT_EQ(taken.ids, range(5000, 5003));
        // first use: the counter statement, the table created, the statement again
        EXPECT_EQ(counter.ran.size(), 2 + id_table_statements(engine).size());
        counter.ran.clear();
        // 25 more: the 7 left of the block, then three whole blocks in one statement
        taken = take(engine, server, 25, counter);
        EXPECT_EQ(taken.ids, range(5003, 5028));
        EXPECT_EQ(counter.ran.size(), 1u);
        // 2 more: from memory, no statement
        counter.ran.clear();
        taken = take(engine, server, 2, counter);
        EXPECT_EQ(taken.ids, range(5028, 5030));
        EXPECT_TRUE(counter.ran.empty());
    }
}

TEST(GeneratedIds, ALostCounterIsAnErrorAndHandsOutNothing) {
    FakeCounter counter;
    counter.lost = true;
    const auto taken = take(shardmaps::Engine::postgresql, "pg:lost", 2, counter);
    EXPECT_FALSE(taken.ok());
    EXPECT_TRUE(taken.ids.empty());
    EXPECT_EQ(taken.sqlstate, "08006");
    EXPECT_NE(taken.message.find("t_id_seq"), std::string::npos) << taken.message;
}

TEST(GeneratedIds, StatementsOfEachEngine) {
    const auto pg = take_block_statement(shardmaps::Engine::postgresql, "db.it's", 100, 7);
    EXPECT_NE(pg.find("'db.it''s'"), std::string::npos) << pg;
    EXPECT_NE(pg.find("ON CONFLICT (name) DO UPDATE SET next_value = GREATEST(b.next_value, 7) "
                      "+ 100 RETURNING next_value"),
              std::string::npos)
        << pg;
    const auto my = take_block_statement(shardmaps::Engine::mysql, "db.s", 100, 7);
    EXPECT_NE(my.find("LAST_INSERT_ID(GREATEST(next_value, 7) + 100)"), std::string::npos) << my;
}

} // namespace
