// PostgreSQL protocol v3 constants, named as in PostgreSQL's own sources so code and spec grep
// together. https://www.postgresql.org/docs/15/protocol-message-formats.html
#pragma once

#include <cstddef>
#include <cstdint>

namespace shardgate::protocol::pg {

// Protocol version and special startup request codes (the Int32 after the length of a
// startup-phase packet). https://www.postgresql.org/docs/15/protocol-flow.html#id-1.10.5.7.3
inline constexpr std::uint32_t PG_PROTOCOL_3_0 = 196608; // 3 << 16 | 0
inline constexpr std::uint32_t CANCEL_REQUEST_CODE = 80877102;
inline constexpr std::uint32_t NEGOTIATE_SSL_CODE = 80877103;
inline constexpr std::uint32_t NEGOTIATE_GSS_CODE = 80877104;

// Message type bytes sent by the frontend (client).
inline constexpr char PqMsg_Bind = 'B';
inline constexpr char PqMsg_Close = 'C';
inline constexpr char PqMsg_Describe = 'D';
inline constexpr char PqMsg_Execute = 'E';
inline constexpr char PqMsg_FunctionCall = 'F';
inline constexpr char PqMsg_Flush = 'H';
inline constexpr char PqMsg_Parse = 'P';
inline constexpr char PqMsg_Query = 'Q';
inline constexpr char PqMsg_Sync = 'S';
inline constexpr char PqMsg_Terminate = 'X';
inline constexpr char PqMsg_CopyFail = 'f';
inline constexpr char PqMsg_PasswordMessage = 'p'; // also SASLInitialResponse, SASLResponse

// Message type bytes sent by the backend (server).
inline constexpr char PqMsg_ParseComplete = '1';
inline constexpr char PqMsg_BindComplete = '2';
inline constexpr char PqMsg_CloseComplete = '3';
inline constexpr char PqMsg_NotificationResponse = 'A';
inline constexpr char PqMsg_CommandComplete = 'C';
inline constexpr char PqMsg_DataRow = 'D';
inline constexpr char PqMsg_ErrorResponse = 'E';
inline constexpr char PqMsg_CopyInResponse = 'G';
inline constexpr char PqMsg_CopyOutResponse = 'H';
inline constexpr char PqMsg_EmptyQueryResponse = 'I';
inline constexpr char PqMsg_BackendKeyData = 'K';
inline constexpr char PqMsg_NoticeResponse = 'N';
inline constexpr char PqMsg_AuthenticationRequest = 'R';
inline constexpr char PqMsg_ParameterStatus = 'S';
inline constexpr char PqMsg_RowDescription = 'T';
inline constexpr char PqMsg_FunctionCallResponse = 'V';
inline constexpr char PqMsg_CopyBothResponse = 'W';
inline constexpr char PqMsg_ReadyForQuery = 'Z';
inline constexpr char PqMsg_NoData = 'n';
inline constexpr char PqMsg_PortalSuspended = 's';
inline constexpr char PqMsg_ParameterDescription = 't';
inline constexpr char PqMsg_NegotiateProtocolVersion = 'v';

// Sent by both sides.
inline constexpr char PqMsg_CopyDone = 'c';
inline constexpr char PqMsg_CopyData = 'd';

// Authentication request codes (the Int32 at the start of an 'R' message).
inline constexpr std::int32_t AUTH_REQ_OK = 0;
inline constexpr std::int32_t AUTH_REQ_KRB5 = 2;
inline constexpr std::int32_t AUTH_REQ_PASSWORD = 3;
inline constexpr std::int32_t AUTH_REQ_MD5 = 5;
inline constexpr std::int32_t AUTH_REQ_SCM_CREDS = 6;
inline constexpr std::int32_t AUTH_REQ_GSS = 7;
inline constexpr std::int32_t AUTH_REQ_GSS_CONT = 8;
inline constexpr std::int32_t AUTH_REQ_SSPI = 9;
inline constexpr std::int32_t AUTH_REQ_SASL = 10;
inline constexpr std::int32_t AUTH_REQ_SASL_CONT = 11;
inline constexpr std::int32_t AUTH_REQ_SASL_FIN = 12;

// Error and notice field codes.
// https://www.postgresql.org/docs/15/protocol-error-fields.html
inline constexpr char PG_DIAG_SEVERITY = 'S';
inline constexpr char PG_DIAG_SEVERITY_NONLOCALIZED = 'V';
inline constexpr char PG_DIAG_SQLSTATE = 'C';
inline constexpr char PG_DIAG_MESSAGE_PRIMARY = 'M';
inline constexpr char PG_DIAG_MESSAGE_DETAIL = 'D';
inline constexpr char PG_DIAG_MESSAGE_HINT = 'H';
inline constexpr char PG_DIAG_STATEMENT_POSITION = 'P';
inline constexpr char PG_DIAG_INTERNAL_POSITION = 'p';
inline constexpr char PG_DIAG_INTERNAL_QUERY = 'q';
inline constexpr char PG_DIAG_CONTEXT = 'W';
inline constexpr char PG_DIAG_SCHEMA_NAME = 's';
inline constexpr char PG_DIAG_TABLE_NAME = 't';
inline constexpr char PG_DIAG_COLUMN_NAME = 'c';
inline constexpr char PG_DIAG_DATATYPE_NAME = 'd';
inline constexpr char PG_DIAG_CONSTRAINT_NAME = 'n';
inline constexpr char PG_DIAG_SOURCE_FILE = 'F';
inline constexpr char PG_DIAG_SOURCE_LINE = 'L';
inline constexpr char PG_DIAG_SOURCE_FUNCTION = 'R';

/// PostgreSQL's own limit for a startup-phase packet (MAX_STARTUP_PACKET_LENGTH).
inline constexpr std::size_t MAX_STARTUP_PACKET_LENGTH = 10000;
/// PostgreSQL's own limit for a regular message (PQ_LARGE_MESSAGE_LIMIT, 1 GiB - 1).
inline constexpr std::size_t PQ_LARGE_MESSAGE_LIMIT = (std::size_t{1} << 30) - 1;

} // namespace shardgate::protocol::pg
