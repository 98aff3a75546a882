// `read_routing`: balance, max_replica_lag_ms, fallback, read_your_writes(_window_ms),
// primary_weight. See docs/balancing.md.
#include "load_read_routing.hpp"

#include <string>

namespace shardgate::shardmaps::detail {
namespace {

template <class Enum, class Parse>
void read_name(MapReader& reader, const YAML::Node& node, const char* field,
               const std::string& choices, Parse parse, Enum& into) {
    const YAML::Node value = node[field];
    if (!value.IsDefined() || value.IsNull()) {
        return;
    }
    const auto parsed = value.IsScalar() ? parse(value.Scalar()) : std::nullopt;
    if (!parsed) {
        reader.error(value, std::string("'") + field + "' must be one of: " + choices);
        return;
    }
    into = *parsed;
}

void read_ms(MapReader& reader, const YAML::Node& node, const char* field, std::string_view what,
             std::uint32_t& into) {
    if (!node[field].IsDefined()) {
        return;
    }
    if (const auto value = reader.number(node, field, what, false, 0, 86400000)) {
        into = static_cast<std::uint32_t>(*value);
    }
}

} // namespace

ReadRouting read_read_routing(MapReader& reader, const YAML::Node& node, std::string_view what,
                              ReadRouting defaults) {
    if (!node.IsDefined() || node.IsNull()) {
        return defaults;
    }
    const std::string where = std::string(what) + " read_routing";
    if (!reader.expect_map(node, where,
                           {"balance", "max_replica_lag_ms", "fallback", "read_your_writes",
                            "read_your_writes_window_ms", "read_your_writes_wait_ms",
                            "primary_weight"})) {
        return defaults;
    }
    std::string policies;
    for (const auto name : balance_policy_names()) {
        policies.append(policies.empty() ? "" : ", ").append(name);
    }
    read_name(reader, node, "balance", policies, parse_balance_policy, defaults.balance);
    read_name(reader, node, "fallback", "primary, error", parse_lag_fallback, defaults.fallback);
    read_name(reader, node, "read_your_writes", "off, window, causal, proxy",
              parse_read_your_writes, defaults.read_your_writes);
    read_ms(reader, node, "max_replica_lag_ms", where, defaults.max_replica_lag_ms);
    read_ms(reader, node, "read_your_writes_window_ms", where, defaults.read_your_writes_window_ms);
    read_ms(reader, node, "read_your_writes_wait_ms", where, defaults.read_your_writes_wait_ms);
    if (node["primary_weight"].IsDefined()) {
        if (const auto weight = reader.number(node, "primary_weight", where, false, 0, 1000000)) {
            defaults.primary_weight = static_cast<std::uint32_t>(*weight);
        }
    }
    if (defaults.read_your_writes == ReadYourWrites::window &&
        defaults.read_your_writes_window_ms == 0) {
        reader.error(node, where + ": read_your_writes: window needs read_your_writes_window_ms "
                                   "above 0");
    }
    return defaults;
}

} // namespace shardgate::shardmaps::detail
