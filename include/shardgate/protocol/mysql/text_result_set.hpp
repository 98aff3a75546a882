// Text protocol result sets (COM_QUERY responses): column count, text rows, and an encoder for
// the small synthetic result sets shardgate answers itself.
// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query_response_text_resultset.html
#pragma once

#include "shardgate/protocol/mysql/column_definition.hpp"
#include "shardgate/protocol/mysql/decoded.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shardgate::protocol::mysql {

/// The first packet of a result set: a length-encoded column count (> 0).
Decoded<std::uint64_t> decode_column_count(Bytes payload);
void encode_column_count(std::uint64_t count, Buffer& payload);

/// One text row value; nullopt is SQL NULL (0xFB on the wire).
using TextValue = std::optional<std::string>;
/// A decoded text row: views into the payload (keep it alive), nullopt for NULL.
using TextRowView = std::vector<std::optional<std::string_view>>;

/// Decodes a text row of exactly `column_count` values.
/// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query_response_text_resultset_row.html
Decoded<TextRowView> decode_text_row(Bytes payload, std::size_t column_count);
void encode_text_row(const std::vector<TextValue>& row, Buffer& payload);

/// A complete result set held in memory (synthetic answers: SHOW-like commands, errors
/// explained as rows, admin console).
struct TextResultSet {
    std::vector<ColumnDefinition> columns;
    std::vector<std::vector<TextValue>> rows;
    std::uint16_t status_flags = 0; ///< on the terminating EOF/OK
    std::uint16_t warnings = 0;
};

/// A VARCHAR utf8mb4 column definition named `name` (convenience for synthetic results).
ColumnDefinition text_column(std::string name);

/// Frames the whole result set into `wire`: column count, definitions, an EOF after the
/// definitions unless CLIENT_DEPRECATE_EOF, rows, then EOF (or an OK with 0xFE header under
/// CLIENT_DEPRECATE_EOF). `sequence_id` is the id of the first packet (1 in reply to a
/// command) and is left at the next id.
void encode_text_result_set(const TextResultSet& result, std::uint32_t capabilities,
                            std::uint8_t& sequence_id, Buffer& wire);
/// The same result set in the binary protocol (the answer to a COM_STMT_EXECUTE): each value
/// converted from its text for its column's type (binary_value_from_text). False, with nothing
/// written, when a text is not a value of its column's type or does not fit its width.
bool encode_binary_result_set(const TextResultSet& result, std::uint32_t capabilities,
                              std::uint8_t& sequence_id, Buffer& wire);

} // namespace shardgate::protocol::mysql
