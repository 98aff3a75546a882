// Decoders of PostgreSQL backend messages: authentication, session status, errors, completion.
// https://www.postgresql.org/docs/15/protocol-message-formats.html
#include "shardgate/protocol/pg/backend_decoder.hpp"

#include "field_reader.hpp"

#include <string>

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

template <class T> Result<T> finish_empty(FieldReader& in, T value) {
    if (!in.finish()) {
        return in.error();
    }
    return value;
}

Result<AuthenticationRequest> decode_sasl_mechanisms(FieldReader& in) {
    AuthenticationSASL msg;
    while (true) {
        std::string_view mechanism;
        if (!in.cstring(mechanism, "mechanism")) {
            return in.error();
        }
        if (mechanism.empty()) {
            break;
        }
        msg.mechanisms.push_back(mechanism);
    }
    if (!in.finish()) {
        return in.error();
    }
    return AuthenticationRequest(std::move(msg));
}

Result<AuthenticationRequest> decode_md5_request(FieldReader& in) {
    ByteView salt;
    if (!in.bytes(4, salt, "salt") || !in.finish()) {
        return in.error();
    }
    AuthenticationMD5Password msg;
    std::copy(salt.begin(), salt.end(), msg.salt.begin());
    return AuthenticationRequest(msg);
}

Result<NoticeFields> decode_notice_fields(const Frame& frame, char type, std::string_view name) {
    if (frame.type != type) {
        return wrong_type(frame.type, name, type);
    }
    FieldReader in(frame.body, name);
    NoticeFields msg;
    while (true) {
        std::uint8_t code = 0;
        if (!in.u8(code, "field code")) {
            return in.error();
        }
        if (code == 0) {
            break;
        }
        NoticeField field{static_cast<char>(code), {}};
        if (!in.cstring(field.value, "field value")) {
            return in.error();
        }
        msg.fields.push_back(field);
    }
    if (!in.finish()) {
        return in.error();
    }
    return msg;
}

} // namespace

// https://www.postgresql.org/docs/15/protocol-message-formats.html (AuthenticationOk ff.)
Result<AuthenticationRequest> decode_authentication(const Frame& frame) {
    if (frame.type != PqMsg_AuthenticationRequest) {
        return wrong_type(frame.type, "Authentication", PqMsg_AuthenticationRequest);
    }
    FieldReader in(frame.body, "Authentication");
    std::int32_t code = 0;
    if (!in.i32(code, "request code")) {
        return in.error();
    }
    switch (code) {
    case AUTH_REQ_OK:
        return finish_empty(in, AuthenticationRequest(AuthenticationOk{}));
    case AUTH_REQ_PASSWORD:
        return finish_empty(in, AuthenticationRequest(AuthenticationCleartextPassword{}));
    case AUTH_REQ_MD5:
        return decode_md5_request(in);
    case AUTH_REQ_SASL:
        return decode_sasl_mechanisms(in);
    case AUTH_REQ_SASL_CONT:
        return AuthenticationRequest(AuthenticationSASLContinue{in.rest()});
    case AUTH_REQ_SASL_FIN:
        return AuthenticationRequest(AuthenticationSASLFinal{in.rest()});
    default:
        return Error{ErrorCode::unsupported,
                     "Authentication: unsupported request code " + std::to_string(code) +
                         " (only trust, password, md5 and SCRAM-SHA-256 are supported)"};
    }
}

// BackendKeyData: Int32 process ID, Int32 secret key.
Result<BackendKeyData> decode_backend_key_data(const Frame& frame) {
    if (frame.type != PqMsg_BackendKeyData) {
        return wrong_type(frame.type, "BackendKeyData", PqMsg_BackendKeyData);
    }
    FieldReader in(frame.body, "BackendKeyData");
    BackendKeyData msg;
    if (!in.i32(msg.process_id, "process ID") || !in.i32(msg.secret_key, "secret key") ||
        !in.finish()) {
        return in.error();
    }
    return msg;
}

// ParameterStatus: String name, String value.
Result<ParameterStatus> decode_parameter_status(const Frame& frame) {
    if (frame.type != PqMsg_ParameterStatus) {
        return wrong_type(frame.type, "ParameterStatus", PqMsg_ParameterStatus);
    }
    FieldReader in(frame.body, "ParameterStatus");
    ParameterStatus msg;
    if (!in.cstring(msg.name, "name") || !in.cstring(msg.value, "value") || !in.finish()) {
        return in.error();
    }
    return msg;
}

// ReadyForQuery: Byte1 'I' / 'T' / 'E'.
Result<ReadyForQuery> decode_ready_for_query(const Frame& frame) {
    if (frame.type != PqMsg_ReadyForQuery) {
        return wrong_type(frame.type, "ReadyForQuery", PqMsg_ReadyForQuery);
    }
    FieldReader in(frame.body, "ReadyForQuery");
    std::uint8_t status = 0;
    if (!in.u8(status, "transaction status") || !in.finish()) {
        return in.error();
    }
    if (status != 'I' && status != 'T' && status != 'E') {
        in.fail(ErrorCode::bad_value, "transaction status", "is not 'I', 'T' or 'E'");
        return in.error();
    }
    return ReadyForQuery{static_cast<TransactionStatus>(status)};
}

// https://www.postgresql.org/docs/15/protocol-error-fields.html
Result<ErrorResponse> decode_error_response(const Frame& frame) {
    auto fields = decode_notice_fields(frame, PqMsg_ErrorResponse, "ErrorResponse");
    if (!fields) {
        return fields.error();
    }
    ErrorResponse msg;
    msg.fields = std::move(fields.value().fields);
    return msg;
}

Result<NoticeResponse> decode_notice_response(const Frame& frame) {
    auto fields = decode_notice_fields(frame, PqMsg_NoticeResponse, "NoticeResponse");
    if (!fields) {
        return fields.error();
    }
    NoticeResponse msg;
    msg.fields = std::move(fields.value().fields);
    return msg;
}

// CommandComplete: String tag.
Result<CommandComplete> decode_command_complete(const Frame& frame) {
    if (frame.type != PqMsg_CommandComplete) {
        return wrong_type(frame.type, "CommandComplete", PqMsg_CommandComplete);
    }
    FieldReader in(frame.body, "CommandComplete");
    CommandComplete msg;
    if (!in.cstring(msg.tag, "command tag") || !in.finish()) {
        return in.error();
    }
    return msg;
}

Result<ParseComplete> decode_parse_complete(const Frame& frame) {
    return empty_message<ParseComplete>(frame, PqMsg_ParseComplete, "ParseComplete");
}

Result<BindComplete> decode_bind_complete(const Frame& frame) {
    return empty_message<BindComplete>(frame, PqMsg_BindComplete, "BindComplete");
}

Result<CloseComplete> decode_close_complete(const Frame& frame) {
    return empty_message<CloseComplete>(frame, PqMsg_CloseComplete, "CloseComplete");
}

Result<NoData> decode_no_data(const Frame& frame) {
    return empty_message<NoData>(frame, PqMsg_NoData, "NoData");
}

Result<PortalSuspended> decode_portal_suspended(const Frame& frame) {
    return empty_message<PortalSuspended>(frame, PqMsg_PortalSuspended, "PortalSuspended");
}

Result<EmptyQueryResponse> decode_empty_query_response(const Frame& frame) {
    return empty_message<EmptyQueryResponse>(frame, PqMsg_EmptyQueryResponse, "EmptyQueryResponse");
}

} // namespace shardgate::protocol::pg
