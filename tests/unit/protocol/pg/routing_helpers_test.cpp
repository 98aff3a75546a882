// Tests of the routing helpers: SQL text, Bind parameters as keys, command-tag row counts.
#include "message_builder.hpp"
#include "shardgate/protocol/pg/encoder.hpp"
#include "shardgate/protocol/pg/frontend_decoder.hpp"
#include "shardgate/protocol/pg/routing_helpers.hpp"

#include <gtest/gtest.h>

namespace shardgate::protocol::pg {
namespace {

using test::frame_of;
using test::MessageBuilder;

TEST(StatementText, QueryAndParse) {
    auto query = MessageBuilder(PqMsg_Query).str("SELECT * FROM users WHERE id = 7").build();
    auto parse = MessageBuilder(PqMsg_Parse).str("s1").str("SELECT $1").i16(1).i32(20).build();
    EXPECT_EQ(statement_text(frame_of(query)).value(), "SELECT * FROM users WHERE id = 7");
    EXPECT_EQ(statement_text(frame_of(parse)).value(), "SELECT $1");
}

TEST(StatementText, Errors) {
    auto bind = MessageBuilder(PqMsg_Bind).str("").str("").i16(0).i16(0).i16(0).build();
    auto unterminated = MessageBuilder(PqMsg_Parse).str("s1").raw("SELECT").build();
    EXPECT_EQ(statement_text(frame_of(bind)).error().code, ErrorCode::unexpected_type);
    EXPECT_EQ(statement_text(frame_of(unterminated)).error().code, ErrorCode::missing_terminator);
}

Bind text_bind(std::vector<std::optional<ByteView>> values) {
    return Bind{"", "", {}, std::move(values), {}};
}

TEST(BindParameterInt, TextFormat) {
    auto bind = text_bind({as_bytes("42"), as_bytes(" -7 "), as_bytes("+5"),
                           as_bytes("9223372036854775807"), as_bytes("-9223372036854775808")});
    EXPECT_EQ(bind_parameter_int(bind, 0).value(), 42);
    EXPECT_EQ(bind_parameter_int(bind, 1).value(), -7);
    EXPECT_EQ(bind_parameter_int(bind, 2).value(), 5);
    EXPECT_EQ(bind_parameter_int(bind, 3).value(), INT64_MAX);
    EXPECT_EQ(bind_parameter_int(bind, 4).value(), INT64_MIN);
}

TEST(BindParameterInt, TextErrors) {
    auto bind = text_bind({as_bytes("abc"), as_bytes("12x"), as_bytes("9223372036854775808"),
                           as_bytes(""), as_bytes("+-1"), std::nullopt});
    for (std::size_t i = 0; i < 6; ++i) {
        EXPECT_FALSE(bind_parameter_int(bind, i)) << i;
    }
    EXPECT_NE(bind_parameter_int(bind, 5).error().message.find("NULL"), std::string::npos);
    EXPECT_FALSE(bind_parameter_int(bind, 6));
}

TEST(BindParameterInt, BinaryFormatByLength) {
    std::string int2("\xff\xfe", 2);
    std::string int4("\x00\x01\x00\x00", 4);
    std::string int8("\xff\xff\xff\xff\xff\xff\xff\xff", 8);
    std::string odd("\x01\x02\x03", 3);
    Bind bind{"",
              "",
              {FormatCode::binary},
              {as_bytes(int2), as_bytes(int4), as_bytes(int8), as_bytes(odd)},
              {}};
    EXPECT_EQ(bind_parameter_int(bind, 0).value(), -2);
    EXPECT_EQ(bind_parameter_int(bind, 1).value(), 65536);
    EXPECT_EQ(bind_parameter_int(bind, 2).value(), -1);
    EXPECT_FALSE(bind_parameter_int(bind, 3));
}

TEST(BindParameterInt, MixedFormatsFromDecodedBind) {
    std::string int4("\x00\x00\x01\x00", 4);
    auto bytes = MessageBuilder(PqMsg_Bind)
                     .str("")
                     .str("s")
                     .i16(2)
                     .i16(0)
                     .i16(1)
                     .i16(2)
                     .value("17")
                     .value(int4)
                     .i16(0)
                     .build();
    auto bind = decode_bind(frame_of(bytes));
    ASSERT_TRUE(bind);
    EXPECT_EQ(bind_parameter_int(bind.value(), 0).value(), 17);
    EXPECT_EQ(bind_parameter_int(bind.value(), 1).value(), 256);
}

TEST(BindParameterText, TextAndNull) {
    auto bind = text_bind({as_bytes("de"), std::nullopt});
    EXPECT_EQ(bind_parameter_text(bind, 0).value(), "de");
    EXPECT_FALSE(bind_parameter_text(bind, 1));
    EXPECT_FALSE(bind_parameter_text(bind, 2));
}

TEST(CommandTag, RowCounts) {
    EXPECT_EQ(command_tag_row_count("SELECT 3"), 3u);
    EXPECT_EQ(command_tag_row_count("INSERT 0 25"), 25u);
    EXPECT_EQ(command_tag_row_count("UPDATE 0"), 0u);
    EXPECT_EQ(command_tag_row_count("DELETE 1"), 1u);
    EXPECT_EQ(command_tag_row_count("COPY 10"), 10u);
    EXPECT_FALSE(command_tag_row_count("CREATE TABLE"));
    EXPECT_FALSE(command_tag_row_count("BEGIN"));
    EXPECT_FALSE(command_tag_row_count("SELECT x"));
}

} // namespace
} // namespace shardgate::protocol::pg
