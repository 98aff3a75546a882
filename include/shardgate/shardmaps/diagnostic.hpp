// Errors found while loading a shard map, each pointing at file:line:column.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace shardgate::shardmaps {

/// One problem in a map file. line and column are 1-based; 0 when unknown.
struct Diagnostic {
    std::string file;
    int line = 0;
    int column = 0;
    std::string message; ///< what is wrong and what would be right

    /// "file:line:column: message" (just "file: message" when the line is unknown).
    std::string to_string() const;
};

/// Thrown by the loader with every problem found (it does not stop at the first).
/// what() is the diagnostics joined by newlines.
class ShardMapError : public std::runtime_error {
public:
    explicit ShardMapError(std::vector<Diagnostic> diagnostics);
    const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

private:
    std::vector<Diagnostic> diagnostics_;
};

} // namespace shardgate::shardmaps
