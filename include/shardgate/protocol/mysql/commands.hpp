// Command phase requests other than COM_STMT_EXECUTE: decoders for what clients send and
// encoders for what shardgate sends backends. Payloads only; frame them with append_packet
// (sequence id 0).
// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_command_phase.html
#pragma once

#include "shardgate/protocol/mysql/decoded.hpp"

#include <cstdint>
#include <optional>
#include <string_view>

namespace shardgate::protocol::mysql {

/// The command byte of a command-phase payload; nullopt for an empty payload.
std::optional<std::uint8_t> command_byte(Bytes payload);

/// COM_QUERY without query attributes (CLIENT_QUERY_ATTRIBUTES is never offered). The SQL is a
/// view into the payload.
/// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query.html
struct ComQuery {
    std::string_view sql;
};
Decoded<ComQuery> decode_com_query(Bytes payload);
void encode_com_query(std::string_view sql, Buffer& payload);

/// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_init_db.html
struct ComInitDb {
    std::string_view schema;
};
Decoded<ComInitDb> decode_com_init_db(Bytes payload);
void encode_com_init_db(std::string_view schema, Buffer& payload);

/// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_change_user.html
/// Fields after the schema are optional on the wire (older clients stop there).
struct ComChangeUser {
    std::string_view user;
    Bytes auth_response;
    std::string_view schema;
    std::optional<std::uint16_t> character_set;
    std::string_view auth_plugin_name; ///< with CLIENT_PLUGIN_AUTH, when sent
};
/// `capabilities`: what the session negotiated (CLIENT_SECURE_CONNECTION selects the 1-byte
/// length of the auth response, else it is NUL-terminated; CLIENT_PLUGIN_AUTH the plugin).
/// Connection attributes, if any, are not decoded.
Decoded<ComChangeUser> decode_com_change_user(Bytes payload, std::uint32_t capabilities);
void encode_com_change_user(const ComChangeUser& request, std::uint32_t capabilities,
                            Buffer& payload);

/// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_field_list.html
struct ComFieldList {
    std::string_view table;
    std::string_view wildcard;
};
Decoded<ComFieldList> decode_com_field_list(Bytes payload);
void encode_com_field_list(const ComFieldList& request, Buffer& payload);

/// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_set_option.html
struct ComSetOption {
    std::uint16_t option = 0; ///< MYSQL_OPTION_MULTI_STATEMENTS_ON / _OFF
};
Decoded<ComSetOption> decode_com_set_option(Bytes payload);
void encode_com_set_option(std::uint16_t option, Buffer& payload);

/// Commands without arguments: COM_PING, COM_QUIT, COM_RESET_CONNECTION (and COM_STATISTICS,
/// COM_DEBUG). Decoding checks the command byte and, leniently, ignores trailing bytes.
/// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_ping.html
/// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_quit.html
/// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_reset_connection.html
Decoded<std::uint8_t> decode_simple_command(Bytes payload, std::uint8_t expected);
void encode_simple_command(std::uint8_t command, Buffer& payload);

/// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_stmt_prepare.html
struct ComStmtPrepare {
    std::string_view sql;
};
Decoded<ComStmtPrepare> decode_com_stmt_prepare(Bytes payload);
void encode_com_stmt_prepare(std::string_view sql, Buffer& payload);

/// COM_STMT_CLOSE and COM_STMT_RESET (statement id only). Neither has a response for CLOSE;
/// RESET answers OK/ERR.
/// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_stmt_close.html
/// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_stmt_reset.html
struct ComStmtId {
    std::uint8_t command = 0; ///< COM_STMT_CLOSE or COM_STMT_RESET
    std::uint32_t statement_id = 0;
};
Decoded<ComStmtId> decode_com_stmt_close(Bytes payload);
Decoded<ComStmtId> decode_com_stmt_reset(Bytes payload);
void encode_com_stmt_close(std::uint32_t statement_id, Buffer& payload);
void encode_com_stmt_reset(std::uint32_t statement_id, Buffer& payload);

/// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_stmt_send_long_data.html
struct ComStmtSendLongData {
    std::uint32_t statement_id = 0;
    std::uint16_t param_id = 0;
    Bytes data; ///< view into the payload
};
Decoded<ComStmtSendLongData> decode_com_stmt_send_long_data(Bytes payload);
void encode_com_stmt_send_long_data(const ComStmtSendLongData& request, Buffer& payload);

/// The statement id of a COM_STMT_EXECUTE / CLOSE / RESET / SEND_LONG_DATA / FETCH payload.
std::optional<std::uint32_t> statement_id_of(Bytes payload);
/// Replaces that statement id in place (for forwarding to a backend connection where the
/// statement was prepared under another id). False, payload untouched, for other commands or
/// a payload shorter than 5 bytes.
bool rewrite_statement_id(std::span<std::byte> payload, std::uint32_t statement_id);

} // namespace shardgate::protocol::mysql
