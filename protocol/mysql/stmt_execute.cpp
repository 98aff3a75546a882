// COM_STMT_EXECUTE codec.
// https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_stmt_execute.html
// https://mariadb.com/kb/en/com_stmt_execute/
#include "shardgate/protocol/mysql/stmt_execute.hpp"

#include "shardgate/protocol/mysql/constants.hpp"

namespace shardgate::protocol::mysql {
namespace {

constexpr std::uint8_t unsigned_type_flag = 0x80;

using Result = Decoded<ComStmtExecute>;

bool bit_set(Bytes bitmap, std::size_t index) {
    return (std::to_integer<std::uint8_t>(bitmap[index / 8]) >> (index % 8)) & 1;
}

bool read_types(ByteReader& reader, std::size_t count, std::vector<ParamType>& types) {
    types.resize(count);
    for (auto& type : types) {
        std::uint8_t flags = 0;
        if (!reader.read_u8(type.type) || !reader.read_u8(flags)) {
            return false;
        }
        type.is_unsigned = flags & unsigned_type_flag;
    }
    return true;
}

std::string param_problem(std::size_t index, const char* what) {
    return "COM_STMT_EXECUTE parameter " + std::to_string(index) + " " + what;
}

// The values part: each non-NULL parameter not sent as long data, in order.
Result read_values(ByteReader& reader, Bytes null_bitmap, const std::vector<ParamType>& types,
                   const ExecuteContext& context, ComStmtExecute& request) {
    request.params.resize(context.num_params);
    for (std::size_t i = 0; i < context.num_params; ++i) {
        auto& param = request.params[i];
        if (i < types.size()) {
            param.type = types[i];
        }
        if (bit_set(null_bitmap, i)) {
            continue;
        }
        if (i < context.long_data_sent.size() && context.long_data_sent[i]) {
            param.long_data = true;
            continue;
        }
        if (i >= types.size()) {
            return decode_error<Result::value_type>(
                param_problem(i, "has a value but its type was never bound"));
        }
        if (!read_binary_value(reader, param.type, param.value)) {
            return decode_error<Result::value_type>(
                param_problem(i, "value is truncated or malformed"));
        }
    }
    if (!reader.empty()) {
        return decode_error<Result::value_type>(
            "COM_STMT_EXECUTE has bytes after its last parameter");
    }
    return Result(std::move(request), reader.position());
}

} // namespace

Decoded<ComStmtExecute> decode_com_stmt_execute(Bytes payload, const ExecuteContext& context) {
    ByteReader reader(payload);
    std::uint8_t command = 0;
    ComStmtExecute request;
    if (!reader.read_u8(command) || command != COM_STMT_EXECUTE) {
        return decode_error<Result::value_type>("payload is not a COM_STMT_EXECUTE command");
    }
    if (!reader.read_u32(request.statement_id) || !reader.read_u8(request.flags) ||
        !reader.read_u32(request.iteration_count)) {
        return decode_error<Result::value_type>("COM_STMT_EXECUTE payload is truncated");
    }
    if (context.num_params == 0) {
        return Result(std::move(request), payload.size());
    }
    Bytes null_bitmap;
    std::uint8_t bound = 0;
    if (!reader.read_bytes((context.num_params + 7) / 8, null_bitmap) || !reader.read_u8(bound)) {
        return decode_error<Result::value_type>("COM_STMT_EXECUTE NULL bitmap is truncated");
    }
    request.new_params_bound = bound == 1;
    std::vector<ParamType> types(context.previous_types.begin(), context.previous_types.end());
    if (request.new_params_bound && !read_types(reader, context.num_params, types)) {
        return decode_error<Result::value_type>("COM_STMT_EXECUTE parameter types are truncated");
    }
    return read_values(reader, null_bitmap, types, context, request);
}

bool encode_com_stmt_execute(const ComStmtExecute& request, Buffer& payload) {
    ByteWriter writer(payload);
    writer.write_u8(COM_STMT_EXECUTE);
    writer.write_u32(request.statement_id);
    writer.write_u8(request.flags);
    writer.write_u32(request.iteration_count);
    const auto& params = request.params;
    if (params.empty()) {
        return true;
    }
    const std::size_t bitmap_at = payload.size();
    writer.write_zeros((params.size() + 7) / 8);
    for (std::size_t i = 0; i < params.size(); ++i) {
        if (!params[i].long_data && std::holds_alternative<std::monostate>(params[i].value)) {
            payload[bitmap_at + i / 8] |= std::byte(1u << (i % 8));
        }
    }
    writer.write_u8(request.new_params_bound ? 1 : 0);
    if (request.new_params_bound) {
        for (const auto& param : params) {
            writer.write_u8(param.type.type);
            writer.write_u8(param.type.is_unsigned ? unsigned_type_flag : 0);
        }
    }
    for (const auto& param : params) {
        if (!param.long_data && !encode_binary_value(param.value, param.type, payload)) {
            return false;
        }
    }
    return true;
}

} // namespace shardgate::protocol::mysql
