// Tests for COM_STMT_EXECUTE and binary values (stmt_execute.cpp, binary_value.cpp).
#include "packet_builder.hpp"
#include "shardgate/protocol/mysql/constants.hpp"
#include "shardgate/protocol/mysql/stmt_execute.hpp"

#include <cmath>
#include <gtest/gtest.h>

namespace shardgate::protocol::mysql {
namespace {

using test::PayloadBuilder;

TEST(StmtExecute, DecodesIntegerAndStringParameters) {
    // id = ? AND name = ? AND flag IS ?  -> 42 (LONGLONG), 'bob' (VAR_STRING), NULL
    const Buffer payload = PayloadBuilder()
                               .u8(COM_STMT_EXECUTE)
                               .u32(3)
                               .u8(CURSOR_TYPE_NO_CURSOR)
                               .u32(1)
                               .u8(0b100) // NULL bitmap: param 2
                               .u8(1)     // new params bound
                               .u8(MYSQL_TYPE_LONGLONG)
                               .u8(0)
                               .u8(MYSQL_TYPE_VAR_STRING)
                               .u8(0)
                               .u8(MYSQL_TYPE_NULL)
                               .u8(0)
                               .u64(42)
                               .lenenc_str("bob");
    auto ex = decode_com_stmt_execute(payload, {3, {}, {}});
    ASSERT_TRUE(ex.ok()) << ex.error().message;
    const auto& v = ex.value();
    EXPECT_EQ(v.statement_id, 3u);
    EXPECT_EQ(v.iteration_count, 1u);
    EXPECT_TRUE(v.new_params_bound);
    ASSERT_EQ(v.params.size(), 3u);
    EXPECT_EQ(binary_value_as_integer(v.params[0].value), 42);
    EXPECT_EQ(binary_value_as_text(v.params[1].value), "bob");
    EXPECT_TRUE(std::holds_alternative<std::monostate>(v.params[2].value));
    EXPECT_FALSE(binary_value_as_text(v.params[2].value));

    Buffer again;
    ASSERT_TRUE(encode_com_stmt_execute(v, again));
    EXPECT_EQ(again, payload);
}

TEST(StmtExecute, AllIntegerWidthsSignedAndUnsigned) {
    struct Case {
        std::uint8_t type;
        bool is_unsigned;
        std::uint64_t raw;
        int width;
        std::int64_t as_signed;
    };
    const Case cases[] = {
        {MYSQL_TYPE_TINY, false, 0xff, 1, -1},
        {MYSQL_TYPE_TINY, true, 0xff, 1, 255},
        {MYSQL_TYPE_SHORT, false, 0x8000, 2, -32768},
        {MYSQL_TYPE_SHORT, true, 0x8000, 2, 32768},
        {MYSQL_TYPE_YEAR, false, 2024, 2, 2024},
        {MYSQL_TYPE_INT24, false, 0xfffffffe, 4, -2},
        {MYSQL_TYPE_LONG, false, 0x80000000, 4, -2147483648ll},
        {MYSQL_TYPE_LONG, true, 0x80000000, 4, 2147483648ll},
        {MYSQL_TYPE_LONGLONG, false, 0xffffffffffffffffull, 8, -1},
    };
    for (const auto& c : cases) {
        PayloadBuilder b;
        b.u8(COM_STMT_EXECUTE)
            .u32(1)
            .u8(0)
            .u32(1)
            .u8(0)
            .u8(1)
            .u8(c.type)
            .u8(c.is_unsigned ? 0x80 : 0);
        if (c.width == 1) {
            b.u8(c.raw);
        } else if (c.width == 2) {
            b.u16(c.raw);
        } else if (c.width == 4) {
            b.u32(c.raw);
        } else {
            b.u64(c.raw);
        }
        const Buffer payload = b;
        auto ex = decode_com_stmt_execute(payload, {1, {}, {}});
        ASSERT_TRUE(ex.ok()) << int(c.type);
        EXPECT_EQ(binary_value_as_integer(ex.value().params[0].value), c.as_signed)
            << int(c.type) << " unsigned=" << c.is_unsigned;
        Buffer again;
        ASSERT_TRUE(encode_com_stmt_execute(ex.value(), again));
        EXPECT_EQ(again, payload);
    }
    // Unsigned 64-bit above INT64_MAX is not a signed shard key, but still text.
    const BinaryValue big = std::uint64_t{0xffffffffffffffffull};
    EXPECT_FALSE(binary_value_as_integer(big));
    EXPECT_EQ(binary_value_as_text(big), "18446744073709551615");
}

TEST(StmtExecute, FloatsDatesTimesDecimal) {
    const Buffer payload = PayloadBuilder()
                               .u8(COM_STMT_EXECUTE)
                               .u32(1)
                               .u8(0)
                               .u32(1)
                               .u8(0)
                               .u8(1)
                               .u8(MYSQL_TYPE_DOUBLE)
                               .u8(0)
                               .u8(MYSQL_TYPE_FLOAT)
                               .u8(0)
                               .u8(MYSQL_TYPE_DATETIME)
                               .u8(0)
                               .u8(MYSQL_TYPE_DATE)
                               .u8(0)
                               .u8(MYSQL_TYPE_TIME)
                               .u8(0)
                               .u8(MYSQL_TYPE_NEWDECIMAL)
                               .u8(0)
                               .u64(0x400921f9f01b866eull) // 3.14159
                               .u32(0x3fc00000)            // 1.5f
                               .u8(11)
                               .u16(2024)
                               .u8(2)
                               .u8(29)
                               .u8(13)
                               .u8(5)
                               .u8(9)
                               .u32(1234)
                               .u8(4)
                               .u16(1999)
                               .u8(12)
                               .u8(31)
                               .u8(8)
                               .u8(1)
                               .u32(1)
                               .u8(2)
                               .u8(3)
                               .u8(4)
                               .lenenc_str("12.50");
    auto ex = decode_com_stmt_execute(payload, {6, {}, {}});
    ASSERT_TRUE(ex.ok()) << ex.error().message;
    const auto& p = ex.value().params;
    EXPECT_NEAR(std::get<double>(p[0].value), 3.14159, 1e-12);
    EXPECT_EQ(std::get<float>(p[1].value), 1.5f);
    EXPECT_EQ(binary_value_as_text(p[2].value), "2024-02-29 13:05:09.001234");
    EXPECT_EQ(binary_value_as_text(p[3].value), "1999-12-31");
    EXPECT_EQ(binary_value_as_text(p[4].value), "-26:03:04");
    EXPECT_EQ(binary_value_as_text(p[5].value), "12.50");
    EXPECT_FALSE(binary_value_as_integer(p[5].value));
    EXPECT_FALSE(binary_value_as_integer(p[0].value));
    EXPECT_EQ(binary_value_as_text(p[1].value), "1.5");
    Buffer again;
    ASSERT_TRUE(encode_com_stmt_execute(ex.value(), again));
    EXPECT_EQ(again, payload);
}

TEST(StmtExecute, ReusesPreviousTypesAndSkipsLongData) {
    const ParamType types[] = {{MYSQL_TYPE_LONG, false}, {MYSQL_TYPE_BLOB, false}};
    const std::uint8_t long_data[] = {0, 1};
    const Buffer payload =
        PayloadBuilder().u8(COM_STMT_EXECUTE).u32(8).u8(0).u32(1).u8(0).u8(0).u32(7);
    auto ex = decode_com_stmt_execute(payload, {2, types, long_data});
    ASSERT_TRUE(ex.ok()) << ex.error().message;
    EXPECT_FALSE(ex.value().new_params_bound);
    EXPECT_EQ(ex.value().params[0].type, types[0]);
    EXPECT_EQ(binary_value_as_integer(ex.value().params[0].value), 7);
    EXPECT_TRUE(ex.value().params[1].long_data);
    // Without the previous types the value cannot be read.
    EXPECT_TRUE(decode_com_stmt_execute(payload, {2, {}, long_data}).is_error());
    Buffer again;
    ASSERT_TRUE(encode_com_stmt_execute(ex.value(), again));
    EXPECT_EQ(again, payload);
}

TEST(StmtExecute, IntegerFromStringParameter) {
    EXPECT_EQ(binary_value_as_integer(BinaryValue{std::string_view("-17")}), -17);
    EXPECT_FALSE(binary_value_as_integer(BinaryValue{std::string_view("17a")}));
    EXPECT_FALSE(binary_value_as_integer(BinaryValue{std::string_view("")}));
    EXPECT_FALSE(binary_value_as_integer(BinaryValue{std::string_view("99999999999999999999")}));
}

TEST(StmtExecute, NoParametersAndTruncation) {
    const Buffer none = PayloadBuilder().u8(COM_STMT_EXECUTE).u32(1).u8(0).u32(1);
    EXPECT_TRUE(decode_com_stmt_execute(none, {0, {}, {}}).ok());
    const Buffer full = PayloadBuilder()
                            .u8(COM_STMT_EXECUTE)
                            .u32(1)
                            .u8(0)
                            .u32(1)
                            .u8(0)
                            .u8(1)
                            .u8(MYSQL_TYPE_VAR_STRING)
                            .u8(0)
                            .u8(MYSQL_TYPE_DATETIME)
                            .u8(0)
                            .lenenc_str("abc")
                            .u8(7)
                            .u16(2020)
                            .u8(1)
                            .u8(2)
                            .u8(3)
                            .u8(4)
                            .u8(5);
    ASSERT_TRUE(decode_com_stmt_execute(full, {2, {}, {}}).ok());
    for (std::size_t n = 0; n < full.size(); ++n) {
        EXPECT_TRUE(decode_com_stmt_execute(Bytes(full).first(n), {2, {}, {}}).is_error()) << n;
    }
    Buffer trailing = full;
    trailing.push_back(std::byte{0});
    EXPECT_TRUE(decode_com_stmt_execute(trailing, {2, {}, {}}).is_error());
    // Bad datetime length byte.
    const Buffer bad = PayloadBuilder()
                           .u8(COM_STMT_EXECUTE)
                           .u32(1)
                           .u8(0)
                           .u32(1)
                           .u8(0)
                           .u8(1)
                           .u8(MYSQL_TYPE_DATE)
                           .u8(0)
                           .u8(5)
                           .zeros(5);
    EXPECT_TRUE(decode_com_stmt_execute(bad, {1, {}, {}}).is_error());
}

TEST(StmtExecute, EncoderRejectsMismatchedValue) {
    ComStmtExecute ex;
    ex.params.push_back({{MYSQL_TYPE_LONG, false}, false, BinaryValue{std::string_view("x")}});
    Buffer out;
    EXPECT_FALSE(encode_com_stmt_execute(ex, out));
}

} // namespace
} // namespace shardgate::protocol::mysql
