// Tests of PostgreSQL framing: whole messages, need-more at every split point, bad lengths.
#include "message_builder.hpp"
#include "shardgate/protocol/pg/frame.hpp"

#include <algorithm>
#include <gtest/gtest.h>

namespace shardgate::protocol::pg {
namespace {

using test::MessageBuilder;

ByteBuffer backend_stream() {
    return test::concat({
        MessageBuilder(PqMsg_ParseComplete).build(),
        MessageBuilder(PqMsg_BindComplete).build(),
        MessageBuilder(PqMsg_RowDescription)
            .i16(1)
            .str("id")
            .i32(0)
            .i16(0)
            .i32(23)
            .i16(4)
            .i32(-1)
            .i16(0)
            .build(),
        MessageBuilder(PqMsg_DataRow).i16(1).value("42").build(),
        MessageBuilder(PqMsg_DataRow).i16(1).i32(-1).build(),
        MessageBuilder(PqMsg_CommandComplete).str("SELECT 2").build(),
        MessageBuilder(PqMsg_ReadyForQuery).i8('I').build(),
    });
}

TEST(Frame, SplitsOneMessage) {
    auto bytes = MessageBuilder(PqMsg_Query).str("SELECT 1").build();
    auto framed = next_frame(bytes);
    ASSERT_TRUE(framed.ok());
    EXPECT_EQ(framed.value().type, PqMsg_Query);
    EXPECT_EQ(framed.consumed(), bytes.size());
    EXPECT_EQ(framed.value().size(), bytes.size());
    EXPECT_EQ(test::text(framed.value().body), std::string("SELECT 1\0", 9));
    EXPECT_EQ(framed.value().bytes.data(), bytes.data());
}

TEST(Frame, EmptyBodyMessage) {
    auto bytes = MessageBuilder(PqMsg_Sync).build();
    auto framed = next_frame(bytes);
    ASSERT_TRUE(framed.ok());
    EXPECT_EQ(framed.consumed(), 5u);
    EXPECT_TRUE(framed.value().body.empty());
}

TEST(Frame, NeedMoreReportsRequiredSize) {
    auto bytes = MessageBuilder(PqMsg_Query).str("SELECT 1").build();
    for (std::size_t n = 0; n < bytes.size(); ++n) {
        auto framed = next_frame(ByteView(bytes).first(n));
        ASSERT_TRUE(framed.need_more()) << n;
        EXPECT_EQ(framed.needed(), n < 5 ? 5u : bytes.size()) << n;
    }
}

// Cut a multi-message stream at every point: the first part yields exactly the messages it
// fully contains and then need_more; resuming with the whole buffer yields the rest.
TEST(Frame, NeedMoreAtEverySplitPoint) {
    auto stream = backend_stream();
    std::vector<std::size_t> ends;
    for (std::size_t at = 0; at < stream.size();) {
        auto framed = next_frame(ByteView(stream).subspan(at));
        ASSERT_TRUE(framed.ok());
        at += framed.consumed();
        ends.push_back(at);
    }
    ASSERT_EQ(ends.size(), 7u);
    for (std::size_t split = 0; split <= stream.size(); ++split) {
        ByteView prefix = ByteView(stream).first(split);
        std::size_t at = 0;
        std::size_t count = 0;
        while (true) {
            auto framed = next_frame(prefix.subspan(at));
            if (framed.need_more()) {
                EXPECT_GT(at + framed.needed(), split) << split;
                break;
            }
            ASSERT_TRUE(framed.ok()) << split;
            at += framed.consumed();
            ++count;
        }
        auto complete = std::count_if(ends.begin(), ends.end(), [&](auto e) { return e <= split; });
        EXPECT_EQ(count, static_cast<std::size_t>(complete)) << split;
        while (at < stream.size()) {
            auto framed = next_frame(ByteView(stream).subspan(at));
            ASSERT_TRUE(framed.ok()) << split;
            at += framed.consumed();
            ++count;
        }
        EXPECT_EQ(count, 7u);
    }
}

TEST(Frame, LengthBelowFourIsAnError) {
    for (std::int32_t length : {0, 1, 3, -1, -100}) {
        auto bytes = MessageBuilder(PqMsg_Query).str("x").build(length);
        auto framed = next_frame(bytes);
        ASSERT_TRUE(framed.is_error()) << length;
        EXPECT_EQ(framed.error().code, ErrorCode::bad_length);
    }
}

TEST(Frame, OversizedMessageIsRejectedFromItsHeader) {
    FramingLimits limits;
    limits.max_message_size = 100;
    auto header_only = MessageBuilder(PqMsg_CopyData).build(1000);
    auto framed = next_frame(header_only, limits);
    ASSERT_TRUE(framed.is_error());
    EXPECT_EQ(framed.error().code, ErrorCode::too_large);

    auto fits = MessageBuilder(PqMsg_CopyData).raw(std::string(95, 'x')).build();
    EXPECT_EQ(fits.size(), 100u);
    EXPECT_TRUE(next_frame(fits, limits).ok());
}

TEST(StartupFrame, SplitsAndNeedsMore) {
    auto bytes =
        MessageBuilder::startup().i32(PG_PROTOCOL_3_0).str("user").str("app").i8(0).build();
    for (std::size_t n = 0; n < bytes.size(); ++n) {
        auto framed = next_startup_frame(ByteView(bytes).first(n));
        ASSERT_TRUE(framed.need_more()) << n;
        EXPECT_EQ(framed.needed(), n < 4 ? 8u : bytes.size());
    }
    auto framed = next_startup_frame(bytes);
    ASSERT_TRUE(framed.ok());
    EXPECT_EQ(framed.value().code, PG_PROTOCOL_3_0);
    EXPECT_EQ(framed.consumed(), bytes.size());
}

TEST(StartupFrame, BadLengths) {
    auto short_packet = MessageBuilder::startup().i32(NEGOTIATE_SSL_CODE).build(7);
    auto framed = next_startup_frame(short_packet);
    ASSERT_TRUE(framed.is_error());
    EXPECT_EQ(framed.error().code, ErrorCode::bad_length);

    auto huge = MessageBuilder::startup().i32(PG_PROTOCOL_3_0).build(10001);
    framed = next_startup_frame(huge);
    ASSERT_TRUE(framed.is_error());
    EXPECT_EQ(framed.error().code, ErrorCode::too_large);

    auto negative = MessageBuilder::startup().i32(PG_PROTOCOL_3_0).build(-8);
    EXPECT_TRUE(next_startup_frame(negative).is_error());
}

TEST(ErrorCode, HasNames) {
    EXPECT_STREQ(to_string(ErrorCode::missing_terminator), "missing_terminator");
    EXPECT_STREQ(to_string(ErrorCode::auth_failed), "auth_failed");
}

} // namespace
} // namespace shardgate::protocol::pg
