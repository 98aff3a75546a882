// Names and small helpers of the monitor's backend model.
#include "shardgate/monitor/backend.hpp"

#include "prober.hpp"

#include <algorithm>

namespace shardgate::monitor {

std::optional<Engine> parse_engine(std::string_view name) {
    if (name == "postgresql") {
        return Engine::postgresql;
    }
    if (name == "mysql") {
        return Engine::mysql;
    }
    return std::nullopt;
}

std::optional<Role> parse_role(std::string_view name) {
    if (name == "primary") {
        return Role::primary;
    }
    if (name == "replica") {
        return Role::replica;
    }
    return std::nullopt;
}

std::string_view engine_name(Engine engine) {
    return engine == Engine::postgresql ? "postgresql" : "mysql";
}

std::string_view role_name(Role role) {
    return role == Role::primary ? "primary" : "replica";
}

std::string_view health_name(Health health) {
    switch (health) {
    case Health::up:
        return "up";
    case Health::down:
        return "down";
    case Health::unknown:
        break;
    }
    return "unknown";
}

std::string describe(const BackendSpec& spec) {
    return spec.shard + " " + std::string(role_name(spec.role)) + " " + spec.host + ":" +
           std::to_string(spec.port);
}

std::string BackendState::last_error_line() const {
    std::string line = last_error;
    std::replace(line.begin(), line.end(), '\n', ' ');
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) {
        line.pop_back();
    }
    return line;
}

std::optional<std::int64_t> BackendState::effective_lag_ms() const {
    if (health != Health::up || replication_stopped) {
        return std::nullopt;
    }
    return spec.role == Role::primary ? std::optional<std::int64_t>(0) : heartbeat_lag_ms;
}

std::optional<std::int64_t>
BackendState::lag_bound_at(std::chrono::steady_clock::time_point now) const {
    auto lag = effective_lag_ms();
    const bool timed = heartbeat_measured_at != std::chrono::steady_clock::time_point{};
    if (lag && spec.role == Role::replica && timed && now > heartbeat_measured_at) {
        *lag += std::chrono::duration_cast<std::chrono::milliseconds>(now - heartbeat_measured_at)
                    .count();
    }
    return lag;
}

unsigned timeout_seconds(std::chrono::milliseconds timeout) {
    const auto seconds = (timeout.count() + 999) / 1000;
    return seconds < 1 ? 1u : static_cast<unsigned>(seconds);
}

} // namespace shardgate::monitor
