// Log output: spdlog text lines (default) or one JSON object per line (`log_format: json`),
// and structured events (a slow statement, ...) that carry their fields in either format.
#pragma once

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>
#include <string_view>

namespace shardgate::proxy {

/// Switches the default logger to JSON lines: {"time": "...Z", "level": "...", "msg": "..."};
/// an event's fields (log_event) are members of the line instead of a msg.
void use_json_logs();

/// Logs `fields` as event `name`: text `name: {fields as JSON}`, or in JSON logs the fields as
/// members of the line with "event": name.
void log_event(spdlog::level::level_enum level, std::string_view name, nlohmann::json fields);

} // namespace shardgate::proxy
