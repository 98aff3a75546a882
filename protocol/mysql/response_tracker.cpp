// Response tracking state machine: where a backend response ends and what it left behind.
// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query_response.html
// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_stmt_prepare.html
// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_stmt_execute.html
#include "shardgate/protocol/mysql/response_tracker.hpp"

#include "shardgate/protocol/mysql/text_result_set.hpp"

namespace shardgate::protocol::mysql {
namespace {

// Callers have rejected empty payloads already (on_frame).
std::uint8_t first_byte(Bytes payload) {
    return std::to_integer<std::uint8_t>(payload[0]);
}

ResponseState initial_state(ResponseKind kind) {
    switch (kind) {
    case ResponseKind::stmt_fetch:
        return ResponseState::rows;
    case ResponseKind::field_list:
        return ResponseState::field_list;
    case ResponseKind::none:
        return ResponseState::complete;
    default:
        return ResponseState::first_packet;
    }
}

} // namespace

ResponseKind response_kind_for(std::uint8_t command) {
    switch (command) {
    case COM_QUIT:
    case COM_STMT_CLOSE:
    case COM_STMT_SEND_LONG_DATA:
        return ResponseKind::none;
    case COM_STATISTICS:
        return ResponseKind::single_packet;
    case COM_QUERY:
        return ResponseKind::text_query;
    case COM_STMT_EXECUTE:
        return ResponseKind::stmt_execute;
    case COM_STMT_FETCH:
        return ResponseKind::stmt_fetch;
    case COM_STMT_PREPARE:
        return ResponseKind::stmt_prepare;
    case COM_FIELD_LIST:
        return ResponseKind::field_list;
    default:
        return ResponseKind::simple;
    }
}

std::string_view response_state_name(ResponseState state) {
    switch (state) {
    case ResponseState::first_packet:
        return "first_packet";
    case ResponseState::column_definitions:
        return "column_definitions";
    case ResponseState::column_definitions_eof:
        return "column_definitions_eof";
    case ResponseState::rows:
        return "rows";
    case ResponseState::prepare_params:
        return "prepare_params";
    case ResponseState::prepare_params_eof:
        return "prepare_params_eof";
    case ResponseState::prepare_columns:
        return "prepare_columns";
    case ResponseState::prepare_columns_eof:
        return "prepare_columns_eof";
    case ResponseState::field_list:
        return "field_list";
    case ResponseState::local_infile_reply:
        return "local_infile_reply";
    case ResponseState::complete:
        return "complete";
    case ResponseState::failed:
        return "failed";
    }
    return "unknown";
}

ResponseTracker::ResponseTracker(ResponseKind kind, std::uint32_t capabilities)
    : kind_(kind), capabilities_(capabilities), state_(initial_state(kind)) {}

TrackStep ResponseTracker::on_frame(const Frame& frame) {
    if (state_ == ResponseState::complete || state_ == ResponseState::failed) {
        return fail("frame received after the end of the response");
    }
    if (check_sequence_ && frame.header.sequence_id != next_sequence_id_) {
        return fail("packet sequence id " + std::to_string(frame.header.sequence_id) +
                    ", expected " + std::to_string(next_sequence_id_));
    }
    check_sequence_ = true;
    next_sequence_id_ = static_cast<std::uint8_t>(frame.header.sequence_id + 1);
    const bool continuation = in_continuation_;
    in_continuation_ = frame.continued();
    if (continuation) {
        return step(TrackStatus::more, PacketRole::continuation);
    }
    if (frame.payload.empty() && kind_ != ResponseKind::single_packet) {
        return fail("empty packet in a response");
    }
    if (frame.continued() && state_ != ResponseState::rows &&
        state_ != ResponseState::column_definitions && state_ != ResponseState::prepare_params &&
        state_ != ResponseState::prepare_columns && state_ != ResponseState::field_list) {
        return fail("status packet split over several frames is not supported");
    }
    return on_packet(frame.payload);
}

TrackStep ResponseTracker::on_packet(Bytes payload) {
    switch (state_) {
    case ResponseState::first_packet:
        if (kind_ == ResponseKind::stmt_prepare) {
            return on_prepare_first_packet(payload);
        }
        if (kind_ == ResponseKind::simple) {
            return on_simple(payload);
        }
        if (kind_ == ResponseKind::single_packet) {
            state_ = ResponseState::complete;
            return step(TrackStatus::complete, PacketRole::other);
        }
        return on_first_packet(payload);
    case ResponseState::column_definitions:
        return on_column_definition(payload);
    case ResponseState::column_definitions_eof:
    case ResponseState::prepare_params_eof:
    case ResponseState::prepare_columns_eof:
        return on_definitions_eof(payload);
    case ResponseState::rows:
        return on_row(payload);
    case ResponseState::prepare_params:
    case ResponseState::prepare_columns:
        return on_prepare_definition();
    case ResponseState::field_list:
        return on_field_list(payload);
    case ResponseState::local_infile_reply:
        return on_local_infile_reply(payload);
    default:
        return fail("frame received after the end of the response");
    }
}

TrackStep ResponseTracker::on_first_packet(Bytes payload) {
    switch (first_byte(payload)) {
    case OK_HEADER:
        return take_ok(payload, true);
    case ERR_HEADER:
        return take_err(payload);
    case LOCAL_INFILE_HEADER:
        if (kind_ != ResponseKind::text_query) {
            break;
        }
        state_ = ResponseState::local_infile_reply;
        check_sequence_ = false; // the client's file packets advance the sequence
        return step(TrackStatus::send_local_infile, PacketRole::local_infile_request);
    default:
        break;
    }
    auto count = decode_column_count(payload);
    if (!count.ok()) {
        return fail("unexpected first packet of a result: " + count.error().message);
    }
    ++summary_.result_sets;
    definitions_left_ = count.value();
    state_ = ResponseState::column_definitions;
    return step(TrackStatus::more, PacketRole::column_count);
}

TrackStep ResponseTracker::on_prepare_first_packet(Bytes payload) {
    if (first_byte(payload) == ERR_HEADER) {
        return take_err(payload);
    }
    auto ok = decode_stmt_prepare_ok(payload);
    if (!ok.ok()) {
        return fail(ok.error().message);
    }
    summary_.prepare_ok = ok.value();
    summary_.warnings = ok.value().warnings;
    definitions_left_ = ok.value().num_params;
    if (definitions_left_ > 0) {
        state_ = ResponseState::prepare_params;
        return step(TrackStatus::more, PacketRole::prepare_ok);
    }
    const TrackStep next = after_prepare_params();
    return step(next.status, PacketRole::prepare_ok);
}

TrackStep ResponseTracker::on_simple(Bytes payload) {
    switch (first_byte(payload)) {
    case OK_HEADER:
        return take_ok(payload, false);
    case ERR_HEADER:
        return take_err(payload);
    case EOF_HEADER:
        return take_terminator(payload, false);
    default:
        return fail("expected OK, ERR or EOF, got a packet starting with " +
                    std::to_string(first_byte(payload)));
    }
}

TrackStep ResponseTracker::on_column_definition(Bytes payload) {
    if (first_byte(payload) == ERR_HEADER) {
        return take_err(payload);
    }
    if (--definitions_left_ == 0) {
        state_ = (capabilities_ & CLIENT_DEPRECATE_EOF) ? ResponseState::rows
                                                        : ResponseState::column_definitions_eof;
    }
    return step(TrackStatus::more, PacketRole::column_definition);
}

TrackStep ResponseTracker::on_definitions_eof(Bytes payload) {
    auto eof = decode_eof_packet(payload, capabilities_);
    if (!eof.ok()) {
        return fail("expected EOF after definitions: " + eof.error().message);
    }
    summary_.status_flags = eof.value().status_flags;
    summary_.status_known = true;
    summary_.warnings = eof.value().warnings;
    switch (state_) {
    case ResponseState::prepare_params_eof: {
        const TrackStep next = after_prepare_params();
        return step(next.status, PacketRole::eof);
    }
    case ResponseState::prepare_columns_eof:
        state_ = ResponseState::complete;
        return step(TrackStatus::complete, PacketRole::eof);
    default:
        break;
    }
    // A cursor was opened: rows come later through COM_STMT_FETCH.
    if (kind_ == ResponseKind::stmt_execute &&
        (eof.value().status_flags & SERVER_STATUS_CURSOR_EXISTS)) {
        state_ = ResponseState::complete;
        return step(TrackStatus::complete, PacketRole::eof);
    }
    state_ = ResponseState::rows;
    return step(TrackStatus::more, PacketRole::eof);
}

TrackStep ResponseTracker::on_row(Bytes payload) {
    const std::uint8_t first = first_byte(payload);
    if (first == ERR_HEADER) {
        return take_err(payload);
    }
    if (is_terminator(payload)) {
        return take_terminator(payload, kind_ != ResponseKind::stmt_fetch);
    }
    const bool binary = kind_ != ResponseKind::text_query;
    if (binary && first != 0x00) {
        return fail("binary row does not start with 0x00");
    }
    ++summary_.rows;
    return step(TrackStatus::more, PacketRole::row);
}

TrackStep ResponseTracker::on_prepare_definition() {
    if (--definitions_left_ > 0) {
        return step(TrackStatus::more, PacketRole::column_definition);
    }
    const bool eof_follows = !(capabilities_ & CLIENT_DEPRECATE_EOF);
    if (state_ == ResponseState::prepare_params) {
        if (eof_follows) {
            state_ = ResponseState::prepare_params_eof;
            return step(TrackStatus::more, PacketRole::column_definition);
        }
        const TrackStep next = after_prepare_params();
        return step(next.status, PacketRole::column_definition);
    }
    if (eof_follows) {
        state_ = ResponseState::prepare_columns_eof;
        return step(TrackStatus::more, PacketRole::column_definition);
    }
    state_ = ResponseState::complete;
    return step(TrackStatus::complete, PacketRole::column_definition);
}

TrackStep ResponseTracker::on_field_list(Bytes payload) {
    if (first_byte(payload) == ERR_HEADER) {
        return take_err(payload);
    }
    if (is_terminator(payload)) {
        return take_terminator(payload, false);
    }
    return step(TrackStatus::more, PacketRole::column_definition);
}

TrackStep ResponseTracker::on_local_infile_reply(Bytes payload) {
    if (first_byte(payload) == ERR_HEADER) {
        return take_err(payload);
    }
    if (first_byte(payload) != OK_HEADER) {
        return fail("expected OK or ERR after LOCAL INFILE data");
    }
    return take_ok(payload, true);
}

bool ResponseTracker::is_terminator(Bytes payload) const {
    if (first_byte(payload) != EOF_HEADER) {
        return false;
    }
    return (capabilities_ & CLIENT_DEPRECATE_EOF) ? payload.size() < max_frame_payload
                                                  : is_eof_packet(payload);
}

TrackStep ResponseTracker::take_terminator(Bytes payload, bool allow_more_results) {
    if (capabilities_ & CLIENT_DEPRECATE_EOF) {
        return take_ok(payload, allow_more_results);
    }
    auto eof = decode_eof_packet(payload, capabilities_);
    if (!eof.ok()) {
        return fail(eof.error().message);
    }
    summary_.status_flags = eof.value().status_flags;
    summary_.status_known = true;
    summary_.warnings = eof.value().warnings;
    const bool more = allow_more_results && (eof.value().status_flags & SERVER_MORE_RESULTS_EXISTS);
    return after_result(more, PacketRole::eof);
}

TrackStep ResponseTracker::take_ok(Bytes payload, bool allow_more_results) {
    auto ok = decode_ok_packet(payload, capabilities_);
    if (!ok.ok()) {
        return fail(ok.error().message);
    }
    const auto& value = ok.value();
    summary_.status_flags = value.status_flags;
    summary_.status_known = true;
    summary_.warnings = value.warnings;
    summary_.affected_rows = value.affected_rows;
    summary_.last_insert_id = value.last_insert_id;
    if (value.last_insert_id != 0) {
        summary_.latest_insert_id = value.last_insert_id;
    }
    const bool ends_result_set = value.header == EOF_HEADER;
    if (!ends_result_set) {
        ++summary_.ok_results;
    }
    summary_.last_ok = std::move(ok.value());
    const bool more = allow_more_results && (summary_.status_flags & SERVER_MORE_RESULTS_EXISTS);
    return after_result(more, ends_result_set ? PacketRole::eof : PacketRole::ok);
}

TrackStep ResponseTracker::take_err(Bytes payload) {
    auto err = decode_err_packet(payload, capabilities_);
    if (!err.ok()) {
        return fail(err.error().message);
    }
    summary_.error = std::move(err.value());
    state_ = ResponseState::complete;
    return step(TrackStatus::complete, PacketRole::err);
}

TrackStep ResponseTracker::after_result(bool more_results, PacketRole role) {
    if (more_results) {
        state_ = ResponseState::first_packet;
        return step(TrackStatus::more, role);
    }
    state_ = ResponseState::complete;
    return step(TrackStatus::complete, role);
}

TrackStep ResponseTracker::after_prepare_params() {
    definitions_left_ = summary_.prepare_ok ? summary_.prepare_ok->num_columns : 0;
    if (definitions_left_ > 0) {
        state_ = ResponseState::prepare_columns;
        return step(TrackStatus::more, PacketRole::column_definition);
    }
    state_ = ResponseState::complete;
    return step(TrackStatus::complete, PacketRole::column_definition);
}

TrackStep ResponseTracker::fail(std::string message) {
    error_ = std::move(message);
    state_ = ResponseState::failed;
    return step(TrackStatus::protocol_error, PacketRole::other);
}

} // namespace shardgate::protocol::mysql
