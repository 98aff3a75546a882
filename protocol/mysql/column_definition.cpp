// ColumnDefinition41 codec.
// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query_response_text_resultset_column_definition.html
#include "shardgate/protocol/mysql/column_definition.hpp"

#include "shardgate/protocol/mysql/byte_io.hpp"

namespace shardgate::protocol::mysql {
namespace {

constexpr std::uint64_t fixed_fields_length = 0x0c;

bool read_names(ByteReader& reader, ColumnDefinition& column) {
    std::string* fields[] = {&column.catalog,   &column.schema, &column.table,
                             &column.org_table, &column.name,   &column.org_name};
    for (std::string* field : fields) {
        std::string_view text;
        if (!reader.read_lenenc_string(text)) {
            return false;
        }
        *field = text;
    }
    return true;
}

bool read_fixed_fields(ByteReader& reader, ColumnDefinition& column) {
    std::uint64_t length = 0;
    if (!reader.read_lenenc_int(length) || length < fixed_fields_length) {
        return false;
    }
    const std::size_t start = reader.position();
    if (!reader.read_u16(column.character_set) || !reader.read_u32(column.column_length) ||
        !reader.read_u8(column.type) || !reader.read_u16(column.flags) ||
        !reader.read_u8(column.decimals)) {
        return false;
    }
    return reader.skip(static_cast<std::size_t>(length) - (reader.position() - start));
}

} // namespace

Decoded<ColumnDefinition> decode_column_definition(Bytes payload) {
    ByteReader reader(payload);
    ColumnDefinition column;
    if (!read_names(reader, column) || !read_fixed_fields(reader, column)) {
        return decode_error<ColumnDefinition>("column definition packet is malformed");
    }
    if (!reader.empty()) {
        std::string_view defaults;
        if (!reader.read_lenenc_string(defaults)) {
            return decode_error<ColumnDefinition>("column definition default value is "
                                                  "malformed");
        }
        column.default_values = std::string(defaults);
    }
    return Decoded<ColumnDefinition>(std::move(column), payload.size());
}

void encode_column_definition(const ColumnDefinition& column, Buffer& payload) {
    ByteWriter writer(payload);
    for (const std::string* field : {&column.catalog, &column.schema, &column.table,
                                     &column.org_table, &column.name, &column.org_name}) {
        writer.write_lenenc_string(*field);
    }
    writer.write_lenenc_int(fixed_fields_length);
    writer.write_u16(column.character_set);
    writer.write_u32(column.column_length);
    writer.write_u8(column.type);
    writer.write_u16(column.flags);
    writer.write_u8(column.decimals);
    writer.write_zeros(2);
    if (column.default_values) {
        writer.write_lenenc_string(*column.default_values);
    }
}

} // namespace shardgate::protocol::mysql
