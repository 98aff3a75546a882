// Fuzzes the PostgreSQL frontend message decoders (protocol/pg/frontend_decoder.cpp,
// frontend_dispatch.cpp) and the routing helpers over them with what a client could send.
// First byte: below 0x80 the rest is a stream of messages decoded one by one (bit 0 sets a
// 64-byte message size limit); from 0x80 the low bits pick one decode_* function, the
// second byte is the frame's type byte and the rest its body. Every decoded message must
// lie inside the input and encode back to exactly the bytes it came from.
#include "pg_support.hpp"
#include "shardgate/protocol/pg/frontend_decoder.hpp"
#include "shardgate/protocol/pg/routing_helpers.hpp"

#include <array>
#include <variant>

namespace {

using namespace shardgate::fuzz;
using namespace shardgate::fuzz::pg;

void check_auth_response(const AuthResponse& msg, const Frame& frame) {
    require(msg.body.data() == frame.body.data() && msg.body.size() == frame.body.size());
    // The body is one of three messages; the session picks by its authentication state.
    if (auto password = decode_password_message(frame)) {
        require_round_trip(password.value(), frame.bytes);
    }
    if (auto initial = decode_sasl_initial_response(frame)) {
        require(inside(initial->mechanism, frame.body));
        require(!initial->data || inside(*initial->data, frame.body));
        require_round_trip(initial.value(), frame.bytes);
    }
    auto response = decode_sasl_response(frame);
    require(response.ok());
    require_round_trip(response.value(), frame.bytes);
}

void check_bind(const Bind& bind, const Frame& frame) {
    for (std::size_t i = 0; i < bind.parameters.size(); ++i) {
        const auto& parameter = bind.parameters[i];
        require(!parameter || inside(*parameter, frame.body));
        const auto format = bind.parameter_format(i);
        require(format == FormatCode::text || format == FormatCode::binary);
        (void)bind_parameter_int(bind, i);
        auto text = bind_parameter_text(bind, i);
        require(text.ok() == parameter.has_value());
        if (text) {
            require(text.value() == as_text(*parameter));
        }
    }
    require(!bind_parameter_int(bind, bind.parameters.size()).ok());
    require(!bind_parameter_text(bind, bind.parameters.size()).ok());
}

void check_message(const FrontendMessage& message, const Frame& frame) {
    if (const auto* auth = std::get_if<AuthResponse>(&message)) {
        check_auth_response(*auth, frame);
        return;
    }
    std::visit(
        [&](const auto& msg) {
            if constexpr (!std::is_same_v<std::decay_t<decltype(msg)>, AuthResponse>) {
                require_round_trip(msg, frame.bytes);
            }
        },
        message);
    if (const auto* query = std::get_if<Query>(&message)) {
        require(inside(query->query, frame.body));
        require(statement_text(frame).value() == query->query);
    } else if (const auto* parse = std::get_if<Parse>(&message)) {
        require(inside(parse->statement, frame.body) && inside(parse->query, frame.body));
        require(statement_text(frame).value() == parse->query);
    } else if (const auto* bind = std::get_if<Bind>(&message)) {
        check_bind(*bind, frame);
    } else if (const auto* copy = std::get_if<CopyData>(&message)) {
        require(inside(copy->data, frame.body));
    } else if (const auto* call = std::get_if<FunctionCall>(&message)) {
        require(inside(call->arguments, frame.body));
    } else {
        require(!statement_text(frame).ok());
    }
}

void fuzz_stream(ByteView buffer, bool small_limit) {
    fuzz_message_stream(
        buffer, small_limit,
        [](ByteView bytes, const FramingLimits& limits) {
            return decode_frontend_message(bytes, limits);
        },
        [](const Frame& frame) { return decode_frontend_message(frame); }, check_message);
}

void fuzz_direct(std::uint8_t selector, char type, ByteView body) {
    const ByteBuffer bytes = typed_message(type, body);
    const Frame frame = frame_of(bytes);
    switch (selector % 17) {
    case 0:
        return direct(decode_password_message, PqMsg_PasswordMessage, frame);
    case 1:
        return direct(decode_sasl_initial_response, PqMsg_PasswordMessage, frame);
    case 2:
        return direct(decode_sasl_response, PqMsg_PasswordMessage, frame);
    case 3:
        return direct(decode_query, PqMsg_Query, frame);
    case 4:
        return direct(decode_parse, PqMsg_Parse, frame);
    case 5:
        return direct(decode_bind, PqMsg_Bind, frame);
    case 6:
        return direct(decode_describe, PqMsg_Describe, frame);
    case 7:
        return direct(decode_execute, PqMsg_Execute, frame);
    case 8:
        return direct(decode_close, PqMsg_Close, frame);
    case 9:
        return direct(decode_sync, PqMsg_Sync, frame);
    case 10:
        return direct(decode_flush, PqMsg_Flush, frame);
    case 11:
        return direct(decode_terminate, PqMsg_Terminate, frame);
    case 12:
        return direct(decode_copy_data, PqMsg_CopyData, frame);
    case 13:
        return direct(decode_copy_done, PqMsg_CopyDone, frame);
    case 14:
        return direct(decode_copy_fail, PqMsg_CopyFail, frame);
    case 15:
        return direct(decode_function_call, PqMsg_FunctionCall, frame);
    default:
        if (auto any = decode_frontend_message(frame)) {
            check_message(any.value(), frame);
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    Input in(data, size);
    const std::uint8_t selector = in.byte();
    if (selector < 0x80) {
        fuzz_stream(in.rest(), (selector & 1) != 0);
        return 0;
    }
    const auto type = static_cast<char>(in.byte());
    fuzz_direct(selector & 0x7f, type, in.rest());
    return 0;
}
