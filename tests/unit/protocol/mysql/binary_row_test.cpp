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

} // namespace
} // namespace shardgate::protocol::mysql
