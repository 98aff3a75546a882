// COPY sub-protocol messages of PostgreSQL v3 (CopyData and CopyDone flow both ways).
// https://www.postgresql.org/docs/15/protocol-flow.html#PROTOCOL-COPY
#pragma once

#include "shardgate/protocol/pg/bytes.hpp"
#include "shardgate/protocol/pg/format_code.hpp"

#include <string_view>
#include <vector>

namespace shardgate::protocol::pg {

/// CopyData (F & B): a chunk of the COPY stream.
struct CopyData {
    ByteView data;
};
/// CopyDone (F & B): end of the COPY stream.
struct CopyDone {};
/// CopyFail (F): the frontend aborts COPY FROM STDIN with an error message.
struct CopyFail {
    std::string_view message;
};

/// Format description shared by CopyInResponse, CopyOutResponse and CopyBothResponse.
struct CopyResponse {
    FormatCode format{};                    ///< overall format (Int8: 0 text, 1 binary)
    std::vector<FormatCode> column_formats; ///< per column (all text when format is text)
};
/// CopyInResponse (B): the server is ready for COPY FROM STDIN data.
struct CopyInResponse : CopyResponse {};
/// CopyOutResponse (B): COPY TO STDOUT data follows.
struct CopyOutResponse : CopyResponse {};
/// CopyBothResponse (B): start of streaming replication copy.
struct CopyBothResponse : CopyResponse {};

} // namespace shardgate::protocol::pg
