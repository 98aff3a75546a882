// Fuzzes the MySQL packet layer and connection phase: framing and reassembly of payloads
// split at 0xFFFFFF bytes (protocol/mysql/framing.cpp), Initial Handshake v10 and
// HandshakeResponse41 / SSLRequest (handshake.cpp), AuthSwitchRequest and AuthMoreData
// (auth_packets.cpp) and the password checks fed with what a peer sent (auth.cpp).
// First byte, modulo 5: 0 a byte stream of frames (bits 3-4 pick the payload limit);
// 1 frames described by the input and built around 16 MiB continuation frames; 2 a
// handshake payload; 3 a handshake response payload; 4 an authentication-phase payload.
#include "mysql_support.hpp"
#include "shardgate/protocol/mysql/auth.hpp"
#include "shardgate/protocol/mysql/auth_packets.hpp"
#include "shardgate/protocol/mysql/byte_io.hpp"
#include "shardgate/protocol/mysql/framing.hpp"
#include "shardgate/protocol/mysql/handshake.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <string>
#include <vector>

namespace {

using namespace shardgate::fuzz;
using namespace shardgate::fuzz::mysql;

constexpr std::array<std::size_t, 4> payload_limits = {default_max_payload, 100, max_frame_payload,
                                                       2 * max_frame_payload};

bool equal_bytes(Bytes a, Bytes b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end());
}

/// Frame by frame, then as logical packets: sizes add up, payloads are the frames' bytes,
/// and framing the payload again gives the same packet.
void check_packets(Bytes input, std::size_t max_payload) {
    Bytes rest = input;
    while (true) {
        auto frame = decode_frame(rest);
        require_consumed(frame, rest);
        require(!frame.is_error());
        if (!frame.ok()) {
            break;
        }
        const auto& f = frame.value();
        require(frame.consumed() == packet_header_size + f.header.payload_length);
        require(f.payload.size() == f.header.payload_length && inside(f.payload, rest));
        Buffer header;
        encode_packet_header(f.header, header);
        require(equal_bytes(header, rest.first(packet_header_size)));
        rest = rest.subspan(frame.consumed());
    }

    auto extent = scan_packet(input, max_payload);
    auto packet = decode_packet(input, max_payload);
    require_consumed(extent, input);
    require(extent.status() == packet.status());
    if (!extent.ok()) {
        if (extent.is_error()) {
            require(extent.error().code == packet.error().code);
        }
        return;
    }
    const auto& e = extent.value();
    const auto& p = packet.value();
    require(packet.consumed() == extent.consumed() && e.frame_count >= 1);
    require(e.payload_length <= max_payload && p.payload.size() == e.payload_length);
    require(extent.consumed() == e.payload_length + e.frame_count * packet_header_size);
    require(inside(e.first_payload, input) && p.sequence_id == e.first_sequence_id);
    require(p.last_sequence_id == e.last_sequence_id);
    require(static_cast<std::uint8_t>(e.first_sequence_id + e.frame_count - 1) ==
            e.last_sequence_id);
    // The reassembled payload is the frames' payloads in order.
    std::size_t offset = 0;
    std::size_t copied = 0;
    for (std::size_t i = 0; i < e.frame_count; ++i) {
        auto frame = decode_frame(input.subspan(offset));
        require(frame.ok() && (i + 1 == e.frame_count) != frame.value().continued());
        const Bytes piece = frame.value().payload;
        require(equal_bytes(piece, Bytes(p.payload).subspan(copied, piece.size())));
        copied += piece.size();
        offset += frame.consumed();
    }
    if (p.payload.size() > 65536) {
        return; // framing again is checked on small payloads only (time per input)
    }
    Buffer wire;
    std::uint8_t sequence_id = p.sequence_id;
    append_packet(wire, sequence_id, p.payload);
    require(sequence_id == static_cast<std::uint8_t>(p.last_sequence_id + 1));
    auto again = decode_packet(wire, max_payload);
    require(again.ok() && again.consumed() == wire.size() && again.value().payload == p.payload);
}

/// Builds frames around real 0xFFFFFF-byte payloads in a reused buffer; the input gives,
/// per frame, its sequence id and whether it is full, short (with its bytes) or cut off.
void fuzz_continuation(Input& in, std::size_t max_payload) {
    static std::vector<std::byte> big(3 * (packet_header_size + max_frame_payload) + 1024);
    std::vector<std::pair<std::size_t, std::size_t>> written;
    std::size_t end = 0;
    const int frames = 1 + in.byte() % 3;
    for (int i = 0; i < frames; ++i) {
        const std::uint8_t sequence_id = in.byte();
        const std::uint8_t kind = in.byte();
        std::size_t length = max_frame_payload;
        Buffer bytes;
        if (kind % 3 == 1) {
            const auto part = in.take(in.byte());
            bytes.assign(part.begin(), part.end());
            length = bytes.size();
        }
        encode_packet_header({static_cast<std::uint32_t>(length), sequence_id}, bytes);
        std::rotate(bytes.begin(), bytes.end() - packet_header_size, bytes.end());
        std::memcpy(big.data() + end, bytes.data(), bytes.size());
        written.emplace_back(end, bytes.size());
        end += packet_header_size + length;
        if (kind % 3 == 2) {
            end -= std::min<std::size_t>(end, 1 + in.byte() * 65536u);
            break;
        }
    }
    check_packets(Bytes(big).first(end), max_payload);
    for (auto [at, size] : written) {
        std::memset(big.data() + at, 0, size);
    }
}

/// What decode(encode(x)) keeps: the scramble survives when part 2 is at least 12 bytes
/// (servers send 20-byte scrambles), as encode_initial_handshake documents. Without
/// CLIENT_PLUGIN_AUTH the encoder writes auth_plugin_data_len 0 (as the spec says), so part
/// 2 reads back as 13 bytes whatever length byte the decoded packet carried.
bool handshake_round_trips(const InitialHandshake& hs) {
    // The wire ends part 2 of the scramble with a NUL the decoder drops: a scramble that ends
    // in NUL itself (servers never send one; shardgate's have no NUL) cannot come back equal.
    if (!hs.scramble.empty() && hs.scramble.back() == std::byte{0}) {
        return false;
    }
    if (!(hs.capabilities & CLIENT_SECURE_CONNECTION)) {
        return hs.scramble.size() == 8;
    }
    const std::size_t max = (hs.capabilities & CLIENT_PLUGIN_AUTH) ? 254 : 21;
    return hs.scramble.size() >= 20 && hs.scramble.size() <= max;
}

void fuzz_handshake(Bytes payload) {
    auto hs = decode_initial_handshake(payload);
    require_consumed(hs, payload);
    if (!hs.ok()) {
        return;
    }
    const auto& value = hs.value();
    require(hs.consumed() == payload.size() && value.protocol_version == 10);
    require(value.scramble.size() >= 8);
    if (handshake_round_trips(value)) {
        Buffer again;
        encode_initial_handshake(value, again);
        auto decoded = decode_initial_handshake(again);
        require(decoded.ok() && decoded.value() == value);
    }
    // What a client answers must pass the server-side checks with the same scramble.
    const Buffer native = native_password_scramble("pencil", value.scramble);
    require(verify_native_password_plain(value.scramble, native, "pencil"));
    require(!verify_native_password_plain(value.scramble, native, "pencil2"));
    const Buffer sha2 = caching_sha2_scramble("pencil", value.scramble);
    require(verify_caching_sha2_plain(value.scramble, sha2, "pencil"));
}

void fuzz_handshake_response(Bytes payload) {
    if (is_ssl_request(payload)) {
        auto ssl = decode_ssl_request(payload);
        require(ssl.ok() && ssl.consumed() == payload.size());
        require(ssl.value().capabilities & CLIENT_SSL);
        Buffer again;
        encode_ssl_request(ssl.value(), again);
        auto decoded = decode_ssl_request(again);
        require(decoded.ok() && decoded.value() == ssl.value());
    } else {
        require(!decode_ssl_request(payload).ok());
    }
    auto response = decode_handshake_response(payload);
    require_consumed(response, payload);
    if (!response.ok()) {
        return;
    }
    const auto& value = response.value();
    require(value.capabilities & CLIENT_PROTOCOL_41);
    Buffer again;
    encode_handshake_response(value, again);
    auto decoded = decode_handshake_response(again);
    require(decoded.ok() && decoded.value() == value);
    // The server checks the client's proof against a stored hash and a plain password.
    static const Scramble scramble = [] {
        Scramble s{};
        for (std::size_t i = 0; i < s.size(); ++i) {
            s[i] = static_cast<std::byte>(0x21 + i);
        }
        return s;
    }();
    static const NativePasswordHash stored = native_password_hash("pencil");
    (void)verify_native_password(scramble, value.auth_response, stored);
    (void)verify_caching_sha2_plain(scramble, value.auth_response, "pencil");
    const auto clear = cleartext_password(value.auth_response);
    require(clear.size() <= value.auth_response.size());
}

void fuzz_auth_phase(Bytes payload) {
    const auto kind = classify_auth_reply(payload);
    const int first = payload.empty() ? -1 : std::to_integer<int>(payload[0]);
    require((kind == AuthReplyKind::auth_switch) == (first == AUTH_SWITCH_HEADER));
    require((kind == AuthReplyKind::auth_more_data) == (first == AUTH_MORE_DATA_HEADER));
    if (auto request = decode_auth_switch_request(payload); request.ok()) {
        require(kind == AuthReplyKind::auth_switch && request.consumed() == payload.size());
        Buffer again;
        encode_auth_switch_request(request.value(), again);
        require(again == Buffer(payload.begin(), payload.end()));
        const Bytes scramble = auth_switch_scramble(request.value());
        require(scramble.size() + 1 >= request.value().plugin_data.size());
        const Buffer native = native_password_scramble("pencil", scramble);
        require(verify_native_password_plain(scramble, native, "pencil"));
    }
    if (auto more = decode_auth_more_data(payload); more.ok()) {
        require(kind == AuthReplyKind::auth_more_data);
        Buffer again;
        encode_auth_more_data(more.value().data, again);
        require(again == Buffer(payload.begin(), payload.end()));
    }
    const auto text = as_chars(payload);
    if (auto hash = parse_native_password_hash(text)) {
        std::string upper(text);
        std::transform(upper.begin(), upper.end(), upper.begin(),
                       [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
        require(native_password_hash_text(*hash) == upper);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    Input in(data, size);
    const std::uint8_t selector = in.byte();
    const std::size_t max_payload = payload_limits[(selector >> 3) & 3];
    switch (selector % 5) {
    case 0:
        check_packets(in.rest(), max_payload);
        break;
    case 1:
        fuzz_continuation(in, max_payload);
        break;
    case 2:
        fuzz_handshake(in.rest());
        break;
    case 3:
        fuzz_handshake_response(in.rest());
        break;
    default:
        fuzz_auth_phase(in.rest());
    }
    return 0;
}
