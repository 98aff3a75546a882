// Sans-io state machine that follows a backend's response to one command frame by frame, so a
// proxy can forward frames untouched and still know where the response ends and what state
// (transaction, more results, error) the backend is left in.
// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query_response.html
// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_stmt_prepare.html
// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_stmt_execute.html
#pragma once

#include "shardgate/protocol/mysql/constants.hpp"
#include "shardgate/protocol/mysql/framing.hpp"
#include "shardgate/protocol/mysql/generic_packets.hpp"
#include "shardgate/protocol/mysql/stmt_prepare.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace shardgate::protocol::mysql {

/// The shape of response a command gets.
enum class ResponseKind {
    none,          ///< COM_QUIT, COM_STMT_CLOSE, COM_STMT_SEND_LONG_DATA: no reply at all
    simple,        ///< OK or ERR (or EOF, for COM_SET_OPTION)
    single_packet, ///< any one packet (COM_STATISTICS answers a bare string)
    text_query,    ///< COM_QUERY: OK / ERR / LOCAL INFILE request / text result sets
    stmt_execute,  ///< COM_STMT_EXECUTE: OK / ERR / binary result sets
    stmt_fetch,    ///< COM_STMT_FETCH: binary rows then EOF
    stmt_prepare,  ///< COM_STMT_PREPARE: PREPARE_OK + param and column definitions, or ERR
    field_list,    ///< COM_FIELD_LIST: column definitions then EOF, or ERR
};

/// Response kind of a command byte (unknown commands: simple).
ResponseKind response_kind_for(std::uint8_t command);

enum class ResponseState {
    first_packet,
    column_definitions,
    column_definitions_eof,
    rows,
    prepare_params,
    prepare_params_eof,
    prepare_columns,
    prepare_columns_eof,
    field_list,
    local_infile_reply,
    complete,
    failed,
};

/// Printable state name (admin API, logs).
std::string_view response_state_name(ResponseState state);

/// What one frame was.
enum class PacketRole {
    ok,
    err,
    eof,
    column_count,
    column_definition,
    row,
    prepare_ok,
    local_infile_request,
    continuation, ///< a later frame of a payload split at 0xFFFFFF
    other,        ///< single_packet responses
};

enum class TrackStatus {
    more,              ///< forward it; the response goes on
    complete,          ///< forward it; this was the last frame: the backend is idle
    send_local_infile, ///< backend asks for a LOCAL INFILE: send file data (or an empty
                       ///< packet to refuse), then keep feeding the reply
    protocol_error,    ///< the frame does not fit the protocol; see protocol_error()
};

struct TrackStep {
    TrackStatus status;
    PacketRole role;
};

/// What the response said, accumulated over its packets.
struct ResponseSummary {
    /// Status flags of the last OK/EOF seen (an ERR carries none: the previous value stays,
    /// so callers should treat the transaction state as unknown after an error).
    std::uint16_t status_flags = 0;
    /// An OK/EOF said them: a COM_STMT_PREPARE answer under CLIENT_DEPRECATE_EOF (or an ERR)
    /// carries no status flags, and says nothing of autocommit or the transaction.
    bool status_known = false;
    std::uint16_t warnings = 0;
    std::uint64_t affected_rows = 0;  ///< of the last OK
    std::uint64_t last_insert_id = 0; ///< of the last OK
    /// The last non-zero insert id of any OK of the response (a multi-statement's INSERT
    /// followed by an UPDATE): what LAST_INSERT_ID() returns after it, as far as OKs tell.
    std::uint64_t latest_insert_id = 0;
    std::uint32_t result_sets = 0; ///< result sets with columns
    std::uint32_t ok_results = 0;  ///< OK packets (statements without result sets)
    std::uint64_t rows = 0;
    std::optional<ErrPacket> error;
    std::optional<OkPacket> last_ok; ///< with session state changes, when tracked
    std::optional<StmtPrepareOk> prepare_ok;

    bool in_transaction() const { return status_flags & SERVER_STATUS_IN_TRANS; }
    bool succeeded() const { return !error.has_value(); }
};

/// Follows one command's response. Feed it every physical frame the backend sends, in order
/// (including continuation frames); rows are not decoded, only their first byte and length
/// are looked at. Terminating OK/EOF/ERR packets are decoded into summary().
/// `capabilities` are those negotiated on the backend connection (CLIENT_DEPRECATE_EOF,
/// CLIENT_PROTOCOL_41, CLIENT_SESSION_TRACK matter). Not thread-safe; one per command.
class ResponseTracker {
public:
    ResponseTracker(ResponseKind kind, std::uint32_t capabilities);

    /// Consumes one frame. After complete or protocol_error every further frame is an error.
    TrackStep on_frame(const Frame& frame);

    ResponseKind kind() const { return kind_; }
    ResponseState state() const { return state_; }
    bool complete() const { return state_ == ResponseState::complete; }
    const ResponseSummary& summary() const { return summary_; }
    /// Why the last protocol_error happened.
    const std::string& protocol_error() const { return error_; }

private:
    TrackStep on_packet(Bytes payload);
    TrackStep on_first_packet(Bytes payload);
    TrackStep on_prepare_first_packet(Bytes payload);
    TrackStep on_simple(Bytes payload);
    TrackStep on_column_definition(Bytes payload);
    TrackStep on_definitions_eof(Bytes payload);
    TrackStep on_row(Bytes payload);
    TrackStep on_prepare_definition();
    TrackStep on_field_list(Bytes payload);
    TrackStep on_local_infile_reply(Bytes payload);

    bool is_terminator(Bytes payload) const;
    TrackStep take_terminator(Bytes payload, bool allow_more_results);
    TrackStep take_ok(Bytes payload, bool allow_more_results);
    TrackStep take_err(Bytes payload);
    TrackStep after_result(bool more_results, PacketRole role);
    TrackStep after_prepare_params();
    TrackStep fail(std::string message);
    TrackStep step(TrackStatus status, PacketRole role) const { return {status, role}; }

    ResponseKind kind_;
    std::uint32_t capabilities_;
    ResponseState state_;
    ResponseSummary summary_;
    std::string error_;
    std::uint64_t definitions_left_ = 0;
    bool in_continuation_ = false;
    bool check_sequence_ = false;
    std::uint8_t next_sequence_id_ = 0;
};

} // namespace shardgate::protocol::mysql
