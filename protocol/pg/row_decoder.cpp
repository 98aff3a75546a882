// Decoders of PostgreSQL backend messages describing results and COPY: RowDescription,
// DataRow, ParameterDescription, Copy*Response, NotificationResponse, NegotiateProtocolVersion.
// https://www.postgresql.org/docs/15/protocol-message-formats.html
#include "field_reader.hpp"
#include "shardgate/protocol/pg/backend_decoder.hpp"

#include <string>

namespace shardgate::protocol::pg {

namespace {

bool read_field_description(FieldReader& in, FieldDescription& field) {
    return in.cstring(field.name, "field name") && in.u32(field.table_oid, "table OID") &&
           in.i16(field.column_attribute, "column attribute number") &&
           in.u32(field.type_oid, "type OID") && in.i16(field.type_size, "type size") &&
           in.i32(field.type_modifier, "type modifier") &&
           in.format_code(field.format, "format code");
}

bool read_oids(FieldReader& in, std::vector<std::uint32_t>& oids) {
    std::uint16_t count = 0;
    if (!in.u16(count, "parameter count")) {
        return false;
    }
    oids.resize(count);
    for (auto& oid : oids) {
        if (!in.u32(oid, "parameter type")) {
            return false;
        }
    }
    return true;
}

template <class T>
Result<T> decode_copy_response(const Frame& frame, char type, std::string_view name) {
    if (frame.type != type) {
        return wrong_type(frame.type, name, type);
    }
    FieldReader in(frame.body, name);
    T msg;
    std::uint8_t overall = 0;
    std::uint16_t count = 0;
    if (!in.u8(overall, "overall format") || !in.u16(count, "column count")) {
        return in.error();
    }
    if (overall > 1) {
        in.fail(ErrorCode::bad_value, "overall format", "is not 0 (text) or 1 (binary)");
        return in.error();
    }
    msg.format = static_cast<FormatCode>(overall);
    msg.column_formats.resize(count);
    for (auto& format : msg.column_formats) {
        if (!in.format_code(format, "column format")) {
            return in.error();
        }
    }
    if (!in.finish()) {
        return in.error();
    }
    return msg;
}

} // namespace

// RowDescription: Int16 count, then per field name, table OID, attribute number, type OID,
// type size, type modifier, format code.
Result<RowDescription> decode_row_description(const Frame& frame) {
    if (frame.type != PqMsg_RowDescription) {
        return wrong_type(frame.type, "RowDescription", PqMsg_RowDescription);
    }
    FieldReader in(frame.body, "RowDescription");
    std::uint16_t count = 0;
    if (!in.u16(count, "field count")) {
        return in.error();
    }
    RowDescription msg;
    msg.fields.resize(count);
    for (auto& field : msg.fields) {
        if (!read_field_description(in, field)) {
            return in.error();
        }
    }
    if (!in.finish()) {
        return in.error();
    }
    return msg;
}

// DataRow: Int16 count, then per column Int32 length (-1 = NULL) and bytes.
Result<DataRow> decode_data_row(const Frame& frame) {
    if (frame.type != PqMsg_DataRow) {
        return wrong_type(frame.type, "DataRow", PqMsg_DataRow);
    }
    FieldReader in(frame.body, "DataRow");
    std::uint16_t count = 0;
    if (!in.u16(count, "column count")) {
        return in.error();
    }
    DataRow msg;
    msg.values.resize(count);
    for (auto& value : msg.values) {
        if (!in.nullable_bytes(value, "column value")) {
            return in.error();
        }
    }
    if (!in.finish()) {
        return in.error();
    }
    return msg;
}

// ParameterDescription: Int16 count, Int32[count] type OIDs.
Result<ParameterDescription> decode_parameter_description(const Frame& frame) {
    if (frame.type != PqMsg_ParameterDescription) {
        return wrong_type(frame.type, "ParameterDescription", PqMsg_ParameterDescription);
    }
    FieldReader in(frame.body, "ParameterDescription");
    ParameterDescription msg;
    if (!read_oids(in, msg.types) || !in.finish()) {
        return in.error();
    }
    return msg;
}

// NotificationResponse: Int32 process ID, String channel, String payload.
Result<NotificationResponse> decode_notification_response(const Frame& frame) {
    if (frame.type != PqMsg_NotificationResponse) {
        return wrong_type(frame.type, "NotificationResponse", PqMsg_NotificationResponse);
    }
    FieldReader in(frame.body, "NotificationResponse");
    NotificationResponse msg;
    if (!in.i32(msg.process_id, "process ID") || !in.cstring(msg.channel, "channel") ||
        !in.cstring(msg.payload, "payload") || !in.finish()) {
        return in.error();
    }
    return msg;
}

// NegotiateProtocolVersion: Int32 newest minor, Int32 count, String[count] options.
Result<NegotiateProtocolVersion> decode_negotiate_protocol_version(const Frame& frame) {
    if (frame.type != PqMsg_NegotiateProtocolVersion) {
        return wrong_type(frame.type, "NegotiateProtocolVersion", PqMsg_NegotiateProtocolVersion);
    }
    FieldReader in(frame.body, "NegotiateProtocolVersion");
    NegotiateProtocolVersion msg;
    std::int32_t count = 0;
    if (!in.i32(msg.newest_minor, "newest minor version") || !in.i32(count, "option count")) {
        return in.error();
    }
    if (count < 0 || static_cast<std::size_t>(count) > in.remaining()) {
        in.fail(ErrorCode::bad_length, "option count", "does not fit the message");
        return in.error();
    }
    msg.unrecognized_options.resize(static_cast<std::size_t>(count));
    for (auto& option : msg.unrecognized_options) {
        if (!in.cstring(option, "option name")) {
            return in.error();
        }
    }
    if (!in.finish()) {
        return in.error();
    }
    return msg;
}

// Copy{In,Out,Both}Response: Int8 overall format, Int16 count, Int16[count] formats.
Result<CopyInResponse> decode_copy_in_response(const Frame& frame) {
    return decode_copy_response<CopyInResponse>(frame, PqMsg_CopyInResponse, "CopyInResponse");
}

Result<CopyOutResponse> decode_copy_out_response(const Frame& frame) {
    return decode_copy_response<CopyOutResponse>(frame, PqMsg_CopyOutResponse, "CopyOutResponse");
}

Result<CopyBothResponse> decode_copy_both_response(const Frame& frame) {
    return decode_copy_response<CopyBothResponse>(frame, PqMsg_CopyBothResponse,
                                                  "CopyBothResponse");
}

} // namespace shardgate::protocol::pg
