// Decodes any backend message by its type byte, for sessions, tests and fuzzing.
#include "shardgate/protocol/pg/backend_decoder.hpp"
#include "shardgate/protocol/pg/frontend_decoder.hpp"

#include <string>

namespace shardgate::protocol::pg {

namespace {

template <class T> Result<BackendMessage> widen(Result<T> result) {
    if (!result) {
        return result.error();
    }
    return BackendMessage(std::move(result.value()));
}

Result<BackendMessage> widen_authentication(Result<AuthenticationRequest> result) {
    if (!result) {
        return result.error();
    }
    return std::visit([](auto& request) { return BackendMessage(std::move(request)); },
                      result.value());
}

} // namespace

Result<BackendMessage> decode_backend_message(const Frame& frame) {
    switch (frame.type) {
    case PqMsg_AuthenticationRequest:
        return widen_authentication(decode_authentication(frame));
    case PqMsg_BackendKeyData:
        return widen(decode_backend_key_data(frame));
    case PqMsg_ParameterStatus:
        return widen(decode_parameter_status(frame));
    case PqMsg_ReadyForQuery:
        return widen(decode_ready_for_query(frame));
    case PqMsg_ErrorResponse:
        return widen(decode_error_response(frame));
    case PqMsg_NoticeResponse:
        return widen(decode_notice_response(frame));
    case PqMsg_CommandComplete:
        return widen(decode_command_complete(frame));
    case PqMsg_RowDescription:
        return widen(decode_row_description(frame));
    case PqMsg_DataRow:
        return widen(decode_data_row(frame));
    case PqMsg_ParseComplete:
        return widen(decode_parse_complete(frame));
    case PqMsg_BindComplete:
        return widen(decode_bind_complete(frame));
    case PqMsg_CloseComplete:
        return widen(decode_close_complete(frame));
    case PqMsg_NoData:
        return widen(decode_no_data(frame));
    case PqMsg_PortalSuspended:
        return widen(decode_portal_suspended(frame));
    case PqMsg_EmptyQueryResponse:
        return widen(decode_empty_query_response(frame));
    case PqMsg_ParameterDescription:
        return widen(decode_parameter_description(frame));
    case PqMsg_NotificationResponse:
        return widen(decode_notification_response(frame));
    case PqMsg_NegotiateProtocolVersion:
        return widen(decode_negotiate_protocol_version(frame));
    case PqMsg_CopyInResponse:
        return widen(decode_copy_in_response(frame));
    case PqMsg_CopyOutResponse:
        return widen(decode_copy_out_response(frame));
    case PqMsg_CopyBothResponse:
        return widen(decode_copy_both_response(frame));
    case PqMsg_CopyData:
        return widen(decode_copy_data(frame));
    case PqMsg_CopyDone:
        return widen(decode_copy_done(frame));
    default:
        return Error{ErrorCode::unexpected_type,
                     "invalid backend message type " +
                         std::to_string(static_cast<unsigned char>(frame.type))};
    }
}

DecodeResult<BackendMessage> decode_backend_message(ByteView buffer, const FramingLimits& limits) {
    auto framed = next_frame(buffer, limits);
    if (framed.need_more()) {
        return DecodeResult<BackendMessage>::incomplete(framed.needed());
    }
    if (framed.is_error()) {
        return framed.error();
    }
    auto decoded = decode_backend_message(framed.value());
    if (!decoded) {
        return decoded.error();
    }
    return DecodeResult<BackendMessage>(std::move(decoded.value()), framed.consumed());
}

} // namespace shardgate::protocol::pg
