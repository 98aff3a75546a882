// Binary protocol result row codec.
// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_binary_resultset.html#sect_protocol_binary_resultset_row
#include "shardgate/protocol/mysql/binary_row.hpp"

#include "shardgate/protocol/mysql/constants.hpp"

namespace shardgate::protocol::mysql {
namespace {

// Result rows offset the NULL bitmap by two bits (COM_STMT_EXECUTE parameters by none).
constexpr std::size_t null_bitmap_offset = 2;

std::size_t null_bitmap_size(std::size_t columns) {
    return (columns + 7 + null_bitmap_offset) / 8;
}

bool is_null(Bytes bitmap, std::size_t column) {
    const std::size_t bit = column + null_bitmap_offset;
    return (std::to_integer<std::uint8_t>(bitmap[bit / 8]) >> (bit % 8)) & 1;
}

} // namespace

ParamType column_value_type(const ColumnDefinition& column) {
    return {column.type, (column.flags & UNSIGNED_FLAG) != 0};
}

Decoded<std::vector<BinaryValue>> decode_binary_row(Bytes payload,
                                                    std::span<const ParamType> column_types) {
    using Result = Decoded<std::vector<BinaryValue>>;
    ByteReader reader(payload);
    std::uint8_t header = 0;
    Bytes bitmap;
    if (!reader.read_u8(header) || header != 0x00) {
        return decode_error<Result::value_type>("binary row does not start with 0x00");
    }
    if (!reader.read_bytes(null_bitmap_size(column_types.size()), bitmap)) {
        return decode_error<Result::value_type>("binary row NULL bitmap is truncated");
    }
    std::vector<BinaryValue> values(column_types.size());
    for (std::size_t i = 0; i < column_types.size(); ++i) {
        if (!is_null(bitmap, i) && !read_binary_value(reader, column_types[i], values[i])) {
            return decode_error<Result::value_type>("binary row value " + std::to_string(i) +
                                                    " is truncated or malformed");
        }
    }
    if (!reader.empty()) {
        return decode_error<Result::value_type>("binary row has bytes after its last column");
    }
    return Result(std::move(values), payload.size());
}

bool encode_binary_row(std::span<const BinaryValue> values, std::span<const ParamType> column_types,
                       Buffer& payload) {
    if (values.size() != column_types.size()) {
        return false;
    }
    ByteWriter writer(payload);
    writer.write_u8(0x00);
    const std::size_t bitmap_at = payload.size();
    writer.write_zeros(null_bitmap_size(values.size()));
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (std::holds_alternative<std::monostate>(values[i])) {
            const std::size_t bit = i + null_bitmap_offset;
            payload[bitmap_at + bit / 8] |= std::byte(1u << (bit % 8));
        } else if (!encode_binary_value(values[i], column_types[i], payload)) {
            return false;
        }
    }
    return true;
}

} // namespace shardgate::protocol::mysql
