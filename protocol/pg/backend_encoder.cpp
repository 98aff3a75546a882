// Encoders of the messages shardgate sends to clients as a server: authentication, session
// status, errors and small synthetic results.
// https://www.postgresql.org/docs/15/protocol-message-formats.html
#include "message_writer.hpp"
#include "shardgate/protocol/pg/encoder.hpp"

namespace shardgate::protocol::pg {

namespace {

void write_auth(ByteBuffer& out, std::int32_t code) {
    MessageWriter w(out, PqMsg_AuthenticationRequest);
    w.i32(code);
}

void write_auth_data(ByteBuffer& out, std::int32_t code, ByteView data) {
    MessageWriter w(out, PqMsg_AuthenticationRequest);
    w.i32(code);
    w.bytes(data);
}

void write_notice(ByteBuffer& out, char type, const NoticeFields& msg) {
    MessageWriter w(out, type);
    for (const auto& field : msg.fields) {
        w.u8(static_cast<std::uint8_t>(field.code));
        w.cstring(field.value);
    }
    w.u8(0);
}

template <class T> void write_copy_response(ByteBuffer& out, char type, const T& msg) {
    MessageWriter w(out, type);
    w.u8(static_cast<std::uint8_t>(msg.format));
    w.count16(msg.column_formats.size());
    for (auto format : msg.column_formats) {
        w.format_code(format);
    }
}

} // namespace

void encode(ByteBuffer& out, const AuthenticationOk&) {
    write_auth(out, AUTH_REQ_OK);
}

void encode(ByteBuffer& out, const AuthenticationCleartextPassword&) {
    write_auth(out, AUTH_REQ_PASSWORD);
}

void encode(ByteBuffer& out, const AuthenticationMD5Password& msg) {
    write_auth_data(out, AUTH_REQ_MD5, msg.salt);
}

void encode(ByteBuffer& out, const AuthenticationSASL& msg) {
    MessageWriter w(out, PqMsg_AuthenticationRequest);
    w.i32(AUTH_REQ_SASL);
    for (auto mechanism : msg.mechanisms) {
        w.cstring(mechanism);
    }
    w.u8(0);
}

void encode(ByteBuffer& out, const AuthenticationSASLContinue& msg) {
    write_auth_data(out, AUTH_REQ_SASL_CONT, msg.data);
}

void encode(ByteBuffer& out, const AuthenticationSASLFinal& msg) {
    write_auth_data(out, AUTH_REQ_SASL_FIN, msg.data);
}

void encode(ByteBuffer& out, const BackendKeyData& msg) {
    MessageWriter w(out, PqMsg_BackendKeyData);
    w.i32(msg.process_id);
    w.i32(msg.secret_key);
}

void encode(ByteBuffer& out, const ParameterStatus& msg) {
    MessageWriter w(out, PqMsg_ParameterStatus);
    w.cstring(msg.name);
    w.cstring(msg.value);
}

void encode(ByteBuffer& out, const ReadyForQuery& msg) {
    MessageWriter w(out, PqMsg_ReadyForQuery);
    w.u8(static_cast<std::uint8_t>(msg.status));
}

// https://www.postgresql.org/docs/15/protocol-error-fields.html
void encode(ByteBuffer& out, const ErrorResponse& msg) {
    write_notice(out, PqMsg_ErrorResponse, msg);
}

void encode(ByteBuffer& out, const NoticeResponse& msg) {
    write_notice(out, PqMsg_NoticeResponse, msg);
}

void encode(ByteBuffer& out, const CommandComplete& msg) {
    MessageWriter w(out, PqMsg_CommandComplete);
    w.cstring(msg.tag);
}

void encode(ByteBuffer& out, const RowDescription& msg) {
    MessageWriter w(out, PqMsg_RowDescription);
    w.count16(msg.fields.size());
    for (const auto& field : msg.fields) {
        w.cstring(field.name);
        w.u32(field.table_oid);
        w.i16(field.column_attribute);
        w.u32(field.type_oid);
        w.i16(field.type_size);
        w.i32(field.type_modifier);
        w.format_code(field.format);
    }
}

void encode(ByteBuffer& out, const DataRow& msg) {
    MessageWriter w(out, PqMsg_DataRow);
    w.count16(msg.values.size());
    for (const auto& value : msg.values) {
        w.nullable_bytes(value);
    }
}

void encode(ByteBuffer& out, const ParseComplete&) {
    MessageWriter w(out, PqMsg_ParseComplete);
}

void encode(ByteBuffer& out, const BindComplete&) {
    MessageWriter w(out, PqMsg_BindComplete);
}

void encode(ByteBuffer& out, const CloseComplete&) {
    MessageWriter w(out, PqMsg_CloseComplete);
}

void encode(ByteBuffer& out, const NoData&) {
    MessageWriter w(out, PqMsg_NoData);
}

void encode(ByteBuffer& out, const PortalSuspended&) {
    MessageWriter w(out, PqMsg_PortalSuspended);
}

void encode(ByteBuffer& out, const EmptyQueryResponse&) {
    MessageWriter w(out, PqMsg_EmptyQueryResponse);
}

void encode(ByteBuffer& out, const ParameterDescription& msg) {
    MessageWriter w(out, PqMsg_ParameterDescription);
    w.count16(msg.types.size());
    for (auto oid : msg.types) {
        w.u32(oid);
    }
}

void encode(ByteBuffer& out, const NotificationResponse& msg) {
    MessageWriter w(out, PqMsg_NotificationResponse);
    w.i32(msg.process_id);
    w.cstring(msg.channel);
    w.cstring(msg.payload);
}

void encode(ByteBuffer& out, const NegotiateProtocolVersion& msg) {
    MessageWriter w(out, PqMsg_NegotiateProtocolVersion);
    w.i32(msg.newest_minor);
    w.i32(static_cast<std::int32_t>(msg.unrecognized_options.size()));
    for (auto option : msg.unrecognized_options) {
        w.cstring(option);
    }
}

void encode(ByteBuffer& out, const CopyInResponse& msg) {
    write_copy_response(out, PqMsg_CopyInResponse, msg);
}

void encode(ByteBuffer& out, const CopyOutResponse& msg) {
    write_copy_response(out, PqMsg_CopyOutResponse, msg);
}

void encode(ByteBuffer& out, const CopyBothResponse& msg) {
    write_copy_response(out, PqMsg_CopyBothResponse, msg);
}

void encode_error(ByteBuffer& out, const ErrorInfo& info) {
    encode(out, make_error_response(info));
}

void encode_text_row(ByteBuffer& out, const std::vector<std::optional<std::string_view>>& values) {
    MessageWriter w(out, PqMsg_DataRow);
    w.count16(values.size());
    for (const auto& value : values) {
        w.nullable_bytes(value ? std::optional<ByteView>(as_bytes(*value)) : std::nullopt);
    }
}

} // namespace shardgate::protocol::pg
