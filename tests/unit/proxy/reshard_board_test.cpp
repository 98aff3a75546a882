// ReshardBoard: the workflows shardctl POSTs to a proxy with a map file, and the MariaDB tables
// they leave split (cross-shard reads filtered, owned_rows_test.cpp).
#include "shardgate/proxy/reshard_board.hpp"
#include "shardgate/shardmaps/loader.hpp"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <set>
#include <unistd.h>

namespace {

using namespace shardgate;
using namespace shardgate::proxy;
using nlohmann::json;

constexpr const char* map_yaml = R"(format_version: 1
epoch: 1
databases:
  social:
    engine: mysql
    default_shard: m0
    shards:
      m0: {primary: 127.0.0.1:3306}
      m1: {primary: 127.0.0.1:3307}
  shop:
    engine: postgresql
    default_shard: p0
    shards:
      p0: {primary: 127.0.0.1:5432}
      p1: {primary: 127.0.0.1:5433}
)";

json workflow(const std::string& name, const std::string& database, const std::string& phase,
              json tables, std::int64_t started = 1000) {
    return {{"name", name},
            {"database", database},
            {"phase", phase},
            {"started_ms", started},
            {"from_map", "a whole map"},
            {"streams", json::array({{{"from", "m0"}, {"to", "m1"}, {"tables", tables}}})}};
}

class ReshardBoardTest : public ::testing::Test {
protected:
    ReshardBoardTest()
        : map_(shardmaps::parse_shard_map(map_yaml, "map.yaml")), registry_(map_, config_),
          board_(registry_) {}
    /// `table` when a workflow has it on two shards now, else "".
    std::string split(const std::string& database, const std::string& table) const {
        const auto tables = registry_.split_tables();
        const auto db =
            tables ? tables->find(database) : BackendRegistry::SplitTables::const_iterator{};
        return tables && db != tables->end() && db->second.contains(table) ? table : "";
    }

    shardmaps::ShardMapPtr map_;
    Config config_;
    BackendRegistry registry_;
    ReshardBoard board_;
};

TEST_F(ReshardBoardTest, AKeyRangeMoveOfMariadbSplitsItsTableUntilItEnds) {
    const auto range = json::array({{{"table", "users"}}});
    EXPECT_EQ(board_.post(workflow("w1", "social", "copying", range)), "");
    EXPECT_EQ(split("social", "users"), "users");
    EXPECT_EQ(split("social", "posts"), "");
    // with the workflow's maps (these cannot be read: its cross-shard reads are refused)
    const auto& entry = registry_.split_tables()->at("social").at("users").at(0);
    EXPECT_EQ(entry.workflow, "w1");
    EXPECT_EQ(entry.from_map, nullptr);
    EXPECT_EQ(entry.why.rfind("cannot be read", 0), 0u) << entry.why;
    for (const auto* phase : {"catching_up", "ready", "cut_over", "failed"}) {
        EXPECT_EQ(board_.post(workflow("w1", "social", phase, range)), "");
        EXPECT_EQ(split("social", "users"), "users") << phase;
    }
    EXPECT_EQ(board_.post(workflow("w1", "social", "completed", range)), "");
    EXPECT_EQ(split("social", "users"), "");
    // the view lists it without the maps
    const auto view = board_.view();
    ASSERT_EQ(view["workflows"].size(), 1u);
    EXPECT_EQ(view["workflows"][0]["phase"], "completed");
    EXPECT_FALSE(view["workflows"][0].contains("from_map"));
}

TEST_F(ReshardBoardTest, AnEndedRunStaysEndedButANewRunOfTheNameCounts) {
    const auto range = json::array({{{"table", "users"}}});
    EXPECT_EQ(board_.post(workflow("w1", "social", "copying", range)), "");
    EXPECT_EQ(board_.post(workflow("w1", "social", "aborted", range)), "");
    // a `status` that read the document before the abort reports late
    EXPECT_EQ(board_.post(workflow("w1", "social", "ready", range)), "");
    EXPECT_EQ(split("social", "users"), "");
    EXPECT_EQ(board_.view()["workflows"][0]["phase"], "aborted");
    // started again later under the same name
    EXPECT_EQ(board_.post(workflow("w1", "social", "copying", range, 2000)), "");
    EXPECT_EQ(split("social", "users"), "users");
    // a late report of the first run does not replace the second
    EXPECT_EQ(
        board_.post(workflow("w1", "social", "copying", json::array({{{"table", "posts"}}}), 1000)),
        "");
    EXPECT_EQ(split("social", "users"), "users");
    EXPECT_EQ(split("social", "posts"), "");
    EXPECT_EQ(board_.view()["workflows"][0]["started_ms"], 2000);
}

TEST_F(ReshardBoardTest, WholeTablesReferenceCopiesAndPostgresqlAreNotSplit) {
    EXPECT_EQ(board_.post(workflow("v", "social", "copying",
                                   json::array({{{"table", "posts"}, {"whole_table", true}},
                                                {{"table", "tags"}, {"reference", true}}}))),
              "");
    EXPECT_EQ(split("social", "posts"), "");
    EXPECT_EQ(split("social", "tags"), "");
    // PostgreSQL hides the copies with row-level security
    EXPECT_EQ(board_.post(workflow("p", "shop", "copying", json::array({{{"table", "orders"}}}))),
              "");
    EXPECT_EQ(split("shop", "orders"), "");
    EXPECT_EQ(board_.view()["workflows"].size(), 2u);
}

TEST_F(ReshardBoardTest, MalformedDocumentsAreRefusedAndChangeNothing) {
    EXPECT_NE(board_.post(json::array()), "");
    EXPECT_NE(board_.post(json{{"phase", "copying"}}), "");
    EXPECT_NE(board_.post(json{{"name", ""}, {"phase", "copying"}}), "");
    EXPECT_NE(board_.post(json{{"name", std::string(65, 'x')}, {"phase", "copying"}}), "");
    EXPECT_NE(board_.post(json{{"name", "w"}, {"phase", 3}}), "");
    // (SHOW RESHARD reads started_ms as a number)
    EXPECT_NE(board_.post(json{{"name", "w"}, {"phase", "copying"}, {"started_ms", "soon"}}), "");
    // other fields of the wrong type are taken as absent, never thrown on
    EXPECT_EQ(
        board_.post(json{
            {"name", "w"},
            {"phase", "copying"},
            {"database", "social"},
            {"streams", json::array({{{"tables", json::array({
                                                     {{"table", "users"}, {"whole_table", "no"}},
                                                     7,
                                                 })}},
                                     "x"})}}),
        "");
    EXPECT_EQ(split("social", "users"), "users");
    EXPECT_EQ(board_.view()["workflows"].size(), 1u);
}

TEST_F(ReshardBoardTest, AFullBoardDropsTheOldestFinishedWorkflowOnly) {
    const auto range = json::array({{{"table", "users"}}});
    for (std::size_t i = 0; i < ReshardBoard::max_workflows; ++i) {
        const auto phase = i == 5 ? "completed" : "copying";
        std::string name = "w";
        name += std::to_string(i);
        ASSERT_EQ(board_.post(workflow(name, "social", phase, range, static_cast<std::int64_t>(i))),
                  "");
    }
    EXPECT_EQ(board_.post(workflow("new", "social", "copying", range)), "");
    auto names = std::set<std::string>();
    const auto view = board_.view();
    for (const auto& w : view["workflows"]) {
        names.insert(w["name"].get<std::string>());
    }
    EXPECT_EQ(names.size(), ReshardBoard::max_workflows);
    EXPECT_FALSE(names.contains("w5"));
    EXPECT_TRUE(names.contains("new"));
    // no finished one left to drop: refused
    EXPECT_NE(board_.post(workflow("another", "social", "copying", range)), "");
}

/// A state file path of this test's own (removed at the end).
class StateFile {
public:
    StateFile()
        : path_(std::filesystem::temp_directory_path() /
                ("sg_reshard_state_" + std::to_string(::getpid()) + ".json")) {
        std::filesystem::remove(path_);
    }
    ~StateFile() { std::filesystem::remove(path_); }
    std::string path() const { return path_.string(); }

private:
    std::filesystem::path path_;
};

TEST_F(ReshardBoardTest, AStateFileBringsTheWorkflowsBackAfterARestart) {
    const StateFile file;
    const auto range = json::array({{{"table", "users"}}});
    {
        ReshardBoard before(registry_, file.path());
        EXPECT_EQ(before.post(workflow("w1", "social", "copying", range)), "");
        EXPECT_EQ(before.post(workflow("w2", "social", "completed", range, 500)), "");
    }
    registry_.set_split_tables({}); // what a restarted process starts with
    EXPECT_EQ(split("social", "users"), "");
    ReshardBoard after(registry_, file.path());
    EXPECT_EQ(split("social", "users"), "users"); // filtered again from the first read
    EXPECT_EQ(after.view()["workflows"].size(), 2u);
    EXPECT_FALSE(after.view()["workflows"][0].contains("from_map"));
    { // the file keeps the workflow's maps (the filters need them after a restart)
        std::ifstream in(file.path());
        const auto doc = json::parse(in);
        EXPECT_EQ(doc["workflows"][0]["from_map"], "a whole map");
    }
    // a later phase of the run replaces it, on disk too
    EXPECT_EQ(after.post(workflow("w1", "social", "completed", range)), "");
    EXPECT_EQ(split("social", "users"), "");
    ReshardBoard again(registry_, file.path());
    EXPECT_EQ(split("social", "users"), "");
}

TEST_F(ReshardBoardTest, PublishingTheSameSplitTablesKeepsTheirPointer) {
    // (cross-shard reads compare the pointer to see a change; etcd's workflows are read again
    // every 250 ms)
    EXPECT_EQ(board_.post(workflow("w1", "social", "copying", json::array({{{"table", "users"}}}))),
              "");
    const auto published = registry_.split_tables();
    ASSERT_TRUE(published);
    registry_.set_split_tables(BackendRegistry::SplitTables(*published));
    EXPECT_EQ(registry_.split_tables(), published);
    auto changed = *published;
    changed["social"]["users"].front().why = "a reason";
    registry_.set_split_tables(changed);
    EXPECT_NE(registry_.split_tables(), published);
    EXPECT_EQ(registry_.split_tables()->at("social").at("users").front().why, "a reason");
}

TEST_F(ReshardBoardTest, AnUnreadableStateFileStopsTheStartAndAnUnwritableOneRefusesThePost) {
    const StateFile file;
    {
        std::ofstream out(file.path());
        out << "{\"workflows\": 3}";
    }
    EXPECT_THROW(ReshardBoard(registry_, file.path()), ReshardStateError);
    {
        std::ofstream out(file.path(), std::ios::trunc);
        out << "{\"workflows\": [{\"phase\": \"copying\"}]}";
    }
    EXPECT_THROW(ReshardBoard(registry_, file.path()), ReshardStateError);
    // a directory that does not exist: the post is refused and changes nothing
    ReshardBoard nowhere(registry_, "/nonexistent-sg-dir/state.json");
    const auto range = json::array({{{"table", "users"}}});
    EXPECT_NE(nowhere.post(workflow("w1", "social", "copying", range)), "");
    EXPECT_EQ(nowhere.view()["workflows"].size(), 0u);
    EXPECT_EQ(split("social", "users"), "");
}

} // namespace
