// Framing of PostgreSQL v3 messages and startup packets: header checks only, bodies untouched.
// https://www.postgresql.org/docs/15/protocol-overview.html#PROTOCOL-MESSAGE-CONCEPTS
#include "shardgate/protocol/pg/frame.hpp"

#include <string>

namespace shardgate::protocol::pg {

namespace {

std::uint32_t load_u32(const std::byte* p) {
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
        v = (v << 8) | std::to_integer<std::uint8_t>(p[i]);
    }
    return v;
}

Error length_error(ErrorCode code, std::string_view what, std::uint32_t length) {
    return Error{code, std::string(what) + " length " + std::to_string(length)};
}

} // namespace

DecodeResult<Frame> next_frame(ByteView buffer, const FramingLimits& limits) {
    if (buffer.size() < frame_header_size) {
        return DecodeResult<Frame>::incomplete(frame_header_size);
    }
    std::uint32_t length = load_u32(buffer.data() + 1);
    if (length < 4 || length > 0x7fffffffu) {
        return length_error(ErrorCode::bad_length, "invalid message", length);
    }
    std::size_t total = std::size_t{length} + 1;
    if (total > limits.max_message_size) {
        return length_error(ErrorCode::too_large, "message exceeds the size limit:", length);
    }
    if (buffer.size() < total) {
        return DecodeResult<Frame>::incomplete(total);
    }
    Frame frame{static_cast<char>(buffer[0]), buffer.subspan(frame_header_size, length - 4),
                buffer.first(total)};
    return DecodeResult<Frame>(frame, total);
}

DecodeResult<StartupFrame> next_startup_frame(ByteView buffer, const FramingLimits& limits) {
    if (buffer.size() < 4) {
        return DecodeResult<StartupFrame>::incomplete(startup_header_size);
    }
    std::uint32_t length = load_u32(buffer.data());
    if (length < startup_header_size || length > 0x7fffffffu) {
        return length_error(ErrorCode::bad_length, "invalid startup packet", length);
    }
    if (length > limits.max_startup_size) {
        return length_error(ErrorCode::too_large, "startup packet exceeds the size limit:", length);
    }
    if (buffer.size() < length) {
        return DecodeResult<StartupFrame>::incomplete(length);
    }
    StartupFrame frame{load_u32(buffer.data() + 4),
                       buffer.subspan(startup_header_size, length - startup_header_size),
                       buffer.first(length)};
    return DecodeResult<StartupFrame>(frame, length);
}

} // namespace shardgate::protocol::pg
