// Tests for writing bound parameters into a statement's text (inline_parameters.cpp).
#include "mysql/inline_parameters.hpp"
#include "shardgate/protocol/mysql/constants.hpp"

#include <gtest/gtest.h>

namespace shardgate::proxy::mysql {
namespace {

namespace pm = protocol::mysql;

BoundParameter text(std::string_view v) {
    return {v, {pm::MYSQL_TYPE_VAR_STRING, false}};
}

TEST(InlineParameters, EveryTypeBecomesTheLiteralTheServerWouldRead) {
    const std::vector<BoundParameter> params{
        {std::int64_t{-42}, {pm::MYSQL_TYPE_LONGLONG, false}},
        {std::uint64_t{18446744073709551615ull}, {pm::MYSQL_TYPE_LONGLONG, true}},
        {0.5, {pm::MYSQL_TYPE_DOUBLE, false}},
        {1e300, {pm::MYSQL_TYPE_DOUBLE, false}},
        text("it's a \\ test"),
        {std::string_view("\x00\xff'", 3), {pm::MYSQL_TYPE_BLOB, false}},
        {pm::DateTimeValue{2024, 2, 29}, {pm::MYSQL_TYPE_DATE, false}},
        {pm::DateTimeValue{2024, 2, 29, 13, 5, 9, 7}, {pm::MYSQL_TYPE_DATETIME, false}},
        {pm::TimeValue{true, 1, 2, 3, 4, 0}, {pm::MYSQL_TYPE_TIME, false}},
        {std::monostate{}, {pm::MYSQL_TYPE_NULL, false}},
    };
    const auto out = inline_parameters(
        "SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM t WHERE a = '?' /* ? */ -- ?\n", params, {});
    ASSERT_TRUE(out.error.empty()) << out.error;
    EXPECT_EQ(out.sql, "SELECT -42, 18446744073709551615, 0.5e0, 1e+300, 'it''s a \\\\ test', "
                       "X'00FF27', DATE'2024-02-29', TIMESTAMP'2024-02-29 13:05:09.000007', "
                       "TIME'-26:03:04', NULL FROM t WHERE a = '?' /* ? */ -- ?\n");
}

TEST(InlineParameters, IntegralDoublesAreIntegersSoALimitTakesThem) {
    const BoundParameter five{5.0, {pm::MYSQL_TYPE_DOUBLE, false}};
    const BoundParameter half{-0.5, {pm::MYSQL_TYPE_DOUBLE, false}};
    const auto out = inline_parameters("SELECT 1 FROM t WHERE n > ? AND f < ? LIMIT ?, ?",
                                       {five, half, five, five}, {});
    ASSERT_TRUE(out.error.empty()) << out.error;
    EXPECT_EQ(out.sql, "SELECT 1 FROM t WHERE n > 5 AND f < -0.5e0 LIMIT 5, 5");
}

TEST(InlineParameters, DecimalsAreNumbers) {
    // Connector/J setBigDecimal: NEWDECIMAL text. A number, as the server reads it (a text key
    // compares with it as numbers: the statement with its parameters written in must route as
    // the prepared one did); text that is no number stays quoted.
    const BoundParameter decimal{std::string_view("-12.50"), {pm::MYSQL_TYPE_NEWDECIMAL, false}};
    const BoundParameter odd{std::string_view("1e3"), {pm::MYSQL_TYPE_NEWDECIMAL, false}};
    const auto out = inline_parameters("SELECT 1 FROM t WHERE a = ? AND b = ?", {decimal, odd}, {});
    ASSERT_TRUE(out.error.empty()) << out.error;
    EXPECT_EQ(out.sql, "SELECT 1 FROM t WHERE a = -12.50 AND b = '1e3'");
}

TEST(InlineParameters, BackslashesAreLiteralUnderNoBackslashEscapes) {
    parser::LexMode mode;
    mode.backslash_escapes = false;
    const auto out =
        inline_parameters("SELECT * FROM t WHERE a = ? AND b = 'x\\'", {text("a\\b")}, mode);
    ASSERT_TRUE(out.error.empty()) << out.error;
    EXPECT_EQ(out.sql, "SELECT * FROM t WHERE a = 'a\\b' AND b = 'x\\'");
}

TEST(InlineParameters, RefusesWhatHasNoLiteralOrDoesNotMatch) {
    EXPECT_FALSE(inline_parameters(
                     "SELECT ?",
                     {{std::numeric_limits<double>::quiet_NaN(), {pm::MYSQL_TYPE_DOUBLE, false}}},
                     {})
                     .error.empty());
    EXPECT_FALSE(inline_parameters("SELECT ?, ?", {text("a")}, {}).error.empty());
    EXPECT_FALSE(inline_parameters("SELECT ?", {text("a"), text("b")}, {}).error.empty());
    EXPECT_FALSE(inline_parameters("SELECT 'unterminated", {}, {}).error.empty());
}

} // namespace
} // namespace shardgate::proxy::mysql
