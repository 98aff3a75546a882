// Fuzzes the MySQL command-phase request decoders with what a client could send: every
// command of protocol/mysql/commands.cpp (COM_QUERY, COM_INIT_DB, COM_CHANGE_USER,
// COM_FIELD_LIST, COM_SET_OPTION, argument-less commands, COM_STMT_PREPARE / CLOSE / RESET /
// SEND_LONG_DATA) and COM_STMT_EXECUTE (stmt_execute.cpp, binary_value.cpp) with its NULL
// bitmap, parameter types and values, plus statement id rewriting.
// Input: a session byte (bits 0-1: CLIENT_SECURE_CONNECTION, CLIENT_PLUGIN_AUTH), the
// statement's parameter count, how many previously bound types it has, a long-data bitmask,
// then the command payload; its first byte (the command byte) selects the decoder.
#include "mysql_support.hpp"
#include "shardgate/protocol/mysql/commands.hpp"
#include "shardgate/protocol/mysql/response_tracker.hpp"
#include "shardgate/protocol/mysql/stmt_execute.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <vector>

namespace {

using namespace shardgate::fuzz;
using namespace shardgate::fuzz::mysql;

bool same_bytes(const Buffer& encoded, Bytes payload) {
    return std::equal(encoded.begin(), encoded.end(), payload.begin(), payload.end());
}

/// Text commands carry the rest of the payload verbatim: encoding gives it back byte for byte.
template <class Decode, class Encode>
void text_command(Bytes payload, Decode decode, Encode encode) {
    auto decoded = decode(payload);
    require_consumed(decoded, payload);
    if (!decoded.ok()) {
        return;
    }
    require(decoded.consumed() == payload.size());
    Buffer again;
    encode(decoded.value(), again);
    require(same_bytes(again, payload));
}

void change_user(Bytes payload, std::uint32_t caps) {
    auto decoded = decode_com_change_user(payload, caps);
    require_consumed(decoded, payload);
    if (!decoded.ok()) {
        return;
    }
    const auto& v = decoded.value();
    require(inside(v.user, payload) && inside(v.auth_response, payload));
    require(inside(v.schema, payload) && inside(v.auth_plugin_name, payload));
    Buffer again;
    encode_com_change_user(v, caps, again);
    auto redecoded = decode_com_change_user(again, caps);
    require(redecoded.ok());
    const auto& w = redecoded.value();
    require(w.user == v.user && w.schema == v.schema && w.character_set == v.character_set);
    require(w.auth_plugin_name == v.auth_plugin_name);
    require(std::equal(w.auth_response.begin(), w.auth_response.end(), v.auth_response.begin(),
                       v.auth_response.end()));
}

void stmt_id(Bytes payload, Decoded<ComStmtId> decoded, std::uint8_t command) {
    require_consumed(decoded, payload);
    if (!decoded.ok()) {
        return;
    }
    require(decoded.value().command == command);
    Buffer again;
    if (command == COM_STMT_CLOSE) {
        encode_com_stmt_close(decoded.value().statement_id, again);
    } else {
        encode_com_stmt_reset(decoded.value().statement_id, again);
    }
    require(same_bytes(again, payload.first(std::min<std::size_t>(5, payload.size()))));
}

bool same_params(const std::vector<ExecuteParam>& a, const std::vector<ExecuteParam>& b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].type != b[i].type || a[i].long_data != b[i].long_data ||
            !same_value(a[i].value, b[i].value)) {
            return false;
        }
    }
    return true;
}

void stmt_execute(Bytes payload, const ExecuteContext& context) {
    auto decoded = decode_com_stmt_execute(payload, context);
    require_consumed(decoded, payload);
    if (!decoded.ok()) {
        return;
    }
    const auto& v = decoded.value();
    require(v.params.size() == context.num_params);
    for (const auto& param : v.params) {
        if (const auto* text = std::get_if<std::string_view>(&param.value)) {
            require(inside(*text, payload));
        }
        require(!param.long_data || std::holds_alternative<std::monostate>(param.value));
        require_stable_text(param.value, param.type);
    }
    // Encoding and decoding again with the same statement context gives the same request.
    Buffer again;
    require(encode_com_stmt_execute(v, again));
    auto redecoded = decode_com_stmt_execute(again, context);
    require(redecoded.ok());
    const auto& w = redecoded.value();
    require(w.statement_id == v.statement_id && w.flags == v.flags &&
            w.iteration_count == v.iteration_count && w.new_params_bound == v.new_params_bound);
    require(same_params(w.params, v.params));
}

void statement_ids(Bytes payload) {
    const auto id = statement_id_of(payload);
    Buffer copy(payload.begin(), payload.end());
    const bool rewritten = rewrite_statement_id(copy, 0xa1b2c3d4u);
    require(rewritten == id.has_value());
    if (!rewritten) {
        require(same_bytes(copy, payload));
        return;
    }
    require(statement_id_of(copy) == 0xa1b2c3d4u);
    require(std::equal(copy.begin() + 5, copy.end(), payload.begin() + 5, payload.end()));
}

/// Previously bound parameter types, cycling through every value encoding.
constexpr std::array<ParamType, 12> type_cycle = {{{MYSQL_TYPE_LONGLONG, false},
                                                   {MYSQL_TYPE_VAR_STRING, false},
                                                   {MYSQL_TYPE_LONG, true},
                                                   {MYSQL_TYPE_TINY, false},
                                                   {MYSQL_TYPE_SHORT, true},
                                                   {MYSQL_TYPE_DOUBLE, false},
                                                   {MYSQL_TYPE_FLOAT, false},
                                                   {MYSQL_TYPE_DATETIME, false},
                                                   {MYSQL_TYPE_TIME, false},
                                                   {MYSQL_TYPE_NULL, false},
                                                   {MYSQL_TYPE_NEWDECIMAL, false},
                                                   {MYSQL_TYPE_YEAR, false}}};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    Input in(data, size);
    const std::uint8_t session = in.byte();
    const std::uint32_t caps = ((session & 1) ? CLIENT_SECURE_CONNECTION : 0) |
                               ((session & 2) ? CLIENT_PLUGIN_AUTH : 0) | CLIENT_PROTOCOL_41;
    const std::uint16_t num_params = in.byte();
    const std::size_t previous_count = std::min<std::size_t>(in.byte(), num_params);
    const std::uint8_t long_data_mask = in.byte();
    const Bytes payload = in.rest();

    std::vector<ParamType> previous;
    for (std::size_t i = 0; i < previous_count; ++i) {
        previous.push_back(type_cycle[(i + session) % type_cycle.size()]);
    }
    std::vector<std::uint8_t> long_data;
    for (int i = 0; i < 8; ++i) {
        long_data.push_back((long_data_mask >> i) & 1);
    }

    statement_ids(payload);
    const auto command = command_byte(payload);
    require(command.has_value() == !payload.empty());
    if (!command) {
        return 0;
    }
    require(!command_name(*command).empty());
    (void)response_kind_for(*command);
    switch (*command) {
    case COM_QUERY:
        text_command(payload, decode_com_query,
                     [](const ComQuery& q, Buffer& out) { encode_com_query(q.sql, out); });
        break;
    case COM_INIT_DB:
        text_command(payload, decode_com_init_db,
                     [](const ComInitDb& q, Buffer& out) { encode_com_init_db(q.schema, out); });
        break;
    case COM_STMT_PREPARE:
        text_command(payload, decode_com_stmt_prepare, [](const ComStmtPrepare& q, Buffer& out) {
            encode_com_stmt_prepare(q.sql, out);
        });
        break;
    case COM_FIELD_LIST:
        text_command(payload, decode_com_field_list, encode_com_field_list);
        break;
    case COM_STMT_SEND_LONG_DATA:
        text_command(payload, decode_com_stmt_send_long_data, encode_com_stmt_send_long_data);
        break;
    case COM_CHANGE_USER:
        change_user(payload, caps);
        break;
    case COM_SET_OPTION: {
        auto decoded = decode_com_set_option(payload);
        require_consumed(decoded, payload);
        if (decoded.ok()) {
            Buffer again;
            encode_com_set_option(decoded.value().option, again);
            require(same_bytes(again, payload.first(3)));
        }
        break;
    }
    case COM_STMT_CLOSE:
        stmt_id(payload, decode_com_stmt_close(payload), COM_STMT_CLOSE);
        break;
    case COM_STMT_RESET:
        stmt_id(payload, decode_com_stmt_reset(payload), COM_STMT_RESET);
        break;
    case COM_STMT_EXECUTE:
        stmt_execute(payload, ExecuteContext{num_params, previous, long_data});
        break;
    default: {
        auto simple = decode_simple_command(payload, *command);
        require(simple.ok() && simple.value() == *command && simple.consumed() == payload.size());
        require(!decode_com_query(payload).ok() && !decode_com_stmt_close(payload).ok());
    }
    }
    return 0;
}
