// Proves the test topology is real: each primary replicates to its replica, replicas refuse
// application writes, and the lag helpers make a replica fall behind and catch up.
#include "topology.hpp"

#include <chrono>
#include <gtest/gtest.h>
#include <thread>

namespace {

using namespace shardgate::testing;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr auto replication_deadline = std::chrono::seconds(20);

double ms_since(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

long long unique_token() {
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// ---------------------------------------------------------------- PostgreSQL

void pg_prepare_probe(const Server& primary) {
    pqxx::connection c(pg_conninfo(primary));
    pqxx::nontransaction n(c);
    n.exec("CREATE TABLE IF NOT EXISTS sg_probe (id bigint PRIMARY KEY, "
           "written_at timestamptz NOT NULL DEFAULT clock_timestamp())");
}

void pg_insert(const Server& primary, long long id) {
    pqxx::connection c(pg_conninfo(primary));
    pqxx::work w(c);
    w.exec("INSERT INTO sg_probe (id) VALUES (" + std::to_string(id) + ")");
    w.commit();
}

bool pg_has_row(pqxx::connection& replica, long long id) {
    pqxx::nontransaction n(replica);
    return n.exec("SELECT 1 FROM sg_probe WHERE id = " + std::to_string(id)).size() == 1;
}

// Lag as the primary's clock minus the newest probe row the replica has replayed.
double pg_replayed_age_ms(const Server& primary, const Server& replica) {
    pqxx::connection rc(pg_conninfo(replica));
    pqxx::nontransaction rn(rc);
    const auto newest = rn.exec("SELECT extract(epoch FROM max(written_at)) FROM sg_probe");
    pqxx::connection pc(pg_conninfo(primary));
    pqxx::nontransaction pn(pc);
    const auto now = pn.exec("SELECT extract(epoch FROM clock_timestamp())");
    return (now[0][0].as<double>() - newest[0][0].as<double>()) * 1000.0;
}

double pg_wait_replicated(const Server& primary, const Server& replica, long long id) {
    pqxx::connection rc(pg_conninfo(replica));
    const auto start = Clock::now();
    pg_insert(primary, id);
    while (!pg_has_row(rc, id)) {
        if (Clock::now() - start > replication_deadline) {
            ADD_FAILURE() << "row " << id << " never reached " << replica.shard << " replica";
            return -1;
        }
        std::this_thread::sleep_for(milliseconds(2));
    }
    return ms_since(start);
}

TEST(PostgresTopology, EveryShardReplicatesToItsReplica) {
    const auto all = load_topology();
    const auto primaries = servers(all, "postgresql", "primary");
    ASSERT_GE(primaries.size(), 2u);
    for (const auto& primary : primaries) {
        const auto replica = find_server(all, primary.shard, "replica");
        pg_prepare_probe(primary);
        const double lag = pg_wait_replicated(primary, replica, unique_token());
        std::cout << "[ lag ] postgresql " << primary.shard << ": " << lag << " ms\n";
        EXPECT_GE(lag, 0.0);
        pqxx::connection rc(pg_conninfo(replica));
        pqxx::nontransaction rn(rc);
        EXPECT_EQ(rn.exec("SELECT pg_is_in_recovery()")[0][0].as<bool>(), true);
    }
}

TEST(PostgresTopology, ReplicaRefusesApplicationWrites) {
    const auto all = load_topology();
    for (const auto& replica : servers(all, "postgresql", "replica")) {
        pqxx::connection c(pg_conninfo(replica));
        pqxx::nontransaction n(c);
        try {
            n.exec("INSERT INTO sg_probe (id) VALUES (-1)");
            FAIL() << replica.shard << " replica accepted a write";
        } catch (const pqxx::sql_error& e) {
            EXPECT_EQ(e.sqlstate(), "25006") << e.what(); // read_only_sql_transaction
        }
    }
}

TEST(PostgresTopology, PausedReplayMakesLagGrowAndResumeRecovers) {
    const auto all = load_topology();
    const auto primary = find_server(all, "pg0", "primary");
    const auto replica = find_server(all, "pg0", "replica");
    pg_prepare_probe(primary);
    pg_wait_replicated(primary, replica, unique_token());

    topology_script("lag pause pg0");
    const long long paused_id = unique_token();
    pg_insert(primary, paused_id);
    std::this_thread::sleep_for(milliseconds(600));
    const double lag1 = pg_replayed_age_ms(primary, replica);
    std::this_thread::sleep_for(milliseconds(600));
    const double lag2 = pg_replayed_age_ms(primary, replica);
    {
        pqxx::connection rc(pg_conninfo(replica));
        EXPECT_FALSE(pg_has_row(rc, paused_id)) << "replay was paused but the row arrived";
    }
    topology_script("lag resume pg0");
    std::cout << "[ lag ] paused: " << lag1 << " ms, then " << lag2 << " ms\n";
    EXPECT_GE(lag1, 500.0);
    EXPECT_GE(lag2, lag1 + 400.0);

    const auto resumed = Clock::now();
    pqxx::connection rc(pg_conninfo(replica));
    while (!pg_has_row(rc, paused_id)) {
        ASSERT_LT(Clock::now() - resumed, replication_deadline) << "replica did not catch up";
        std::this_thread::sleep_for(milliseconds(5));
    }
    const double caught_up = pg_wait_replicated(primary, replica, unique_token());
    std::cout << "[ lag ] after resume: caught up in " << ms_since(resumed) << " ms, new lag "
              << caught_up << " ms\n";
    EXPECT_LT(caught_up, 5000.0);
}

// ---------------------------------------------------------------- MariaDB

void my_prepare_probe(const Server& primary) {
    MysqlConnection c(primary);
    c.execute("CREATE TABLE IF NOT EXISTS sg_probe (id BIGINT PRIMARY KEY, "
              "written_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6))");
}

bool my_has_row(MysqlConnection& replica, long long id) {
    return replica.query("SELECT 1 FROM sg_probe WHERE id = " + std::to_string(id)).size() == 1;
}

double my_wait_replicated(const Server& primary, const Server& replica, long long id) {
    MysqlConnection rc(replica);
    MysqlConnection pc(primary);
    const auto start = Clock::now();
    pc.execute("INSERT INTO sg_probe (id) VALUES (" + std::to_string(id) + ")");
    while (!my_has_row(rc, id)) {
        if (Clock::now() - start > replication_deadline) {
            ADD_FAILURE() << "row " << id << " never reached " << replica.shard << " replica";
            return -1;
        }
        std::this_thread::sleep_for(milliseconds(2));
    }
    return ms_since(start);
}

double my_replayed_age_ms(const Server& primary, const Server& replica) {
    MysqlConnection rc(replica);
    MysqlConnection pc(primary);
    const auto newest = rc.query("SELECT UNIX_TIMESTAMP(MAX(written_at)) FROM sg_probe");
    const auto now = pc.query("SELECT UNIX_TIMESTAMP(NOW(6))");
    return (std::stod(now[0][0]) - std::stod(newest[0][0])) * 1000.0;
}

TEST(MariadbTopology, EveryShardReplicatesToItsReplica) {
    const auto all = load_topology();
    const auto primaries = servers(all, "mysql", "primary");
    ASSERT_GE(primaries.size(), 2u);
    for (const auto& primary : primaries) {
        const auto replica = find_server(all, primary.shard, "replica");
        my_prepare_probe(primary);
        const double lag = my_wait_replicated(primary, replica, unique_token());
        std::cout << "[ lag ] mysql " << primary.shard << ": " << lag << " ms\n";
        EXPECT_GE(lag, 0.0);
        MysqlConnection admin(replica, true);
        const auto status = admin.query("SELECT @@gtid_slave_pos, @@read_only");
        EXPECT_FALSE(status[0][0].empty()) << "replica has no GTID position";
        EXPECT_EQ(status[0][1], "1");
    }
}

TEST(MariadbTopology, ReplicaRefusesApplicationWrites) {
    const auto all = load_topology();
    for (const auto& replica : servers(all, "mysql", "replica")) {
        MysqlConnection c(replica);
        std::string message;
        const unsigned error = c.try_execute("INSERT INTO sg_probe (id) VALUES (-1)", &message);
        EXPECT_EQ(error, 1290u) << replica.shard << ": " << message; // ER_OPTION_PREVENTS_STATEMENT
        const auto grants = c.query("SHOW GRANTS");
        for (const auto& row : grants) {
            EXPECT_EQ(row[0].find("READ_ONLY ADMIN"), std::string::npos) << row[0];
        }
    }
}

TEST(MariadbTopology, StoppedSqlThreadMakesLagGrowAndStartRecovers) {
    const auto all = load_topology();
    const auto primary = find_server(all, "my0", "primary");
    const auto replica = find_server(all, "my0", "replica");
    my_prepare_probe(primary);
    my_wait_replicated(primary, replica, unique_token());

    topology_script("lag pause my0");
    const long long paused_id = unique_token();
    {
        MysqlConnection pc(primary);
        pc.execute("INSERT INTO sg_probe (id) VALUES (" + std::to_string(paused_id) + ")");
    }
    std::this_thread::sleep_for(milliseconds(600));
    const double lag1 = my_replayed_age_ms(primary, replica);
    std::this_thread::sleep_for(milliseconds(600));
    const double lag2 = my_replayed_age_ms(primary, replica);
    {
        MysqlConnection rc(replica);
        EXPECT_FALSE(my_has_row(rc, paused_id)) << "SQL thread was stopped but the row arrived";
    }
    topology_script("lag resume my0");
    std::cout << "[ lag ] paused: " << lag1 << " ms, then " << lag2 << " ms\n";
    EXPECT_GE(lag1, 500.0);
    EXPECT_GE(lag2, lag1 + 400.0);

    const auto resumed = Clock::now();
    MysqlConnection rc(replica);
    while (!my_has_row(rc, paused_id)) {
        ASSERT_LT(Clock::now() - resumed, replication_deadline) << "replica did not catch up";
        std::this_thread::sleep_for(milliseconds(5));
    }
    const double caught_up = my_wait_replicated(primary, replica, unique_token());
    std::cout << "[ lag ] after resume: caught up in " << ms_since(resumed) << " ms, new lag "
              << caught_up << " ms\n";
    EXPECT_LT(caught_up, 5000.0);
}

TEST(Topology, DescriptionListsEveryServer) {
    const auto all = load_topology();
    EXPECT_EQ(all.size(), 8u);
    for (const auto& s : all) {
        EXPECT_EQ(s.host, "127.0.0.1");
        EXPECT_TRUE(s.role == "primary" || s.role == "replica") << s.role;
        EXPECT_FALSE(s.datadir.empty());
        EXPECT_EQ(s.user, "app");
        EXPECT_EQ(s.password, "app");
    }
}

} // namespace
