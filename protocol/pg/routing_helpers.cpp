// Routing helpers over PostgreSQL messages: SQL text, Bind parameters as shard keys, row
// counts of command tags.
#include "shardgate/protocol/pg/routing_helpers.hpp"

#include "field_reader.hpp"

#include <array>
#include <charconv>
#include <string>

namespace shardgate::protocol::pg {

namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && is_space(text.front())) {
        text.remove_prefix(1);
    }
    while (!text.empty() && is_space(text.back())) {
        text.remove_suffix(1);
    }
    return text;
}

Error parameter_error(ErrorCode code, std::size_t index, std::string_view what) {
    return Error{code, "Bind: parameter $" + std::to_string(index + 1) + " " + std::string(what)};
}

Result<std::int64_t> parse_text_int(std::string_view text, std::size_t index) {
    text = trim(text);
    if (!text.empty() && text.front() == '+') {
        text.remove_prefix(1);
        if (!text.empty() && text.front() == '-') {
            return parameter_error(ErrorCode::bad_value, index, "is not an integer");
        }
    }
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec == std::errc::result_out_of_range) {
        return parameter_error(ErrorCode::bad_value, index, "is out of range for bigint");
    }
    if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
        return parameter_error(ErrorCode::bad_value, index, "is not an integer");
    }
    return value;
}

Result<std::int64_t> parse_binary_int(ByteView bytes, std::size_t index) {
    if (bytes.size() != 2 && bytes.size() != 4 && bytes.size() != 8) {
        return parameter_error(ErrorCode::bad_value, index,
                               "has binary length " + std::to_string(bytes.size()) +
                                   ", not 2, 4 or 8 (int2/int4/int8)");
    }
    std::uint64_t raw = 0;
    for (auto b : bytes) {
        raw = (raw << 8) | std::to_integer<std::uint8_t>(b);
    }
    auto bits = bytes.size() * 8;
    if (bits < 64 && (raw >> (bits - 1)) != 0) {
        raw |= ~std::uint64_t{0} << bits; // sign-extend
    }
    return static_cast<std::int64_t>(raw);
}

Result<ByteView> non_null_parameter(const Bind& bind, std::size_t index) {
    if (index >= bind.parameters.size()) {
        return parameter_error(ErrorCode::bad_value, index,
                               "does not exist (" + std::to_string(bind.parameters.size()) +
                                   " parameters)");
    }
    if (!bind.parameters[index]) {
        return parameter_error(ErrorCode::bad_value, index, "is NULL");
    }
    return *bind.parameters[index];
}

} // namespace

Result<std::string_view> statement_text(const Frame& frame) {
    FieldReader in(frame.body, frame.type == PqMsg_Parse ? "Parse" : "Query");
    std::string_view text;
    if (frame.type == PqMsg_Query) {
        if (!in.cstring(text, "query string") || !in.finish()) {
            return in.error();
        }
        return text;
    }
    if (frame.type == PqMsg_Parse) {
        std::string_view name;
        if (!in.cstring(name, "statement name") || !in.cstring(text, "query string")) {
            return in.error();
        }
        return text;
    }
    return Error{ErrorCode::unexpected_type, "statement_text: frame is neither Query nor Parse"};
}

Result<std::int64_t> bind_parameter_int(const Bind& bind, std::size_t index) {
    auto bytes = non_null_parameter(bind, index);
    if (!bytes) {
        return bytes.error();
    }
    if (bind.parameter_format(index) == FormatCode::binary) {
        return parse_binary_int(bytes.value(), index);
    }
    return parse_text_int(as_text(bytes.value()), index);
}

Result<std::string_view> bind_parameter_text(const Bind& bind, std::size_t index) {
    auto bytes = non_null_parameter(bind, index);
    if (!bytes) {
        return bytes.error();
    }
    return as_text(bytes.value());
}

std::optional<std::uint64_t> command_tag_row_count(std::string_view tag) {
    static constexpr std::array<std::string_view, 8> counted = {
        "SELECT ", "INSERT ", "UPDATE ", "DELETE ", "MOVE ", "FETCH ", "COPY ", "MERGE "};
    bool known = false;
    for (auto prefix : counted) {
        known = known || tag.starts_with(prefix);
    }
    auto space = tag.rfind(' ');
    if (!known || space == std::string_view::npos || space + 1 == tag.size()) {
        return std::nullopt;
    }
    auto digits = tag.substr(space + 1);
    std::uint64_t count = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), count);
    if (ec != std::errc() || end != digits.data() + digits.size()) {
        return std::nullopt;
    }
    return count;
}

} // namespace shardgate::protocol::pg
