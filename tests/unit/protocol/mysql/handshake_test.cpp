// Tests for Initial Handshake v10, HandshakeResponse41 and SSLRequest (handshake.cpp).
#include "packet_builder.hpp"
#include "shardgate/protocol/mysql/constants.hpp"
#include "shardgate/protocol/mysql/handshake.hpp"

#include <gtest/gtest.h>

namespace shardgate::protocol::mysql {
namespace {

using test::PayloadBuilder;

constexpr std::uint32_t server_caps =
    CLIENT_LONG_PASSWORD | CLIENT_CONNECT_WITH_DB | CLIENT_PROTOCOL_41 | CLIENT_TRANSACTIONS |
    CLIENT_SECURE_CONNECTION | CLIENT_MULTI_RESULTS | CLIENT_PS_MULTI_RESULTS | CLIENT_PLUGIN_AUTH |
    CLIENT_CONNECT_ATTRS | CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA | CLIENT_SESSION_TRACK |
    CLIENT_DEPRECATE_EOF | CLIENT_SSL;

// A MariaDB 10.11-style greeting: CLIENT_MYSQL clear, extended capabilities in the reserved
// bytes, scramble part 2 NUL-terminated.
Buffer mariadb_greeting() {
    const std::uint32_t caps = server_caps & ~CLIENT_MYSQL;
    return PayloadBuilder()
        .u8(10)
        .nul_str("5.5.5-10.11.19-MariaDB-0+deb12u1-log")
        .u32(77)
        .str("abcdefgh")
        .u8(0)
        .u16(caps & 0xffff)
        .u8(CHARSET_UTF8MB4_GENERAL_CI)
        .u16(SERVER_STATUS_AUTOCOMMIT)
        .u16(caps >> 16)
        .u8(21)
        .zeros(6)
        .u32(MARIADB_CLIENT_PROGRESS | MARIADB_CLIENT_STMT_BULK_OPERATIONS |
             MARIADB_CLIENT_EXTENDED_METADATA)
        .str("ijklmnopqrst")
        .u8(0)
        .nul_str("mysql_native_password");
}

TEST(InitialHandshake, DecodesMariaDbGreeting) {
    auto hs = decode_initial_handshake(mariadb_greeting());
    ASSERT_TRUE(hs.ok()) << hs.error().message;
    const auto& v = hs.value();
    EXPECT_EQ(v.server_version, "5.5.5-10.11.19-MariaDB-0+deb12u1-log");
    EXPECT_EQ(v.connection_id, 77u);
    EXPECT_EQ(test::text_of(v.scramble), "abcdefghijklmnopqrst");
    EXPECT_EQ(v.capabilities, server_caps & ~CLIENT_MYSQL);
    EXPECT_EQ(v.character_set, CHARSET_UTF8MB4_GENERAL_CI);
    EXPECT_EQ(v.status_flags, SERVER_STATUS_AUTOCOMMIT);
    EXPECT_EQ(v.mariadb_capabilities, MARIADB_CLIENT_PROGRESS |
                                          MARIADB_CLIENT_STMT_BULK_OPERATIONS |
                                          MARIADB_CLIENT_EXTENDED_METADATA);
    EXPECT_EQ(v.auth_plugin_name, "mysql_native_password");
}

TEST(InitialHandshake, EncoderProducesTheSameBytes) {
    InitialHandshake hs;
    hs.server_version = "5.5.5-10.11.19-MariaDB-0+deb12u1-log";
    hs.connection_id = 77;
    hs.scramble = test::bytes_of("abcdefghijklmnopqrst");
    hs.capabilities = server_caps & ~CLIENT_MYSQL;
    hs.character_set = CHARSET_UTF8MB4_GENERAL_CI;
    hs.status_flags = SERVER_STATUS_AUTOCOMMIT;
    hs.mariadb_capabilities = MARIADB_CLIENT_PROGRESS | MARIADB_CLIENT_STMT_BULK_OPERATIONS |
                              MARIADB_CLIENT_EXTENDED_METADATA;
    hs.auth_plugin_name = "mysql_native_password";
    Buffer payload;
    encode_initial_handshake(hs, payload);
    EXPECT_EQ(payload, mariadb_greeting());
    auto back = decode_initial_handshake(payload);
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(back.value(), hs);
}

TEST(InitialHandshake, MissingPluginNameTerminatorIsTolerated) {
    Buffer payload = mariadb_greeting();
    payload.pop_back();
    auto hs = decode_initial_handshake(payload);
    ASSERT_TRUE(hs.ok());
    EXPECT_EQ(hs.value().auth_plugin_name, "mysql_native_password");
}

TEST(InitialHandshake, TruncationAndBadVersionAreErrors) {
    const Buffer payload = mariadb_greeting();
    // Every cut before the scramble's second part is complete must fail cleanly (a cut that
    // removes only the plugin name still decodes).
    const std::size_t must_fail_below = 1 + 37 + 4 + 8 + 1 + 2 + 1 + 2 + 2 + 1 + 10;
    for (std::size_t n = 0; n < payload.size(); ++n) {
        auto hs = decode_initial_handshake(Bytes(payload).first(n));
        if (n < must_fail_below && n != 1 + 37 + 4 + 8 + 1 + 2) {
            EXPECT_TRUE(hs.is_error()) << n;
        }
    }
    EXPECT_TRUE(decode_initial_handshake(PayloadBuilder().u8(9).nul_str("x")).is_error());
    EXPECT_TRUE(decode_initial_handshake(test::err_payload(1040, "08004", "Too many")).is_error());
}

HandshakeResponse sample_response(std::uint32_t caps) {
    HandshakeResponse r;
    r.capabilities = caps;
    r.max_packet_size = 16 * 1024 * 1024;
    r.character_set = CHARSET_UTF8MB4_GENERAL_CI;
    r.username = "app";
    r.auth_response = test::from_hex("8817c50fa779daef010ee7577825b0847df9842e");
    if (caps & CLIENT_CONNECT_WITH_DB) {
        r.database = "social";
    }
    if (caps & CLIENT_PLUGIN_AUTH) {
        r.auth_plugin_name = "mysql_native_password";
    }
    if (caps & CLIENT_CONNECT_ATTRS) {
        r.connect_attributes = {{"_client_name", "libmariadb"}, {"_pid", "4242"}};
    }
    return r;
}

TEST(HandshakeResponse, DecodesLenencAuthDataWithEverything) {
    const std::uint32_t caps = CLIENT_PROTOCOL_41 | CLIENT_SECURE_CONNECTION | CLIENT_PLUGIN_AUTH |
                               CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA | CLIENT_CONNECT_WITH_DB |
                               CLIENT_CONNECT_ATTRS;
    const Buffer attrs = PayloadBuilder()
                             .lenenc_str("_client_name")
                             .lenenc_str("libmariadb")
                             .lenenc_str("_pid")
                             .lenenc_str("4242");
    const Buffer payload = PayloadBuilder()
                               .u32(caps)
                               .u32(16 * 1024 * 1024)
                               .u8(CHARSET_UTF8MB4_GENERAL_CI)
                               .zeros(23)
                               .nul_str("app")
                               .lenenc(20)
                               .raw(test::from_hex("8817c50fa779daef010ee7577825b0847df9842e"))
                               .nul_str("social")
                               .nul_str("mysql_native_password")
                               .lenenc(attrs.size())
                               .raw(attrs);
    auto r = decode_handshake_response(payload);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r.value(), sample_response(caps));
    Buffer again;
    encode_handshake_response(r.value(), again);
    EXPECT_EQ(again, payload);
}

TEST(HandshakeResponse, RoundTripsAllThreeAuthEncodings) {
    const std::uint32_t base = CLIENT_PROTOCOL_41 | CLIENT_CONNECT_WITH_DB | CLIENT_PLUGIN_AUTH;
    for (std::uint32_t extra : {CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA | CLIENT_SECURE_CONNECTION,
                                CLIENT_SECURE_CONNECTION, 0u}) {
        HandshakeResponse r = sample_response(base | extra);
        if (extra == 0) {
            r.auth_response = test::bytes_of("no-nul-bytes-here"); // NUL-terminated encoding
        }
        r.mariadb_capabilities = MARIADB_CLIENT_PROGRESS;
        Buffer payload;
        encode_handshake_response(r, payload);
        auto back = decode_handshake_response(payload);
        ASSERT_TRUE(back.ok()) << extra;
        EXPECT_EQ(back.value(), r) << extra;
    }
}

TEST(HandshakeResponse, SecureConnectionLengthByte) {
    const std::uint32_t caps = CLIENT_PROTOCOL_41 | CLIENT_SECURE_CONNECTION;
    const Buffer payload =
        PayloadBuilder().u32(caps).u32(1).u8(33).zeros(23).nul_str("u").u8(3).str("abc");
    auto r = decode_handshake_response(payload);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(test::text_of(r.value().auth_response), "abc");
    EXPECT_TRUE(r.value().database.empty());
}

TEST(HandshakeResponse, TruncatedAndOldProtocolAreErrors) {
    const std::uint32_t caps = CLIENT_PROTOCOL_41 | CLIENT_SECURE_CONNECTION |
                               CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA | CLIENT_CONNECT_ATTRS;
    Buffer payload;
    encode_handshake_response(sample_response(caps), payload);
    const std::size_t fixed = 32 + 4 + 21; // prefix, "app\0", auth data
    for (std::size_t n = 0; n < payload.size(); ++n) {
        auto r = decode_handshake_response(Bytes(payload).first(n));
        if (n < fixed || n > fixed) {
            EXPECT_TRUE(r.is_error()) << n; // attributes block cut short
        }
    }
    const Buffer old =
        PayloadBuilder().u32(CLIENT_LONG_PASSWORD).u32(0).u8(8).zeros(23).nul_str("u");
    EXPECT_TRUE(decode_handshake_response(old).is_error());
}

TEST(SslRequest, RecognisedAndRoundTripped) {
    SslRequest request{CLIENT_PROTOCOL_41 | CLIENT_SECURE_CONNECTION, 1 << 24, 45,
                       MARIADB_CLIENT_PROGRESS};
    Buffer payload;
    encode_ssl_request(request, payload);
    EXPECT_EQ(payload.size(), ssl_request_size);
    EXPECT_TRUE(is_ssl_request(payload));
    auto back = decode_ssl_request(payload);
    ASSERT_TRUE(back.ok());
    request.capabilities |= CLIENT_SSL;
    EXPECT_EQ(back.value(), request);

    Buffer full;
    encode_handshake_response(sample_response(CLIENT_PROTOCOL_41 | CLIENT_SSL), full);
    EXPECT_FALSE(is_ssl_request(full));
    EXPECT_TRUE(decode_ssl_request(Bytes(payload).first(31)).is_error());
}

} // namespace
} // namespace shardgate::protocol::mysql
