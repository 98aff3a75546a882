// Fuzzes the PostgreSQL backend message decoders (protocol/pg/backend_decoder.cpp,
// row_decoder.cpp, backend_dispatch.cpp) with what a broken or hostile backend could send.
// First byte: below 0x80 the rest is a stream of messages decoded one by one (bit 0 sets a
// 64-byte message size limit); from 0x80 the low bits pick one decode_* function, the
// second byte is the frame's type byte and the rest its body. Every decoded message must
// lie inside the input and encode back to exactly the bytes it came from.
#include "pg_support.hpp"
#include "shardgate/protocol/pg/backend_decoder.hpp"
#include "shardgate/protocol/pg/frontend_decoder.hpp"
#include "shardgate/protocol/pg/routing_helpers.hpp"

#include <charconv>
#include <variant>

namespace {

using namespace shardgate::fuzz;
using namespace shardgate::fuzz::pg;

void check_row_count(std::string_view tag) {
    const auto count = command_tag_row_count(tag);
    if (!count) {
        return;
    }
    // The count is the tag's last word, read as a whole decimal number.
    const auto digits = tag.substr(tag.rfind(' ') + 1);
    std::uint64_t again = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), again);
    require(ec == std::errc{} && end == digits.data() + digits.size() && again == *count);
}

void check_message(const BackendMessage& message, const Frame& frame) {
    std::visit([&](const auto& msg) { require_round_trip(msg, frame.bytes); }, message);
    if (const auto* complete = std::get_if<CommandComplete>(&message)) {
        require(inside(complete->tag, frame.body));
        check_row_count(complete->tag);
    } else if (const auto* error = std::get_if<ErrorResponse>(&message)) {
        for (const auto& field : error->fields) {
            require(field.code != 0 && inside(field.value, frame.body));
        }
        const auto sqlstate = error->field(PG_DIAG_SQLSTATE);
        require(!sqlstate || inside(*sqlstate, frame.body));
    } else if (const auto* row = std::get_if<DataRow>(&message)) {
        for (const auto& value : row->values) {
            require(!value || inside(*value, frame.body));
        }
    } else if (const auto* description = std::get_if<RowDescription>(&message)) {
        // Each field takes at least 19 bytes (NUL, 3 x Int32, 3 x Int16).
        require(description->fields.size() * 19 + 2 <= frame.body.size());
    } else if (const auto* sasl = std::get_if<AuthenticationSASL>(&message)) {
        for (auto mechanism : sasl->mechanisms) {
            require(!mechanism.empty() && inside(mechanism, frame.body));
        }
    } else if (const auto* copy = std::get_if<CopyData>(&message)) {
        require(inside(copy->data, frame.body));
    }
}

void fuzz_stream(ByteView buffer, bool small_limit) {
    fuzz_message_stream(
        buffer, small_limit,
        [](ByteView bytes, const FramingLimits& limits) {
            return decode_backend_message(bytes, limits);
        },
        [](const Frame& frame) { return decode_backend_message(frame); }, check_message);
}

void direct_authentication(const Frame& frame) {
    auto result = decode_authentication(frame);
    if (!result) {
        return;
    }
    require(frame.type == PqMsg_AuthenticationRequest);
    std::visit([&](const auto& msg) { require_round_trip(msg, frame.bytes); }, result.value());
}

void fuzz_direct(std::uint8_t selector, char type, ByteView body) {
    const ByteBuffer bytes = typed_message(type, body);
    const Frame frame = frame_of(bytes);
    switch (selector % 24) {
    case 0:
        return direct_authentication(frame);
    case 1:
        return direct(decode_backend_key_data, PqMsg_BackendKeyData, frame);
    case 2:
        return direct(decode_parameter_status, PqMsg_ParameterStatus, frame);
    case 3:
        return direct(decode_ready_for_query, PqMsg_ReadyForQuery, frame);
    case 4:
        return direct(decode_error_response, PqMsg_ErrorResponse, frame);
    case 5:
        return direct(decode_notice_response, PqMsg_NoticeResponse, frame);
    case 6:
        return direct(decode_command_complete, PqMsg_CommandComplete, frame);
    case 7:
        return direct(decode_row_description, PqMsg_RowDescription, frame);
    case 8:
        return direct(decode_data_row, PqMsg_DataRow, frame);
    case 9:
        return direct(decode_parse_complete, PqMsg_ParseComplete, frame);
    case 10:
        return direct(decode_bind_complete, PqMsg_BindComplete, frame);
    case 11:
        return direct(decode_close_complete, PqMsg_CloseComplete, frame);
    case 12:
        return direct(decode_no_data, PqMsg_NoData, frame);
    case 13:
        return direct(decode_portal_suspended, PqMsg_PortalSuspended, frame);
    case 14:
        return direct(decode_empty_query_response, PqMsg_EmptyQueryResponse, frame);
    case 15:
        return direct(decode_parameter_description, PqMsg_ParameterDescription, frame);
    case 16:
        return direct(decode_notification_response, PqMsg_NotificationResponse, frame);
    case 17:
        return direct(decode_negotiate_protocol_version, PqMsg_NegotiateProtocolVersion, frame);
    case 18:
        return direct(decode_copy_in_response, PqMsg_CopyInResponse, frame);
    case 19:
        return direct(decode_copy_out_response, PqMsg_CopyOutResponse, frame);
    case 20:
        return direct(decode_copy_both_response, PqMsg_CopyBothResponse, frame);
    case 21:
        return direct(decode_copy_data, PqMsg_CopyData, frame);
    case 22:
        return direct(decode_copy_done, PqMsg_CopyDone, frame);
    default:
        if (auto any = decode_backend_message(frame)) {
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
