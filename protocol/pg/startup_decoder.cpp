// Decoders of PostgreSQL startup-phase packets: StartupMessage, SSLRequest, GSSENCRequest,
// CancelRequest.
// https://www.postgresql.org/docs/15/protocol-message-formats.html (StartupMessage ff.)
#include "field_reader.hpp"
#include "shardgate/protocol/pg/frontend_decoder.hpp"

#include <string>

namespace shardgate::protocol::pg {

namespace {

Result<StartupPacket> empty_request(const StartupFrame& frame, StartupPacket packet,
                                    std::string_view name) {
    FieldReader in(frame.body, name);
    if (!in.finish()) {
        return in.error();
    }
    return packet;
}

Result<StartupPacket> decode_cancel_request(const StartupFrame& frame) {
    FieldReader in(frame.body, "CancelRequest");
    CancelRequest cancel;
    if (!in.i32(cancel.process_id, "process ID") || !in.i32(cancel.secret_key, "secret key") ||
        !in.finish()) {
        return in.error();
    }
    return StartupPacket(cancel);
}

Result<StartupPacket> decode_startup_message(const StartupFrame& frame) {
    if ((frame.code >> 16) != 3) {
        return Error{ErrorCode::unsupported, "StartupMessage: unsupported frontend protocol " +
                                                 std::to_string(frame.code >> 16) + "." +
                                                 std::to_string(frame.code & 0xffff) +
                                                 ", only 3.x is supported"};
    }
    FieldReader in(frame.body, "StartupMessage");
    StartupMessage startup;
    startup.protocol_version = frame.code;
    while (true) {
        StartupParameter parameter;
        if (!in.cstring(parameter.name, "parameter name")) {
            return in.error();
        }
        if (parameter.name.empty()) {
            break;
        }
        if (!in.cstring(parameter.value, "parameter value")) {
            return in.error();
        }
        startup.parameters.push_back(parameter);
    }
    if (!in.finish()) {
        return in.error();
    }
    return StartupPacket(std::move(startup));
}

} // namespace

Result<StartupPacket> decode_startup_packet(const StartupFrame& frame) {
    switch (frame.code) {
    case NEGOTIATE_SSL_CODE:
        return empty_request(frame, SSLRequest{}, "SSLRequest");
    case NEGOTIATE_GSS_CODE:
        return empty_request(frame, GSSENCRequest{}, "GSSENCRequest");
    case CANCEL_REQUEST_CODE:
        return decode_cancel_request(frame);
    default:
        return decode_startup_message(frame);
    }
}

DecodeResult<StartupPacket> decode_startup_packet(ByteView buffer, const FramingLimits& limits) {
    auto framed = next_startup_frame(buffer, limits);
    if (framed.need_more()) {
        return DecodeResult<StartupPacket>::incomplete(framed.needed());
    }
    if (framed.is_error()) {
        return framed.error();
    }
    auto decoded = decode_startup_packet(framed.value());
    if (!decoded) {
        return decoded.error();
    }
    return DecodeResult<StartupPacket>(std::move(decoded.value()), framed.consumed());
}

} // namespace shardgate::protocol::pg
