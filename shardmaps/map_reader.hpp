// Helpers the loader uses to read YAML nodes while collecting diagnostics with marks.
#pragma once

#include "shardgate/shardmaps/diagnostic.hpp"
#include "shardgate/shardmaps/shard.hpp"

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>
#include <yaml-cpp/yaml.h>

namespace shardgate::shardmaps::detail {

/// Collects every problem found in one file; each helper reports and returns nullopt/false
/// instead of throwing, so loading goes on and the operator sees all errors at once.
class MapReader {
public:
    explicit MapReader(std::string file) : file_(std::move(file)) {}

    /// Records "file:line:column: message" at the node's position.
    void error(const YAML::Node& at, std::string message);
    void error(const YAML::Mark& at, std::string message);
    const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }
    const std::string& file() const { return file_; }

    /// True when `node` is a map whose keys are all in `allowed` (reports each other key).
    bool expect_map(const YAML::Node& node, std::string_view what,
                    const std::vector<std::string_view>& allowed);
    /// The scalar at parent[key]; reports a missing (when required) or non-scalar value.
    std::optional<std::string> scalar(const YAML::Node& parent, std::string_view key,
                                      std::string_view what, bool required);
    /// An unsigned integer at parent[key] within [min, max].
    std::optional<std::uint64_t> number(const YAML::Node& parent, std::string_view key,
                                        std::string_view what, bool required, std::uint64_t min,
                                        std::uint64_t max);
    /// A boolean (true/false) at parent[key]; `fallback` when absent.
    bool flag(const YAML::Node& parent, std::string_view key, bool fallback);
    /// The 1-based line of a node, for "first defined at line N" hints.
    static int line_of(const YAML::Node& node) { return node.Mark().line + 1; }

private:
    std::string file_;
    std::vector<Diagnostic> diagnostics_;
};

/// Resolves shard names of one database, reporting unknown names with the known ones.
class ShardNames {
public:
    ShardNames(std::string database, std::vector<std::string> names)
        : database_(std::move(database)), names_(std::move(names)) {}

    /// The id of the shard named by the scalar `node`, or nullopt after reporting.
    std::optional<ShardId> resolve(MapReader& reader, const YAML::Node& node) const;
    std::optional<ShardId> find(std::string_view name) const;
    const std::vector<std::string>& names() const { return names_; }
    /// "pg0, pg1"
    std::string list() const;

private:
    std::string database_;
    std::vector<std::string> names_;
};

} // namespace shardgate::shardmaps::detail
