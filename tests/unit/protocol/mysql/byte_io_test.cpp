// Tests for the MySQL basic data type readers and writers (protocol/mysql/byte_io.cpp).
#include "packet_builder.hpp"
#include "shardgate/protocol/mysql/byte_io.hpp"

#include <gtest/gtest.h>

namespace shardgate::protocol::mysql {
namespace {

using test::PayloadBuilder;

TEST(ByteIo, FixedIntegersAreLittleEndian) {
    const Buffer data =
        PayloadBuilder().u8(1).u16(0x0203).u24(0x040506).u32(0x0708090a).u64(0x1122334455667788ull);
    ByteReader reader(data);
    std::uint8_t a = 0;
    std::uint16_t b = 0;
    std::uint32_t c = 0;
    std::uint32_t d = 0;
    std::uint64_t e = 0;
    ASSERT_TRUE(reader.read_u8(a) && reader.read_u16(b) && reader.read_u24(c) &&
                reader.read_u32(d) && reader.read_u64(e));
    EXPECT_EQ(a, 1);
    EXPECT_EQ(b, 0x0203);
    EXPECT_EQ(c, 0x040506u);
    EXPECT_EQ(d, 0x0708090au);
    EXPECT_EQ(e, 0x1122334455667788ull);
    EXPECT_TRUE(reader.empty());
    EXPECT_FALSE(reader.read_u8(a));
}

TEST(ByteIo, LenencIntegersRoundTripAtEveryWidthBoundary) {
    for (std::uint64_t v : {0ull, 250ull, 251ull, 0xffffull, 0x10000ull, 0xffffffull, 0x1000000ull,
                            0xffffffffffffffffull}) {
        Buffer out;
        ByteWriter(out).write_lenenc_int(v);
        EXPECT_EQ(out.size(), lenenc_int_size(v));
        EXPECT_EQ(out, PayloadBuilder().lenenc(v).build()) << v;
        ByteReader reader(out);
        std::uint64_t back = 0;
        ASSERT_TRUE(reader.read_lenenc_int(back));
        EXPECT_EQ(back, v);
        EXPECT_TRUE(reader.empty());
    }
}

TEST(ByteIo, LenencIntegerRejectsNullMarkerAndTruncation) {
    std::uint64_t v = 0;
    for (const Buffer& data : {PayloadBuilder().u8(0xfb).build(), PayloadBuilder().u8(0xff).build(),
                               PayloadBuilder().u8(0xfc).u8(1).build(),
                               PayloadBuilder().u8(0xfe).u32(1).build(), Buffer{}}) {
        ByteReader reader(data);
        EXPECT_FALSE(reader.read_lenenc_int(v));
        EXPECT_EQ(reader.position(), 0u);
    }
}

TEST(ByteIo, Strings) {
    const Buffer data = PayloadBuilder().lenenc_str("hello").nul_str("db").str("rest");
    ByteReader reader(data);
    std::string_view a;
    std::string_view b;
    ASSERT_TRUE(reader.read_lenenc_string(a));
    ASSERT_TRUE(reader.read_nul_string(b));
    EXPECT_EQ(a, "hello");
    EXPECT_EQ(b, "db");
    EXPECT_EQ(reader.read_rest(), "rest");
}

TEST(ByteIo, StringReadsFailWithoutMovingWhenShort) {
    const Buffer lenenc = PayloadBuilder().u8(10).str("abc");
    ByteReader r1(lenenc);
    std::string_view s;
    EXPECT_FALSE(r1.read_lenenc_string(s));
    EXPECT_EQ(r1.position(), 0u);
    const Buffer no_nul = test::bytes_of("abc");
    ByteReader r2(no_nul);
    EXPECT_FALSE(r2.read_nul_string(s));
    EXPECT_FALSE(r2.read_fixed_string(4, s));
    EXPECT_TRUE(r2.read_fixed_string(3, s));
    EXPECT_EQ(s, "abc");
}

TEST(ByteIo, WriterMatchesBuilder) {
    Buffer out;
    ByteWriter w(out);
    w.write_u8(7);
    w.write_u16(0x1234);
    w.write_u24(0x56789a);
    w.write_u32(1);
    w.write_u48(0x010203040506ull);
    w.write_lenenc_string("xyz");
    w.write_nul_string("n");
    w.write_zeros(2);
    const Buffer expected = PayloadBuilder()
                                .u8(7)
                                .u16(0x1234)
                                .u24(0x56789a)
                                .u32(1)
                                .u32(0x03040506)
                                .u16(0x0102)
                                .lenenc_str("xyz")
                                .nul_str("n")
                                .zeros(2);
    EXPECT_EQ(out, expected);
    ByteReader r(out);
    std::uint64_t v48 = 0;
    ASSERT_TRUE(r.skip(1 + 2 + 3 + 4));
    ASSERT_TRUE(r.read_u48(v48));
    EXPECT_EQ(v48, 0x010203040506ull);
}

} // namespace
} // namespace shardgate::protocol::mysql
