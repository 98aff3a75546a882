// Encoders for every PostgreSQL v3 message shardgate produces: to clients (as a server) and
// to backends (as a client). Each appends one complete message to `out`, so a session can
// batch several messages into one write.
// https://www.postgresql.org/docs/15/protocol-message-formats.html
#pragma once

#include "shardgate/protocol/pg/backend_messages.hpp"
#include "shardgate/protocol/pg/bytes.hpp"
#include "shardgate/protocol/pg/frontend_messages.hpp"

#include <string_view>

namespace shardgate::protocol::pg {

// Preconditions for all encoders: strings contain no NUL byte; lengths and counts fit their
// wire fields (Int16 counts up to 65535, Int32 lengths). Encoders never fail.

// Startup phase (shardgate -> backend).
void encode(ByteBuffer& out, const StartupMessage& msg);
void encode(ByteBuffer& out, const SSLRequest& msg);
void encode(ByteBuffer& out, const GSSENCRequest& msg);
void encode(ByteBuffer& out, const CancelRequest& msg);

// Frontend messages (shardgate -> backend).
void encode(ByteBuffer& out, const PasswordMessage& msg);
void encode(ByteBuffer& out, const SASLInitialResponse& msg);
void encode(ByteBuffer& out, const SASLResponse& msg);
void encode(ByteBuffer& out, const Query& msg);
void encode(ByteBuffer& out, const Parse& msg);
void encode(ByteBuffer& out, const Bind& msg);
void encode(ByteBuffer& out, const Describe& msg);
void encode(ByteBuffer& out, const Execute& msg);
void encode(ByteBuffer& out, const Close& msg);
void encode(ByteBuffer& out, const Sync& msg);
void encode(ByteBuffer& out, const Flush& msg);
void encode(ByteBuffer& out, const Terminate& msg);
void encode(ByteBuffer& out, const CopyFail& msg);
void encode(ByteBuffer& out, const FunctionCall& msg);

// Both directions.
void encode(ByteBuffer& out, const CopyData& msg);
void encode(ByteBuffer& out, const CopyDone& msg);

// Backend messages (shardgate -> client).
void encode(ByteBuffer& out, const AuthenticationOk& msg);
void encode(ByteBuffer& out, const AuthenticationCleartextPassword& msg);
void encode(ByteBuffer& out, const AuthenticationMD5Password& msg);
void encode(ByteBuffer& out, const AuthenticationSASL& msg);
void encode(ByteBuffer& out, const AuthenticationSASLContinue& msg);
void encode(ByteBuffer& out, const AuthenticationSASLFinal& msg);
void encode(ByteBuffer& out, const BackendKeyData& msg);
void encode(ByteBuffer& out, const ParameterStatus& msg);
void encode(ByteBuffer& out, const ReadyForQuery& msg);
void encode(ByteBuffer& out, const ErrorResponse& msg);
void encode(ByteBuffer& out, const NoticeResponse& msg);
void encode(ByteBuffer& out, const CommandComplete& msg);
void encode(ByteBuffer& out, const RowDescription& msg);
void encode(ByteBuffer& out, const DataRow& msg);
void encode(ByteBuffer& out, const ParseComplete& msg);
void encode(ByteBuffer& out, const BindComplete& msg);
void encode(ByteBuffer& out, const CloseComplete& msg);
void encode(ByteBuffer& out, const NoData& msg);
void encode(ByteBuffer& out, const PortalSuspended& msg);
void encode(ByteBuffer& out, const EmptyQueryResponse& msg);
void encode(ByteBuffer& out, const ParameterDescription& msg);
void encode(ByteBuffer& out, const NotificationResponse& msg);
void encode(ByteBuffer& out, const NegotiateProtocolVersion& msg);
void encode(ByteBuffer& out, const CopyInResponse& msg);
void encode(ByteBuffer& out, const CopyOutResponse& msg);
void encode(ByteBuffer& out, const CopyBothResponse& msg);

/// Convenience: ErrorResponse from the fields the proxy reports (S, V, C, M, D, H).
void encode_error(ByteBuffer& out, const ErrorInfo& info);
/// Convenience: a DataRow of text values, for synthetic results such as SHOW output.
void encode_text_row(ByteBuffer& out, const std::vector<std::optional<std::string_view>>& values);

} // namespace shardgate::protocol::pg
