// Tests for AuthSwitchRequest / AuthMoreData packets (auth_packets.cpp).
#include "packet_builder.hpp"
#include "shardgate/protocol/mysql/auth_packets.hpp"
#include "shardgate/protocol/mysql/constants.hpp"

#include <gtest/gtest.h>

namespace shardgate::protocol::mysql {
namespace {

using test::PayloadBuilder;

TEST(AuthSwitchRequest, DecodeAndRoundTrip) {
    const Buffer payload = PayloadBuilder()
                               .u8(0xfe)
                               .nul_str("mysql_native_password")
                               .str("abcdefghijklmnopqrst")
                               .u8(0);
    auto request = decode_auth_switch_request(payload);
    ASSERT_TRUE(request.ok());
    EXPECT_EQ(request.value().plugin_name, MYSQL_NATIVE_PASSWORD);
    EXPECT_EQ(test::text_of(auth_switch_scramble(request.value())), "abcdefghijklmnopqrst");
    Buffer again;
    encode_auth_switch_request(request.value(), again);
    EXPECT_EQ(again, payload);
    EXPECT_EQ(classify_auth_reply(payload), AuthReplyKind::auth_switch);
}

TEST(AuthSwitchRequest, MalformedIsError) {
    EXPECT_TRUE(decode_auth_switch_request(PayloadBuilder().u8(0xfe)).is_error());
    EXPECT_TRUE(decode_auth_switch_request(PayloadBuilder().u8(0xfe).str("plugin")).is_error());
    EXPECT_TRUE(decode_auth_switch_request(PayloadBuilder().u8(0x00)).is_error());
    EXPECT_TRUE(decode_auth_switch_request(Buffer{}).is_error());
}

TEST(AuthMoreData, CachingSha2Signals) {
    for (std::uint8_t signal :
         {CACHING_SHA2_FAST_AUTH_SUCCESS, CACHING_SHA2_PERFORM_FULL_AUTHENTICATION}) {
        Buffer payload;
        encode_auth_more_data(PayloadBuilder().u8(signal).build(), payload);
        EXPECT_EQ(payload, PayloadBuilder().u8(0x01).u8(signal).build());
        EXPECT_EQ(classify_auth_reply(payload), AuthReplyKind::auth_more_data);
        auto more = decode_auth_more_data(payload);
        ASSERT_TRUE(more.ok());
        EXPECT_EQ(more.value().data, PayloadBuilder().u8(signal).build());
    }
    EXPECT_TRUE(decode_auth_more_data(Buffer{}).is_error());
    EXPECT_TRUE(decode_auth_more_data(PayloadBuilder().u8(0x02)).is_error());
}

TEST(AuthReply, Classification) {
    EXPECT_EQ(classify_auth_reply(test::ok_payload(2)), AuthReplyKind::ok);
    EXPECT_EQ(classify_auth_reply(test::err_payload(1045, "28000", "no")), AuthReplyKind::err);
    EXPECT_EQ(classify_auth_reply(Buffer{}), AuthReplyKind::unknown);
    EXPECT_EQ(classify_auth_reply(PayloadBuilder().u8(0x42)), AuthReplyKind::unknown);
}

} // namespace
} // namespace shardgate::protocol::mysql
