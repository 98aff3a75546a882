// Tests of COPY/VACUUM/ANALYZE placement probes and SQL-level PREPARE/EXECUTE parsing.
#include "pg/utility_statements.hpp"

#include <gtest/gtest.h>

namespace {

using namespace shardgate::proxy::pg;

TEST(UtilityProbe, CopyFromAndTo) {
    auto from = utility_probe("copy pgbench_accounts (aid, bid) from stdin with (freeze on)");
    ASSERT_TRUE(from);
    EXPECT_TRUE(from->writes);
    EXPECT_EQ(from->probes, std::vector<std::string>{"DELETE FROM pgbench_accounts"});
    auto to = utility_probe("COPY public.\"Orders\" TO STDOUT");
    ASSERT_TRUE(to);
    EXPECT_FALSE(to->writes);
    EXPECT_EQ(to->probes, std::vector<std::string>{"SELECT * FROM public.\"Orders\""});
    auto query = utility_probe("COPY (SELECT 1 FROM invoices) TO STDOUT");
    ASSERT_TRUE(query);
    EXPECT_EQ(query->probes, std::vector<std::string>{"SELECT 1 FROM invoices"});
}

TEST(UtilityProbe, VacuumAndAnalyze) {
    auto vacuum = utility_probe("vacuum (verbose) analyze a, b (x)");
    ASSERT_TRUE(vacuum);
    EXPECT_EQ(vacuum->probes, (std::vector<std::string>{"DELETE FROM a", "DELETE FROM b"}));
    auto bare = utility_probe("VACUUM");
    ASSERT_TRUE(bare);
    EXPECT_TRUE(bare->probes.empty());
    EXPECT_FALSE(utility_probe("SELECT 1"));
}

TEST(SqlPrepared, PrepareExecuteDeallocate) {
    auto prepare =
        parse_sql_prepare("PREPARE GetC (bigint, text) AS SELECT * FROM t WHERE id = $1");
    ASSERT_TRUE(prepare);
    EXPECT_EQ(prepare->name, "getc");
    EXPECT_EQ(prepare->types, "(bigint, text)");
    EXPECT_EQ(prepare->body, "SELECT * FROM t WHERE id = $1");
    auto execute = parse_sql_execute("EXECUTE getc (42, 'x''y', now())");
    ASSERT_TRUE(execute);
    EXPECT_EQ(execute->name, "getc");
    EXPECT_EQ(execute->args, "(42, 'x''y', now())");
    ASSERT_EQ(execute->values.size(), 2u);
    EXPECT_EQ(execute->values[0], "42");
    EXPECT_EQ(execute->values[1], "x'y");
    EXPECT_EQ(parse_sql_deallocate("DEALLOCATE PREPARE getc"), "getc");
    EXPECT_EQ(parse_sql_deallocate("deallocate all"), "");
    EXPECT_FALSE(parse_sql_prepare("PREPARE x"));
}

} // namespace
