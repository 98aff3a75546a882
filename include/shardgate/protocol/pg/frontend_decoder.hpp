// Decoders for the messages a PostgreSQL frontend sends: startup packets and regular
// messages. Pure functions over bytes; results are views into the input.
// https://www.postgresql.org/docs/15/protocol-message-formats.html
#pragma once

#include "shardgate/protocol/pg/frame.hpp"
#include "shardgate/protocol/pg/frontend_messages.hpp"
#include "shardgate/protocol/pg/result.hpp"

namespace shardgate::protocol::pg {

// Every decoder checks the frame's type byte, requires each field to fit and each string to
// be NUL-terminated, and rejects bytes left after the last field.

/// Decodes a framed startup-phase packet: StartupMessage (protocol 3.x only), SSLRequest,
/// GSSENCRequest or CancelRequest.
Result<StartupPacket> decode_startup_packet(const StartupFrame& frame);
/// Frames and decodes the first startup-phase packet of a stream buffer.
DecodeResult<StartupPacket> decode_startup_packet(ByteView buffer,
                                                  const FramingLimits& limits = {});

Result<PasswordMessage> decode_password_message(const Frame& frame);
Result<SASLInitialResponse> decode_sasl_initial_response(const Frame& frame);
Result<SASLResponse> decode_sasl_response(const Frame& frame);
Result<Query> decode_query(const Frame& frame);
Result<Parse> decode_parse(const Frame& frame);
Result<Bind> decode_bind(const Frame& frame);
Result<Describe> decode_describe(const Frame& frame);
Result<Execute> decode_execute(const Frame& frame);
Result<Close> decode_close(const Frame& frame);
Result<Sync> decode_sync(const Frame& frame);
Result<Flush> decode_flush(const Frame& frame);
Result<Terminate> decode_terminate(const Frame& frame);
/// CopyData and CopyDone are the same in both directions.
Result<CopyData> decode_copy_data(const Frame& frame);
Result<CopyDone> decode_copy_done(const Frame& frame);
Result<CopyFail> decode_copy_fail(const Frame& frame);
Result<FunctionCall> decode_function_call(const Frame& frame);

/// Decodes any regular frontend message by its type byte; 'p' yields AuthResponse.
Result<FrontendMessage> decode_frontend_message(const Frame& frame);
/// Frames and decodes the first regular frontend message of a stream buffer.
DecodeResult<FrontendMessage> decode_frontend_message(ByteView buffer,
                                                      const FramingLimits& limits = {});

} // namespace shardgate::protocol::pg
