// Text result set pieces: column count, text rows, synthetic result set encoder.
// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query_response_text_resultset.html
#include "shardgate/protocol/mysql/text_result_set.hpp"

#include "shardgate/protocol/mysql/binary_row.hpp"
#include "shardgate/protocol/mysql/byte_io.hpp"
#include "shardgate/protocol/mysql/constants.hpp"
#include "shardgate/protocol/mysql/framing.hpp"
#include "shardgate/protocol/mysql/generic_packets.hpp"

namespace shardgate::protocol::mysql {
namespace {

constexpr std::uint8_t null_marker = 0xfb;

void frame(Buffer& wire, std::uint8_t& sequence_id, Buffer& payload) {
    append_packet(wire, sequence_id, payload);
    payload.clear();
}

} // namespace

Decoded<std::uint64_t> decode_column_count(Bytes payload) {
    ByteReader reader(payload);
    std::uint64_t count = 0;
    if (!reader.read_lenenc_int(count) || count == 0 || !reader.empty()) {
        return decode_error<std::uint64_t>("malformed column count packet");
    }
    return Decoded<std::uint64_t>(count, payload.size());
}

void encode_column_count(std::uint64_t count, Buffer& payload) {
    ByteWriter(payload).write_lenenc_int(count);
}

Decoded<TextRowView> decode_text_row(Bytes payload, std::size_t column_count) {
    ByteReader reader(payload);
    TextRowView row;
    row.reserve(column_count);
    for (std::size_t i = 0; i < column_count; ++i) {
        std::uint8_t first = 0;
        std::string_view value;
        if (reader.peek_u8(first) && first == null_marker) {
            reader.skip(1);
            row.emplace_back(std::nullopt);
        } else if (reader.read_lenenc_string(value)) {
            row.emplace_back(value);
        } else {
            return decode_error<TextRowView>("text row is truncated at column " +
                                             std::to_string(i));
        }
    }
    if (!reader.empty()) {
        return decode_error<TextRowView>("text row has bytes after its last column");
    }
    return Decoded<TextRowView>(std::move(row), payload.size());
}

void encode_text_row(const std::vector<TextValue>& row, Buffer& payload) {
    ByteWriter writer(payload);
    for (const auto& value : row) {
        if (value) {
            writer.write_lenenc_string(*value);
        } else {
            writer.write_u8(null_marker);
        }
    }
}

ColumnDefinition text_column(std::string name) {
    ColumnDefinition column;
    column.org_name = name;
    column.name = std::move(name);
    column.character_set = CHARSET_UTF8MB4_GENERAL_CI;
    column.column_length = 1024;
    column.type = MYSQL_TYPE_VAR_STRING;
    return column;
}

namespace {

/// Column count, definitions, the EOF after them (unless DEPRECATE_EOF), the rows that
/// `encode_row(i, payload)` writes, and the end of the result set.
template <class EncodeRow>
void frame_result_set(const TextResultSet& result, std::uint32_t capabilities,
                      std::uint8_t& sequence_id, Buffer& wire, EncodeRow&& encode_row) {
    Buffer payload;
    encode_column_count(result.columns.size(), payload);
    frame(wire, sequence_id, payload);
    for (const auto& column : result.columns) {
        encode_column_definition(column, payload);
        frame(wire, sequence_id, payload);
    }
    if (!(capabilities & CLIENT_DEPRECATE_EOF)) {
        encode_eof_packet({result.warnings, result.status_flags}, capabilities, payload);
        frame(wire, sequence_id, payload);
    }
    for (std::size_t i = 0; i < result.rows.size(); ++i) {
        encode_row(i, payload);
        frame(wire, sequence_id, payload);
    }
    encode_result_set_end(result.status_flags, result.warnings, capabilities, payload);
    frame(wire, sequence_id, payload);
}

} // namespace

void encode_text_result_set(const TextResultSet& result, std::uint32_t capabilities,
                            std::uint8_t& sequence_id, Buffer& wire) {
    frame_result_set(result, capabilities, sequence_id, wire, [&](std::size_t i, Buffer& payload) {
        encode_text_row(result.rows[i], payload);
    });
}

bool encode_binary_result_set(const TextResultSet& result, std::uint32_t capabilities,
                              std::uint8_t& sequence_id, Buffer& wire) {
    std::vector<ParamType> types;
    for (const auto& column : result.columns) {
        types.push_back(column_value_type(column));
    }
    std::vector<Buffer> rows;
    std::vector<BinaryValue> values;
    for (const auto& row : result.rows) {
        values.clear();
        for (std::size_t i = 0; i < row.size() && i < types.size(); ++i) {
            auto value = row[i] ? binary_value_from_text(*row[i], types[i])
                                : std::optional<BinaryValue>(std::monostate{});
            if (!value) {
                return false;
            }
            values.push_back(*value);
        }
        Buffer& payload = rows.emplace_back();
        if (values.size() != types.size() || !encode_binary_row(values, types, payload)) {
            return false;
        }
    }
    frame_result_set(result, capabilities, sequence_id, wire,
                     [&](std::size_t i, Buffer& payload) { payload = std::move(rows[i]); });
    return true;
}

} // namespace shardgate::protocol::mysql
