// Command phase request codecs (everything but COM_STMT_EXECUTE) and statement id rewriting.
// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_command_phase.html
#include "shardgate/protocol/mysql/commands.hpp"

#include "shardgate/protocol/mysql/byte_io.hpp"
#include "shardgate/protocol/mysql/constants.hpp"

namespace shardgate::protocol::mysql {
namespace {

// Checks the command byte and returns a reader positioned after it.
bool open_command(ByteReader& reader, std::uint8_t expected) {
    std::uint8_t command = 0;
    return reader.read_u8(command) && command == expected;
}

template <class T> Decoded<T> wrong_command(std::uint8_t expected) {
    return decode_error<T>("payload is not a " + std::string(command_name(expected)) + " command");
}

template <class T> Decoded<T> truncated(std::uint8_t command) {
    return decode_error<T>(std::string(command_name(command)) + " payload is truncated");
}

void encode_text_command(std::uint8_t command, std::string_view text, Buffer& payload) {
    ByteWriter writer(payload);
    writer.write_u8(command);
    writer.write_string(text);
}

Decoded<ComStmtId> decode_stmt_id_command(Bytes payload, std::uint8_t command) {
    ByteReader reader(payload);
    if (!open_command(reader, command)) {
        return wrong_command<ComStmtId>(command);
    }
    ComStmtId result{command, 0};
    if (!reader.read_u32(result.statement_id)) {
        return truncated<ComStmtId>(command);
    }
    return Decoded<ComStmtId>(result, payload.size());
}

void encode_stmt_id_command(std::uint8_t command, std::uint32_t id, Buffer& payload) {
    ByteWriter writer(payload);
    writer.write_u8(command);
    writer.write_u32(id);
}

bool carries_statement_id(std::uint8_t command) {
    return command == COM_STMT_EXECUTE || command == COM_STMT_CLOSE || command == COM_STMT_RESET ||
           command == COM_STMT_SEND_LONG_DATA || command == COM_STMT_FETCH;
}

} // namespace

std::optional<std::uint8_t> command_byte(Bytes payload) {
    if (payload.empty()) {
        return std::nullopt;
    }
    return std::to_integer<std::uint8_t>(payload[0]);
}

Decoded<ComQuery> decode_com_query(Bytes payload) {
    ByteReader reader(payload);
    if (!open_command(reader, COM_QUERY)) {
        return wrong_command<ComQuery>(COM_QUERY);
    }
    return Decoded<ComQuery>({reader.read_rest()}, payload.size());
}

void encode_com_query(std::string_view sql, Buffer& payload) {
    encode_text_command(COM_QUERY, sql, payload);
}

Decoded<ComInitDb> decode_com_init_db(Bytes payload) {
    ByteReader reader(payload);
    if (!open_command(reader, COM_INIT_DB)) {
        return wrong_command<ComInitDb>(COM_INIT_DB);
    }
    return Decoded<ComInitDb>({reader.read_rest()}, payload.size());
}

void encode_com_init_db(std::string_view schema, Buffer& payload) {
    encode_text_command(COM_INIT_DB, schema, payload);
}

Decoded<ComChangeUser> decode_com_change_user(Bytes payload, std::uint32_t capabilities) {
    ByteReader reader(payload);
    if (!open_command(reader, COM_CHANGE_USER)) {
        return wrong_command<ComChangeUser>(COM_CHANGE_USER);
    }
    ComChangeUser request;
    if (!reader.read_nul_string(request.user)) {
        return truncated<ComChangeUser>(COM_CHANGE_USER);
    }
    if (capabilities & CLIENT_SECURE_CONNECTION) {
        std::uint8_t length = 0;
        if (!reader.read_u8(length) || !reader.read_bytes(length, request.auth_response)) {
            return truncated<ComChangeUser>(COM_CHANGE_USER);
        }
    } else {
        std::string_view text;
        if (!reader.read_nul_string(text)) {
            return truncated<ComChangeUser>(COM_CHANGE_USER);
        }
        request.auth_response = as_bytes(text);
    }
    if (!reader.read_nul_string(request.schema)) {
        return truncated<ComChangeUser>(COM_CHANGE_USER);
    }
    if (reader.remaining() >= 2) {
        std::uint16_t character_set = 0;
        reader.read_u16(character_set);
        request.character_set = character_set;
        if ((capabilities & CLIENT_PLUGIN_AUTH) && !reader.empty() &&
            !reader.read_nul_string(request.auth_plugin_name)) {
            return truncated<ComChangeUser>(COM_CHANGE_USER);
        }
    }
    return Decoded<ComChangeUser>(request, payload.size());
}

void encode_com_change_user(const ComChangeUser& request, std::uint32_t capabilities,
                            Buffer& payload) {
    ByteWriter writer(payload);
    writer.write_u8(COM_CHANGE_USER);
    writer.write_nul_string(request.user);
    if (capabilities & CLIENT_SECURE_CONNECTION) {
        writer.write_u8(static_cast<std::uint8_t>(request.auth_response.size()));
        writer.write_bytes(request.auth_response);
    } else {
        writer.write_bytes(request.auth_response);
        writer.write_u8(0);
    }
    writer.write_nul_string(request.schema);
    if (request.character_set) {
        writer.write_u16(*request.character_set);
        if (capabilities & CLIENT_PLUGIN_AUTH) {
            writer.write_nul_string(request.auth_plugin_name);
        }
    }
}

Decoded<ComFieldList> decode_com_field_list(Bytes payload) {
    ByteReader reader(payload);
    if (!open_command(reader, COM_FIELD_LIST)) {
        return wrong_command<ComFieldList>(COM_FIELD_LIST);
    }
    ComFieldList request;
    if (!reader.read_nul_string(request.table)) {
        return truncated<ComFieldList>(COM_FIELD_LIST);
    }
    request.wildcard = reader.read_rest();
    return Decoded<ComFieldList>(request, payload.size());
}

void encode_com_field_list(const ComFieldList& request, Buffer& payload) {
    ByteWriter writer(payload);
    writer.write_u8(COM_FIELD_LIST);
    writer.write_nul_string(request.table);
    writer.write_string(request.wildcard);
}

Decoded<ComSetOption> decode_com_set_option(Bytes payload) {
    ByteReader reader(payload);
    if (!open_command(reader, COM_SET_OPTION)) {
        return wrong_command<ComSetOption>(COM_SET_OPTION);
    }
    ComSetOption request;
    if (!reader.read_u16(request.option)) {
        return truncated<ComSetOption>(COM_SET_OPTION);
    }
    return Decoded<ComSetOption>(request, payload.size());
}

void encode_com_set_option(std::uint16_t option, Buffer& payload) {
    ByteWriter writer(payload);
    writer.write_u8(COM_SET_OPTION);
    writer.write_u16(option);
}

Decoded<std::uint8_t> decode_simple_command(Bytes payload, std::uint8_t expected) {
    ByteReader reader(payload);
    if (!open_command(reader, expected)) {
        return wrong_command<std::uint8_t>(expected);
    }
    return Decoded<std::uint8_t>(expected, payload.size());
}

void encode_simple_command(std::uint8_t command, Buffer& payload) {
    ByteWriter(payload).write_u8(command);
}

Decoded<ComStmtPrepare> decode_com_stmt_prepare(Bytes payload) {
    ByteReader reader(payload);
    if (!open_command(reader, COM_STMT_PREPARE)) {
        return wrong_command<ComStmtPrepare>(COM_STMT_PREPARE);
    }
    return Decoded<ComStmtPrepare>({reader.read_rest()}, payload.size());
}

void encode_com_stmt_prepare(std::string_view sql, Buffer& payload) {
    encode_text_command(COM_STMT_PREPARE, sql, payload);
}

Decoded<ComStmtId> decode_com_stmt_close(Bytes payload) {
    return decode_stmt_id_command(payload, COM_STMT_CLOSE);
}

Decoded<ComStmtId> decode_com_stmt_reset(Bytes payload) {
    return decode_stmt_id_command(payload, COM_STMT_RESET);
}

void encode_com_stmt_close(std::uint32_t statement_id, Buffer& payload) {
    encode_stmt_id_command(COM_STMT_CLOSE, statement_id, payload);
}

void encode_com_stmt_reset(std::uint32_t statement_id, Buffer& payload) {
    encode_stmt_id_command(COM_STMT_RESET, statement_id, payload);
}

Decoded<ComStmtSendLongData> decode_com_stmt_send_long_data(Bytes payload) {
    ByteReader reader(payload);
    if (!open_command(reader, COM_STMT_SEND_LONG_DATA)) {
        return wrong_command<ComStmtSendLongData>(COM_STMT_SEND_LONG_DATA);
    }
    ComStmtSendLongData request;
    if (!reader.read_u32(request.statement_id) || !reader.read_u16(request.param_id)) {
        return truncated<ComStmtSendLongData>(COM_STMT_SEND_LONG_DATA);
    }
    request.data = as_bytes(reader.read_rest());
    return Decoded<ComStmtSendLongData>(request, payload.size());
}

void encode_com_stmt_send_long_data(const ComStmtSendLongData& request, Buffer& payload) {
    ByteWriter writer(payload);
    writer.write_u8(COM_STMT_SEND_LONG_DATA);
    writer.write_u32(request.statement_id);
    writer.write_u16(request.param_id);
    writer.write_bytes(request.data);
}

std::optional<std::uint32_t> statement_id_of(Bytes payload) {
    ByteReader reader(payload);
    std::uint8_t command = 0;
    std::uint32_t id = 0;
    if (!reader.read_u8(command) || !carries_statement_id(command) || !reader.read_u32(id)) {
        return std::nullopt;
    }
    return id;
}

bool rewrite_statement_id(std::span<std::byte> payload, std::uint32_t statement_id) {
    if (!statement_id_of(payload)) {
        return false;
    }
    for (std::size_t i = 0; i < 4; ++i) {
        payload[1 + i] = static_cast<std::byte>((statement_id >> (8 * i)) & 0xff);
    }
    return true;
}

std::string_view command_name(std::uint8_t command) {
    // Indexed by command byte, 0x00 .. COM_RESET_CONNECTION.
    static constexpr std::string_view names[] = {"COM_SLEEP",
                                                 "COM_QUIT",
                                                 "COM_INIT_DB",
                                                 "COM_QUERY",
                                                 "COM_FIELD_LIST",
                                                 "COM_CREATE_DB",
                                                 "COM_DROP_DB",
                                                 "COM_REFRESH",
                                                 "COM_SHUTDOWN",
                                                 "COM_STATISTICS",
                                                 "COM_PROCESS_INFO",
                                                 "COM_CONNECT",
                                                 "COM_PROCESS_KILL",
                                                 "COM_DEBUG",
                                                 "COM_PING",
                                                 "COM_TIME",
                                                 "COM_DELAYED_INSERT",
                                                 "COM_CHANGE_USER",
                                                 "COM_BINLOG_DUMP",
                                                 "COM_TABLE_DUMP",
                                                 "COM_CONNECT_OUT",
                                                 "COM_REGISTER_SLAVE",
                                                 "COM_STMT_PREPARE",
                                                 "COM_STMT_EXECUTE",
                                                 "COM_STMT_SEND_LONG_DATA",
                                                 "COM_STMT_CLOSE",
                                                 "COM_STMT_RESET",
                                                 "COM_SET_OPTION",
                                                 "COM_STMT_FETCH",
                                                 "COM_DAEMON",
                                                 "COM_BINLOG_DUMP_GTID",
                                                 "COM_RESET_CONNECTION"};
    if (command < std::size(names)) {
        return names[command];
    }
    return command == COM_STMT_BULK_EXECUTE ? "COM_STMT_BULK_EXECUTE" : "COM_UNKNOWN";
}

} // namespace shardgate::protocol::mysql
