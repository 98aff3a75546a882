// COM_STMT_EXECUTE codec: statement id, flags, NULL bitmap, parameter types and binary values.
// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_stmt_execute.html
// https://mariadb.com/kb/en/com_stmt_execute/
#pragma once

#include "shardgate/protocol/mysql/binary_value.hpp"
#include "shardgate/protocol/mysql/decoded.hpp"

#include <cstdint>
#include <span>
#include <vector>

namespace shardgate::protocol::mysql {

struct ExecuteParam {
    ParamType type;
    /// Sent earlier with COM_STMT_SEND_LONG_DATA; value is then monostate and the data is
    /// held by whoever collected the long-data packets.
    bool long_data = false;
    BinaryValue value; ///< monostate for NULL; views point into the payload
};

struct ComStmtExecute {
    std::uint32_t statement_id = 0;
    std::uint8_t flags = 0; ///< CURSOR_TYPE_*
    std::uint32_t iteration_count = 1;
    /// When false the types were not resent; `params[i].type` then comes from the context.
    bool new_params_bound = true;
    std::vector<ExecuteParam> params;
};

/// What decoding needs from the statement's earlier life, kept by the session per statement.
struct ExecuteContext {
    /// From COM_STMT_PREPARE_OK.
    std::uint16_t num_params = 0;
    /// Types bound by the previous execute (used when new_params_bound is 0).
    std::span<const ParamType> previous_types;
    /// Per parameter, nonzero when COM_STMT_SEND_LONG_DATA supplied it since the last execute
    /// (its value is then absent from the execute packet). May be empty.
    std::span<const std::uint8_t> long_data_sent;
};

/// Decodes a COM_STMT_EXECUTE payload (query attributes never negotiated).
Decoded<ComStmtExecute> decode_com_stmt_execute(Bytes payload, const ExecuteContext& context);
/// Encodes one. Types are written when new_params_bound (always set it when the backend
/// connection has not seen this statement's types yet); values for params that are neither
/// NULL nor long_data. Returns false when a value does not match its type.
bool encode_com_stmt_execute(const ComStmtExecute& request, Buffer& payload);

} // namespace shardgate::protocol::mysql
