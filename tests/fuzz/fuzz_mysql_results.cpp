// Fuzzes what a broken or hostile MySQL/MariaDB backend could answer: OK / ERR / EOF packets
// with session state tracking (protocol/mysql/generic_packets.cpp, session_track.cpp),
// column counts and definitions, text and binary rows and values (text_result_set.cpp,
// column_definition.cpp, binary_row.cpp, binary_value.cpp), COM_STMT_PREPARE_OK
// (stmt_prepare.cpp) and the response tracker (response_tracker.cpp) over whole responses.
// First byte, modulo 9, picks the decoder; the second gives the negotiated capabilities
// (see capabilities_from). Mode 5 reads a column count byte, mode 6 a column count and
// two bytes per column type, mode 7 a type and its unsigned flag, mode 8 the command's response
// kind; the rest is one payload (modes 0-7) or a stream of frames (mode 8).
#include "mysql_support.hpp"
#include "shardgate/protocol/mysql/binary_row.hpp"
#include "shardgate/protocol/mysql/column_definition.hpp"
#include "shardgate/protocol/mysql/framing.hpp"
#include "shardgate/protocol/mysql/generic_packets.hpp"
#include "shardgate/protocol/mysql/response_tracker.hpp"
#include "shardgate/protocol/mysql/session_track.hpp"
#include "shardgate/protocol/mysql/stmt_prepare.hpp"
#include "shardgate/protocol/mysql/text_result_set.hpp"

#include <string>
#include <vector>

namespace {

using namespace shardgate::fuzz;
using namespace shardgate::fuzz::mysql;

bool known_change_type(std::uint8_t type) {
    return type <= SESSION_TRACK_TRANSACTION_STATE;
}

/// Known entry types compare by their decoded fields (encoding drops bytes the decoder
/// ignored), unknown ones by their raw data.
bool same_changes(const std::vector<SessionStateChange>& a,
                  const std::vector<SessionStateChange>& b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].type != b[i].type) {
            return false;
        }
        if (known_change_type(a[i].type) ? (a[i].name != b[i].name || a[i].value != b[i].value ||
                                            a[i].gtid_encoding != b[i].gtid_encoding)
                                         : a[i].raw != b[i].raw) {
            return false;
        }
    }
    return true;
}

void ok_packet(Bytes payload, std::uint32_t caps) {
    auto ok = decode_ok_packet(payload, caps);
    require_consumed(ok, payload);
    if (!ok.ok()) {
        return;
    }
    const auto& v = ok.value();
    require(ok.consumed() == payload.size());
    require(v.header == OK_HEADER || v.header == EOF_HEADER);
    require(v.session_state_changes.empty() || (caps & CLIENT_SESSION_TRACK));
    Buffer again;
    encode_ok_packet(v, caps, again);
    auto redecoded = decode_ok_packet(again, caps);
    require(redecoded.ok());
    const auto& w = redecoded.value();
    require(w.header == v.header && w.affected_rows == v.affected_rows &&
            w.last_insert_id == v.last_insert_id && w.status_flags == v.status_flags &&
            w.warnings == v.warnings && w.info == v.info);
    require(same_changes(w.session_state_changes, v.session_state_changes));
}

void err_packet(Bytes payload, std::uint32_t caps) {
    auto err = decode_err_packet(payload, caps);
    require_consumed(err, payload);
    if (!err.ok()) {
        return;
    }
    const auto& v = err.value();
    require(v.sql_state.empty() || v.sql_state.size() == 5);
    if (v.sql_state.empty() && (caps & CLIENT_PROTOCOL_41)) {
        return; // the encoder always writes a SQLSTATE under CLIENT_PROTOCOL_41
    }
    Buffer again;
    encode_err_packet(v, caps, again);
    auto w = decode_err_packet(again, caps);
    require(w.ok() && w.value() == v);
}

void eof_packet(Bytes payload, std::uint32_t caps) {
    auto eof = decode_eof_packet(payload, caps);
    require_consumed(eof, payload);
    require(!eof.ok() || is_eof_packet(payload));
    if (eof.ok()) {
        Buffer again;
        encode_eof_packet(eof.value(), caps, again);
        auto w = decode_eof_packet(again, caps);
        require(w.ok() && w.value() == eof.value());
    }
}

void session_state(Bytes block) {
    auto changes = decode_session_state_info(block);
    require_consumed(changes, block);
    if (!changes.ok()) {
        return;
    }
    require(changes.consumed() == block.size());
    Buffer again;
    encode_session_state_info(changes.value(), again);
    auto w = decode_session_state_info(again);
    require(w.ok() && same_changes(w.value(), changes.value()));
}

void column_definition(Bytes payload) {
    if (auto count = decode_column_count(payload); count.ok()) {
        require(count.value() > 0 && count.consumed() == payload.size());
        Buffer again;
        encode_column_count(count.value(), again);
        auto w = decode_column_count(again);
        require(w.ok() && w.value() == count.value());
    }
    auto column = decode_column_definition(payload);
    require_consumed(column, payload);
    if (!column.ok()) {
        return;
    }
    require(column.consumed() == payload.size());
    (void)column_value_type(column.value());
    Buffer again;
    encode_column_definition(column.value(), again);
    auto w = decode_column_definition(again);
    require(w.ok() && w.value() == column.value());
}

void text_row(Bytes payload, std::uint64_t columns) {
    auto row = decode_text_row(payload, columns);
    require_consumed(row, payload);
    if (!row.ok()) {
        return;
    }
    require(row.value().size() == columns && row.consumed() == payload.size());
    std::vector<TextValue> owned;
    for (const auto& value : row.value()) {
        require(!value || inside(*value, payload));
        owned.push_back(value ? TextValue(std::string(*value)) : std::nullopt);
    }
    Buffer again;
    encode_text_row(owned, again);
    auto w = decode_text_row(again, columns);
    require(w.ok() && w.value().size() == owned.size());
    for (std::size_t i = 0; i < owned.size(); ++i) {
        require(w.value()[i] == owned[i]);
    }
}

void binary_row(Bytes payload, const std::vector<ParamType>& types) {
    auto row = decode_binary_row(payload, types);
    require_consumed(row, payload);
    if (!row.ok()) {
        return;
    }
    const auto& values = row.value();
    require(values.size() == types.size() && row.consumed() == payload.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (const auto* text = std::get_if<std::string_view>(&values[i])) {
            require(inside(*text, payload));
        }
        require_stable_text(values[i], types[i]);
    }
    Buffer again;
    require(encode_binary_row(values, types, again));
    auto w = decode_binary_row(again, types);
    require(w.ok());
    for (std::size_t i = 0; i < values.size(); ++i) {
        require(same_value(w.value()[i], values[i]));
    }
}

void single_value(Bytes payload, ParamType type) {
    if (auto prepare = decode_stmt_prepare_ok(payload); prepare.ok()) {
        Buffer again;
        encode_stmt_prepare_ok(prepare.value(), again);
        auto w = decode_stmt_prepare_ok(again);
        require(w.ok() && w.value() == prepare.value());
    }
    auto value = decode_binary_value(payload, type);
    require_consumed(value, payload);
    if (!value.ok()) {
        return;
    }
    require_stable_text(value.value(), type);
    Buffer again;
    require(encode_binary_value(value.value(), type, again));
    auto w = decode_binary_value(again, type);
    require(w.ok() && w.consumed() == again.size() && same_value(w.value(), value.value()));
}

/// Follows a whole response as the proxy does: the tracker classifies each frame, and the
/// frames it calls column counts, definitions and rows are decoded as such.
void tracked_response(Bytes stream, ResponseKind kind, std::uint32_t caps) {
    ResponseTracker tracker(kind, caps);
    std::vector<ParamType> types;
    std::uint64_t columns = 0;
    std::uint64_t frames = 0;
    bool ended = tracker.complete();
    while (true) {
        auto frame = decode_frame(stream);
        if (!frame.ok()) {
            break;
        }
        stream = stream.subspan(frame.consumed());
        const Bytes payload = frame.value().payload;
        const TrackStep step = tracker.on_frame(frame.value());
        ++frames;
        require(!response_state_name(tracker.state()).empty());
        if (ended) {
            require(step.status == TrackStatus::protocol_error);
        }
        switch (step.status) {
        case TrackStatus::complete:
            require(tracker.complete());
            break;
        case TrackStatus::protocol_error:
            require(tracker.state() == ResponseState::failed && !tracker.protocol_error().empty());
            break;
        default:
            require(!tracker.complete() && tracker.state() != ResponseState::failed);
        }
        ended = ended || step.status == TrackStatus::complete ||
                step.status == TrackStatus::protocol_error;
        if (step.status == TrackStatus::protocol_error) {
            continue;
        }
        switch (step.role) {
        case PacketRole::column_count: {
            auto count = decode_column_count(payload);
            require(count.ok());
            columns = count.value();
            types.clear();
            break;
        }
        case PacketRole::column_definition:
            if (auto column = decode_column_definition(payload); column.ok()) {
                types.push_back(column_value_type(column.value()));
            }
            break;
        case PacketRole::row:
            if (frame.value().continued()) {
                break;
            }
            if (kind == ResponseKind::text_query) {
                text_row(payload, columns);
            } else {
                binary_row(payload, types);
            }
            break;
        case PacketRole::err:
            require(tracker.summary().error.has_value());
            break;
        case PacketRole::prepare_ok:
            require(tracker.summary().prepare_ok.has_value());
            break;
        default:
            break;
        }
    }
    const auto& summary = tracker.summary();
    require(summary.rows <= frames && summary.result_sets <= frames &&
            summary.ok_results <= frames);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    Input in(data, size);
    const std::uint8_t selector = in.byte();
    const std::uint32_t caps = capabilities_from(in.byte());
    switch (selector % 9) {
    case 0:
        ok_packet(in.rest(), caps);
        break;
    case 1:
        err_packet(in.rest(), caps);
        break;
    case 2:
        eof_packet(in.rest(), caps);
        break;
    case 3:
        session_state(in.rest());
        break;
    case 4:
        column_definition(in.rest());
        break;
    case 5: {
        const std::uint64_t columns = in.byte();
        text_row(in.rest(), columns);
        break;
    }
    case 6: {
        std::vector<ParamType> types(in.byte() % 32);
        for (auto& type : types) {
            type.type = in.byte();
            type.is_unsigned = (in.byte() & 0x80) != 0;
        }
        binary_row(in.rest(), types);
        break;
    }
    case 7: {
        const std::uint8_t type = in.byte();
        const bool is_unsigned = (in.byte() & 0x80) != 0;
        single_value(in.rest(), ParamType{type, is_unsigned});
        break;
    }
    default:
        tracked_response(in.rest(), static_cast<ResponseKind>(in.byte() % 8), caps);
    }
    return 0;
}
