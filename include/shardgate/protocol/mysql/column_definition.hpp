// Column Definition packet (Protocol::ColumnDefinition41) codec.
// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query_response_text_resultset_column_definition.html
#pragma once

#include "shardgate/protocol/mysql/decoded.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace shardgate::protocol::mysql {

struct ColumnDefinition {
    std::string catalog = "def";
    std::string schema;
    std::string table;     ///< alias
    std::string org_table; ///< physical table
    std::string name;      ///< alias
    std::string org_name;  ///< physical column
    std::uint16_t character_set = 0;
    std::uint32_t column_length = 0;
    std::uint8_t type = 0; ///< MYSQL_TYPE_*
    std::uint16_t flags = 0;
    std::uint8_t decimals = 0;
    /// Only in COM_FIELD_LIST responses.
    std::optional<std::string> default_values;

    bool operator==(const ColumnDefinition&) const = default;
};

/// Decodes a ColumnDefinition41 payload; trailing bytes after the fixed fields are read as
/// COM_FIELD_LIST default values.
Decoded<ColumnDefinition> decode_column_definition(Bytes payload);
void encode_column_definition(const ColumnDefinition& column, Buffer& payload);

} // namespace shardgate::protocol::mysql
