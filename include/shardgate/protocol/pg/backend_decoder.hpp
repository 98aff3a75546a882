// Decoders for the messages a PostgreSQL backend sends. Pure functions over bytes; results
// are views into the input. A forwarding proxy only needs next_frame() and, at most,
// decode_ready_for_query(); the rest serve authentication, merges and diagnostics.
// https://www.postgresql.org/docs/15/protocol-message-formats.html
#pragma once

#include "shardgate/protocol/pg/backend_messages.hpp"
#include "shardgate/protocol/pg/frame.hpp"
#include "shardgate/protocol/pg/result.hpp"

namespace shardgate::protocol::pg {

/// One of the six supported Authentication* requests.
using AuthenticationRequest =
    std::variant<AuthenticationOk, AuthenticationCleartextPassword, AuthenticationMD5Password,
                 AuthenticationSASL, AuthenticationSASLContinue, AuthenticationSASLFinal>;

/// Decodes an 'R' message. Kerberos, SCM, GSS and SSPI requests give ErrorCode::unsupported.
Result<AuthenticationRequest> decode_authentication(const Frame& frame);
Result<BackendKeyData> decode_backend_key_data(const Frame& frame);
Result<ParameterStatus> decode_parameter_status(const Frame& frame);
Result<ReadyForQuery> decode_ready_for_query(const Frame& frame);
Result<ErrorResponse> decode_error_response(const Frame& frame);
Result<NoticeResponse> decode_notice_response(const Frame& frame);
Result<CommandComplete> decode_command_complete(const Frame& frame);
Result<RowDescription> decode_row_description(const Frame& frame);
Result<DataRow> decode_data_row(const Frame& frame);
Result<ParseComplete> decode_parse_complete(const Frame& frame);
Result<BindComplete> decode_bind_complete(const Frame& frame);
Result<CloseComplete> decode_close_complete(const Frame& frame);
Result<NoData> decode_no_data(const Frame& frame);
Result<PortalSuspended> decode_portal_suspended(const Frame& frame);
Result<EmptyQueryResponse> decode_empty_query_response(const Frame& frame);
Result<ParameterDescription> decode_parameter_description(const Frame& frame);
Result<NotificationResponse> decode_notification_response(const Frame& frame);
Result<NegotiateProtocolVersion> decode_negotiate_protocol_version(const Frame& frame);
Result<CopyInResponse> decode_copy_in_response(const Frame& frame);
Result<CopyOutResponse> decode_copy_out_response(const Frame& frame);
Result<CopyBothResponse> decode_copy_both_response(const Frame& frame);

/// Decodes any backend message by its type byte.
Result<BackendMessage> decode_backend_message(const Frame& frame);
/// Frames and decodes the first backend message of a stream buffer.
DecodeResult<BackendMessage> decode_backend_message(ByteView buffer,
                                                    const FramingLimits& limits = {});

} // namespace shardgate::protocol::pg
