// See inline_parameters.hpp.
#include "inline_parameters.hpp"

#include "shardgate/parser/lexer.hpp"
#include "shardgate/protocol/pg/bytes.hpp"
#include "shardgate/protocol/pg/routing_helpers.hpp"

namespace shardgate::proxy::pg {

namespace ppg = protocol::pg;

std::optional<std::string> inline_parameters(std::string_view sql,
                                             const std::vector<std::uint32_t>& types,
                                             const ppg::Bind& bind) {
    constexpr std::uint32_t int8_oid = 20, int2_oid = 21, int4_oid = 23;
    parser::LexedStatement lexed;
    if (!parser::lex(sql, parser::Dialect::pg, lexed).ok()) {
        return std::nullopt;
    }
    std::string out;
    std::size_t copied = 0;
    for (const auto& token : lexed.tokens) {
        if (token.kind != parser::TokenKind::literal || token.literal < 0) {
            continue;
        }
        const auto& literal = lexed.fingerprint.literals[static_cast<std::size_t>(token.literal)];
        if (literal.kind != parser::LiteralKind::placeholder) {
            continue;
        }
        const std::size_t index = literal.param;
        if (index >= bind.parameters.size()) {
            return std::nullopt;
        }
        out.append(sql.substr(copied, token.offset - copied));
        if (!bind.parameters[index]) {
            out += "NULL";
        } else if (bind.parameter_format(index) == ppg::FormatCode::text) {
            // (E'': backslashes mean the same whatever standard_conforming_strings says)
            const auto text = ppg::as_text(*bind.parameters[index]);
            const bool escaped = text.find('\\') != std::string_view::npos;
            out += escaped ? "E'" : "'";
            for (const char c : text) {
                out += c;
                if (c == '\'' || (escaped && c == '\\')) {
                    out += c;
                }
            }
            out += '\'';
        } else if (const auto type = index < types.size() ? types[index] : 0;
                   type != int8_oid && type != int2_oid && type != int4_oid) {
            return std::nullopt; // a binary value whose type shardgate does not read
        } else if (const auto value = ppg::bind_parameter_int(bind, index)) {
            out += '(' + std::to_string(value.value()) + ')';
        } else {
            return std::nullopt;
        }
        copied = token.offset + token.length;
    }
    out.append(sql.substr(copied));
    return out;
}

} // namespace shardgate::proxy::pg
