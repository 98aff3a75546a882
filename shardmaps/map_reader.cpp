// MapReader: typed reads from YAML nodes that report problems with file:line:column.
#include "map_reader.hpp"

#include <algorithm>
#include <charconv>

namespace shardgate::shardmaps::detail {

void MapReader::error(const YAML::Node& at, std::string message) {
    error(at.IsDefined() ? at.Mark() : YAML::Mark::null_mark(), std::move(message));
}

void MapReader::error(const YAML::Mark& at, std::string message) {
    // yaml-cpp marks are 0-based; editors count from 1.
    const bool known = at.line >= 0;
    diagnostics_.push_back(
        Diagnostic{file_, known ? at.line + 1 : 0, known ? at.column + 1 : 0, std::move(message)});
}

bool MapReader::expect_map(const YAML::Node& node, std::string_view what,
                           const std::vector<std::string_view>& allowed) {
    if (!node.IsMap()) {
        error(node, std::string(what) + " must be a mapping of fields (key: value)");
        return false;
    }
    for (const auto& item : node) {
        const auto key = item.first.Scalar();
        if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) {
            continue;
        }
        std::string expected;
        for (auto field : allowed) {
            expected += (expected.empty() ? "" : ", ") + std::string(field);
        }
        error(item.first, "unknown field '" + key + "' in " + std::string(what) +
                              "; expected one of: " + expected);
    }
    return true;
}

std::optional<std::string> MapReader::scalar(const YAML::Node& parent, std::string_view key,
                                             std::string_view what, bool required) {
    const YAML::Node node = parent[std::string(key)];
    if (!node.IsDefined() || node.IsNull()) {
        if (required) {
            error(parent,
                  std::string(what) + " is missing required field '" + std::string(key) + "'");
        }
        return std::nullopt;
    }
    if (!node.IsScalar()) {
        error(node, std::string("'").append(key) + "' of " + std::string(what) +
                        " must be a single value, not a list or mapping");
        return std::nullopt;
    }
    return node.Scalar();
}

std::optional<std::uint64_t> MapReader::number(const YAML::Node& parent, std::string_view key,
                                               std::string_view what, bool required,
                                               std::uint64_t min, std::uint64_t max) {
    const auto text = scalar(parent, key, what, required);
    if (!text) {
        return std::nullopt;
    }
    std::uint64_t value = 0;
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (text->empty() || ec != std::errc{} || end != text->data() + text->size() || value < min ||
        value > max) {
        error(parent[std::string(key)], std::string("'").append(key) + "' of " + std::string(what) +
                                            " is '" + *text + "'; expected a whole number from " +
                                            std::to_string(min) + " to " + std::to_string(max));
        return std::nullopt;
    }
    return value;
}

bool MapReader::flag(const YAML::Node& parent, std::string_view key, bool fallback) {
    const YAML::Node node = parent[std::string(key)];
    if (!node.IsDefined() || node.IsNull()) {
        return fallback;
    }
    if (node.IsScalar() && (node.Scalar() == "true" || node.Scalar() == "false")) {
        return node.Scalar() == "true";
    }
    error(node, std::string("'").append(key) + "' must be true or false");
    return fallback;
}

std::optional<ShardId> ShardNames::find(std::string_view name) const {
    const auto it = std::find(names_.begin(), names_.end(), name);
    if (it == names_.end()) {
        return std::nullopt;
    }
    return static_cast<ShardId>(it - names_.begin());
}

std::string ShardNames::list() const {
    std::string text;
    for (const auto& name : names_) {
        text += (text.empty() ? "" : ", ") + name;
    }
    return text;
}

std::optional<ShardId> ShardNames::resolve(MapReader& reader, const YAML::Node& node) const {
    if (!node.IsDefined() || !node.IsScalar()) {
        reader.error(node,
                     "expected a shard name; database " + database_ + " has shards " + list());
        return std::nullopt;
    }
    const auto id = find(node.Scalar());
    if (!id) {
        reader.error(node, "unknown shard '" + node.Scalar() + "': database " + database_ +
                               " has shards " + list());
    }
    return id;
}

} // namespace shardgate::shardmaps::detail
