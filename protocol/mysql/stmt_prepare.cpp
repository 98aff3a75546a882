// COM_STMT_PREPARE_OK codec.
// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_stmt_prepare.html#sect_protocol_com_stmt_prepare_response_ok
#include "shardgate/protocol/mysql/stmt_prepare.hpp"

#include "shardgate/protocol/mysql/byte_io.hpp"
#include "shardgate/protocol/mysql/constants.hpp"

namespace shardgate::protocol::mysql {

Decoded<StmtPrepareOk> decode_stmt_prepare_ok(Bytes payload) {
    ByteReader reader(payload);
    std::uint8_t status = 0;
    StmtPrepareOk ok;
    if (!reader.read_u8(status) || status != OK_HEADER) {
        return decode_error<StmtPrepareOk>("not a COM_STMT_PREPARE_OK packet");
    }
    if (!reader.read_u32(ok.statement_id) || !reader.read_u16(ok.num_columns) ||
        !reader.read_u16(ok.num_params) || !reader.skip(1) || !reader.read_u16(ok.warnings)) {
        return decode_error<StmtPrepareOk>("COM_STMT_PREPARE_OK packet is truncated");
    }
    return Decoded<StmtPrepareOk>(ok, payload.size());
}

void encode_stmt_prepare_ok(const StmtPrepareOk& ok, Buffer& payload) {
    ByteWriter writer(payload);
    writer.write_u8(OK_HEADER);
    writer.write_u32(ok.statement_id);
    writer.write_u16(ok.num_columns);
    writer.write_u16(ok.num_params);
    writer.write_u8(0);
    writer.write_u16(ok.warnings);
}

} // namespace shardgate::protocol::mysql
