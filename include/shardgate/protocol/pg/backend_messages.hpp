// Messages a PostgreSQL backend (server) sends, as decoded views over wire bytes.
// https://www.postgresql.org/docs/15/protocol-message-formats.html
#pragma once

#include "shardgate/protocol/pg/bytes.hpp"
#include "shardgate/protocol/pg/copy_messages.hpp"
#include "shardgate/protocol/pg/frontend_messages.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <variant>
#include <vector>

namespace shardgate::protocol::pg {

// Views point into the decoded buffer, or into caller storage when encoding.

/// AuthenticationOk: authentication succeeded.
struct AuthenticationOk {};
/// AuthenticationCleartextPassword: send a PasswordMessage with the password.
struct AuthenticationCleartextPassword {};
/// AuthenticationMD5Password: send "md5" + md5(md5(password + user) + salt) in hex.
struct AuthenticationMD5Password {
    std::array<std::byte, 4> salt{};
};
/// AuthenticationSASL: the mechanisms the server offers, in its order of preference.
struct AuthenticationSASL {
    std::vector<std::string_view> mechanisms;
};
/// AuthenticationSASLContinue: a SASL challenge (SCRAM server-first-message).
struct AuthenticationSASLContinue {
    ByteView data;
};
/// AuthenticationSASLFinal: SASL outcome data (SCRAM server-final-message).
struct AuthenticationSASLFinal {
    ByteView data;
};

/// BackendKeyData: the key a CancelRequest must present.
struct BackendKeyData {
    std::int32_t process_id = 0;
    std::int32_t secret_key = 0;
};

/// ParameterStatus: a run-time parameter's current value.
struct ParameterStatus {
    std::string_view name;
    std::string_view value;
};

/// Transaction status carried by ReadyForQuery.
enum class TransactionStatus : char { idle = 'I', in_transaction = 'T', failed = 'E' };

/// ReadyForQuery: the backend is ready; a transaction-pooling proxy releases at `idle`.
struct ReadyForQuery {
    TransactionStatus status = TransactionStatus::idle;
};

/// One field of an ErrorResponse or NoticeResponse (code is a PG_DIAG_* constant).
struct NoticeField {
    char code = 0;
    std::string_view value;
};

/// Fields of ErrorResponse / NoticeResponse, in wire order.
struct NoticeFields {
    std::vector<NoticeField> fields;

    /// The value of the first field with `code`, if present.
    std::optional<std::string_view> field(char code) const;
};
/// ErrorResponse: an error with all its fields (S, V, C, M, D, H, P, ...).
struct ErrorResponse : NoticeFields {};
/// NoticeResponse: a notice with the same field layout as ErrorResponse.
struct NoticeResponse : NoticeFields {};

/// The fields of an error the proxy reports itself. Views must outlive the encode call.
struct ErrorInfo {
    std::string_view severity = "ERROR"; ///< ERROR, FATAL, PANIC, WARNING, NOTICE, ...
    std::string_view sqlstate;           ///< five characters, e.g. "08P01"
    std::string_view message;
    std::string_view detail{}; ///< omitted when empty
    std::string_view hint{};   ///< omitted when empty
};
/// Builds the fields S, V, C, M and (when set) D, H in that order.
ErrorResponse make_error_response(const ErrorInfo& info);
/// The same fields as a NoticeResponse.
NoticeResponse make_notice_response(const ErrorInfo& info);

/// CommandComplete: the command tag, e.g. "SELECT 3", "INSERT 0 1".
struct CommandComplete {
    std::string_view tag;
};

/// One column of a RowDescription.
struct FieldDescription {
    std::string_view name;
    std::uint32_t table_oid = 0;
    std::int16_t column_attribute = 0;
    std::uint32_t type_oid = 0;
    std::int16_t type_size = -1;
    std::int32_t type_modifier = -1;
    FormatCode format = FormatCode::text;
};
/// RowDescription: the columns of the rows that follow.
struct RowDescription {
    std::vector<FieldDescription> fields;
};

/// DataRow: one row, each column as raw bytes (nullopt = SQL NULL).
struct DataRow {
    std::vector<std::optional<ByteView>> values;
};

struct ParseComplete {};
struct BindComplete {};
struct CloseComplete {};
struct NoData {};
struct PortalSuspended {};
struct EmptyQueryResponse {};

/// ParameterDescription: the parameter type OIDs of a described statement.
struct ParameterDescription {
    std::vector<std::uint32_t> types;
};

/// NotificationResponse: a NOTIFY delivered to a LISTENing session.
struct NotificationResponse {
    std::int32_t process_id = 0;
    std::string_view channel;
    std::string_view payload;
};

/// NegotiateProtocolVersion: the server's newest minor version and the options it ignored.
struct NegotiateProtocolVersion {
    std::int32_t newest_minor = 0;
    std::vector<std::string_view> unrecognized_options;
};

/// Any message a backend sends after startup. Authentication codes other than the six
/// listed decode as an `unsupported` error naming the method.
using BackendMessage =
    std::variant<AuthenticationOk, AuthenticationCleartextPassword, AuthenticationMD5Password,
                 AuthenticationSASL, AuthenticationSASLContinue, AuthenticationSASLFinal,
                 BackendKeyData, ParameterStatus, ReadyForQuery, ErrorResponse, NoticeResponse,
                 CommandComplete, RowDescription, DataRow, ParseComplete, BindComplete,
                 CloseComplete, NoData, PortalSuspended, EmptyQueryResponse, ParameterDescription,
                 NotificationResponse, NegotiateProtocolVersion, CopyInResponse, CopyOutResponse,
                 CopyBothResponse, CopyData, CopyDone>;

} // namespace shardgate::protocol::pg
