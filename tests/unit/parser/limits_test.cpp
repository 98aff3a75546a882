// Bad input: errors with positions, nesting and length limits, no crash or hang.
#include "shardgate/parser/limits.hpp"
#include "shardgate/parser/parser.hpp"

#include <gtest/gtest.h>
#include <random>

namespace {

using namespace shardgate::parser;

TEST(Limits, SyntaxErrorsNameThePosition) {
    auto r = parse("SELECT * FROM t WHERE", Dialect::mysql);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().position, 21u);
    auto s = parse("SELECT * FROM t WHERE id = = 1", Dialect::mysql);
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().position, 27u);
    EXPECT_NE(s.error().message.find("syntax error"), std::string::npos);
    EXPECT_FALSE(parse("", Dialect::pg));
    EXPECT_FALSE(parse("SELECT 1; SELECT 2", Dialect::pg));
}

TEST(Limits, NestingDepthIsBounded) {
    const std::string ok = std::string(60, '(') + "1" + std::string(60, ')');
    EXPECT_TRUE(parse("SELECT " + ok, Dialect::mysql));
    const std::string deep = std::string(100000, '(') + "1" + std::string(100000, ')');
    auto r = parse("SELECT " + deep, Dialect::mysql);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("nested"), std::string::npos);
}

TEST(Limits, LongStatementsAreRejected) {
    std::string huge = "SELECT '" + std::string(max_statement_bytes, 'x') + "'";
    EXPECT_FALSE(parse(huge, Dialect::mysql));
}

TEST(Limits, ManyPrefixOperatorsDoNotRecurse) {
    std::string sql = "SELECT * FROM t WHERE ";
    for (int i = 0; i < 20000; ++i) {
        sql += "NOT ";
    }
    sql += "a = 1";
    EXPECT_TRUE(parse(sql, Dialect::pg));
}

TEST(Limits, RandomBytesNeverCrash) {
    std::mt19937 rng(7);
    const std::string alphabet = "SELECT FROM WHERE ()'\"`$?,.;*=<>-/#\n\\ab1";
    for (int i = 0; i < 2000; ++i) {
        std::string s;
        const int n = static_cast<int>(rng() % 80);
        for (int j = 0; j < n; ++j) {
            s += alphabet[rng() % alphabet.size()];
        }
        const auto result = parse(s, i % 2 ? Dialect::pg : Dialect::mysql);
        if (!result) {
            // A failure is a clean error that points inside the statement (or at its end).
            EXPECT_LE(result.error().position, s.size()) << s;
            EXPECT_FALSE(result.error().message.empty()) << s;
        }
    }
}

} // namespace
