// Loader diagnostics and the exception that carries them.
#include "shardgate/shardmaps/diagnostic.hpp"

namespace shardgate::shardmaps {
namespace {

std::string join(const std::vector<Diagnostic>& diagnostics) {
    std::string text;
    for (const auto& d : diagnostics) {
        if (!text.empty()) {
            text += '\n';
        }
        text += d.to_string();
    }
    return text;
}

} // namespace

std::string Diagnostic::to_string() const {
    if (line == 0) {
        return file + ": " + message; // no position: the file itself is the problem
    }
    return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message;
}

ShardMapError::ShardMapError(std::vector<Diagnostic> diagnostics)
    : std::runtime_error(join(diagnostics)), diagnostics_(std::move(diagnostics)) {}

} // namespace shardgate::shardmaps
