// Routing hints found in `/* shardgate: ... */` comments.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace shardgate::parser {

/// Hints for the planner. Syntax: `/* shardgate: key[=value] [key[=value]]... */`, words
/// separated by spaces or commas, anywhere in the statement (also `-- shardgate: ...`).
struct Hints {
    /// `shard=NAME`: run on this shard.
    std::optional<std::string> shard;
    /// `primary`: run on the primary even if the statement is a read.
    bool primary = false;
    /// `max_lag_ms=N`: only use replicas at most N ms behind.
    std::optional<std::uint32_t> max_lag_ms;
    /// Any other `key[=value]` pair, for hints added later.
    std::vector<std::pair<std::string, std::string>> other;

    bool empty() const { return !shard && !primary && !max_lag_ms && other.empty(); }
};

/// Adds the hints of one comment body (text after "shardgate:") to `hints`.
void parse_hint_text(std::string_view text, Hints& hints);

} // namespace shardgate::parser
