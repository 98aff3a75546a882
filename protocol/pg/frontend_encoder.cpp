// Encoders of the startup packets and messages shardgate sends to backends as a client.
// https://www.postgresql.org/docs/15/protocol-message-formats.html
#include "message_writer.hpp"
#include "shardgate/protocol/pg/encoder.hpp"

namespace shardgate::protocol::pg {

namespace {

void write_formats(MessageWriter& w, const std::vector<FormatCode>& formats) {
    w.count16(formats.size());
    for (auto format : formats) {
        w.format_code(format);
    }
}

} // namespace

// StartupMessage: Int32 length, Int32 version, (String name, String value)*, Byte1 0.
void encode(ByteBuffer& out, const StartupMessage& msg) {
    MessageWriter w(out);
    w.u32(msg.protocol_version);
    for (const auto& p : msg.parameters) {
        w.cstring(p.name);
        w.cstring(p.value);
    }
    w.u8(0);
}

void encode(ByteBuffer& out, const SSLRequest&) {
    MessageWriter w(out);
    w.u32(NEGOTIATE_SSL_CODE);
}

void encode(ByteBuffer& out, const GSSENCRequest&) {
    MessageWriter w(out);
    w.u32(NEGOTIATE_GSS_CODE);
}

// CancelRequest: Int32 16, Int32 80877102, Int32 process ID, Int32 secret key.
void encode(ByteBuffer& out, const CancelRequest& msg) {
    MessageWriter w(out);
    w.u32(CANCEL_REQUEST_CODE);
    w.i32(msg.process_id);
    w.i32(msg.secret_key);
}

void encode(ByteBuffer& out, const PasswordMessage& msg) {
    MessageWriter w(out, PqMsg_PasswordMessage);
    w.cstring(msg.password);
}

void encode(ByteBuffer& out, const SASLInitialResponse& msg) {
    MessageWriter w(out, PqMsg_PasswordMessage);
    w.cstring(msg.mechanism);
    w.nullable_bytes(msg.data);
}

void encode(ByteBuffer& out, const SASLResponse& msg) {
    MessageWriter w(out, PqMsg_PasswordMessage);
    w.bytes(msg.data);
}

void encode(ByteBuffer& out, const Query& msg) {
    MessageWriter w(out, PqMsg_Query);
    w.cstring(msg.query);
}

void encode(ByteBuffer& out, const Parse& msg) {
    MessageWriter w(out, PqMsg_Parse);
    w.cstring(msg.statement);
    w.cstring(msg.query);
    w.count16(msg.parameter_types.size());
    for (auto oid : msg.parameter_types) {
        w.u32(oid);
    }
}

void encode(ByteBuffer& out, const Bind& msg) {
    MessageWriter w(out, PqMsg_Bind);
    w.cstring(msg.portal);
    w.cstring(msg.statement);
    write_formats(w, msg.parameter_formats);
    w.count16(msg.parameters.size());
    for (const auto& value : msg.parameters) {
        w.nullable_bytes(value);
    }
    write_formats(w, msg.result_formats);
}

void encode(ByteBuffer& out, const Describe& msg) {
    MessageWriter w(out, PqMsg_Describe);
    w.u8(static_cast<std::uint8_t>(msg.kind));
    w.cstring(msg.name);
}

void encode(ByteBuffer& out, const Execute& msg) {
    MessageWriter w(out, PqMsg_Execute);
    w.cstring(msg.portal);
    w.i32(msg.max_rows);
}

void encode(ByteBuffer& out, const Close& msg) {
    MessageWriter w(out, PqMsg_Close);
    w.u8(static_cast<std::uint8_t>(msg.kind));
    w.cstring(msg.name);
}

void encode(ByteBuffer& out, const Sync&) {
    MessageWriter w(out, PqMsg_Sync);
}

void encode(ByteBuffer& out, const Flush&) {
    MessageWriter w(out, PqMsg_Flush);
}

void encode(ByteBuffer& out, const Terminate&) {
    MessageWriter w(out, PqMsg_Terminate);
}

void encode(ByteBuffer& out, const CopyFail& msg) {
    MessageWriter w(out, PqMsg_CopyFail);
    w.cstring(msg.message);
}

void encode(ByteBuffer& out, const FunctionCall& msg) {
    MessageWriter w(out, PqMsg_FunctionCall);
    w.u32(msg.function_oid);
    w.bytes(msg.arguments);
}

void encode(ByteBuffer& out, const CopyData& msg) {
    MessageWriter w(out, PqMsg_CopyData);
    w.bytes(msg.data);
}

void encode(ByteBuffer& out, const CopyDone&) {
    MessageWriter w(out, PqMsg_CopyDone);
}

} // namespace shardgate::protocol::pg
