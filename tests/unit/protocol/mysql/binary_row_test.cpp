// Tests for binary result rows (binary_row.cpp).
#include "packet_builder.hpp"
#include "shardgate/protocol/mysql/binary_row.hpp"
#include "shardgate/protocol/mysql/constants.hpp"

#include <gtest/gtest.h>

namespace shardgate::protocol::mysql {
namespace {

using test::PayloadBuilder;

TEST(BinaryRow, DecodeWithNullOffsetAndRoundTrip) {
    const ParamType types[] = {
        {MYSQL_TYPE_LONGLONG, false}, {MYSQL_TYPE_VAR_STRING, false}, {MYSQL_TYPE_LONG, true}};
    // Column 1 is NULL: bit 1 + 2 = 3.
    const Buffer payload = PayloadBuilder().u8(0).u8(0b1000).u64(42).u32(0xffffffff);
    auto row = decode_binary_row(payload, types);
    ASSERT_TRUE(row.ok()) << row.error().message;
    EXPECT_EQ(binary_value_as_integer(row.value()[0]), 42);
    EXPECT_TRUE(std::holds_alternative<std::monostate>(row.value()[1]));
    EXPECT_EQ(binary_value_as_integer(row.value()[2]), 4294967295ll);
    Buffer again;
    ASSERT_TRUE(encode_binary_row(row.value(), types, again));
    EXPECT_EQ(again, payload);
    for (std::size_t n = 0; n < payload.size(); ++n) {
        EXPECT_TRUE(decode_binary_row(Bytes(payload).first(n), types).is_error()) << n;
    }
    EXPECT_TRUE(decode_binary_row(PayloadBuilder().u8(1).u8(0), {}).is_error());
}

TEST(BinaryRow, ColumnValueTypeCarriesUnsignedFlag) {
    ColumnDefinition column;
    column.type = MYSQL_TYPE_TINY;
    column.flags = UNSIGNED_FLAG | NOT_NULL_FLAG;
    EXPECT_EQ(column_value_type(column), (ParamType{MYSQL_TYPE_TINY, true}));
}

// A cross-shard merge reads binary rows as text and writes them back: every value of every
// type must survive the trip bit for bit.
TEST(BinaryRow, ValuesSurviveTheTripThroughTheirText) {
    const std::pair<BinaryValue, ParamType> values[] = {
        {std::int64_t{-128}, {MYSQL_TYPE_TINY, false}},
        {std::uint64_t{255}, {MYSQL_TYPE_TINY, true}},
        {std::int64_t{-9223372036854775807 - 1}, {MYSQL_TYPE_LONGLONG, false}},
        {std::uint64_t{18446744073709551615ull}, {MYSQL_TYPE_LONGLONG, true}},
        {std::uint64_t{2155}, {MYSQL_TYPE_YEAR, true}},
        {16777217.0f * 0.5f + 0.25f, {MYSQL_TYPE_FLOAT, false}},
        {1.2345678f, {MYSQL_TYPE_FLOAT, false}},
        {0.1 + 0.2, {MYSQL_TYPE_DOUBLE, false}},
        {-1.7e300, {MYSQL_TYPE_DOUBLE, false}},
        {DateTimeValue{2024, 2, 29}, {MYSQL_TYPE_DATE, false}},
        {DateTimeValue{0, 0, 0}, {MYSQL_TYPE_DATE, false}},
        {DateTimeValue{2024, 2, 29, 13, 5, 9}, {MYSQL_TYPE_DATETIME, false}},
        {DateTimeValue{1999, 12, 31, 23, 59, 59, 120}, {MYSQL_TYPE_TIMESTAMP, false}},
        {TimeValue{true, 34, 22, 59, 59, 999999}, {MYSQL_TYPE_TIME, false}},
        {TimeValue{false, 0, 0, 0, 1, 0}, {MYSQL_TYPE_TIME, false}},
        {std::string_view("-12.500"), {MYSQL_TYPE_NEWDECIMAL, false}},
        {std::string_view("caf\xc3\xa9 '\\"), {MYSQL_TYPE_VAR_STRING, false}},
    };
    for (const auto& [value, type] : values) {
        const auto text = binary_value_as_text(value);
        ASSERT_TRUE(text);
        const auto back = binary_value_from_text(*text, type);
        ASSERT_TRUE(back) << *text;
        Buffer a, b;
        ASSERT_TRUE(encode_binary_value(value, type, a));
        ASSERT_TRUE(encode_binary_value(*back, type, b)) << *text;
        EXPECT_EQ(a, b) << *text;
    }
    // Text a shard could not have sent for the type is refused, not guessed.
    EXPECT_FALSE(binary_value_from_text("12x", {MYSQL_TYPE_LONG, false}));
    EXPECT_FALSE(binary_value_from_text("-1", {MYSQL_TYPE_LONG, true}));
    EXPECT_FALSE(binary_value_from_text("", {MYSQL_TYPE_DOUBLE, false}));
    EXPECT_FALSE(binary_value_from_text("2024-02-29 13:05", {MYSQL_TYPE_DATETIME, false}));
    EXPECT_FALSE(
        binary_value_from_text("2024-02-29 13:05:09.1234567", {MYSQL_TYPE_DATETIME, false}));
    EXPECT_FALSE(binary_value_from_text("12:3:00", {MYSQL_TYPE_TIME, false}));
    const auto micro =
        binary_value_from_text("2024-02-29 13:05:09.5", {MYSQL_TYPE_DATETIME, false});
    ASSERT_TRUE(micro);
    EXPECT_EQ(std::get<DateTimeValue>(*micro).microsecond, 500000u);
}

} // namespace
} // namespace shardgate::protocol::mysql
