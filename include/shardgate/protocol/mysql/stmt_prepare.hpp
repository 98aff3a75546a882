// COM_STMT_PREPARE_OK: the first packet of a successful prepare response.
// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_stmt_prepare.html#sect_protocol_com_stmt_prepare_response_ok
#pragma once

#include "shardgate/protocol/mysql/decoded.hpp"

#include <cstdint>

namespace shardgate::protocol::mysql {

struct StmtPrepareOk {
    std::uint32_t statement_id = 0;
    std::uint16_t num_columns = 0;
    std::uint16_t num_params = 0;
    std::uint16_t warnings = 0;

    bool operator==(const StmtPrepareOk&) const = default;
};

/// Decodes the 12-byte packet (a 13th metadata_follows byte, MySQL 8 only, is ignored).
Decoded<StmtPrepareOk> decode_stmt_prepare_ok(Bytes payload);
void encode_stmt_prepare_ok(const StmtPrepareOk& ok, Buffer& payload);

} // namespace shardgate::protocol::mysql
