// Tests for command-phase request codecs and statement id rewriting (commands.cpp).
#include "packet_builder.hpp"
#include "shardgate/protocol/mysql/commands.hpp"
#include "shardgate/protocol/mysql/constants.hpp"

#include <gtest/gtest.h>

namespace shardgate::protocol::mysql {
namespace {

using test::PayloadBuilder;

TEST(Commands, QueryRoundTrip) {
    Buffer payload;
    encode_com_query("SELECT 1, 'x'", payload);
    EXPECT_EQ(payload, PayloadBuilder().u8(COM_QUERY).str("SELECT 1, 'x'").build());
    EXPECT_EQ(command_byte(payload), COM_QUERY);
    auto q = decode_com_query(payload);
    ASSERT_TRUE(q.ok());
    EXPECT_EQ(q.value().sql, "SELECT 1, 'x'");
    EXPECT_TRUE(decode_com_query(PayloadBuilder().u8(COM_INIT_DB).str("x")).is_error());
    EXPECT_TRUE(decode_com_query(Buffer{}).is_error());
    EXPECT_FALSE(command_byte(Buffer{}));
}

TEST(Commands, InitDbPrepareFieldList) {
    Buffer p1;
    encode_com_init_db("social", p1);
    EXPECT_EQ(decode_com_init_db(p1).value().schema, "social");
    Buffer p2;
    encode_com_stmt_prepare("SELECT * FROM users WHERE id = ?", p2);
    EXPECT_EQ(decode_com_stmt_prepare(p2).value().sql, "SELECT * FROM users WHERE id = ?");
    Buffer p3;
    encode_com_field_list({"users", "na%"}, p3);
    EXPECT_EQ(p3, PayloadBuilder().u8(COM_FIELD_LIST).nul_str("users").str("na%").build());
    auto fl = decode_com_field_list(p3);
    ASSERT_TRUE(fl.ok());
    EXPECT_EQ(fl.value().table, "users");
    EXPECT_EQ(fl.value().wildcard, "na%");
    EXPECT_TRUE(decode_com_field_list(PayloadBuilder().u8(COM_FIELD_LIST).str("users")).is_error());
}

TEST(Commands, ChangeUser) {
    const std::uint32_t caps = CLIENT_PROTOCOL_41 | CLIENT_SECURE_CONNECTION | CLIENT_PLUGIN_AUTH;
    const Buffer token = PayloadBuilder().str("0123456789abcdefghij").build();
    // as libmariadb sends it: user, 1-byte length + token, schema, charset, plugin
    const Buffer wire = PayloadBuilder()
                            .u8(COM_CHANGE_USER)
                            .nul_str("other")
                            .u8(20)
                            .str("0123456789abcdefghij")
                            .nul_str("social")
                            .u16(45)
                            .nul_str("mysql_native_password")
                            .build();
    auto decoded = decode_com_change_user(wire, caps);
    ASSERT_TRUE(decoded.ok());
    const auto& request = decoded.value();
    EXPECT_EQ(request.user, "other");
    EXPECT_EQ(Buffer(request.auth_response.begin(), request.auth_response.end()), token);
    EXPECT_EQ(request.schema, "social");
    EXPECT_EQ(request.character_set, 45);
    EXPECT_EQ(request.auth_plugin_name, "mysql_native_password");
    Buffer encoded;
    encode_com_change_user(request, caps, encoded);
    EXPECT_EQ(encoded, wire);
    // an old client stops after the schema
    Buffer short_form;
    encode_com_change_user({"u", {}, "", std::nullopt, ""}, caps, short_form);
    auto old = decode_com_change_user(short_form, caps);
    ASSERT_TRUE(old.ok());
    EXPECT_EQ(old.value().user, "u");
    EXPECT_FALSE(old.value().character_set);
    // truncated inside the token, or without the schema's NUL
    EXPECT_TRUE(decode_com_change_user(
                    PayloadBuilder().u8(COM_CHANGE_USER).nul_str("u").u8(20).str("abc"), caps)
                    .is_error());
    EXPECT_TRUE(decode_com_change_user(
                    PayloadBuilder().u8(COM_CHANGE_USER).nul_str("u").u8(0).str("social"), caps)
                    .is_error());
}

TEST(Commands, SimpleAndSetOption) {
    for (std::uint8_t command : {COM_PING, COM_QUIT, COM_RESET_CONNECTION}) {
        Buffer payload;
        encode_simple_command(command, payload);
        EXPECT_TRUE(decode_simple_command(payload, command).ok());
        EXPECT_TRUE(decode_simple_command(payload, COM_QUERY).is_error());
    }
    Buffer payload;
    encode_com_set_option(MYSQL_OPTION_MULTI_STATEMENTS_OFF, payload);
    EXPECT_EQ(decode_com_set_option(payload).value().option, MYSQL_OPTION_MULTI_STATEMENTS_OFF);
    EXPECT_TRUE(decode_com_set_option(PayloadBuilder().u8(COM_SET_OPTION).u8(0)).is_error());
    EXPECT_EQ(command_name(COM_STMT_EXECUTE), "COM_STMT_EXECUTE");
    EXPECT_EQ(command_name(COM_RESET_CONNECTION), "COM_RESET_CONNECTION");
    EXPECT_EQ(command_name(0x99), "COM_UNKNOWN");
}

TEST(Commands, StatementIdCommands) {
    Buffer close;
    encode_com_stmt_close(0x01020304, close);
    EXPECT_EQ(close, PayloadBuilder().u8(COM_STMT_CLOSE).u32(0x01020304).build());
    EXPECT_EQ(decode_com_stmt_close(close).value().statement_id, 0x01020304u);
    EXPECT_TRUE(decode_com_stmt_reset(close).is_error());
    Buffer reset;
    encode_com_stmt_reset(9, reset);
    EXPECT_EQ(decode_com_stmt_reset(reset).value().statement_id, 9u);
    EXPECT_TRUE(decode_com_stmt_reset(Bytes(reset).first(4)).is_error());

    Buffer long_data;
    const Buffer blob = test::bytes_of("chunk");
    encode_com_stmt_send_long_data({5, 2, blob}, long_data);
    auto ld = decode_com_stmt_send_long_data(long_data);
    ASSERT_TRUE(ld.ok());
    EXPECT_EQ(ld.value().statement_id, 5u);
    EXPECT_EQ(ld.value().param_id, 2);
    EXPECT_EQ(test::text_of(ld.value().data), "chunk");
    EXPECT_TRUE(decode_com_stmt_send_long_data(Bytes(long_data).first(6)).is_error());
}

TEST(Commands, RewriteStatementIdInPlace) {
    Buffer execute = PayloadBuilder().u8(COM_STMT_EXECUTE).u32(1).u8(0).u32(1);
    Buffer long_data = PayloadBuilder().u8(COM_STMT_SEND_LONG_DATA).u32(1).u16(0).str("x");
    Buffer close = PayloadBuilder().u8(COM_STMT_CLOSE).u32(1);
    Buffer reset = PayloadBuilder().u8(COM_STMT_RESET).u32(1);
    for (Buffer* payload : {&execute, &long_data, &close, &reset}) {
        const Buffer before = *payload;
        ASSERT_TRUE(rewrite_statement_id(*payload, 0xdeadbeef));
        EXPECT_EQ(statement_id_of(*payload), 0xdeadbeefu);
        EXPECT_EQ(payload->size(), before.size());
        EXPECT_TRUE(std::equal(payload->begin() + 5, payload->end(), before.begin() + 5));
    }
    Buffer query = PayloadBuilder().u8(COM_QUERY).str("SELECT 1");
    const Buffer query_before = query;
    EXPECT_FALSE(rewrite_statement_id(query, 7));
    EXPECT_EQ(query, query_before);
    Buffer short_close = PayloadBuilder().u8(COM_STMT_CLOSE).u16(1);
    EXPECT_FALSE(rewrite_statement_id(short_close, 7));
    EXPECT_FALSE(statement_id_of(short_close));
}

} // namespace
} // namespace shardgate::protocol::mysql
