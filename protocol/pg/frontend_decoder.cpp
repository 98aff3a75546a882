// Decoders of the regular messages a PostgreSQL frontend sends.
// https://www.postgresql.org/docs/15/protocol-message-formats.html
#include "shardgate/protocol/pg/frontend_decoder.hpp"

#include "field_reader.hpp"

namespace shardgate::protocol::pg {

namespace {

template <class T> Result<T> empty_message(const Frame& frame, char type, std::string_view name) {
    if (frame.type != type) {
        return wrong_type(frame.type, name, type);
    }
    FieldReader in(frame.body, name);
    if (!in.finish()) {
        return in.error();
    }
    return T{};
}

bool read_target_kind(FieldReader& in, TargetKind& kind) {
    std::uint8_t raw = 0;
    if (!in.u8(raw, "target kind")) {
        return false;
    }
    if (raw != 'S' && raw != 'P') {
        return in.fail(ErrorCode::bad_value, "target kind", "is not 'S' or 'P'");
    }
    kind = static_cast<TargetKind>(raw);
    return true;
}

bool read_formats(FieldReader& in, std::vector<FormatCode>& formats, std::string_view field) {
    std::uint16_t count = 0;
    if (!in.u16(count, field)) {
        return false;
    }
    formats.resize(count);
    for (auto& format : formats) {
        if (!in.format_code(format, field)) {
            return false;
        }
    }
    return true;
}

bool read_bind_parameters(FieldReader& in, Bind& bind) {
    std::uint16_t count = 0;
    if (!in.u16(count, "parameter count")) {
        return false;
    }
    if (bind.parameter_formats.size() > 1 && bind.parameter_formats.size() != count) {
        return in.fail(ErrorCode::bad_value, "parameter format count",
                       "is neither 0, 1 nor the parameter count");
    }
    bind.parameters.resize(count);
    for (auto& parameter : bind.parameters) {
        if (!in.nullable_bytes(parameter, "parameter value")) {
            return false;
        }
    }
    return true;
}

} // namespace

// https://www.postgresql.org/docs/15/protocol-message-formats.html#PasswordMessage
Result<PasswordMessage> decode_password_message(const Frame& frame) {
    if (frame.type != PqMsg_PasswordMessage) {
        return wrong_type(frame.type, "PasswordMessage", PqMsg_PasswordMessage);
    }
    FieldReader in(frame.body, "PasswordMessage");
    PasswordMessage msg;
    if (!in.cstring(msg.password, "password") || !in.finish()) {
        return in.error();
    }
    return msg;
}

// SASLInitialResponse: String mechanism, Int32 length (-1 = none), Byte(n) data.
Result<SASLInitialResponse> decode_sasl_initial_response(const Frame& frame) {
    if (frame.type != PqMsg_PasswordMessage) {
        return wrong_type(frame.type, "SASLInitialResponse", PqMsg_PasswordMessage);
    }
    FieldReader in(frame.body, "SASLInitialResponse");
    SASLInitialResponse msg;
    if (!in.cstring(msg.mechanism, "mechanism") ||
        !in.nullable_bytes(msg.data, "initial response") || !in.finish()) {
        return in.error();
    }
    return msg;
}

// SASLResponse: the whole body is mechanism data.
Result<SASLResponse> decode_sasl_response(const Frame& frame) {
    if (frame.type != PqMsg_PasswordMessage) {
        return wrong_type(frame.type, "SASLResponse", PqMsg_PasswordMessage);
    }
    return SASLResponse{frame.body};
}

// https://www.postgresql.org/docs/15/protocol-message-formats.html (Query)
Result<Query> decode_query(const Frame& frame) {
    if (frame.type != PqMsg_Query) {
        return wrong_type(frame.type, "Query", PqMsg_Query);
    }
    FieldReader in(frame.body, "Query");
    Query msg;
    if (!in.cstring(msg.query, "query string") || !in.finish()) {
        return in.error();
    }
    return msg;
}

// Parse: String name, String query, Int16 count, Int32[count] parameter type OIDs.
Result<Parse> decode_parse(const Frame& frame) {
    if (frame.type != PqMsg_Parse) {
        return wrong_type(frame.type, "Parse", PqMsg_Parse);
    }
    FieldReader in(frame.body, "Parse");
    Parse msg;
    std::uint16_t count = 0;
    if (!in.cstring(msg.statement, "statement name") || !in.cstring(msg.query, "query string") ||
        !in.u16(count, "parameter type count")) {
        return in.error();
    }
    msg.parameter_types.resize(count);
    for (auto& oid : msg.parameter_types) {
        if (!in.u32(oid, "parameter type")) {
            return in.error();
        }
    }
    if (!in.finish()) {
        return in.error();
    }
    return msg;
}

// Bind: portal, statement, Int16 + Int16[] parameter formats, Int16 + (Int32 len, bytes)[]
// values, Int16 + Int16[] result formats.
Result<Bind> decode_bind(const Frame& frame) {
    if (frame.type != PqMsg_Bind) {
        return wrong_type(frame.type, "Bind", PqMsg_Bind);
    }
    FieldReader in(frame.body, "Bind");
    Bind msg;
    if (!in.cstring(msg.portal, "portal name") || !in.cstring(msg.statement, "statement name") ||
        !read_formats(in, msg.parameter_formats, "parameter format") ||
        !read_bind_parameters(in, msg) || !read_formats(in, msg.result_formats, "result format") ||
        !in.finish()) {
        return in.error();
    }
    return msg;
}

// Describe: Byte1 'S'/'P', String name.
Result<Describe> decode_describe(const Frame& frame) {
    if (frame.type != PqMsg_Describe) {
        return wrong_type(frame.type, "Describe", PqMsg_Describe);
    }
    FieldReader in(frame.body, "Describe");
    Describe msg;
    if (!read_target_kind(in, msg.kind) || !in.cstring(msg.name, "name") || !in.finish()) {
        return in.error();
    }
    return msg;
}

// Execute: String portal, Int32 max rows.
Result<Execute> decode_execute(const Frame& frame) {
    if (frame.type != PqMsg_Execute) {
        return wrong_type(frame.type, "Execute", PqMsg_Execute);
    }
    FieldReader in(frame.body, "Execute");
    Execute msg;
    if (!in.cstring(msg.portal, "portal name") || !in.i32(msg.max_rows, "maximum rows") ||
        !in.finish()) {
        return in.error();
    }
    return msg;
}

// Close: Byte1 'S'/'P', String name.
Result<Close> decode_close(const Frame& frame) {
    if (frame.type != PqMsg_Close) {
        return wrong_type(frame.type, "Close", PqMsg_Close);
    }
    FieldReader in(frame.body, "Close");
    Close msg;
    if (!read_target_kind(in, msg.kind) || !in.cstring(msg.name, "name") || !in.finish()) {
        return in.error();
    }
    return msg;
}

Result<Sync> decode_sync(const Frame& frame) {
    return empty_message<Sync>(frame, PqMsg_Sync, "Sync");
}

Result<Flush> decode_flush(const Frame& frame) {
    return empty_message<Flush>(frame, PqMsg_Flush, "Flush");
}

Result<Terminate> decode_terminate(const Frame& frame) {
    return empty_message<Terminate>(frame, PqMsg_Terminate, "Terminate");
}

// https://www.postgresql.org/docs/15/protocol-message-formats.html (CopyData)
Result<CopyData> decode_copy_data(const Frame& frame) {
    if (frame.type != PqMsg_CopyData) {
        return wrong_type(frame.type, "CopyData", PqMsg_CopyData);
    }
    return CopyData{frame.body};
}

Result<CopyDone> decode_copy_done(const Frame& frame) {
    return empty_message<CopyDone>(frame, PqMsg_CopyDone, "CopyDone");
}

Result<CopyFail> decode_copy_fail(const Frame& frame) {
    if (frame.type != PqMsg_CopyFail) {
        return wrong_type(frame.type, "CopyFail", PqMsg_CopyFail);
    }
    FieldReader in(frame.body, "CopyFail");
    CopyFail msg;
    if (!in.cstring(msg.message, "error message") || !in.finish()) {
        return in.error();
    }
    return msg;
}

// FunctionCall: only the function OID is decoded; the session rejects the message.
Result<FunctionCall> decode_function_call(const Frame& frame) {
    if (frame.type != PqMsg_FunctionCall) {
        return wrong_type(frame.type, "FunctionCall", PqMsg_FunctionCall);
    }
    FieldReader in(frame.body, "FunctionCall");
    FunctionCall msg;
    if (!in.u32(msg.function_oid, "function OID")) {
        return in.error();
    }
    msg.arguments = in.rest();
    return msg;
}

} // namespace shardgate::protocol::pg
