// Binary protocol result rows (COM_STMT_EXECUTE / COM_STMT_FETCH responses), decoded only
// where a plan needs the values (scatter merges); single-shard rows are forwarded untouched.
// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_binary_resultset.html#sect_protocol_binary_resultset_row
#pragma once

#include "shardgate/protocol/mysql/binary_value.hpp"
#include "shardgate/protocol/mysql/column_definition.hpp"
#include "shardgate/protocol/mysql/decoded.hpp"

#include <span>
#include <vector>

namespace shardgate::protocol::mysql {

/// The value type of a result column (its type and UNSIGNED_FLAG).
ParamType column_value_type(const ColumnDefinition& column);

/// Decodes a binary row: 0x00 header, NULL bitmap with a 2-bit offset, then the non-NULL
/// values. Strings are views into the payload.
Decoded<std::vector<BinaryValue>> decode_binary_row(Bytes payload,
                                                    std::span<const ParamType> column_types);
/// Encodes a binary row (monostate values are NULL). False when a value does not match its
/// column type.
bool encode_binary_row(std::span<const BinaryValue> values, std::span<const ParamType> column_types,
                       Buffer& payload);

} // namespace shardgate::protocol::mysql
