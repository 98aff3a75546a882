// Messages a PostgreSQL frontend (client) sends, as decoded views over wire bytes.
// https://www.postgresql.org/docs/15/protocol-message-formats.html
#pragma once

#include "shardgate/protocol/pg/bytes.hpp"
#include "shardgate/protocol/pg/constants.hpp"
#include "shardgate/protocol/pg/copy_messages.hpp"
#include "shardgate/protocol/pg/format_code.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <variant>
#include <vector>

namespace shardgate::protocol::pg {

// All string_view / ByteView members point into the decoded buffer (or, when encoding, into
// storage the caller keeps alive until encode() returns). Strings must not contain NUL.

/// One `name=value` pair of a StartupMessage.
struct StartupParameter {
    std::string_view name;
    std::string_view value;
};

/// StartupMessage: protocol version 3.x plus parameters (user, database, options, ...).
struct StartupMessage {
    std::uint32_t protocol_version = PG_PROTOCOL_3_0;
    std::vector<StartupParameter> parameters;

    /// The value of the first parameter called `name`, if present.
    std::optional<std::string_view> parameter(std::string_view name) const;
};

/// SSLRequest: the client asks for TLS before the StartupMessage.
struct SSLRequest {};
/// GSSENCRequest: the client asks for GSSAPI encryption before the StartupMessage.
struct GSSENCRequest {};
/// CancelRequest: sent on a new connection, names the backend key of a running session.
struct CancelRequest {
    std::int32_t process_id = 0;
    std::int32_t secret_key = 0;
};

/// Any packet of the startup phase.
using StartupPacket = std::variant<StartupMessage, SSLRequest, GSSENCRequest, CancelRequest>;

/// An undetermined 'p' message: PasswordMessage, SASLInitialResponse or SASLResponse share
/// one type byte; which one it is follows from the authentication request the client is
/// answering. Decode `body` with the matching decode_* function.
struct AuthResponse {
    ByteView body;
};
/// PasswordMessage: cleartext or "md5..." password.
struct PasswordMessage {
    std::string_view password;
};
/// SASLInitialResponse: chosen mechanism and optional initial client response.
struct SASLInitialResponse {
    std::string_view mechanism;
    std::optional<ByteView> data; ///< nullopt when the length is -1
};
/// SASLResponse: mechanism-specific data.
struct SASLResponse {
    ByteView data;
};

/// Simple query: one string that may hold several statements.
struct Query {
    std::string_view query;
};

/// Parse: prepare `query` as `statement` ("" = unnamed) with optional parameter type OIDs
/// (0 = unspecified).
struct Parse {
    std::string_view statement;
    std::string_view query;
    std::vector<std::uint32_t> parameter_types;
};

/// Bind: create `portal` from `statement` with parameter values (nullopt = SQL NULL).
struct Bind {
    std::string_view portal;
    std::string_view statement;
    /// Empty = all text; one entry = applies to all parameters; else one per parameter.
    std::vector<FormatCode> parameter_formats;
    std::vector<std::optional<ByteView>> parameters;
    /// Same convention as parameter_formats, for result columns.
    std::vector<FormatCode> result_formats;

    /// The effective format of parameter `index` under the 0/1/N convention.
    FormatCode parameter_format(std::size_t index) const;
};

/// Whether Describe/Close target a prepared statement or a portal.
enum class TargetKind : char { statement = 'S', portal = 'P' };

/// Describe a statement or portal.
struct Describe {
    TargetKind kind = TargetKind::statement;
    std::string_view name;
};

/// Execute a portal; max_rows 0 = no limit.
struct Execute {
    std::string_view portal;
    std::int32_t max_rows = 0;
};

/// Close a statement or portal.
struct Close {
    TargetKind kind = TargetKind::statement;
    std::string_view name;
};

struct Sync {};
struct Flush {};
struct Terminate {};

/// FunctionCall (legacy fast-path): recognised so a session can reject it clearly.
struct FunctionCall {
    std::uint32_t function_oid = 0;
    ByteView arguments; ///< the undecoded remainder of the body
};

/// Any regular message a frontend sends after startup.
using FrontendMessage =
    std::variant<AuthResponse, Query, Parse, Bind, Describe, Execute, Close, Sync, Flush, Terminate,
                 CopyData, CopyDone, CopyFail, FunctionCall>;

} // namespace shardgate::protocol::pg
