// Decodes any frontend message by its type byte, for sessions, tests and fuzzing.
#include "shardgate/protocol/pg/frontend_decoder.hpp"

#include <string>

namespace shardgate::protocol::pg {

namespace {

template <class T> Result<FrontendMessage> widen(Result<T> result) {
    if (!result) {
        return result.error();
    }
    return FrontendMessage(std::move(result.value()));
}

} // namespace

Result<FrontendMessage> decode_frontend_message(const Frame& frame) {
    switch (frame.type) {
    case PqMsg_PasswordMessage:
        return FrontendMessage(AuthResponse{frame.body});
    case PqMsg_Query:
        return widen(decode_query(frame));
    case PqMsg_Parse:
        return widen(decode_parse(frame));
    case PqMsg_Bind:
        return widen(decode_bind(frame));
    case PqMsg_Describe:
        return widen(decode_describe(frame));
    case PqMsg_Execute:
        return widen(decode_execute(frame));
    case PqMsg_Close:
        return widen(decode_close(frame));
    case PqMsg_Sync:
        return widen(decode_sync(frame));
    case PqMsg_Flush:
        return widen(decode_flush(frame));
    case PqMsg_Terminate:
        return widen(decode_terminate(frame));
    case PqMsg_CopyData:
        return widen(decode_copy_data(frame));
    case PqMsg_CopyDone:
        return widen(decode_copy_done(frame));
    case PqMsg_CopyFail:
        return widen(decode_copy_fail(frame));
    case PqMsg_FunctionCall:
        return widen(decode_function_call(frame));
    default:
        return Error{ErrorCode::unexpected_type,
                     "invalid frontend message type " +
                         std::to_string(static_cast<unsigned char>(frame.type))};
    }
}

DecodeResult<FrontendMessage> decode_frontend_message(ByteView buffer,
                                                      const FramingLimits& limits) {
    auto framed = next_frame(buffer, limits);
    if (framed.need_more()) {
        return DecodeResult<FrontendMessage>::incomplete(framed.needed());
    }
    if (framed.is_error()) {
        return framed.error();
    }
    auto decoded = decode_frontend_message(framed.value());
    if (!decoded) {
        return decoded.error();
    }
    return DecodeResult<FrontendMessage>(std::move(decoded.value()), framed.consumed());
}

} // namespace shardgate::protocol::pg
