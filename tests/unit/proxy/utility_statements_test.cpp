// Tests of COPY/VACUUM/ANALYZE placement probes and SQL-level PREPARE/EXECUTE parsing.
#include "pg/utility_statements.hpp"

#include <gtest/gtest.h>

namespace {

using namespace shardgate::proxy::pg;

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
