// JSON log lines through a custom spdlog formatter (see log_format.hpp).
#include "shardgate/proxy/log_format.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <spdlog/pattern_formatter.h>

namespace shardgate::proxy {
namespace {

/// Marks a message whose payload is already a JSON object of event fields.
constexpr std::string_view event_prefix = "\x1e{";

void append_escaped(spdlog::memory_buf_t& out, std::string_view text) {
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out.push_back('\\');
            out.push_back(c);
        } else if (u < 0x20) {
            char hex[8];
            std::snprintf(hex, sizeof hex, "\\u%04x", u);
            out.append(std::string_view(hex));
        } else {
            out.push_back(c);
        }
    }
}

/// The whole line: time (UTC, milliseconds), level, then the message as "msg" or, for an
/// event, its fields.
class JsonLine : public spdlog::custom_flag_formatter {
public:
    void format(const spdlog::details::log_msg& msg, const std::tm&,
                spdlog::memory_buf_t& out) override {
        const auto ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(msg.time.time_since_epoch())
                .count();
        const std::time_t seconds = ms / 1000;
        std::tm tm{};
        gmtime_r(&seconds, &tm);
        char head[96];
        const auto level = spdlog::level::to_string_view(msg.level);
        const int n = std::snprintf(head, sizeof head,
                                    "{\"time\":\"%04d-%02d-%02dT%02d:%02d:%02d.%03dZ\","
                                    "\"level\":\"%.*s\",",
                                    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                                    tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000),
                                    static_cast<int>(level.size()), level.data());
        out.append(std::string_view(head, static_cast<std::size_t>(n)));
        const std::string_view payload(msg.payload.data(), msg.payload.size());
        if (payload.substr(0, event_prefix.size()) == event_prefix) {
            out.append(payload.substr(event_prefix.size())); // `"event":...}` of a JSON object
            return;
        }
        out.append(std::string_view("\"msg\":\""));
        append_escaped(out, payload);
        out.append(std::string_view("\"}"));
    }
    std::unique_ptr<custom_flag_formatter> clone() const override {
        return std::make_unique<JsonLine>();
    }
};

bool json_logs = false;

} // namespace

void use_json_logs() {
    auto formatter = std::make_unique<spdlog::pattern_formatter>();
    formatter->add_flag<JsonLine>('*').set_pattern("%*");
    spdlog::set_formatter(std::move(formatter));
    json_logs = true;
}

void log_event(spdlog::level::level_enum level, std::string_view name, nlohmann::json fields) {
    if (!spdlog::should_log(level)) {
        return;
    }
    if (!json_logs) {
        spdlog::log(level, "{}: {}", name,
                    fields.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
        return;
    }
    nlohmann::json line{{"event", name}};
    line.update(fields);
    const auto text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    // `{"event":...}` minus its `{`, after the marker: JsonLine writes it after time and level
    std::string payload(event_prefix);
    payload.append(text, 1, std::string::npos);
    spdlog::log(level, "{}", payload);
}

} // namespace shardgate::proxy
